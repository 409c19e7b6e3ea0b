/**
 * The closed model on plain `node:net` keep-alive connections — the same contract as `driveLoad`
 * (drive.ts) without autocannon: each connection has one request in flight and writes the next one
 * when the answer is in; perfgate's own strict HTTP/1.1 client (http1-request.ts, http1-parser.ts).
 * The closed model's default client (http-generator.ts); `PERFGATE_CLOSED_DRIVER=autocannon` runs
 * autocannon instead.
 *
 * Timing: a request is timed from just before its write to the first read of the event loop's poll
 * phase in which its response completes: the clock is read once per poll phase, as its first read
 * comes in, before any bytes are parsed, and every read of that phase takes the same time. The
 * sockets a phase reads were all readable when the poll returned, before that clock, so the k-th
 * response of a burst is not charged for the reads and the parsing of the k − 1 before it (a
 * response whose last segment came in after the poll returned and before its own read would be
 * timed early by at most those reads, tens of µs; on the usual one-segment answer, never). What a
 * response costs the client after that is held to the end of the poll phase: the connection's next
 * write runs then, in one `setImmediate` flush for all connections (which also clears the phase's
 * clock), and the recordings after the writes (the responses in arrival order, then the sends). A
 * request is still timed from its own write, and is written before any recording. Writing each
 * next request from the read that completed its connection's response instead (measured beside
 * wrk on nginx `/slow`): the server woke and preempted the client less often (931 against 1143
 * preemptions a second), but p90 read farther from wrk's in each of three runs (+3.9, +3.6, +3.3 %
 * against +3.2, +2.6, +2.0 %), and p99 nearer in one (+3.1 against +7.2 %) and farther in two
 * (+4.0 against +3.2 %, +7.8 against +4.0 %), so the writes stay in the flush. Reads
 * go into one buffer the driver owns (`onread`): a read allocates nothing and no stream machinery
 * runs for it, which leaves less for the garbage collector, whose pauses land in the tail of every
 * request in flight. Measured beside wrk on nginx `/slow`
 * (bench/latency-agreement.mjs; this driver alone, without the CLI): the clock read first, the owned
 * buffer and the held recordings took p99 from +19 % above wrk's to +4 … +10 % (a bare Node client's
 * floor: +4 … +7 %); lazy request timers and the writes before the recordings, side by side with the
 * driver before them over 7 rounds, p99 +17 % → +11 % (better in 6 of 7 rounds; the floor +4 %).
 * One clock per poll phase, through the CLI beside the CLI before it, two runs of 15 rounds: p99
 * +10.1 % → +7.4 % and +7.5 % → +5.9 % of wrk's (lower in 14 and 12 of 15 rounds), p50 lower in 14
 * and 15 of 15 (the floor: p99 +4.8 % and +4.1 %).
 *
 * Outcomes, as the autocannon path classifies them (client-hooks.ts):
 * - a response: its status and body are checked (`responseFailure`; a body longer than the one
 *   expected is a `body` failure without being kept);
 * - no response within `timeoutMs` of the write (or of the connection attempt, for the first
 *   request of a connection): `timeout`; the connection is replaced;
 * - a socket error, a close before the response ended, a response that breaks HTTP/1.1 or the
 *   parser's limits, a refused connection: `connection`, charged to the request of that connection
 *   (a connection attempt carries the request it will write, so a refused one counts as autocannon's
 *   does); the connection is replaced at once;
 * - `Connection: close` (or HTTP/1.0 without keep-alive): the response counts, then a new
 *   connection carries the next request; bytes after a response (none may come: nothing else was
 *   asked) end the connection too, without a failure.
 */
import net from 'node:net';
import { LoadError } from '../errors.js';
import { atTime, timerDelay } from './deadline.js';
import type { LoadSink } from './client-hooks.js';
import type { DriveOptions, DriveOutcome } from './drive.js';
import { responseFailure, statusExpected } from './expect.js';
import { HttpParseError, ResponseParser, type ParserLimits } from './http1-parser.js';
import { wireRequest, type WireRequest } from './http1-request.js';
import { buildMixSequence } from './mix.js';
import type { FailureKind, TrialRecorder } from './recorder.js';
import { watchRefused } from './refused.js';

/** The shared read buffer: 64 KiB, what libuv reads at once into a buffer of its own. */
const READ_BUFFER_BYTES = 64 * 1024;

/** Runs the load; rejects with `LoadError` when no connection to the target ever succeeds. */
export function driveNet(o: DriveOptions, limits?: ParserLimits): Promise<DriveOutcome> {
  const { profile, durationMs, recorder } = o;
  const url = new URL(o.target);
  const t0 = o.startAt ?? performance.now();
  let wire: WireRequest[];
  try {
    wire = profile.requests.map(s => wireRequest(s, url.host));
  } catch (err) {
    return Promise.reject(
      new LoadError(`load generator failed: ${err instanceof Error ? err.message : String(err)}`)
    );
  }
  const run = new NetRun(o, wire, limits, t0 + durationMs);

  return new Promise<DriveOutcome>((resolve, reject) => {
    let ended = false;
    const connections: Connection[] = [];
    let cancelEnd = () => {};
    const timers: { check?: NodeJS.Timeout } = {};
    const end = (at: number, aborted: boolean, error?: Error) => {
      if (ended) return;
      ended = true;
      run.stopped = true;
      run.windowEnd = Math.min(run.windowEnd, at);
      cancelEnd();
      clearInterval(timers.check);
      o.signal.removeEventListener('abort', onAbort);
      for (const c of connections) c.stop();
      run.record();
      if (error) return reject(error);
      const measuredMs = Math.round(Math.max(0, Math.min(durationMs, at - t0)) * 1000) / 1000;
      resolve({ durationMs: measuredMs, aborted });
    };
    const onAbort = () => end(performance.now(), true);
    o.signal.addEventListener('abort', onAbort, { once: true });
    if (o.signal.aborted) return onAbort();
    // Every connection walks the mix from its start, as autocannon's clients do.
    for (let i = 0; i < o.connections; i++) connections.push(new Connection(run));
    cancelEnd = atTime(t0 + durationMs, () => end(t0 + durationMs, false));
    timers.check = watchRefused({
      recorder,
      connections: o.connections,
      origin: url.origin,
      t0,
      lastError: () => run.lastConnError,
      end: (now, error) => end(now, false, error)
    });
  });
}

/** Numbers held per response until it is recorded (NetRun). */
const HELD_FIELDS = 6;
/** A held response's failure by its code: 0 none. */
const FAILURES: ReadonlyArray<FailureKind | null> = [null, 'timeout', 'connection', 'status', 'body'];

/** `a` with twice the room, its values kept. */
function grown(a: Float64Array): Float64Array {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
}

/**
 * One run's state and its turn of the event loop: the responses read in this poll phase, the
 * connections whose next write waits for the flush, the phase's clock. A class at module level,
 * like Connection: every run (the warmup, each trial) makes objects of the same shapes and calls
 * the same functions, so what V8 optimised in the runs before stays optimised. Built inside
 * `driveNet`, as they were, each run had a Connection class of its own (new shapes, new functions)
 * and arrays that started empty of a different kind: every trial started on client code not
 * optimised for it and compiled it again during its first second or two, on a helper thread that
 * takes the core the server needs on a 2-core runner. Counted with `--trace-opt` in the windows of
 * 6 trials of 2 s on nginx (three runs each): from the fourth trial on, a median of 6 compilations
 * and 13 ms of compiling a trial and no deoptimisation, against 11 and 33 ms before; what is still
 * compiled is mostly Node's socket write path, which V8 drops at the collection before each trial
 * (the first trial compiles ~25 functions either way).
 */
class NetRun implements Pick<LoadSink, 'response' | 'failure'> {
  readonly recorder: TrialRecorder;
  readonly specs: DriveOptions['profile']['requests'];
  /** The mix as a sequence of request indexes, walked by every connection from its start. */
  readonly sequence: number[];
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  stopped = false;
  lastConnError: NodeJS.ErrnoException | undefined = undefined;
  /** Every read of every connection lands here (`onread`); the parser keeps nothing of it. */
  readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** The clock as the first read of this poll phase read it, -1 before it; cleared by the flush. */
  phaseNow = -1;
  /**
   * Responses read in this turn of the loop and not yet recorded: HELD_FIELDS numbers each
   * (request, status, bytes, ms, now, failure code); then the sends of the flush's writes, which came
   * after them. Recorded by the flush once it wrote, or before any other event is (the recorder
   * takes events in time order). Typed arrays, grown when full: a fresh JS array would start a run
   * holding small integers and change its kind at the first time stored, and the code optimised in
   * the run before would be thrown away for it at every trial's first response.
   */
  private held: Float64Array = new Float64Array(HELD_FIELDS * 16);
  private heldCount = 0;
  private sendTimes: Float64Array = new Float64Array(16);
  private sendCount = 0;
  /** Connections whose next request the flush writes. */
  private readonly queue: Connection[] = [];
  private writing = false;
  private flushing = false;
  private readonly flushNow = () => this.flush();

  /**
   * @param wire per request of the mix, its bytes
   * @param windowEnd `performance.now()` when the window ends: what comes in after it is not recorded
   */
  constructor(
    o: DriveOptions,
    readonly wire: WireRequest[],
    readonly limits: ParserLimits | undefined,
    public windowEnd: number
  ) {
    const url = new URL(o.target);
    this.recorder = o.recorder;
    this.specs = o.profile.requests;
    this.sequence = buildMixSequence(this.specs.map(r => r.weight));
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port) || 80;
    this.timeoutMs = o.profile.timeoutMs;
  }

  /** Records what this turn read and sent (the responses first, in arrival order). */
  record(): void {
    const { held, sendTimes, recorder, windowEnd } = this;
    for (let i = 0, end = this.heldCount * HELD_FIELDS; i < end; i += HELD_FIELDS) {
      const now = held[i + 4]!;
      if (now < windowEnd)
        recorder.response(held[i]!, held[i + 1]!, held[i + 2]!, held[i + 3]!, FAILURES[held[i + 5]!]!, now);
    }
    this.heldCount = 0;
    for (let i = 0; i < this.sendCount; i++) {
      const now = sendTimes[i]!;
      if (now < windowEnd) recorder.sent(now);
    }
    this.sendCount = 0;
  }

  /** A request was written at `now` (held while the flush writes, else recorded now). */
  sent(now: number): void {
    if (!this.writing) return this.attempted(now);
    if (this.sendCount === this.sendTimes.length) this.sendTimes = grown(this.sendTimes);
    this.sendTimes[this.sendCount++] = now;
  }

  /**
   * A connection was attempted at `now`, carrying its request: recorded now. Kept apart from `sent`,
   * which the flush calls for every write: a path that the warmup's optimised code never took
   * (a connection attempt comes only at a run's start or after a failure) would throw that code
   * away at the trial's first connection.
   */
  attempted(now: number): void {
    this.record();
    if (now < this.windowEnd) this.recorder.sent(now);
  }

  /** A response came in: held until the flush has written this turn's requests. */
  response(
    request: number,
    status: number,
    bytes: number,
    ms: number,
    failure: FailureKind | null,
    now: number
  ): void {
    let i = this.heldCount * HELD_FIELDS;
    if (i === this.held.length) this.held = grown(this.held);
    const held = this.held;
    held[i++] = request;
    held[i++] = status;
    held[i++] = bytes;
    held[i++] = ms;
    held[i++] = now;
    held[i] = failure === null ? 0 : FAILURES.indexOf(failure);
    this.heldCount++;
    this.schedule();
  }

  /** A request ended without a response. */
  failure(request: number, kind: 'timeout' | 'connection', now: number, err?: NodeJS.ErrnoException): void {
    this.record();
    if (err) this.lastConnError = err;
    if (now < this.windowEnd) this.recorder.failure(request, kind, now);
  }

  /** `c` writes its next request in the flush. */
  enqueue(c: Connection): void {
    this.queue.push(c);
    this.schedule();
  }

  /** Runs the flush after this poll phase (once, however many ask). */
  schedule(): void {
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(this.flushNow);
    }
  }

  /** The writes first: a connection's next request waits for no recording, then the records. */
  private flush(): void {
    this.flushing = false;
    this.phaseNow = -1;
    this.writing = true;
    const queue = this.queue;
    for (let i = 0; i < queue.length; i++) if (!this.stopped) queue[i]!.write();
    queue.length = 0;
    this.writing = false;
    this.record();
  }
}

/** One keep-alive connection with at most one request in flight, replaced when it fails. */
class Connection {
  socket: net.Socket | undefined = undefined;
  readonly parser: ResponseParser;
  /** The request of the mix this connection carries, -1 when none. */
  request = -1;
  written = false;
  writtenAt = 0;
  deadline = 0;
  private sent = 0;
  /**
   * Lazy: armed for a deadline and left alone when a request moves it; when it fires before the
   * deadline as it stands then, it arms itself again for the rest. One timer event per connection
   * every `timeoutMs` instead of two refreshes per request.
   */
  private timer: NodeJS.Timeout;

  constructor(private readonly run: NetRun) {
    this.parser = new ResponseParser(run.limits);
    this.timer = this.arm(run.timeoutMs);
    this.connect();
  }

  private arm(ms: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), timerDelay(ms));
  }

  /** A new socket, carrying the next request of the mix (written once it connects). */
  connect(): void {
    const run = this.run;
    if (run.stopped) return;
    const readBuffer = run.readBuffer;
    const socket: net.Socket = net.connect({
      host: run.host,
      port: run.port,
      onread: {
        buffer: readBuffer,
        // `false` would pause the socket.
        callback: (n: number) => {
          if (socket === this.socket) this.data(readBuffer, n);
          return true;
        }
      }
    });
    this.socket = socket;
    socket.setNoDelay(true);
    const now = performance.now();
    this.take(now);
    run.attempted(now);
    socket.on('connect', () => {
      if (socket === this.socket) this.write();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (socket === this.socket) this.lose(err);
    });
    socket.on('close', () => {
      if (socket !== this.socket || run.stopped) return;
      // Closed by the server: a response delimited by the close ends here; one under way is lost.
      if (this.request >= 0 && this.written) {
        let ended = false;
        try {
          ended = this.parser.eof();
        } catch {
          // cut short: charged below
        }
        if (ended) return this.answered(performance.now(), 0);
      }
      this.lose();
    });
  }

  /** Assigns the next request of the mix to this connection (`now`: when it is sent or attempted). */
  take(now: number): void {
    const { sequence } = this.run;
    this.request = sequence[this.sent % sequence.length]!;
    this.sent++;
    this.written = false;
    this.deadline = now + this.run.timeoutMs;
  }

  /** Writes the request this connection carries (taking the next one when it has none). */
  write(): void {
    const socket = this.socket;
    if (!socket || socket.destroyed || socket.connecting || this.written) return;
    const now = performance.now();
    if (this.request < 0) {
      this.take(now);
      this.run.sent(now);
    }
    const w = this.run.wire[this.request]!;
    this.parser.expect(w.head, w.keep);
    this.written = true;
    this.writtenAt = now;
    this.deadline = now + this.run.timeoutMs;
    socket.write(w.bytes());
  }

  /** `n` bytes were read into `chunk` (the shared read buffer). */
  data(chunk: Buffer, n: number): void {
    const run = this.run;
    // The clock first, once per poll phase: the parsing below and the reads of this phase before
    // this one are the client's time, not the service's (the flush, after the phase, clears it).
    let now = run.phaseNow;
    if (now < 0) {
      now = run.phaseNow = performance.now();
      run.schedule();
    }
    if (run.stopped) return;
    let end: number;
    try {
      if (this.request < 0 || !this.written)
        throw new HttpParseError('bytes received with no request in flight');
      end = this.parser.execute(chunk, 0, n);
    } catch {
      // A response that breaks HTTP/1.1 or a limit (HttpParseError): the connection is unusable.
      return this.lose();
    }
    if (end >= 0) this.answered(now, n - end);
  }

  /** The response of the request in flight is complete; `extra` bytes followed it. */
  answered(now: number, extra: number): void {
    const run = this.run;
    const request = this.request;
    this.request = -1;
    this.written = false;
    const r = this.parser.response;
    const spec = run.specs[request]!;
    const failure = r.truncated
      ? statusExpected(spec, r.status)
        ? 'body'
        : 'status'
      : responseFailure(spec, r.status, r.body);
    run.response(request, r.status, r.bytes, now - this.writtenAt, failure, now);
    if (run.stopped) return;
    if (extra > 0 || !r.keepAlive) return this.replace();
    run.enqueue(this);
  }

  /** The request in flight failed on this connection (an error, a close, a broken response). */
  lose(err?: NodeJS.ErrnoException): void {
    const request = this.request;
    this.request = -1;
    if (request >= 0) this.run.failure(request, 'connection', performance.now(), err);
    this.replace();
  }

  /** The request timer fired: a request past its deadline is a timeout, and its connection goes. */
  expire(): void {
    const run = this.run;
    if (run.stopped) return;
    const now = performance.now();
    // Not due yet (a later request moved the deadline; timers also run on libuv's cached loop
    // time and can fire a little early), or nothing in flight: wait for the deadline as it is now.
    if (this.request < 0 || now < this.deadline) {
      this.timer = this.arm(this.request < 0 ? run.timeoutMs : this.deadline - now);
      return;
    }
    const request = this.request;
    this.request = -1;
    run.failure(request, 'timeout', now);
    this.replace();
    this.timer = this.arm(run.timeoutMs);
  }

  /** Drops the socket (its events are ignored from now on) and connects anew after this turn. */
  replace(): void {
    const old = this.socket;
    this.socket = undefined;
    this.parser.reset();
    old?.destroy();
    if (!this.run.stopped) setImmediate(() => this.connect());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.socket?.destroy();
    this.socket = undefined;
  }
}

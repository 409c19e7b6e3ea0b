/**
 * The open load model (SPEC §3; wrk2's semantics) on undici: requests leave at evenly spaced
 * intended times following a rate schedule (pacer.ts), whether or not earlier ones were answered,
 * and each latency is measured from the intended time. A request that waits, in the pacer or in
 * undici's queue because every connection is busy, has the wait in its latency, so a stalled
 * server shows up in the tail (no coordinated omission, unlike autocannon's rate mode).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import type { RequestSpec } from '../config/types.js';
import { createHistogram, percentileMs, recordMs } from '../stats/histogram.js';
import type { LoadSink } from './client-hooks.js';
import { responseFailure } from './expect.js';
import { buildMixSequence } from './mix.js';
import { Pacer, RateSchedule, type RateStage } from './pacer.js';
import { withFreshIds } from './request-id.js';

export type { RateStage } from './pacer.js';

export interface OpenModelOptions {
  /** Origin like http://127.0.0.1:1234 (loopback only; the caller checked). */
  target: string;
  /** The weighted mix. */
  requests: RequestSpec[];
  /** undici Pool size (most concurrent connections); requests beyond it wait in undici's queue. */
  connections: number;
  /** Per-request timeout, from the intended send time. */
  timeoutMs: number;
  stages: RateStage[];
  /** Abort: stop sending at once, resolve with what was measured (`aborted: true`). */
  signal: AbortSignal;
  /** `sent` gets the intended time; `response` the latency from it. */
  sink: LoadSink;
  /** Called at the start of every stage; `now`: the stage's start on the `performance.now()` clock. */
  onStage?: (index: number, now: number) => void;
  /** Waits shorter than this (ms) spin instead of sleeping on a timer; default `SPIN_MS` (pacer.ts). */
  spinMs?: number;
}

export interface OpenModelOutcome {
  startedAt: Date;
  /** Wall time of the schedule actually run (shorter when aborted), ms. */
  durationMs: number;
  aborted: boolean;
  /** Requests the schedule asked for up to the end (or abort). */
  scheduled: number;
  /** Requests actually handed to undici. */
  sent: number;
  /** How late sends were against their intended times, ms: median, p99, max. */
  lateness: { p50: number; p99: number; max: number };
}

/** autocannon's `idReplacement` token: each occurrence becomes the request's unique id. */

/**
 * Sends the schedule's requests to `o.target` and reports every outcome to `o.sink`; resolves when
 * the schedule has run out or on abort (never rejects once started). Requests still in flight then
 * are abandoned (the pool is destroyed): the measured window is the schedule.
 */
export async function driveOpen(o: OpenModelOptions): Promise<OpenModelOutcome> {
  const schedule = new RateSchedule(o.stages);
  if (!(Number.isInteger(o.connections) && o.connections >= 1))
    throw new Error(`connections must be a positive integer, got ${o.connections}`);
  if (!(o.timeoutMs > 0)) throw new Error(`timeoutMs must be positive, got ${o.timeoutMs}`);
  const sequence = buildMixSequence(o.requests.map(r => r.weight));
  const makers = o.requests.map(requestMaker);
  const startedAt = new Date();
  const lateness = createHistogram();
  const outcome = (durationMs: number, aborted: boolean, scheduled: number, sent: number) => ({
    startedAt,
    durationMs: Math.round(durationMs * 1000) / 1000,
    aborted,
    scheduled,
    sent,
    lateness: {
      p50: percentileMs(lateness, 50),
      p99: percentileMs(lateness, 99),
      max: lateness.totalCount > 0 ? lateness.maxValue / 1000 : 0
    }
  });
  if (o.signal.aborted) return outcome(0, true, 0, 0);

  // undici's own timeouts count from the write; perfgate's count from the intended time.
  const pool = new Pool(o.target, { connections: o.connections, headersTimeout: 0, bodyTimeout: 0 });
  const t0 = performance.now();
  const end = t0 + schedule.durationMs;
  let open = true;
  /** Whether an event at `now` still counts: the drive runs and the window has not closed. */
  const counts = (now: number) => open && now < end;

  const exchange = async (request: number, intended: number) => {
    const spec = o.requests[request]!;
    const controller = new AbortController();
    let settled = false;
    const settle = (now: number) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return counts(now);
    };
    const expire = () => {
      const now = performance.now();
      // Timers run on libuv's cached loop time and can fire a little early.
      if (now < intended + o.timeoutMs) return void (timer = setTimeout(expire, 1));
      if (settle(now)) o.sink.failure(request, 'timeout', now);
      controller.abort();
    };
    let timer = setTimeout(expire, Math.max(0, Math.ceil(intended + o.timeoutMs - performance.now())));
    const chunks: Buffer[] | undefined = spec.expectBody !== undefined ? [] : undefined;
    let res: Dispatcher.ResponseData;
    let bytes = 0;
    try {
      res = await pool.request({ ...makers[request]!(), signal: controller.signal });
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        chunks?.push(chunk);
      }
    } catch (err) {
      const now = performance.now();
      if (settle(now)) o.sink.failure(request, 'connection', now, err as NodeJS.ErrnoException);
      return;
    }
    const now = performance.now();
    if (!settle(now)) return;
    const failure = responseFailure(spec, res.statusCode, chunks && Buffer.concat(chunks).toString('utf8'));
    bytes += headerBytes(res.statusCode, res.statusText, res.headers);
    o.sink.response(request, res.statusCode, bytes, now - intended, failure, now);
  };

  return new Promise<OpenModelOutcome>(resolve => {
    const finish = (at: number, aborted: boolean) => {
      if (!open) return;
      open = false;
      pacer.stop();
      o.signal.removeEventListener('abort', onAbort);
      const sent = pacer.next;
      const scheduled = aborted ? Math.max(sent, schedule.countBefore(at - t0)) : schedule.total;
      const result = outcome(Math.min(schedule.durationMs, at - t0), aborted, scheduled, sent);
      // Destroying fails the requests in flight; `open` is false, so nothing more is reported.
      void pool
        .destroy()
        .catch(() => undefined)
        .then(() => resolve(result));
    };
    const onAbort = () => finish(performance.now(), true);
    const pacer = new Pacer(
      schedule,
      t0,
      {
        due(k, intended) {
          const request = sequence[k % sequence.length]!;
          o.sink.sent(request, intended);
          recordMs(lateness, performance.now() - intended);
          void exchange(request, intended);
        },
        stage: (index, at) => o.onStage?.(index, at),
        end: at => finish(at, false)
      },
      o.spinMs
    );
    o.signal.addEventListener('abort', onAbort, { once: true });
    pacer.start();
  });
}

/** Request options for `spec`, with a fresh id in place of every `[<id>]` on each call. */
function requestMaker(spec: RequestSpec): () => Dispatcher.RequestOptions {
  const method = spec.method.toUpperCase() as Dispatcher.HttpMethod;
  const parts = withFreshIds(spec);
  return () => ({ method, ...parts() });
}

/**
 * Bytes of the status line and headers as received, give or take their case (undici hands them
 * over parsed), so that `bytes` means what autocannon's does: the whole response.
 */
export function headerBytes(status: number, statusText: string, headers: IncomingHttpHeaders): number {
  let n = `HTTP/1.1 ${status} ${statusText}\r\n`.length + 2;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) n += name.length + v.length + 4;
  }
  return n;
}

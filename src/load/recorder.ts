/**
 * Records the outcome of every request of one trial: response times in microseconds into HDR
 * histograms per request of the mix and per stage of the schedule, counts by status and error kind,
 * and a per-second timeline. The trial's metrics are those of its measured stages; every stage also
 * gets its own. Knows nothing about autocannon or undici; the generators feed it.
 */
import type { ErrorCounts, RequestMetrics, TimelinePoint } from '../model.js';
import type { LoadSink } from './client-hooks.js';
import {
  createHistogram,
  encodeHistogram,
  percentileMs,
  recordMs,
  summarizeLatency,
  type Histogram
} from '../stats/histogram.js';

/** Why a request failed (callers use `null` for a success). */
export type FailureKind = keyof ErrorCounts;

interface Tally {
  responses: number;
  failed: number;
  bytes: number;
  statusCodes: Record<string, number>;
  errors: ErrorCounts;
  /**
   * Made at the first response: a histogram takes ~185 KB, and a schedule of many stages (a wave
   * steps up to 1000 times) times the requests of its mix would otherwise be allocated up front.
   */
  histogram?: Histogram;
}

/** What a finished trial reports. */
export interface RecordedTrial {
  /** Over the measured stages. */
  metrics: RequestMetrics;
  /** Per request of the mix, over the measured stages. */
  requests: Record<string, RequestMetrics>;
  /** Every stage run, in order (stages never reached are left out). */
  stages: Array<{ index: number; startMs: number; durationMs: number; metrics: RequestMetrics }>;
  timeline: TimelinePoint[];
}

export class TrialRecorder {
  /** Per stage, per request of the mix. */
  private readonly tallies: Tally[][];
  /** When each stage entered so far began, ms after the start. */
  private readonly stageStarts: number[] = [0];
  private readonly timeline: TimelinePoint[] = [];
  private second = 0;
  private secondHistogram = createHistogram();
  private secondCompleted = 0;
  private secondSent = 0;
  private secondErrors: ErrorCounts = noErrors();
  private stage = 0;
  /** Responses received so far (progress). */
  responses = 0;
  /** Failed requests so far, any kind (progress). */
  errors = 0;
  /** Connection errors so far. */
  connectionErrors = 0;

  /**
   * @param names request names of the mix, indexed like the mix
   * @param startedAt `performance.now()` at the start of the measured window
   * @param measured per stage of the schedule, whether it is measured (default: one measured stage)
   */
  constructor(
    private readonly names: string[],
    readonly startedAt: number,
    private readonly measured: readonly boolean[] = [true]
  ) {
    this.tallies = measured.map(() =>
      names.map(() => ({
        responses: 0,
        failed: 0,
        bytes: 0,
        statusCodes: {},
        errors: noErrors()
      }))
    );
  }

  /** A response arrived. Its latency counts even when it failed (unexpected status or body). */
  response(
    request: number,
    status: number,
    bytes: number,
    ms: number,
    failure: FailureKind | null,
    now: number
  ): void {
    this.advance(now);
    const t = this.tally(request);
    t.responses++;
    t.bytes += bytes;
    t.statusCodes[status] = (t.statusCodes[status] ?? 0) + 1;
    recordMs((t.histogram ??= createHistogram()), ms);
    recordMs(this.secondHistogram, ms);
    this.responses++;
    this.secondCompleted++;
    if (failure) this.fail(t, failure);
  }

  /** A request was sent (the open model calls this at its intended time). */
  sent(now: number): void {
    this.advance(now);
    this.secondSent++;
  }

  /** The recorder as a sink for a generator that reports every event within the window. */
  sink(): LoadSink {
    return {
      sent: (_request, now) => this.sent(now),
      response: (request, status, bytes, ms, failure, now) =>
        this.response(request, status, bytes, ms, failure, now),
      failure: (request, kind, now) => this.failure(request, kind, now)
    };
  }

  /** Metrics of stage `index` so far, over `durationMs` (a stress step, judged when it ends). */
  stageMetrics(index: number, durationMs: number): RequestMetrics {
    const tallies = this.tallies[index];
    if (!tallies) throw new Error(`no stage #${index} in a schedule of ${this.tallies.length}`);
    return toMetrics(tallies, durationMs);
  }

  /** From `now` on, requests and seconds belong to stage `index` of the schedule (stages go forward). */
  enterStage(index: number, now: number): void {
    if (!this.tallies[index]) throw new Error(`no stage #${index} in a schedule of ${this.tallies.length}`);
    this.advance(now);
    while (this.stageStarts.length <= index) this.stageStarts.push(now - this.startedAt);
    this.stage = index;
  }

  /** A request ended without a response (timeout, connection error). */
  failure(request: number, kind: 'timeout' | 'connection', now: number): void {
    this.advance(now);
    this.secondCompleted++;
    if (kind === 'connection') this.connectionErrors++;
    this.fail(this.tally(request), kind);
  }

  /**
   * Metrics over a window of `durationMs` from the start (the stages entered, the last one ending
   * with the window); the timeline has one point per started second.
   */
  finish(durationMs: number): RecordedTrial {
    // Windows are measured to the µs: a few µs past a whole second is not a second more.
    const seconds = Math.max(0, Math.ceil(durationMs / 1000 - 1e-6));
    while (this.timeline.length < seconds) this.closeSecond();
    // An event a moment past the window's end (a response in flight at the end) joins its last second.
    if (this.secondCompleted + this.secondSent > 0 || this.timeline.length > seconds) this.closeSecond();
    for (const extra of this.timeline.splice(seconds)) {
      const last = this.timeline[seconds - 1];
      if (!last) break;
      last.sent += extra.sent;
      last.completed += extra.completed;
      last.errors += extra.errors;
      for (const k of Object.keys(last.errorsByKind) as FailureKind[])
        last.errorsByKind[k] += extra.errorsByKind[k];
    }
    const stages = this.stageStarts.map((startMs, index) => {
      const end = this.stageStarts[index + 1] ?? Math.max(startMs, durationMs);
      return {
        index,
        startMs,
        durationMs: end - startMs,
        metrics: toMetrics(this.tallies[index]!, end - startMs)
      };
    });
    const measured = stages.filter(s => this.measured[s.index]);
    const measuredMs = measured.reduce((n, s) => n + s.durationMs, 0);
    const requests: Record<string, RequestMetrics> = {};
    this.names.forEach((name, i) => {
      requests[name] = toMetrics(
        measured.map(s => this.tallies[s.index]![i]!),
        measuredMs
      );
    });
    return {
      metrics: toMetrics(
        measured.flatMap(s => this.tallies[s.index]!),
        measuredMs
      ),
      requests,
      stages,
      timeline: this.timeline
    };
  }

  private tally(request: number): Tally {
    const t = this.tallies[this.stage]![request];
    if (!t) throw new Error(`no request #${request} in a mix of ${this.names.length}`);
    return t;
  }

  private fail(t: Tally, kind: FailureKind): void {
    t.failed++;
    t.errors[kind]++;
    this.errors++;
    this.secondErrors[kind]++;
  }

  /** Closes the seconds before the one `now` falls in (events arrive in time order). */
  private advance(now: number): void {
    const second = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    while (this.second < second) this.closeSecond();
  }

  private closeSecond(): void {
    const h = this.secondHistogram;
    const e = this.secondErrors;
    this.timeline.push({
      second: this.second,
      sent: this.secondSent,
      completed: this.secondCompleted,
      errors: e.timeout + e.connection + e.status + e.body,
      errorsByKind: e,
      p50: percentileMs(h, 50),
      p99: percentileMs(h, 99),
      stage: this.stage
    });
    h.reset();
    this.second++;
    this.secondCompleted = 0;
    this.secondSent = 0;
    this.secondErrors = noErrors();
  }
}

function noErrors(): ErrorCounts {
  return { timeout: 0, connection: 0, status: 0, body: 0 };
}

function toMetrics(tallies: Tally[], durationMs: number): RequestMetrics {
  const histogram = createHistogram();
  const statusCodes: Record<string, number> = {};
  const errors: ErrorCounts = { timeout: 0, connection: 0, status: 0, body: 0 };
  let responses = 0;
  let failed = 0;
  let bytes = 0;
  for (const t of tallies) {
    if (t.histogram) histogram.add(t.histogram);
    responses += t.responses;
    failed += t.failed;
    bytes += t.bytes;
    for (const [code, n] of Object.entries(t.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    for (const k of Object.keys(errors) as FailureKind[]) errors[k] += t.errors[k];
  }
  // Every request ends as a response or as a failure without one.
  const requests = responses + errors.timeout + errors.connection;
  return {
    requests,
    responses,
    failed,
    throughput: durationMs > 0 ? requests / (durationMs / 1000) : 0,
    bytesReceived: bytes,
    statusCodes,
    errors,
    latency: summarizeLatency(histogram),
    histogram: encodeHistogram(histogram)
  };
}

/**
 * Records the outcome of every request of one trial: response times in microseconds into HDR
 * histograms per request of the mix, counts by status and error kind, and a per-second timeline.
 * Knows nothing about autocannon; the generator feeds it.
 */
import type { ErrorCounts, RequestMetrics, TimelinePoint } from '../model.js';
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
  histogram: Histogram;
}

/** What a finished trial reports. */
export interface RecordedTrial {
  metrics: RequestMetrics;
  requests: Record<string, RequestMetrics>;
  timeline: TimelinePoint[];
}

export class TrialRecorder {
  private readonly tallies: Tally[];
  private readonly timeline: TimelinePoint[] = [];
  private second = 0;
  private secondHistogram = createHistogram();
  private secondCompleted = 0;
  private secondErrors = 0;
  /** Responses received so far (progress). */
  responses = 0;
  /** Failed requests so far, any kind (progress). */
  errors = 0;
  /** Connection errors so far. */
  connectionErrors = 0;

  /**
   * @param names request names of the mix, indexed like the mix
   * @param startedAt `performance.now()` at the start of the measured window
   */
  constructor(
    private readonly names: string[],
    private readonly startedAt: number
  ) {
    this.tallies = names.map(() => ({
      responses: 0,
      failed: 0,
      bytes: 0,
      statusCodes: {},
      errors: { timeout: 0, connection: 0, status: 0, body: 0 },
      histogram: createHistogram()
    }));
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
    recordMs(t.histogram, ms);
    recordMs(this.secondHistogram, ms);
    this.responses++;
    this.secondCompleted++;
    if (failure) this.fail(t, failure);
  }

  /** A request ended without a response (timeout, connection error). */
  failure(request: number, kind: 'timeout' | 'connection', now: number): void {
    this.advance(now);
    this.secondCompleted++;
    if (kind === 'connection') this.connectionErrors++;
    this.fail(this.tally(request), kind);
  }

  /** Metrics over a measured window of `durationMs`; the timeline has one point per started second. */
  finish(durationMs: number): RecordedTrial {
    const seconds = Math.max(0, Math.ceil(durationMs / 1000 - 1e-9));
    while (this.timeline.length < seconds) this.closeSecond();
    this.timeline.length = seconds;
    const requests: Record<string, RequestMetrics> = {};
    this.tallies.forEach((t, i) => (requests[this.names[i]!] = toMetrics([t], durationMs)));
    return { metrics: toMetrics(this.tallies, durationMs), requests, timeline: this.timeline };
  }

  private tally(request: number): Tally {
    const t = this.tallies[request];
    if (!t) throw new Error(`no request #${request} in a mix of ${this.tallies.length}`);
    return t;
  }

  private fail(t: Tally, kind: FailureKind): void {
    t.failed++;
    t.errors[kind]++;
    this.errors++;
    this.secondErrors++;
  }

  /** Closes the seconds before the one `now` falls in (events arrive in time order). */
  private advance(now: number): void {
    const second = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    while (this.second < second) this.closeSecond();
  }

  private closeSecond(): void {
    const h = this.secondHistogram;
    this.timeline.push({
      second: this.second,
      completed: this.secondCompleted,
      errors: this.secondErrors,
      p50: percentileMs(h, 50),
      p99: percentileMs(h, 99)
    });
    h.reset();
    this.second++;
    this.secondCompleted = 0;
    this.secondErrors = 0;
  }
}

function toMetrics(tallies: Tally[], durationMs: number): RequestMetrics {
  const histogram = tallies.length === 1 ? tallies[0]!.histogram : createHistogram();
  const statusCodes: Record<string, number> = {};
  const errors: ErrorCounts = { timeout: 0, connection: 0, status: 0, body: 0 };
  let responses = 0;
  let failed = 0;
  let bytes = 0;
  for (const t of tallies) {
    if (tallies.length > 1) histogram.add(t.histogram);
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

import type { RequestMetrics, TrialResult } from '../../../src/model.js';
import {
  createHistogram,
  encodeHistogram,
  recordMs,
  summarizeLatency
} from '../../../src/stats/histogram.js';
import { poolTrials, TrialPool } from '../../../src/stats/pool.js';
import { syntheticTrial } from '../../helpers/trials.js';

/** Metrics of `latenciesMs` (one request each; `failed` of them failed) over a trial. */
function metrics(latenciesMs: number[], failed = 0, timeouts = 0): RequestMetrics {
  const h = createHistogram();
  for (const ms of latenciesMs) recordMs(h, ms);
  return {
    requests: latenciesMs.length + timeouts,
    responses: latenciesMs.length,
    failed: failed + timeouts,
    throughput: 0,
    bytesReceived: 0,
    statusCodes: {},
    errors: { timeout: timeouts, connection: 0, status: failed, body: 0 },
    latency: summarizeLatency(h),
    histogram: encodeHistogram(h)
  };
}

/** A trial of `measuredMs` whose mix is `requests` (name → latencies); its whole is all of them. */
function trial(
  index: number,
  measuredMs: number,
  requests: Record<string, number[]>,
  opts: { valid?: boolean; timeouts?: number } = {}
): TrialResult {
  const all = Object.values(requests).flat();
  return {
    ...syntheticTrial('head', index, 1, 1, opts.valid ?? true),
    durationMs: measuredMs + 500,
    measuredMs,
    metrics: metrics(all, 0, opts.timeouts ?? 0),
    requests: Object.fromEntries(Object.entries(requests).map(([name, ms]) => [name, metrics(ms)]))
  };
}

const latencyOf = (ms: number[]) => {
  const h = createHistogram();
  for (const v of ms) recordMs(h, v);
  return summarizeLatency(h);
};

describe('poolTrials and TrialPool', () => {
  const a = [1.2, 3.4, 20, 20.5, 21, 48.25];
  const b = [0.9, 19.9, 22.75, 200];
  const c = [5, 5, 5, 7.125];
  const first = trial(0, 1000, { list: a, item: b }, { timeouts: 2 });
  const invalid = trial(1, 2000, { list: [999, 999] }, { valid: false });
  const last = trial(2, 1500, { item: c, search: [40, 41] });
  const trials = [first, invalid, last];

  it('pools the valid trials: counts summed, rates over the summed measured time, latency merged exactly', () => {
    const pooled = poolTrials(trials);
    expect(pooled.validTrials).toBe(2);
    expect(pooled.invalidTrials).toBe(1);
    expect(pooled.requests).toBe(a.length + b.length + c.length + 2 + 2);
    expect(pooled.failed).toBe(2);
    expect(pooled.errors).toEqual({ timeout: 2, connection: 0, status: 0, body: 0 });
    expect(pooled.throughput).toBeCloseTo(18 / 2.5, 12);
    // The merged histogram reads as one recorded with every latency of the valid trials.
    expect(pooled.latency).toEqual(latencyOf([...a, ...b, ...c, 40, 41]));
    expect(Object.keys(pooled.perRequest)).toEqual(['list', 'item', 'search']);
    expect(pooled.perRequest.list).toEqual({ requests: 6, failed: 0, throughput: 6, latency: latencyOf(a) });
    expect(pooled.perRequest.item).toEqual({
      requests: 8,
      failed: 0,
      throughput: 8 / 2.5,
      latency: latencyOf([...b, ...c])
    });
    // A request of one trial only: its rate over that trial's time.
    expect(pooled.perRequest.search?.throughput).toBeCloseTo(2 / 1.5, 12);
  });

  it('reads the same trial by trial as over the list, after every trial', () => {
    const pool = new TrialPool();
    trials.forEach((t, i) => expect(pool.add(t).summary()).toEqual(poolTrials(trials.slice(0, i + 1))));
  });

  it('has no latency where no valid trial had a response, and no rate without measured time', () => {
    expect(poolTrials([])).toEqual({
      validTrials: 0,
      invalidTrials: 0,
      requests: 0,
      failed: 0,
      throughput: 0,
      errors: { timeout: 0, connection: 0, status: 0, body: 0 },
      latency: null,
      perRequest: {}
    });
    const onlyTimeouts = poolTrials([trial(0, 1000, {}, { timeouts: 3 })]);
    expect(onlyTimeouts.latency).toBeNull();
    expect(onlyTimeouts.requests).toBe(3);
    expect(poolTrials([trial(0, 0, { x: [1] })]).throughput).toBe(0);
  });

  it('keeps each summary it returned as it was: a later trial changes only later summaries', () => {
    const pool = new TrialPool();
    const summary = pool.add(first).summary();
    const copy = structuredClone(summary);
    pool.add(last);
    expect(summary).toEqual(copy);
  });
});

import type { ProfileResult, RequestMetrics, TrialResult } from '../../src/model.js';

/** A trial whose median latency (ms) and throughput (req/s) are the given values; the rest follow. */
export function syntheticTrial(
  side: 'head' | 'base',
  index: number,
  p50: number,
  throughput: number,
  valid = true
): TrialResult {
  const latency = {
    min: p50 / 2,
    mean: p50,
    stdev: 0,
    p50,
    p90: p50 * 1.5,
    p95: p50 * 1.8,
    p99: p50 * 2,
    p999: p50 * 3,
    max: p50 * 4
  };
  const metrics: RequestMetrics = {
    requests: throughput,
    responses: throughput,
    failed: 0,
    throughput,
    bytesReceived: 0,
    statusCodes: {},
    errors: { timeout: 0, connection: 0, status: 0, body: 0 },
    latency,
    histogram: ''
  };
  return {
    index,
    side,
    startedAt: '',
    durationMs: 1000,
    valid,
    metrics,
    requests: {},
    timeline: [],
    stages: [],
    generatorCpu: 0,
    generatorBusy: 0
  };
}

/** A profile result named "p" holding these trials (a base side only when `base` is given). */
export function syntheticProfile(head: TrialResult[], base?: TrialResult[]): ProfileResult {
  return {
    name: 'p',
    shape: 'steady',
    model: 'closed',
    connections: 1,
    durationMs: 1000,
    warmupMs: 0,
    trialsPlanned: head.length,
    order: [],
    head: { side: 'head', target: '', trials: head },
    ...(base && { base: { side: 'base', target: '', trials: base } })
  };
}

import type { ProfileConfig, ThresholdSpec } from '../../../src/config/types.js';
import type { ProfileResult, RequestMetrics, TrialResult } from '../../../src/model.js';
import {
  createHistogram,
  encodeHistogram,
  recordMs,
  summarizeLatency
} from '../../../src/stats/histogram.js';
import { evaluateThresholds } from '../../../src/thresholds/evaluate.js';
import { parseThreshold } from '../../../src/thresholds/parse-threshold.js';

/** Request metrics whose histogram holds exactly `latenciesMs`. */
function metrics(latenciesMs: number[], failed = 0): RequestMetrics {
  const h = createHistogram();
  latenciesMs.forEach(ms => recordMs(h, ms));
  return {
    requests: latenciesMs.length,
    responses: latenciesMs.length,
    failed,
    throughput: 0,
    bytesReceived: 0,
    statusCodes: {},
    errors: { timeout: 0, connection: 0, status: failed, body: 0 },
    latency: summarizeLatency(h),
    histogram: encodeHistogram(h)
  };
}

function trial(
  index: number,
  whole: RequestMetrics,
  requests: Record<string, RequestMetrics>,
  valid = true
): TrialResult {
  return {
    index,
    side: 'head',
    startedAt: '',
    durationMs: 2000,
    valid,
    metrics: whole,
    requests,
    timeline: [],
    stages: [],
    generatorCpu: 0,
    generatorBusy: 0
  };
}

function spec(metric: string, source: string, severity: 'fail' | 'warn' = 'fail'): ThresholdSpec {
  const parsed = parseThreshold(metric.replace(/\{.*$/, ''), source);
  if (!parsed.ok) throw new Error(parsed.message);
  return { metric, source, parsed: parsed.value, severity, where: 'p.yml:1:1' };
}

// Trial 1: 1..100 ms; trial 2: 101..200 ms (an invalid third trial of 10 s responses is ignored).
const fast = Array.from({ length: 100 }, (_, i) => i + 1);
const slow = Array.from({ length: 100 }, (_, i) => i + 101);
const result = {
  name: 'p',
  head: {
    side: 'head',
    target: '',
    trials: [
      trial(0, metrics(fast, 1), { a: metrics(fast.slice(0, 50)), b: metrics(fast.slice(50), 1) }),
      trial(1, metrics(slow, 3), { a: metrics(slow.slice(0, 50)), b: metrics(slow.slice(50), 3) }),
      trial(2, metrics([10_000, 10_000]), {}, false)
    ]
  }
} as unknown as ProfileResult;

describe('evaluateThresholds pools the valid trials', () => {
  it.each([
    ['http_req_duration', 'med<101', 100, true],
    ['http_req_duration', 'p(95)<190', 190, false],
    ['http_req_duration', 'p(99)<200', 198, true],
    ['http_req_duration', 'avg<100', 100.5, false],
    ['http_req_duration', 'min>=1', 1, true],
    ['http_req_duration', 'max<201', 200, true],
    ['http_req_duration{request:a}', 'max<150', 150, false],
    ['http_req_duration{request:b}', 'min>50', 51, true],
    ['http_req_failed', 'rate<0.02', 0.02, false],
    ['http_req_failed{request:a}', 'rate==0', 0, true],
    ['http_reqs', 'count==200', 200, true],
    ['http_reqs', 'rate>=50', 50, true],
    ['http_reqs{request:b}', 'rate<25', 25, false]
  ])('%s %s → observed %d, ok %s', (metric, source, observed, ok) => {
    const profile = { name: 'p', thresholds: [spec(metric, source)] } as ProfileConfig;
    const [r] = evaluateThresholds(profile, result);
    // HDR histograms keep 3 significant digits: values are exact to within 0.1 %.
    expect(Math.abs(r!.observed! - observed)).toBeLessThanOrEqual(observed * 0.001 + 1e-9);
    expect(r!.ok).toBe(ok);
  });

  it('a request that was never measured is not ok, with observed null', () => {
    const profile = {
      name: 'p',
      thresholds: [spec('http_req_duration{request:zzz}', 'p(95)<1000', 'warn')]
    } as ProfileConfig;
    expect(evaluateThresholds(profile, result)).toEqual([
      {
        profile: 'p',
        metric: 'http_req_duration{request:zzz}',
        expression: 'p(95)<1000',
        severity: 'warn',
        observed: null,
        unit: 'ms',
        ok: false,
        where: 'p.yml:1:1'
      }
    ]);
  });
});

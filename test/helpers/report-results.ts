import { gauss, seededRandom } from './random.js';
import type { Comparison, Results, SideResult, TimelinePoint, TrialResult } from '../../src/model.js';
import {
  createHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMs,
  summarizeLatency
} from '../../src/stats/histogram.js';
import { sampleResults } from './results.js';

/** Strings that must render inertly wherever a user can put them (HTML and markdown). */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'a|b',
  '`x`',
  '@team'
] as const;
/** All of them in one name. */
export const HOSTILE = PAYLOADS.join(' ');

export interface RichOptions {
  profiles?: number;
  /** Trials per side. */
  trials?: number;
  /** Seconds of timeline per trial. */
  seconds?: number;
  /** Responses recorded per trial into its histogram. */
  responses?: number;
  /** Give the first profile, its request, a threshold, a note and an invalid trial hostile names. */
  hostile?: boolean;
  /** Leave every trial's second `seconds / 2` without responses (a gap in the latency lines). */
  gap?: boolean;
}

/**
 * Paired results as a real run writes them: head and base trials with histograms, per-second
 * timelines, service resources and gated comparisons with estimates and intervals.
 */
export function richResults(o: RichOptions = {}): Results {
  const { profiles = 1, trials = 4, seconds = 5, responses = 400, hostile = true, gap = false } = o;
  const random = seededRandom(42);
  const request = hostile ? HOSTILE : 'hello';
  const base = sampleResults({ verdict: 'fail' }, { profile: 'x', request });
  const template = base.profiles[0]!;
  const results: Results = {
    ...base,
    config: hostile ? `configs/${HOSTILE}.yml` : 'perfgate.yml',
    git: { sha: '0123456789abcdef0123456789abcdef01234567', ref: 'refs/heads/main', repository: 'o/r' },
    notes: hostile ? [`note: ${HOSTILE}`] : [],
    profiles: [],
    comparisons: [],
    thresholds: []
  };
  for (let i = 0; i < profiles; i++) {
    const name = hostile && i === 0 ? HOSTILE : `profile-${i + 1}`;
    const side = (which: 'head' | 'base', latencyMs: number): SideResult => {
      const list = Array.from({ length: trials }, (_, k) =>
        trial(which, k, latencyMs, { seconds, responses, gap, request, random })
      );
      if (hostile && which === 'base' && trials > 2) {
        list[1] = { ...list[1]!, valid: false, invalidReason: `generator saturated: ${HOSTILE}` };
      }
      return { side: which, target: 'http://127.0.0.1:1', trials: list, summary: pooled(list, request) };
    };
    results.profiles.push({
      ...template,
      name,
      trialsPlanned: trials,
      order: Array.from({ length: 2 * trials }, (_, k) => ((k >> 1) % 2 === k % 2 ? 'base' : 'head')),
      head: side('head', 2.2),
      base: side('base', 2)
    });
    results.comparisons.push(
      comparison(name, 'http_req_duration.med', 'regressed', 0.1, [0.06, 0.14], 0.05, { base: 2, head: 2.2 }),
      comparison(name, 'http_req_duration.p(99)', 'inconclusive', 0.04, [-0.03, 0.12], 0.1, {
        base: 5,
        head: 5.2
      }),
      comparison(name, 'http_reqs.rate', 'unchanged', -0.01, [-0.03, 0.02], 0.05, { base: 500, head: 495 }),
      { ...comparison(name, 'http_req_duration.p(95)', 'unchanged', 0.02, [-0.02, 0.05], 0.1), gated: false }
    );
    results.thresholds.push(
      {
        profile: name,
        metric: `http_req_duration{request:${request}}`,
        expression: hostile ? `p(95)<1 ${HOSTILE}` : 'p(95)<1',
        severity: 'fail',
        observed: 2.2,
        unit: 'ms',
        ok: false,
        where: `${results.config}:9:7`
      },
      {
        profile: name,
        metric: 'service_rss',
        expression: 'max<1GB',
        severity: 'warn',
        observed: 90 * 2 ** 20,
        unit: 'bytes',
        ok: true,
        where: `${results.config}:10:7`
      }
    );
  }
  return results;
}

interface TrialOptions {
  seconds: number;
  responses: number;
  gap: boolean;
  request: string;
  random: () => number;
}

function trial(side: 'head' | 'base', index: number, latencyMs: number, o: TrialOptions): TrialResult {
  const h = createHistogram();
  for (let k = 0; k < o.responses; k++) recordMs(h, latencyMs * Math.exp(0.35 * gauss(o.random)));
  const latency = summarizeLatency(h);
  const throughput = 500 * (side === 'head' ? 0.99 : 1) * (1 + 0.02 * gauss(o.random));
  const metrics = {
    requests: o.responses,
    responses: o.responses,
    failed: 1,
    throughput,
    bytesReceived: o.responses * 100,
    statusCodes: { '200': o.responses - 1, '500': 1 },
    errors: { timeout: 0, connection: 0, status: 1, body: 0 },
    latency,
    histogram: encodeHistogram(h)
  };
  const timeline: TimelinePoint[] = Array.from({ length: o.seconds }, (_, second) => {
    const empty = o.gap && second === Math.floor(o.seconds / 2);
    const jitter = 1 + 0.05 * gauss(o.random);
    return {
      second,
      sent: empty ? 0 : Math.round(throughput * jitter),
      completed: empty ? 0 : Math.round(throughput * jitter),
      errors: 0,
      errorsByKind: { timeout: 0, connection: 0, status: 0, body: 0 },
      p50: empty ? 0 : latency.p50 * jitter,
      p99: empty ? 0 : latency.p99 * jitter,
      stage: 0,
      serviceCpu: 40 + 10 * o.random(),
      serviceRss: (80 + second + 5 * o.random()) * 2 ** 20
    };
  });
  const samples = timeline.map(p => ({ second: p.second, cpu: p.serviceCpu!, rss: p.serviceRss! }));
  return {
    index,
    side,
    startedAt: '2026-11-23T12:00:00.000Z',
    durationMs: o.seconds * 1000,
    valid: true,
    metrics,
    requests: { [o.request]: metrics },
    timeline,
    stages: [],
    resources: {
      source: 'proc',
      cpu: { peak: Math.max(...samples.map(s => s.cpu)), mean: 45 },
      rss: { peak: Math.max(...samples.map(s => s.rss)), mean: 85 * 2 ** 20 },
      samples
    },
    generatorCpu: 0.3,
    generatorBusy: 0.3
  };
}

function pooled(trials: TrialResult[], request: string): SideResult['summary'] {
  const valid = trials.filter(t => t.valid);
  const latency = summarizeLatency(mergeHistograms(valid.map(t => t.metrics.histogram)));
  const requests = valid.reduce((n, t) => n + t.metrics.requests, 0);
  const failed = valid.reduce((n, t) => n + t.metrics.failed, 0);
  const throughput = valid.reduce((n, t) => n + t.metrics.throughput, 0) / Math.max(1, valid.length);
  return {
    validTrials: valid.length,
    invalidTrials: trials.length - valid.length,
    throughput,
    requests,
    failed,
    errors: { timeout: 0, connection: 0, status: failed, body: 0 },
    latency,
    perRequest: { [request]: { requests, failed, throughput, latency } }
  };
}

function comparison(
  profile: string,
  metric: string,
  verdict: Comparison['verdict'],
  estimate: number,
  interval: [number, number],
  delta: number,
  values?: { base: number; head: number }
): Comparison {
  return {
    profile,
    metric,
    better: metric.startsWith('http_reqs') ? 'higher' : 'lower',
    delta,
    gated: true,
    alpha: 0.05,
    samples: 4,
    test: 'wilcoxon-signed-rank',
    method: 'exact',
    ...(values && { values }),
    estimate,
    interval,
    pValue: verdict === 'regressed' ? 0.01 : 0.4,
    adjustedPValue: verdict === 'regressed' ? 0.03 : 0.8,
    verdict
  };
}

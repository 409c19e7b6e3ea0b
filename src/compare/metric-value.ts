/**
 * Per-trial values of a compare key (`http_req_duration.p(99)`, `http_reqs.rate`,
 * `http_req_duration{request:create}.med`): the sample unit of a comparison is one trial's summary,
 * never individual requests (SPEC §5).
 */
import type { ProfileConfig } from '../config/types.js';
import type { RequestMetrics, TrialResult } from '../model.js';
import { decodeHistogram, percentileMs } from '../stats/histogram.js';
import { parseCompareKey } from '../thresholds/compare-key.js';
import { METRICS } from '../thresholds/metrics.js';
import { sampleAggregate } from '../thresholds/evaluate.js';
import type { Aggregation } from '../thresholds/parse-threshold.js';

export interface CompareMetric {
  key: string;
  request?: string;
  metric: string;
  aggregation: Aggregation;
  better: 'lower' | 'higher';
}

/** The metrics compared when a profile's `compare:` is empty, with their δ (SPEC §5 defaults). */
export const DEFAULT_COMPARE: Readonly<Record<string, number>> = {
  'http_req_duration.med': 0.05,
  'http_req_duration.p(99)': 0.1,
  'http_reqs.rate': 0.05
};

/** Reported but not gated when not gated already, with their δ. */
export const INFORMATIONAL_COMPARE: Readonly<Record<string, number>> = {
  'http_req_duration.avg': 0.05,
  'http_req_duration.p(90)': 0.05,
  'http_req_duration.p(95)': 0.1
};

/** A profile's gated compare keys with their δ: its `compare:`, else the defaults. */
export function gatedCompare(
  config: Pick<ProfileConfig, 'compare'> | undefined
): Readonly<Record<string, number>> {
  return config && Object.keys(config.compare).length > 0 ? config.compare : DEFAULT_COMPARE;
}

/** Every key compared for a profile: the gated ones, then the informational ones not gated already. */
export function comparedKeys(config: Pick<ProfileConfig, 'compare'> | undefined): string[] {
  return [...new Set([...Object.keys(gatedCompare(config)), ...Object.keys(INFORMATIONAL_COMPARE)])];
}

/** Parses a canonical compare key (the config stage has already validated it). */
export function compareMetric(key: string): CompareMetric {
  const parsed = parseCompareKey(key);
  if (!parsed.ok) throw new Error(`invalid compare key reached the comparison: ${key}: ${parsed.message}`);
  const { name, tags } = parsed.value.selector;
  return {
    key,
    metric: name,
    ...(tags.request !== undefined && { request: tags.request }),
    aggregation: parsed.value.aggregation,
    better: METRICS[name]!.better
  };
}

/** The value of the metric in one trial, or null when the trial has nothing to say about it. */
export function trialValue(trial: TrialResult, m: CompareMetric): number | null {
  if (m.metric === 'service_cpu' || m.metric === 'service_rss') {
    const field = m.metric === 'service_cpu' ? 'cpu' : 'rss';
    return sampleAggregate(trial.resources?.samples.map(s => s[field]) ?? [], m.aggregation);
  }
  const metrics: RequestMetrics | undefined =
    m.request === undefined ? trial.metrics : trial.requests[m.request];
  if (!metrics) return null;
  if (m.metric === 'http_reqs') {
    return m.aggregation.kind === 'count' ? metrics.requests : metrics.throughput;
  }
  if (m.metric === 'http_req_failed') return metrics.requests > 0 ? metrics.failed / metrics.requests : null;
  if (metrics.responses === 0) return null;
  const l = metrics.latency;
  const agg = m.aggregation;
  switch (agg.kind) {
    case 'avg':
      return l.mean;
    case 'min':
      return l.min;
    case 'max':
      return l.max;
    case 'med':
      return l.p50;
    case 'percentile':
      return percentileOf(metrics, agg.p);
    default:
      return null;
  }
}

function percentileOf(metrics: RequestMetrics, p: number): number {
  const known: Record<number, number> = {
    50: metrics.latency.p50,
    90: metrics.latency.p90,
    95: metrics.latency.p95,
    99: metrics.latency.p99,
    99.9: metrics.latency.p999
  };
  return known[p] ?? percentileMs(decodeHistogram(metrics.histogram), p);
}

/**
 * Evaluates a profile's thresholds on the head side's valid trials. Trials are pooled the way k6
 * pools a whole run: histograms are merged exactly, counts summed, rates taken over the summed
 * measured time.
 */
import type { ProfileConfig, ThresholdSpec } from '../config/types.js';
import type { ProfileResult, RequestMetrics, ThresholdResult, TrialResult } from '../model.js';
import { mergeHistograms, percentileMs, summarizeLatency } from '../stats/histogram.js';
import { measuredMs } from '../stats/pool.js';
import { max, mean, min, quantile } from 'simple-statistics';
import { METRICS, metricUnit } from './metrics.js';
import { holds, parseMetricSelector, type Aggregation } from './parse-threshold.js';

/** Threshold results of one profile, in the order they were written. */
export function evaluateThresholds(profile: ProfileConfig, result: ProfileResult): ThresholdResult[] {
  const trials = result.head.trials.filter(t => t.valid);
  return profile.thresholds.map(spec => evaluateOne(profile.name, spec, trials));
}

function evaluateOne(profile: string, spec: ThresholdSpec, trials: TrialResult[]): ThresholdResult {
  return thresholdResult(profile, spec, observe(spec, trials));
}

/** A threshold of a source (a profile, a benchmark) judged on the value observed. */
export function thresholdResult(
  source: string,
  spec: ThresholdSpec,
  observed: number | null
): ThresholdResult {
  return {
    profile: source,
    metric: spec.metric,
    expression: spec.source,
    severity: spec.severity,
    observed,
    unit: unitOf(spec),
    ok: observed !== null && holds(observed, spec.parsed),
    where: spec.where
  };
}

/** The observed value a threshold is checked against, or null when nothing was measured. */
export function observe(spec: ThresholdSpec, trials: TrialResult[]): number | null {
  const selector = parseMetricSelector(spec.metric);
  if (!selector.ok) throw new Error(`unparsable metric selector reached evaluation: ${spec.metric}`);
  if (!METRICS[selector.value.name]!.perRequest) {
    // The service's samples of every trial, pooled.
    const field = selector.value.name === 'service_cpu' ? 'cpu' : 'rss';
    const samples = trials.flatMap(t => t.resources?.samples.map(s => s[field]) ?? []);
    return sampleAggregate(samples, spec.parsed.aggregation);
  }
  const request = selector.value.tags.request;
  const parts: Array<{ m: RequestMetrics; durationMs: number }> = [];
  for (const t of trials) {
    const m = request === undefined ? t.metrics : t.requests[request];
    if (m) parts.push({ m, durationMs: measuredMs(t) });
  }
  if (parts.length === 0) return null;
  return aggregate(selector.value.name, spec.parsed.aggregation, parts);
}

/**
 * Shape `stress`: the thresholds (the SLO) one stage broke, judged on that stage's metrics alone,
 * as `metric expression (observed …)`. Thresholds narrowed to one request, and the service's
 * resources, are judged on the whole trial only; a stage with nothing measured breaks none.
 */
export function brokenInStage(profile: ProfileConfig, metrics: RequestMetrics, durationMs: number): string[] {
  return profile.thresholds.flatMap(spec => {
    const selector = parseMetricSelector(spec.metric);
    if (!selector.ok || selector.value.tags.request !== undefined) return [];
    if (!METRICS[selector.value.name]!.perRequest) return []; // sampled per trial, not per stage
    const observed = aggregate(selector.value.name, spec.parsed.aggregation, [{ m: metrics, durationMs }]);
    if (observed === null || holds(observed, spec.parsed)) return [];
    return [`${spec.metric} ${spec.source} (observed ${formatValue(observed, unitOf(spec))})`];
  });
}

function formatValue(value: number, unit: string): string {
  if (unit === 'ratio') return `${(value * 100).toFixed(2)} %`;
  if (unit === 'ms') return `${value.toFixed(2)} ms`;
  if (unit === 'req/s') return `${value.toFixed(1)} req/s`;
  return String(value);
}

function aggregate(
  metric: string,
  agg: Aggregation,
  parts: Array<{ m: RequestMetrics; durationMs: number }>
): number | null {
  const requests = sum(parts.map(p => p.m.requests));
  if (metric === 'http_req_failed') return requests === 0 ? null : sum(parts.map(p => p.m.failed)) / requests;
  if (metric === 'http_reqs') {
    if (agg.kind === 'count') return requests;
    const seconds = sum(parts.map(p => p.durationMs)) / 1000;
    return seconds > 0 ? requests / seconds : null;
  }
  // http_req_duration: exact percentiles from the merged histograms.
  const h = mergeHistograms(parts.filter(p => p.m.responses > 0).map(p => p.m.histogram));
  if (h.totalCount === 0) return null;
  switch (agg.kind) {
    case 'avg':
      return summarizeLatency(h).mean;
    case 'min':
      return summarizeLatency(h).min;
    case 'max':
      return summarizeLatency(h).max;
    case 'med':
      return percentileMs(h, 50);
    case 'percentile':
      return percentileMs(h, agg.p);
    default:
      return null;
  }
}

/** avg, min, med, max or a percentile (type 7, as simple-statistics' quantile) of per-second samples. */
export function sampleAggregate(samples: number[], agg: Aggregation): number | null {
  if (samples.length === 0) return null;
  switch (agg.kind) {
    case 'avg':
      return mean(samples);
    case 'min':
      return min(samples);
    case 'max':
      return max(samples);
    case 'med':
      return quantile(samples, 0.5);
    case 'percentile':
      return quantile(samples, agg.p / 100);
    default:
      return null;
  }
}

export function unitOf(spec: ThresholdSpec): string {
  return metricUnit(spec.metric.replace(/\{.*$/, ''), spec.parsed.aggregation.kind);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

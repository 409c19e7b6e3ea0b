/**
 * The HTTP profile's adapter to the series model (SPEC §4): a compare key's per-trial values over
 * the valid trials of each side. The sample unit is one trial's summary (its p99, its rate), never
 * individual requests (SPEC §5). Latency percentiles are estimated per trial as `statistics.tail`
 * says (stats/tail-estimate.ts): the Harrell–Davis estimate on the trial's histogram by default, or the
 * HDR percentile, or the mean of the slowest share.
 */
import type { ProfileConfig } from '../config/types.js';
import { compareMetric, comparedKeys, trialValue, type CompareMetric } from '../compare/metric-value.js';
import type { ProfileResult, RequestMetrics, TrialResult } from '../model.js';
import { decodeHistogram, histogramBuckets, type Buckets, type Histogram } from '../stats/histogram.js';
import { DEFAULT_TAIL_ESTIMATOR, tailEstimateMs, type TailEstimator } from '../stats/tail-estimate.js';
import { metricUnit } from '../thresholds/metrics.js';
import { comparable, values, type Sample, type Series } from './series.js';

/** The samples of a compare metric over the valid trials of one side. */
export function trialSamples(
  trials: readonly TrialResult[],
  m: CompareMetric,
  tail: TailEstimator = DEFAULT_TAIL_ESTIMATOR
): Sample[] {
  return trials.flatMap(t => {
    const value = t.valid ? estimatedValue(t, m, tail) : null;
    return comparable(value) ? [{ index: t.index, value }] : [];
  });
}

/** The values of a compare metric over the valid trials of one side, in the order measured. */
export function trialValues(
  trials: readonly TrialResult[],
  m: CompareMetric,
  tail: TailEstimator = DEFAULT_TAIL_ESTIMATOR
): number[] {
  return values(trialSamples(trials, m, tail));
}

/** Whether `tail` changes how a trial's value of `m` is computed: latency percentiles, not `hdr`. */
export function usesTailEstimator(m: CompareMetric, tail: TailEstimator): boolean {
  return tail !== 'hdr' && m.metric === 'http_req_duration' && m.aggregation.kind === 'percentile';
}

/**
 * The series of `key` for a profile: its base side when it has one (paired), else a stored
 * baseline's (unpaired) — its series of `key` when it stored one (schema 2) and its values were
 * made the way this run makes them, else made from its trials (schema 1, a key the baseline did not
 * store, or a latency percentile under a `tail` estimator, which the stored trials' histograms give
 * the same way on both sides) — else none.
 */
export function profileSeries(
  result: ProfileResult,
  key: string,
  stored?: { trials?: readonly TrialResult[]; series?: readonly Series[] },
  tail: TailEstimator = DEFAULT_TAIL_ESTIMATOR
): Series {
  const m = compareMetric(key);
  const fromTrials = usesTailEstimator(m, tail) && stored?.trials !== undefined;
  const storedSeries = fromTrials ? undefined : stored?.series?.find(s => s.key === key);
  const base = result.base
    ? trialSamples(result.base.trials, m, tail)
    : (storedSeries?.samples.head ?? (stored?.trials ? trialSamples(stored.trials, m, tail) : []));
  return {
    source: result.name,
    key,
    unit: metricUnit(m.metric, m.aggregation.kind),
    better: m.better,
    base: result.base ? 'paired' : stored?.trials || storedSeries ? 'stored' : 'none',
    samples: { head: trialSamples(result.head.trials, m, tail), base }
  };
}

/**
 * The series a run writes (`results.series`): every compared key of each profile — its gated ones
 * (`compare:`, else the defaults) and the informational ones — with the sides it measured itself,
 * latency percentiles estimated as the profile's `tail` says.
 */
export function runSeries(profiles: readonly ProfileResult[], configs: readonly ProfileConfig[]): Series[] {
  return profiles.flatMap(p => {
    const config = configs.find(c => c.name === p.name);
    return comparedKeys(config).map(key => profileSeries(p, key, undefined, config?.tail));
  });
}

/** A trial's value of `m`: the `tail` estimate for latency percentiles, else as compare/metric-value.ts. */
function estimatedValue(t: TrialResult, m: CompareMetric, tail: TailEstimator): number | null {
  if (!usesTailEstimator(m, tail) || m.aggregation.kind !== 'percentile') return trialValue(t, m);
  const metrics = m.request === undefined ? t.metrics : t.requests[m.request];
  if (!metrics || metrics.responses === 0) return null;
  // A trial written without its histogram (hand-made results) keeps its HDR percentile.
  if (metrics.histogram === '') return trialValue(t, m);
  const { histogram, buckets } = decoded(metrics);
  return tailEstimateMs(histogram, m.aggregation.p, tail, buckets);
}

/** Decoded histograms by trial metrics: several keys (p90, p95, p99) and looks read the same trial. */
const cache = new WeakMap<RequestMetrics, { histogram: Histogram; buckets: Buckets }>();

function decoded(metrics: RequestMetrics): { histogram: Histogram; buckets: Buckets } {
  let entry = cache.get(metrics);
  if (!entry) {
    const histogram = decodeHistogram(metrics.histogram);
    entry = { histogram, buckets: histogramBuckets(histogram) };
    cache.set(metrics, entry);
  }
  return entry;
}

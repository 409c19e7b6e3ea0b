/**
 * The HTTP profile's adapter to the series model (SPEC §4): a compare key's per-trial values over
 * the valid trials of each side. The sample unit is one trial's summary (its p99, its rate), never
 * individual requests (SPEC §5).
 */
import type { ProfileConfig } from '../config/types.js';
import { compareMetric, comparedKeys, trialValue, type CompareMetric } from '../compare/metric-value.js';
import type { ProfileResult, TrialResult } from '../model.js';
import { metricUnit } from '../thresholds/metrics.js';
import { comparable, values, type Sample, type Series } from './series.js';

/** The samples of a compare metric over the valid trials of one side. */
export function trialSamples(trials: readonly TrialResult[], m: CompareMetric): Sample[] {
  return trials.flatMap(t => {
    const value = t.valid ? trialValue(t, m) : null;
    return comparable(value) ? [{ index: t.index, value }] : [];
  });
}

/** The values of a compare metric over the valid trials of one side, in the order measured. */
export function trialValues(trials: readonly TrialResult[], m: CompareMetric): number[] {
  return values(trialSamples(trials, m));
}

/**
 * The series of `key` for a profile: its base side when it has one (paired), else a stored
 * baseline's (unpaired) — its series of `key` when it stored one (schema 2), else made from its
 * trials (schema 1, or a key the baseline did not store) — else none.
 */
export function profileSeries(
  result: ProfileResult,
  key: string,
  stored?: { trials?: readonly TrialResult[]; series?: readonly Series[] }
): Series {
  const m = compareMetric(key);
  const storedSeries = stored?.series?.find(s => s.key === key);
  const base = result.base
    ? trialSamples(result.base.trials, m)
    : (storedSeries?.samples.head ?? (stored?.trials ? trialSamples(stored.trials, m) : []));
  return {
    source: result.name,
    key,
    unit: metricUnit(m.metric, m.aggregation.kind),
    better: m.better,
    base: result.base ? 'paired' : stored?.trials || storedSeries ? 'stored' : 'none',
    samples: { head: trialSamples(result.head.trials, m), base }
  };
}

/**
 * The series a run writes (`results.series`): every compared key of each profile — its gated ones
 * (`compare:`, else the defaults) and the informational ones — with the sides it measured itself.
 */
export function runSeries(profiles: readonly ProfileResult[], configs: readonly ProfileConfig[]): Series[] {
  return profiles.flatMap(p => {
    return comparedKeys(configs.find(c => c.name === p.name)).map(key => profileSeries(p, key));
  });
}

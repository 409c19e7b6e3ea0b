/**
 * The HTTP profile's adapter to the series model (SPEC §4): a compare key's per-trial values over
 * the valid trials of each side. The sample unit is one trial's summary (its p99, its rate), never
 * individual requests (SPEC §5).
 */
import { compareMetric, trialValue, type CompareMetric } from '../compare/metric-value.js';
import type { ProfileResult, TrialResult } from '../model.js';
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
 * The series of `key` for a profile: its base side when it has one (paired), else the trials of a
 * stored baseline (unpaired), else none.
 */
export function profileSeries(result: ProfileResult, key: string, stored?: readonly TrialResult[]): Series {
  const m = compareMetric(key);
  const baseTrials = result.base?.trials ?? stored;
  return {
    source: result.name,
    key,
    better: m.better,
    base: result.base ? 'paired' : stored ? 'stored' : 'none',
    samples: {
      head: trialSamples(result.head.trials, m),
      base: baseTrials ? trialSamples(baseTrials, m) : []
    }
  };
}

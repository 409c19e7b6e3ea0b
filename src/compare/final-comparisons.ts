/**
 * The gate's comparisons once every profile is measured. Without `trials: auto`, Holm runs over every
 * gated metric of the gate at once. With it, the profiles with fixed trials are adjusted together,
 * bounded over the whole gate as the looks are, and the auto profiles keep the verdicts of their
 * looks (compare/sequential.ts). Stress profiles have no steady state to compare.
 */
import type { ProfileConfig } from '../config/types.js';
import type { BaselineMatch } from './baseline-match.js';
import type { Comparison, ProfileResult } from '../model.js';
import type { AutoSampling } from './sequential.js';
import { compareProfiles, gatedMetricCount } from './verdicts.js';

export interface MeasuredProfile {
  config: ProfileConfig;
  result: ProfileResult;
  auto?: AutoSampling;
}

export function finalComparisons(
  profiles: MeasuredProfile[],
  match: BaselineMatch | undefined,
  alpha: number
): Comparison[] {
  const measured = profiles.filter(m => !m.config.stopOnBreak);
  const toCompare = (m: MeasuredProfile) => ({
    ...m,
    baseline: match?.trials.get(m.config.name),
    storedSeries: match?.series.get(m.config.name),
    history: match?.history.get(m.config.name)
  });
  if (!measured.some(m => m.auto)) return compareProfiles(measured.map(toCompare), { alpha });
  const familySize = measured.reduce((n, m) => n + gatedMetricCount(m.config), 0);
  const fixed = compareProfiles(measured.filter(m => !m.auto).map(toCompare), { alpha, familySize });
  return measured.flatMap(m => m.auto?.comparisons() ?? fixed.filter(c => c.profile === m.config.name));
}

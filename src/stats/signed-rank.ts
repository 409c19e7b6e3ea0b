/**
 * The Wilcoxon signed-rank test (Wilcoxon 1945; Hollander, Wolfe & Chicken, *Nonparametric
 * Statistical Methods*, 3rd ed., §3.1), as `scipy.stats.wilcoxon(d, alternative=…)` computes it with
 * its defaults in SciPy 1.17: `zero_method='wilcox'`, `correction=False`, `method='auto'`.
 * perfgate applies it to d = ln(head / base) per interleaved pair, testing a shift from 0.
 */
import { cached, type ExactDistribution, subsetSumDistribution } from './exact-distribution.js';
import { normalPValue } from './normal.js';
import { midRanks } from './ranks.js';
import type { Alternative, SignedRankResult } from './types.js';
import { checkAlternative, checkSample } from './validate.js';

/** Above this many values (zeros included) SciPy's `method='auto'` always uses the normal approximation. */
export const SIGNED_RANK_EXACT_MAX = 50;
/** Up to this many values, ties or zeros make SciPy enumerate all 2ⁿ sign flips (2¹³ < 9999 resamples). */
export const SIGNED_RANK_PERMUTATION_MAX = 13;

/**
 * Wilcoxon signed-rank test of "d is symmetric about 0" on one-sample differences `d`.
 *
 * - Zeros are dropped (`zero_method='wilcox'`); the remaining |d| get mid-ranks. `statistic` is W+,
 *   the rank sum of the positive d, for every alternative (SciPy reports min(W+, W−) when two-sided);
 *   `n` is the number of non-zero d.
 * - p-value, following SciPy 1.17's `method='auto'` (`scipy/stats/_wilcoxon.py`): with more than 50
 *   values (zeros counted) the normal approximation; else with no ties and no zeros the exact null
 *   distribution; else with at most 13 values the permutation distribution over all sign flips
 *   (exact given the ties; SciPy runs `permutation_test`, which enumerates them); else the normal
 *   approximation with the tie-corrected variance and no continuity correction. Both exact cases
 *   report `method: 'exact'`.
 * - If every d is 0, W+ = 0 and the p-value is 1 (SciPy returns NaN past 13 values): no evidence
 *   of a shift. One non-zero value gives p = 0.5 one-sided at best: a gate needs more pairs.
 *
 * @throws RangeError if `d` is empty or holds NaN or ±Infinity.
 */
export function wilcoxonSignedRank(
  d: readonly number[],
  alternative: Alternative = 'two-sided'
): SignedRankResult {
  checkSample('wilcoxonSignedRank', 'd', d);
  checkAlternative('wilcoxonSignedRank', alternative);
  const nonzero = d.filter(v => v !== 0);
  const n = nonzero.length;
  if (n === 0) return { statistic: 0, pValue: 1, method: 'exact', n: 0 };
  const { ranks, tieTerm } = midRanks(nonzero.map(Math.abs));
  const wPlus = ranks.reduce((sum, r, i) => (nonzero[i]! > 0 ? sum + r : sum), 0);
  const irregular = tieTerm > 0 || n < d.length;
  const exact = d.length <= SIGNED_RANK_EXACT_MAX && (!irregular || d.length <= SIGNED_RANK_PERMUTATION_MAX);
  if (!exact) {
    return {
      statistic: wPlus,
      pValue: normalSignedRankPValue(wPlus, n, tieTerm, alternative),
      method: 'normal',
      n
    };
  }
  // Doubled mid-ranks are integers, so one subset-sum distribution serves ties and no ties alike.
  const dist = irregular ? subsetSumDistribution(ranks.map(r => 2 * r)) : signedRankDistribution(n);
  return { statistic: wPlus, pValue: exactPValue(dist, 2 * wPlus, alternative), method: 'exact', n };
}

/** The exact null distribution of 2·W+ for n untied non-zero differences (memoized). */
export function signedRankDistribution(n: number): ExactDistribution {
  return cached(`signed-rank:${n}`, () =>
    subsetSumDistribution(Array.from({ length: n }, (_, i) => 2 * (i + 1)))
  );
}

/**
 * p-value of an observed statistic s from its exact, symmetric null distribution: P(S ≤ s) for
 * `'less'`, P(S ≥ s) for `'greater'`, and min(1, 2·min of the two) for `'two-sided'` — as SciPy's
 * exact branches of `wilcoxon` (and its `permutation_test`) compute it.
 */
export function exactPValue(
  dist: { cdf(k: number): number; sf(k: number): number },
  s: number,
  alternative: Alternative
): number {
  if (alternative === 'less') return dist.cdf(s);
  if (alternative === 'greater') return dist.sf(s);
  return Math.min(1, 2 * Math.min(dist.cdf(s), dist.sf(s)));
}

/**
 * Normal approximation of the signed-rank p-value without continuity correction (SciPy's
 * `correction=False`): z = (W+ − n(n+1)/4) / σ with σ² = [n(n+1)(2n+1) − Σ(t³ − t)/2] / 24, the
 * variance conditional on the tied mid-ranks (Hollander, Wolfe & Chicken §3.1, eq. 3.13).
 */
export function normalSignedRankPValue(
  wPlus: number,
  n: number,
  tieTerm: number,
  alternative: Alternative
): number {
  const mean = n * (n + 1) * 0.25;
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24);
  return normalPValue((wPlus - mean) / se, alternative);
}

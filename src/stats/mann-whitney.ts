/**
 * The Mann–Whitney U test (Mann & Whitney 1947; Wilcoxon rank-sum; Hollander, Wolfe & Chicken,
 * *Nonparametric Statistical Methods*, 3rd ed., §4.1), as `scipy.stats.mannwhitneyu(x, y,
 * alternative=…)` computes it with its defaults in SciPy 1.17: `method='auto'`, `use_continuity=True`.
 */
import { cached, mannWhitneyDistribution } from './exact-distribution.js';
import { phi } from './normal.js';
import { midRanks } from './ranks.js';
import type { Alternative, TestResult } from './types.js';
import { checkAlternative, checkSample } from './validate.js';

/** SciPy's `method='auto'` is exact when one sample has at most this many values (and no ties). */
export const MANN_WHITNEY_EXACT_MAX = 8;

/**
 * Mann–Whitney U test of "x and y come from the same distribution" against a shift of x
 * (`'greater'`: x tends to be larger than y).
 *
 * - `statistic` is U of x: the number of pairs with xᵢ > yⱼ, ties counting ½ (R₁ − m(m+1)/2 with
 *   mid-ranks R of the pooled sample).
 * - p-value, following SciPy 1.17's `_mwu_choose_method`: exact when the smaller sample has at most
 *   8 values and the pooled sample has no ties; otherwise the normal approximation with the
 *   tie-corrected variance and a continuity correction of ½. If all values are equal the p-value is 1.
 *
 * @throws RangeError if a sample is empty or holds NaN or ±Infinity.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided'
): TestResult {
  checkSample('mannWhitneyU', 'x', x);
  checkSample('mannWhitneyU', 'y', y);
  checkAlternative('mannWhitneyU', alternative);
  const m = x.length;
  const n = y.length;
  const { ranks, tieTerm } = midRanks([...x, ...y]);
  const r1 = ranks.slice(0, m).reduce((a, b) => a + b, 0);
  const u1 = r1 - (m * (m + 1)) / 2;
  const exact = Math.min(m, n) <= MANN_WHITNEY_EXACT_MAX && tieTerm === 0;
  return {
    statistic: u1,
    pValue: mannWhitneyPValue(u1, m, n, alternative, exact ? 'exact' : tieTerm),
    method: exact ? 'exact' : 'normal'
  };
}

/**
 * p-value of U of x, as SciPy computes it: U = U₁ for `'greater'`, U₂ = mn − U₁ for `'less'`,
 * max(U₁, U₂) for `'two-sided'` (doubled), each from the upper tail P(U ≥ u).
 * `null` is `'exact'` for the exact distribution, or the pooled tie term Σ(t³ − t) for the normal
 * approximation z = (u − mn/2 − ½) / σ, σ² = mn/12 · [(N + 1) − Σ(t³ − t) / (N(N − 1))], N = m + n.
 */
export function mannWhitneyPValue(
  u1: number,
  m: number,
  n: number,
  alternative: Alternative,
  nullDistribution: 'exact' | number
): number {
  const u2 = m * n - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;
  let upperTail: number;
  if (nullDistribution === 'exact') {
    const key = `mann-whitney:${Math.min(m, n)}:${Math.max(m, n)}`;
    upperTail = cached(key, () => mannWhitneyDistribution(m, n)).sf(u);
  } else {
    const total = m + n;
    const sigma = Math.sqrt(((m * n) / 12) * (total + 1 - nullDistribution / (total * (total - 1))));
    // σ = 0 only when every value is tied: no evidence either way.
    upperTail = sigma === 0 ? 1 : phi(-(u - (m * n) / 2 - 0.5) / sigma);
  }
  return Math.min(1, factor * upperTail);
}

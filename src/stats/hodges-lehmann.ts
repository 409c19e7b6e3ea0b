/**
 * The one-sample Hodges–Lehmann estimator and its distribution-free confidence interval (Hodges &
 * Lehmann 1963, Ann. Math. Statist. 34; Hollander, Wolfe & Chicken, *Nonparametric Statistical
 * Methods*, 3rd ed., §3.2–3.3). This is the location estimate and interval that R's
 * `wilcox.test(d, conf.int = TRUE)` reports; SciPy has neither, so the reference values in
 * `test/fixtures/stats/hodges-lehmann.json` come from inverting `scipy.stats.wilcoxon` by brute force.
 */
import { medianSorted } from 'simple-statistics';
import { invertCountTest } from './invert.js';
import { tieTerm } from './ranks.js';
import {
  exactPValue,
  normalSignedRankPValue,
  SIGNED_RANK_EXACT_MAX,
  signedRankDistribution
} from './signed-rank.js';
import type { Alternative, Interval } from './types.js';
import { checkAlternative, checkLevel, checkSample } from './validate.js';

/**
 * The n(n+1)/2 Walsh averages (dᵢ + dⱼ)/2, i ≤ j, sorted ascending. O(n²) memory: fine for the
 * tens to hundreds of trials a gate runs.
 */
export function walshAverages(d: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) {
    for (let j = i; j < d.length; j++) out.push((d[i]! + d[j]!) / 2);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Hodges–Lehmann estimate of the centre of d: the median of the Walsh averages. It is the shift θ
 * at which the signed-rank statistic of d − θ is balanced, so it agrees with the Wilcoxon test;
 * zeros in d are ordinary values here.
 *
 * @throws RangeError if `d` is empty or holds NaN or ±Infinity.
 */
export function hodgesLehmann(d: readonly number[]): number {
  checkSample('hodgesLehmann', 'd', d);
  return medianSorted(walshAverages(d));
}

/**
 * Distribution-free confidence interval for the centre of d, from the Walsh averages: the set of
 * shifts θ that the signed-rank test of d − θ does not reject at 1 − `level` (`alternative` as in
 * the test: `'greater'` gives a lower bound, `'less'` an upper bound). Its ends are order statistics
 * of the Walsh averages.
 *
 * - No tied values and n ≤ 50: the order statistics come from the exact signed-rank distribution —
 *   the interval of Hollander, Wolfe & Chicken §3.3 and of R's exact `wilcox.test`, except that
 *   when P(T ≤ c) equals α/2 exactly R keeps c and this excludes it (p > α strictly).
 * - Otherwise: the normal approximation of the test, as `wilcoxon(method='asymptotic')` (no
 *   continuity correction) with the variance corrected for tied values of d. With ties SciPy's
 *   auto rule would run a permutation test, whose conditional null changes with θ; the normal
 *   approximation keeps one rule for all θ. R drops zeros of d before its interval; here they
 *   count as values, because no difference d − θ is zero at a θ between Walsh averages.
 * - A sample too small for the level (n < 6 at 0.95 two-sided) gives ±Infinity ends.
 *
 * @param level confidence level in [0.5, 1), default 0.95.
 * @throws RangeError if `d` is empty or not finite, or `level` is outside [0.5, 1).
 */
export function hodgesLehmannInterval(
  d: readonly number[],
  level = 0.95,
  alternative: Alternative = 'two-sided'
): Interval {
  checkSample('hodgesLehmannInterval', 'd', d);
  checkLevel('hodgesLehmannInterval', level, 0.5);
  checkAlternative('hodgesLehmannInterval', alternative);
  const n = d.length;
  const ties = tieTerm(d);
  const pValue =
    n <= SIGNED_RANK_EXACT_MAX && ties === 0
      ? (above: number, alt: Alternative) => exactPValue(signedRankDistribution(n), 2 * above, alt)
      : (above: number, alt: Alternative) => normalSignedRankPValue(above, n, ties, alt);
  return invertCountTest(walshAverages(d), level, alternative, pValue);
}

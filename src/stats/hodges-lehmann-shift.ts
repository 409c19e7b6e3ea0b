/**
 * The two-sample Hodges–Lehmann shift estimator and its distribution-free confidence interval
 * (Hodges & Lehmann 1963; Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods*, 3rd ed.,
 * §4.2–4.3), what R's `wilcox.test(x, y, conf.int = TRUE)` reports. SciPy has neither: the reference
 * values come from inverting `scipy.stats.mannwhitneyu` by brute force (`scripts/stats-fixtures.py`).
 */
import { medianSorted } from 'simple-statistics';
import { invertCountTest } from './invert.js';
import { MANN_WHITNEY_EXACT_MAX, mannWhitneyPValue } from './mann-whitney.js';
import { tieTerm } from './ranks.js';
import type { Alternative, Interval } from './types.js';
import { checkAlternative, checkLevel, checkSample } from './validate.js';

/** All m·n differences xᵢ − yⱼ, sorted ascending. */
export function pairwiseDifferences(x: readonly number[], y: readonly number[]): number[] {
  const out: number[] = [];
  for (const a of x) for (const b of y) out.push(a - b);
  return out.sort((a, b) => a - b);
}

/**
 * Hodges–Lehmann estimate of the shift of x relative to y: the median of all xᵢ − yⱼ, the shift at
 * which the Mann–Whitney U of x − θ against y is balanced.
 *
 * @throws RangeError if a sample is empty or holds NaN or ±Infinity.
 */
export function hodgesLehmannShift(x: readonly number[], y: readonly number[]): number {
  checkSample('hodgesLehmannShift', 'x', x);
  checkSample('hodgesLehmannShift', 'y', y);
  return medianSorted(pairwiseDifferences(x, y));
}

/**
 * Distribution-free confidence interval for the shift of x relative to y: the shifts θ that the
 * Mann–Whitney test of x − θ against y does not reject at 1 − `level` (`'greater'` gives a lower
 * bound, `'less'` an upper bound). Its ends are order statistics of the pairwise differences.
 *
 * The test inverted is the one SciPy's `method='auto'` chooses for x − θ at a θ between
 * differences, where values tie only within a sample: exact when the smaller sample has at most 8
 * values and neither sample has tied values; otherwise the normal approximation with continuity
 * correction and the variance corrected for the ties within each sample. (R's exact interval covers
 * samples below 50; with the normal approximation R interpolates with `uniroot`, this does not.)
 * Samples too small for the level (e.g. 3 vs 3 at 0.95) give ±Infinity ends.
 *
 * @param level confidence level in [0.5, 1), default 0.95.
 * @throws RangeError if a sample is empty or not finite, or `level` is outside [0.5, 1).
 */
export function hodgesLehmannShiftInterval(
  x: readonly number[],
  y: readonly number[],
  level = 0.95,
  alternative: Alternative = 'two-sided'
): Interval {
  checkSample('hodgesLehmannShiftInterval', 'x', x);
  checkSample('hodgesLehmannShiftInterval', 'y', y);
  checkLevel('hodgesLehmannShiftInterval', level, 0.5);
  checkAlternative('hodgesLehmannShiftInterval', alternative);
  const ties = tieTerm(x) + tieTerm(y);
  const exact = Math.min(x.length, y.length) <= MANN_WHITNEY_EXACT_MAX && ties === 0;
  const nullDistribution = exact ? 'exact' : ties;
  return invertCountTest(pairwiseDifferences(x, y), level, alternative, (above, alt) =>
    mannWhitneyPValue(above, x.length, y.length, alt, nullDistribution)
  );
}

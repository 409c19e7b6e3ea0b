/**
 * Confidence intervals by inverting a rank test, the construction behind the Hodges–Lehmann
 * intervals (Hodges & Lehmann 1963; Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods*,
 * 3rd ed., §3.3 and §4.3; Bauer 1972, JASA 67, "Constructing confidence sets using rank statistics").
 */
import type { Alternative, Interval } from './types.js';

/**
 * The p-value of the test for a shift θ when `above` of the candidates (Walsh averages or pairwise
 * differences) lie above θ: the signed-rank W+ and the Mann–Whitney U of x − θ equal that count
 * (Tukey's identity), so the p-value is a step function of θ that changes only at candidates.
 */
export type CountPValue = (above: number, alternative: Alternative) => number;

/**
 * The closure of {θ : p(θ) > 1 − level}, from the sorted candidates. In the gap between the j-th and
 * (j+1)-th smallest candidates (j = 0..M) the count above θ is M − j, so the interval runs from the
 * candidate that opens the first accepted gap to the one that closes the last — order statistics,
 * never interpolated. Because p(θ) rises towards the centre and falls after it, the ends are found by
 * binary search. An end no gap excludes is ±Infinity. If ties put the centre inside a block of equal
 * candidates v, the result is [v, v]. `level` must be ≥ 0.5, which keeps the centre accepted.
 */
export function invertCountTest(
  sorted: readonly number[],
  level: number,
  alternative: Alternative,
  pValue: CountPValue
): Interval {
  const m = sorted.length;
  const alpha = 1 - level;
  const accepted = (j: number): boolean => pValue(m - j, alternative) > alpha;
  let lower = -Infinity;
  let upper = Infinity;
  if (alternative !== 'less') {
    // 'greater' accepts every gap above its bound; two-sided only up to the centre.
    const j = firstTrue(0, alternative === 'greater' ? m : Math.floor(m / 2), accepted);
    if (j > 0) lower = sorted[j - 1]!;
  }
  if (alternative !== 'greater') {
    const j = lastTrue(alternative === 'less' ? 0 : Math.ceil(m / 2), m, j => accepted(j));
    if (j < m) upper = sorted[j]!;
  }
  return { lower, upper, level };
}

/** Smallest j in [lo, hi] with pred(j), for pred false…false true…true and pred(hi) true. */
function firstTrue(lo: number, hi: number, pred: (j: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Largest j in [lo, hi] with pred(j), for pred true…true false…false and pred(lo) true. */
function lastTrue(lo: number, hi: number, pred: (j: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pred(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The tail mean: the mean of the slowest share (1 − q) of a sample — for q = 0.99 the slowest 1 %
 * of a trial's requests. It is the expected shortfall (conditional value at risk) of finance,
 * (1 / (1 − q)) ∫_q^1 F⁻¹(u) du, on the empirical distribution: the top n(1 − q) order statistics,
 * the one at the boundary counted by its fraction. A candidate per-trial tail summary with less
 * variance than the plain p99, which moves with a single order statistic.
 */
import type { Buckets } from './histogram.js';

/**
 * Mean of the slowest n(1 − q) values of grouped data (`value[k]` held `count[k]` times, ascending),
 * the boundary group by its fraction; when n(1 − q) < 1 (or q = 1) the largest value. NaN for an
 * empty sample.
 */
export function tailMeanGrouped(value: ArrayLike<number>, count: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`tailMean: q must be in [0, 1], got ${String(q)}`);
  let n = 0;
  for (let i = 0; i < count.length; i++) n += count[i]!;
  if (n === 0) return NaN;
  // Largest value when the tail holds less than one value: the limit of the definition.
  let left = Math.max(n * (1 - q), Math.min(1, n));
  const mass = left;
  let sum = 0;
  for (let i = value.length - 1; i >= 0 && left > 0; i--) {
    const take = Math.min(count[i]!, left);
    sum += take * value[i]!;
    left -= take;
  }
  return sum / mass;
}

/** Tail mean of raw values sorted ascending. */
export function tailMeanSorted(sorted: readonly number[], q: number): number {
  return tailMeanGrouped(
    sorted,
    sorted.map(() => 1),
    q
  );
}

/** Tail mean from a histogram's buckets, each bucket's values at its midpoint. µs; NaN when empty. */
export function tailMeanBuckets(b: Buckets, q: number): number {
  const mid = b.low.map((low, i) => (low + b.high[i]!) / 2);
  return tailMeanGrouped(mid, b.count, q);
}

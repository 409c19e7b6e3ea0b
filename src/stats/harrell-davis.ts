/**
 * The Harrell–Davis quantile estimator (Harrell & Davis 1982, Biometrika 69, "A new
 * distribution-free quantile estimator"): the estimate of quantile q is a weighted mean of all the
 * order statistics, X(i) weighted by the mass that Beta((n+1)q, (n+1)(1−q)) puts on ((i−1)/n, i/n].
 * It averages the neighbours of the plain order statistic instead of picking one, which lowers the
 * variance of tail quantiles of small and medium samples; for large n its weights concentrate on
 * the ranks near q·n and it converges to the plain quantile. Same definition as SciPy's
 * `scipy.stats.mstats.hdquantiles` (checked against it: scripts/hd-fixtures.py).
 *
 * On a histogram the order statistics of one bucket share its value, so a bucket covering ranks
 * (c₀, c₁] weighs I(c₁/n) − I(c₀/n), I the regularized incomplete beta function.
 *
 * Numerics: I comes from @stdlib's `betainc`, a port of Boost's `ibeta` (series, continued
 * fractions and the large-parameter expansions), which agrees with SciPy's `betainc` to about
 * 1e-10 relative for n from 10 to 1e8 at q = 0.99 (measured). No normal approximation is needed:
 * the Beta of a large n is very concentrated, so only the buckets whose ranks lie where it has mass
 * are evaluated — found by bisection on the cumulative counts, cutting where the lower or upper tail
 * mass falls under 1e-30 — and the weights are differences of the lower tail below the Beta's mean
 * and of the upper tail above it, so no weight is lost in 1 − (1 − w) cancellation.
 */
import betainc from '@stdlib/math-base-special-betainc';
import type { Buckets } from './histogram.js';

/** Tail mass left out at each end of the Beta: far below any weight that could move an estimate. */
const NEGLIGIBLE = 1e-30;

/**
 * Harrell–Davis estimate of quantile `q` (0..1) of grouped order statistics: `value[k]` held by the
 * ranks (cum[k−1], cum[k]] (cum[−1] = 0), ascending; n = the last `cum`. q = 0 and q = 1 (where
 * the Beta degenerates) give the smallest and the largest value; an empty sample gives NaN.
 */
export function harrellDavisGrouped(value: ArrayLike<number>, cum: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`harrellDavis: q must be in [0, 1], got ${String(q)}`);
  const k = value.length;
  if (k === 0) return NaN;
  if (q === 0) return value[0]!;
  if (q === 1 || k === 1) return value[k - 1]!;
  const n = cum[k - 1]!;
  const a = (n + 1) * q;
  const b = (n + 1) * (1 - q);
  const mean = a / (a + b);
  // Each rank boundary ends one group and starts the next: compute its tail once.
  const lowerTail = memo((x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : betainc(x, a, b, true, false)));
  const upperTail = memo((x: number) => (x <= 0 ? 1 : x >= 1 ? 0 : betainc(x, a, b, true, true)));
  const start = (i: number) => (i === 0 ? 0 : cum[i - 1]!) / n;
  // First group with mass: the lowest i whose upper rank end still has lower-tail mass ≥ NEGLIGIBLE.
  const first = bisect(0, k - 1, i => cum[i]! / n >= mean || lowerTail(cum[i]! / n) >= NEGLIGIBLE);
  // Last group with mass: the highest i whose lower rank end has upper-tail mass ≥ NEGLIGIBLE.
  const last = bisect(first, k - 1, i => start(i) > mean && upperTail(start(i)) < NEGLIGIBLE) - 1;
  let sum = 0;
  let weights = 0;
  const stop = Math.max(first, Math.min(last, k - 1));
  for (let i = first; i <= stop; i++) {
    const w = mass(start(i), cum[i]! / n, mean, lowerTail, upperTail);
    sum += w * value[i]!;
    weights += w;
  }
  return sum / weights;
}

/** Harrell–Davis estimate of quantile `q` (0..1) of raw values sorted ascending. */
export function harrellDavisSorted(sorted: readonly number[], q: number): number {
  return harrellDavisGrouped(
    sorted,
    sorted.map((_, i) => i + 1),
    q
  );
}

/**
 * Harrell–Davis estimate of quantile `q` (0..1) from a histogram's buckets, each bucket's values
 * standing at its midpoint (exact below 2.048 ms where a bucket is one microsecond wide, within
 * 0.05 % above). µs, as the buckets; NaN for an empty histogram.
 */
export function harrellDavisBuckets(b: Buckets, q: number): number {
  const mid = new Float64Array(b.count.length);
  const cum = new Float64Array(b.count.length);
  let c = 0;
  for (let i = 0; i < b.count.length; i++) {
    mid[i] = (b.low[i]! + b.high[i]!) / 2;
    c += b.count[i]!;
    cum[i] = c;
  }
  return harrellDavisGrouped(mid, cum, q);
}

/** The Beta's mass on (x0, x1], from whichever tail keeps it precise. */
function mass(
  x0: number,
  x1: number,
  mean: number,
  lowerTail: (x: number) => number,
  upperTail: (x: number) => number
): number {
  if (x1 <= mean) return lowerTail(x1) - lowerTail(x0);
  if (x0 >= mean) return upperTail(x0) - upperTail(x1);
  return 1 - lowerTail(x0) - upperTail(x1);
}

/** The smallest i in [lo, hi] where the monotone `pred` holds, or hi + 1 when it holds nowhere. */
function bisect(lo: number, hi: number, pred: (i: number) => boolean): number {
  let l = lo;
  let h = hi + 1;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (pred(m)) h = m;
    else l = m + 1;
  }
  return l;
}

function memo(f: (x: number) => number): (x: number) => number {
  const seen = new Map<number, number>();
  return x => {
    let v = seen.get(x);
    if (v === undefined) {
      v = f(x);
      seen.set(x, v);
    }
    return v;
  };
}

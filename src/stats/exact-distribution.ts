/**
 * Exact null distributions of the rank statistics, held as exact integer counts (BigInt) so that
 * tail probabilities keep full precision where a sum of floating-point probabilities would not.
 */

/** A distribution on the integers 0..max, from the number of equally likely outcomes at each value. */
export class ExactDistribution {
  private readonly cumulative: bigint[];
  private readonly total: bigint;

  constructor(counts: readonly bigint[]) {
    let running = 0n;
    this.cumulative = counts.map(c => (running += c));
    this.total = running;
  }

  /** P(S ≤ k). */
  cdf(k: number): number {
    if (k < 0) return 0;
    if (k >= this.cumulative.length - 1) return 1;
    return Number(this.cumulative[Math.floor(k)]!) / Number(this.total);
  }

  /** P(S ≥ k); like SciPy's `sf` for these statistics it includes the mass at k. */
  sf(k: number): number {
    if (k <= 0) return 1;
    if (k > this.cumulative.length - 1) return 0;
    return Number(this.total - this.cumulative[Math.ceil(k) - 1]!) / Number(this.total);
  }
}

/**
 * Null distribution of Σ_{i∈A} wᵢ over all 2ⁿ subsets A, for non-negative integer weights: the
 * signed-rank statistic when each rank (here doubled, so mid-ranks are integers) is positive with
 * probability ½ independently. With weights 2·(1..n) it is the exact Wilcoxon distribution
 * (SciPy's `_get_wilcoxon_distr`); with tied mid-ranks it is the permutation distribution that
 * `scipy.stats.wilcoxon` enumerates over all sign flips for n ≤ 13.
 */
export function subsetSumDistribution(weights: readonly number[]): ExactDistribution {
  const max = weights.reduce((a, b) => a + b, 0);
  const counts = new Array<bigint>(max + 1).fill(0n);
  counts[0] = 1n;
  let reach = 0;
  for (const w of weights) {
    // Downwards, so that each weight is used at most once (0/1 knapsack).
    for (let s = reach; s >= 0; s--) counts[s + w]! += counts[s]!;
    reach += w;
  }
  return new ExactDistribution(counts);
}

/**
 * Null distribution of the Mann–Whitney U for samples of sizes m and n without ties: U counts the
 * (i, j) with xᵢ > yⱼ, and its generating function is the Gaussian binomial coefficient
 * [m+n choose m]_q = ∏_{i=1..m} (1 − q^{n+i}) / (1 − q^i) (Mann & Whitney 1947; Andrews,
 * *The Theory of Partitions*, ch. 3). Each factor is applied exactly in BigInt: multiplying by
 * (1 − q^{n+i}), then dividing by (1 − q^i) as a running sum. Matches SciPy's `_MWU` distribution.
 */
export function mannWhitneyDistribution(m: number, n: number): ExactDistribution {
  const [small, large] = m <= n ? [m, n] : [n, m];
  const max = small * large;
  const c = new Array<bigint>(max + 1).fill(0n);
  c[0] = 1n;
  for (let i = 1; i <= small; i++) {
    for (let k = max; k >= large + i; k--) c[k]! -= c[k - large - i]!;
    for (let k = i; k <= max; k++) c[k]! += c[k - i]!;
  }
  return new ExactDistribution(c);
}

const cache = new Map<string, ExactDistribution>();

/** Memoizes a distribution by key: the same sizes recur for every metric of a gate. */
export function cached(key: string, build: () => ExactDistribution): ExactDistribution {
  let d = cache.get(key);
  if (!d) {
    if (cache.size >= 256) cache.clear();
    d = build();
    cache.set(key, d);
  }
  return d;
}

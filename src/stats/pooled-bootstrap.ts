/**
 * A cluster (pair) bootstrap interval for the relative change of a pooled percentile: each side's
 * trial histograms are merged (pooled) and the head's percentile is divided by the base's. The
 * requests of one trial are correlated and so are the two trials of a pair (they ran side by side,
 * under the same noise), so the resampling unit is the pair: draw n pairs with replacement, merge
 * each side's drawn histograms, take the ratio; the interval is the percentile interval of the
 * replicate ratios (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", §13.3; resampling
 * clusters: Davison & Hinkley 1997, "Bootstrap Methods and their Application", §3.8).
 *
 * The pooled percentile follows HdrHistogram's convention exactly (the highest value equivalent to
 * the bucket where the cumulative count reaches ⌈p/100 · n⌉), so the point estimate is the ratio of
 * the percentiles a merged histogram reports. Replicates only walk the buckets above the
 * percentile, from the top, so one replicate costs about (pairs × tail buckets), not a merge.
 *
 * Deterministic: the draws come from a seeded generator (mulberry32), so a run is reproducible.
 */
import { quantileSorted } from 'simple-statistics';
import type { Buckets } from './histogram.js';
import { checkLevel } from './validate.js';
import { seededRandom } from './random.js';

/**
 * Default replicates. The ends of a 95 % percentile interval are the 2.5 % and 97.5 % points of the
 * replicates; with B = 2000 the Monte Carlo standard error of each is √(0.025 · 0.975 / 2000) ≈ 0.35
 * percentage points of probability (the end lies between about the 1.8 % and 3.2 % points, 2 SE),
 * small beside the sampling error of 10 pairs. Efron & Tibshirani (§19.3) ask for B ≥ 1000 for
 * percentile intervals; 2000 costs milliseconds here (a replicate walks only the tail buckets).
 */
export const DEFAULT_BOOTSTRAP_REPLICATES = 2000;

/** One pair of trials: the histogram buckets of its base and of its head trial. */
export interface HistogramPair {
  base: Buckets;
  head: Buckets;
}

export interface PooledBootstrapOptions {
  /** The percentile compared, 0 < p ≤ 100 (99 for p99). */
  p: number;
  /** Confidence level of the two-sided interval. Default 0.95. */
  level?: number;
  /** Replicates. Default `DEFAULT_BOOTSTRAP_REPLICATES`. */
  replicates?: number;
  /** Seed of the generator (any 32-bit integer). Default 1. */
  seed?: number;
}

export interface PooledRatio {
  /** Pooled head percentile / pooled base percentile, over all pairs. */
  ratio: number;
  /** Percentile bootstrap interval of the ratio, [lower, upper]. */
  interval: [number, number];
  /** The pooled percentiles (µs, as the buckets). */
  base: number;
  head: number;
  replicates: number;
}

/**
 * The ratio of the pooled percentile `p` of the heads over the bases, with a cluster-bootstrap
 * percentile interval resampling whole pairs. Needs at least 2 pairs, each side non-empty.
 */
export function pooledPercentileRatio(
  pairs: readonly HistogramPair[],
  opts: PooledBootstrapOptions
): PooledRatio {
  const level = opts.level ?? 0.95;
  const B = opts.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  checkLevel('pooledPercentileRatio', level, 0, false);
  if (!(opts.p > 0 && opts.p <= 100)) {
    throw new RangeError(`pooledPercentileRatio: p must be in (0, 100], got ${String(opts.p)}`);
  }
  if (!Number.isInteger(B) || B < 1) {
    throw new RangeError(`pooledPercentileRatio: replicates must be a positive integer, got ${String(B)}`);
  }
  if (pairs.length < 2) {
    throw new RangeError(`pooledPercentileRatio: needs at least 2 pairs, got ${pairs.length}`);
  }
  if (pairs.some(pr => pr.base.total === 0 || pr.head.total === 0)) {
    throw new RangeError('pooledPercentileRatio: every trial needs at least one recorded value');
  }
  const base = new Pool(pairs.map(pr => pr.base));
  const head = new Pool(pairs.map(pr => pr.head));
  const all = new Float64Array(pairs.length).fill(1);
  const b0 = base.percentile(all, opts.p);
  const h0 = head.percentile(all, opts.p);

  const random = seededRandom(opts.seed ?? 1);
  const n = pairs.length;
  const weights = new Float64Array(n);
  const ratios = new Float64Array(B);
  for (let r = 0; r < B; r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[Math.floor(random() * n)]! += 1;
    ratios[r] = head.percentile(weights, opts.p) / base.percentile(weights, opts.p);
  }
  const sorted = Array.from(ratios).sort((x, y) => x - y);
  const alpha = 1 - level;
  return {
    ratio: h0 / b0,
    interval: [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)],
    base: b0,
    head: h0,
    replicates: B
  };
}

/**
 * The pooled percentile of `p` over trial histograms, each trial weighted by an integer multiplicity
 * (how often the bootstrap drew it), as if the drawn histograms had been merged. Exported for tests.
 */
export function pooledPercentile(trials: readonly Buckets[], weights: ArrayLike<number>, p: number): number {
  return new Pool(trials).percentile(weights, p);
}

/** The trials of one side on the union of their buckets, ascending, counts per trial. */
class Pool {
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  /** counts[t][u]: trial t's count in union bucket u. */
  private readonly counts: Float64Array[];
  private readonly totals: Float64Array;

  constructor(trials: readonly Buckets[]) {
    const index = new Map<number, number>();
    const lows = [...new Set(trials.flatMap(t => Array.from(t.low)))].sort((x, y) => x - y);
    lows.forEach((v, i) => index.set(v, i));
    this.low = Float64Array.from(lows);
    this.high = new Float64Array(lows.length);
    this.counts = trials.map(t => {
      const c = new Float64Array(lows.length);
      t.low.forEach((v, j) => {
        const u = index.get(v)!;
        c[u] = t.count[j]!;
        this.high[u] = t.high[j]!;
      });
      return c;
    });
    this.totals = Float64Array.from(trials.map(t => t.total));
  }

  /** HdrHistogram's `getValueAtPercentile` of the weighted merge, walking down from the top bucket. */
  percentile(weights: ArrayLike<number>, p: number): number {
    const active: number[] = [];
    let total = 0;
    for (let t = 0; t < this.counts.length; t++) {
      if (weights[t]! > 0) {
        active.push(t);
        total += weights[t]! * this.totals[t]!;
      }
    }
    const fp = (Math.min(p, 100) / 100) * total;
    const rank = Math.max(Math.ceil(fp - ulp(fp)), 1);
    // Walk down: `below` is the cumulative count up to and including bucket u.
    let below = total;
    for (let u = this.low.length - 1; u >= 0; u--) {
      let c = 0;
      for (const t of active) c += weights[t]! * this.counts[t]![u]!;
      if (c > 0 && below - c < rank) return this.high[u]!;
      below -= c;
    }
    return this.high[0]!;
  }
}

/** HdrHistogram's unit in the last place (hdr-histogram-js `ulp.ts`), for the same rank rounding. */
function ulp(x: number): number {
  return x > 0 ? Math.pow(2, Math.floor(Math.log2(x)) - 52) : 0;
}

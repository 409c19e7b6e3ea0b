/**
 * The per-trial estimate of a latency percentile that comparisons use (`statistics.tail`): the HDR
 * histogram's own percentile (today's default, the value thresholds and reports show), the
 * Harrell–Davis estimate on the histogram (stats/harrell-davis.ts), or the mean of the slowest
 * (100 − p) % of the trial (stats/tail-mean.ts). The two candidates trade a little bias for less
 * trial-to-trial variance in p99; bench/gate-accuracy.mjs measures which one settles gates sooner.
 */
import { harrellDavisBuckets } from './harrell-davis.js';
import { histogramBuckets, percentileMs, type Buckets, type Histogram } from './histogram.js';
import { tailMeanBuckets } from './tail-mean.js';

/** The estimators `statistics.tail` may name. */
export const TAIL_ESTIMATORS = ['hdr', 'harrell-davis', 'tail-mean'] as const;
export type TailEstimator = (typeof TAIL_ESTIMATORS)[number];

/** Today's estimator: the HDR percentile (highest value equivalent to the bucket of rank ⌈p·n⌉). */
export const DEFAULT_TAIL_ESTIMATOR: TailEstimator = 'hdr';

/**
 * The estimate of percentile `p` (0..100) of a histogram in milliseconds; 0 for an empty histogram,
 * as `percentileMs`. `buckets` may be passed when the caller already has them (several percentiles
 * of one trial).
 */
export function tailEstimateMs(h: Histogram, p: number, estimator: TailEstimator, buckets?: Buckets): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`tailEstimateMs: p must be in [0, 100], got ${String(p)}`);
  if (h.totalCount === 0) return 0;
  if (estimator === 'hdr') return percentileMs(h, p);
  const b = buckets ?? histogramBuckets(h);
  const us = estimator === 'harrell-davis' ? harrellDavisBuckets(b, p / 100) : tailMeanBuckets(b, p / 100);
  return us / 1000;
}

/**
 * The per-trial estimate of a latency percentile that comparisons use (`statistics.tail`): the
 * Harrell–Davis estimate on the histogram (stats/harrell-davis.ts, the default), the HDR histogram's
 * own percentile (the value thresholds and reports show), or the mean of the slowest (100 − p) % of
 * the trial (stats/tail-mean.ts). Harrell–Davis trades a little bias for less trial-to-trial variance
 * in p99: on the same 50 A/A gates of 10 pairs (bench/gate-candidates.mjs, issue 15) it left p99
 * conclusive in 94 % of them against 82 % for the HDR percentile and 78 % for the tail mean, with a
 * narrower interval (±4.2 % against ±4.9 % and ±5.8 %), and caught every +20 % change as the others.
 */
import { harrellDavisBuckets } from './harrell-davis.js';
import { histogramBuckets, percentileMs, type Buckets, type Histogram } from './histogram.js';
import { tailMeanBuckets } from './tail-mean.js';

/** The estimators `statistics.tail` may name. */
export const TAIL_ESTIMATORS = ['hdr', 'harrell-davis', 'tail-mean'] as const;
export type TailEstimator = (typeof TAIL_ESTIMATORS)[number];

/** The estimator unless `statistics.tail` says otherwise (measured above). */
export const DEFAULT_TAIL_ESTIMATOR: TailEstimator = 'harrell-davis';

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

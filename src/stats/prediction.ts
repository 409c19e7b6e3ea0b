/**
 * The prediction interval for one new observation of a normal population from a sample of it
 * (Hahn & Meeker, "Statistical Intervals", 1991, §4.6; NIST/SEMATECH e-Handbook §7.2.6.3): with the
 * mean x̄ and the sample standard deviation s (ddof = 1) of n values, the next value lies in
 * x̄ ± t(n − 1, (1 + level) / 2) · s · √(1 + 1/n) with probability `level`. perfgate uses it on the
 * log values of a metric over stored runs: how far the next run may land from them by run-to-run
 * variation alone (SPEC §5, unpaired comparison). Student's t quantile comes from @stdlib.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { checkLevel, checkSample } from './validate.js';

export interface PredictionInterval {
  mean: number;
  /** t · s · √(1 + 1/n): the interval is mean ± halfWidth. */
  halfWidth: number;
  lower: number;
  upper: number;
}

/**
 * @param level probability that the new value lies in the interval, in (0, 1); default 0.95.
 * @throws RangeError if `x` has fewer than 2 values or holds NaN or ±Infinity, or `level` is outside (0, 1).
 */
export function predictionInterval(x: readonly number[], level = 0.95): PredictionInterval {
  checkSample('predictionInterval', 'x', x, 2);
  checkLevel('predictionInterval', level, 0, false);
  const n = x.length;
  const m = mean([...x]);
  const halfWidth =
    tQuantile((1 + level) / 2, n - 1) * sampleStandardDeviation([...x]) * Math.sqrt(1 + 1 / n);
  return { mean: m, halfWidth, lower: m - halfWidth, upper: m + halfWidth };
}

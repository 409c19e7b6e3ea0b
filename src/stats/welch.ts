/**
 * Welch's unequal-variances t-test (Welch 1947, Biometrika 34; Satterthwaite 1946), as
 * `scipy.stats.ttest_ind(x, y, equal_var=False, alternative=…)` and its `.confidence_interval()`
 * compute it. Student's t distribution comes from @stdlib.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleVariance } from 'simple-statistics';
import type { Alternative, Interval, WelchResult } from './types.js';
import { checkAlternative, checkLevel, checkSample } from './validate.js';

/**
 * Welch's t-test of equal means without assuming equal variances, with the confidence interval of
 * the difference mean(x) − mean(y).
 *
 * t = (x̄ − ȳ) / se with se² = s²ₓ/m + s²ᵧ/n (sample variances, ddof = 1); the degrees of freedom are
 * Welch–Satterthwaite's df = se⁴ / [(s²ₓ/m)²/(m − 1) + (s²ᵧ/n)²/(n − 1)] (not rounded). The p-value is
 * P(T ≤ t), P(T ≥ t) or 2·P(T ≥ |t|) under t(df); the interval is x̄ − ȳ + se·t(df) quantiles, one-sided
 * (±Infinity on the other end) for a one-sided alternative, as SciPy's `confidence_interval` does.
 *
 * @param level confidence level of `interval` in (0, 1), default 0.95.
 * @throws RangeError if a sample has fewer than 2 values or holds NaN or ±Infinity, if both samples
 *   are constant (se = 0: SciPy returns NaN), or if `level` is outside (0, 1).
 */
export function welchTTest(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
  level = 0.95
): WelchResult {
  checkSample('welchTTest', 'x', x, 2);
  checkSample('welchTTest', 'y', y, 2);
  return welchFromStats(
    { mean: mean([...x]), sd: Math.sqrt(sampleVariance([...x])), n: x.length },
    { mean: mean([...y]), sd: Math.sqrt(sampleVariance([...y])), n: y.length },
    alternative,
    level
  );
}

/** A sample known only by its summary: mean, standard deviation (ddof = 1) and size. */
export interface SampleSummary {
  mean: number;
  sd: number;
  n: number;
}

/**
 * Welch's t-test from summaries, as `scipy.stats.ttest_ind_from_stats(mean1, std1, nobs1, mean2,
 * std2, nobs2, equal_var=False, alternative=…)`: for imported benchmarks that report a mean and its
 * spread but no samples (SPEC §4). Same formulas as {@link welchTTest}.
 *
 * @throws RangeError if a size is below 2, a mean or sd is not finite (or sd < 0), both sds are 0,
 *   or `level` is outside (0, 1).
 */
export function welchFromStats(
  x: SampleSummary,
  y: SampleSummary,
  alternative: Alternative = 'two-sided',
  level = 0.95
): WelchResult {
  for (const [name, s] of [
    ['x', x],
    ['y', y]
  ] as const) {
    if (!Number.isInteger(s.n) || s.n < 2) {
      throw new RangeError(`welchFromStats: ${name} needs a size of at least 2, got ${s.n}`);
    }
    if (!Number.isFinite(s.mean) || !Number.isFinite(s.sd) || s.sd < 0) {
      throw new RangeError(
        `welchFromStats: ${name} needs a finite mean and sd ≥ 0, got ${s.mean} and ${s.sd}`
      );
    }
  }
  checkAlternative('welchTTest', alternative);
  checkLevel('welchTTest', level, 0, false);
  const m = x.n;
  const n = y.n;
  const vm = x.sd ** 2 / m;
  const vn = y.sd ** 2 / n;
  const se = Math.sqrt(vm + vn);
  if (se === 0) {
    throw new RangeError('welchTTest: both samples are constant, so the t statistic is undefined');
  }
  const df = (vm + vn) ** 2 / (vm ** 2 / (m - 1) + vn ** 2 / (n - 1));
  const difference = x.mean - y.mean;
  const t = difference / se;
  const pValue =
    alternative === 'less'
      ? tCdf(t, df)
      : alternative === 'greater'
        ? tCdf(-t, df)
        : 2 * tCdf(-Math.abs(t), df);
  return {
    statistic: t,
    pValue,
    method: 'normal',
    df,
    difference,
    interval: tInterval(difference, se, df, level, alternative)
  };
}

/** estimate + se·[t quantiles] for the alternative, as SciPy's `_t_confidence_interval`. */
function tInterval(
  estimate: number,
  se: number,
  df: number,
  level: number,
  alternative: Alternative
): Interval {
  const at = (p: number) => tQuantile(p, df) * se + estimate;
  if (alternative === 'less') return { lower: -Infinity, upper: at(level), level };
  if (alternative === 'greater') return { lower: at(1 - level), upper: Infinity, level };
  const tail = (1 - level) / 2;
  return { lower: at(tail), upper: at(1 - tail), level };
}

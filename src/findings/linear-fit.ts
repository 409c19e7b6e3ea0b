/**
 * The least-squares line through points and the t interval of its slope — what
 * `scipy.stats.linregress` returns (slope, intercept, the slope's standard error from the residuals
 * with n − 2 degrees of freedom) and slope ± t(n − 2, (1 + level) / 2) · stderr (Draper & Smith,
 * "Applied Regression Analysis", 3rd ed., §1.4). Checked against SciPy in
 * test/unit/findings/linear-fit.test.ts (fixtures by scripts/findings-fixtures.py). Student's t
 * quantile comes from @stdlib.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope: √(Σ residual² / (n − 2) / Σ(x − x̄)²). */
  stderr: number;
  /** The slope's interval at `level`. */
  low: number;
  high: number;
  n: number;
}

/**
 * @param level two-sided confidence level of the slope's interval, in (0, 1); default 0.95.
 * @returns undefined with fewer than 3 points or when every x is the same (no slope to fit).
 */
export function linearFit(x: readonly number[], y: readonly number[], level = 0.95): LinearFit | undefined {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`linearFit: ${n} x values but ${y.length} y values`);
  if (n < 3) return undefined;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - intercept - slope * x[i]!) ** 2;
  const stderr = Math.sqrt(sse / (n - 2) / sxx);
  const half = tQuantile((1 + level) / 2, n - 2) * stderr;
  return { slope, intercept, stderr, low: slope - half, high: slope + half, n };
}

/**
 * Student's two-sample t-test with the pooled variance (Student 1908; Fisher's two-sample form), as
 * `scipy.stats.ttest_ind(x, y)` computes it with its default `equal_var=True`, two-sided. It is the test
 * Apache Otava uses on each candidate change point (`otava/analysis.py`, `TTestSignificanceTester`:
 * `scipy.stats.ttest_ind_from_stats(..., alternative="two-sided")`, equal variances, df = m + n − 2).
 * Student's t distribution comes from @stdlib.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import type { TestResult } from './types.js';
import { checkSample } from './validate.js';

/**
 * The pooled two-sample t-test result: `difference` = mean(x) − mean(y), `df` = m + n − 2. `method` is
 * `'normal'`, as for Welch's test: the p-value comes from Student's t distribution.
 */
export interface StudentResult extends TestResult {
  df: number;
  difference: number;
}

/** Mean and sum of squared deviations; a constant sample has exactly its value and 0. */
export function moments(xs: readonly number[]): { mean: number; squares: number } {
  const first = xs[0] ?? 0;
  // Without this, a constant 0.1 has a mean 1 ulp off and a variance of ~1e-34 instead of 0, and two
  // equal constant segments would differ "significantly".
  if (xs.every(v => v === first)) return { mean: first, squares: 0 };
  let sum = 0;
  for (const v of xs) sum += v;
  const mean = sum / xs.length;
  let squares = 0;
  for (const v of xs) squares += (v - mean) ** 2;
  return { mean, squares };
}

/**
 * Two-sided test of equal means assuming equal variances: t = (x̄ − ȳ) / √(s²·(1/m + 1/n)) with the
 * pooled variance s² = [Σ(x − x̄)² + Σ(y − ȳ)²] / (m + n − 2), and p = 2·P(T ≥ |t|) under t(m + n − 2).
 *
 * When both samples are constant (s = 0) SciPy's answer is kept where it has one: different values give
 * t = ±Infinity and p = 0. Equal values (0/0, NaN in SciPy) give t = 0 and p = 1: no evidence of a
 * difference, so that a flat history never counts as a change.
 *
 * @throws RangeError if a sample is empty or holds NaN or ±Infinity, or if m + n < 3 (no degree of
 *   freedom: SciPy returns NaN).
 */
export function studentTTest(x: readonly number[], y: readonly number[]): StudentResult {
  checkSample('studentTTest', 'x', x, 1);
  checkSample('studentTTest', 'y', y, 1);
  const m = x.length;
  const n = y.length;
  const df = m + n - 2;
  if (df < 1) {
    throw new RangeError(`studentTTest: needs at least 3 values in all, got ${m} + ${n}`);
  }
  const mx = moments(x);
  const my = moments(y);
  const difference = mx.mean - my.mean;
  const se = Math.sqrt(((mx.squares + my.squares) / df) * (1 / m + 1 / n));
  if (se === 0) {
    return difference === 0
      ? { statistic: 0, pValue: 1, method: 'normal', df, difference }
      : { statistic: Math.sign(difference) * Infinity, pValue: 0, method: 'normal', df, difference };
  }
  const t = difference / se;
  return { statistic: t, pValue: 2 * tCdf(-Math.abs(t), df), method: 'normal', df, difference };
}

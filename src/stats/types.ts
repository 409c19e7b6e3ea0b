/**
 * Types shared by the statistical tests and estimators in `src/stats/`. The names follow SciPy
 * (`scipy.stats`), whose results the tests in `test/unit/stats/` reproduce.
 */

/**
 * The alternative hypothesis, as SciPy's `alternative` argument names it: for a one-sample test on
 * d, `'greater'` means the location of d is above 0; for a two-sample test on (x, y), that x is
 * shifted above y. For an interval, a one-sided alternative gives a one-sided bound: `'greater'`
 * a lower bound `[lower, +∞)`, `'less'` an upper bound `(−∞, upper]` (as R's `wilcox.test` and
 * SciPy's `ttest_ind(...).confidence_interval()` do).
 */
export type Alternative = 'two-sided' | 'less' | 'greater';

/**
 * A confidence interval at confidence `level` (e.g. 0.95). An end the data cannot bound is ±Infinity:
 * a one-sided interval, or a sample too small to reach the level (e.g. a signed-rank interval at
 * 0.95 needs n ≥ 6). Note that `JSON.stringify` writes infinities as `null`.
 */
export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/**
 * The outcome of a hypothesis test: its statistic, p-value, and whether the p-value came from the
 * exact (permutation) null distribution or from the normal approximation.
 */
export interface TestResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'normal';
}

/** Wilcoxon signed-rank result; `statistic` is W+ and `n` the number of non-zero differences. */
export interface SignedRankResult extends TestResult {
  n: number;
}

/**
 * Welch's t-test result: `difference` = mean(x) − mean(y), `df` the Welch–Satterthwaite degrees of
 * freedom, `interval` the confidence interval of the difference for the chosen alternative.
 * `method` is always `'normal'`: the test is parametric (it assumes normally distributed means) and
 * its p-value comes from Student's t distribution, not from an exact permutation distribution.
 */
export interface WelchResult extends TestResult {
  df: number;
  difference: number;
  interval: Interval;
}

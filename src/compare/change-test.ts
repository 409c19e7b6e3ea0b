/** What either comparison (paired or unpaired) hands to the verdict stage. */
export interface ChangeTest {
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u' | 'welch-t' | 'single-value';
  /** Pairs (paired) or the smaller side's trial count (unpaired). */
  samples: number;
  /** One-sided p-values for "head is worse" and "head is better". */
  pWorse: number;
  pBetter: number;
  method: 'exact' | 'normal';
  /** Estimate of ln(head / base) and its interval at the requested level. */
  estimate: number;
  interval: [number, number];
  /** The smallest one-sided p-value these sample sizes can reach (exact test). */
  minP: number;
  /** The sample count it takes to reach a one-sided p-value below `p`, and how to say so. */
  needed: (p: number) => { count: number; text: string };
  /**
   * The smallest relative rise (`up`) and fall (`down`) of the metric that the one-sided test in
   * that direction would call at level `p`, were the same spread measured around it: fractions
   * (0.021 for 2.1 %), Infinity when these sample sizes cannot reach `p` whatever the change, NaN
   * when there is no test (single values). The verdict stage turns it into the resolution.
   */
  detectable: (p: number) => { up: number; down: number };
}

/**
 * `detectable` of a test whose interval of ln(head / base) moves with the data (translation
 * equivariance: the Hodges–Lehmann intervals of the signed-rank and Mann–Whitney tests). Shifting
 * every log ratio by s shifts the estimate and both bounds by s, and the one-sided test at level p
 * rejects exactly when its one-sided 1 − p bound excludes zero (the interval is that test
 * inverted). So a change whose estimate is c is called a rise when c − (estimate − lower) > 0 and a
 * fall when −c − (upper − estimate) > 0: `lower` and `upper` are the one-sided bounds at 1 − p
 * (the ends of the two-sided interval at {@link boundsLevel}).
 */
export function shiftDetectable(
  estimate: number,
  lower: number,
  upper: number
): { up: number; down: number } {
  return {
    up: Number.isFinite(lower) ? Math.expm1(estimate - lower) : Infinity,
    down: Number.isFinite(upper) ? -Math.expm1(estimate - upper) : Infinity
  };
}

/**
 * The level of the two-sided interval whose ends are the one-sided bounds of the one-sided tests at
 * `p` (the rank tests' two-sided p-value is twice the smaller one-sided one, so one interval gives
 * both bounds). An interval keeps the shifts whose p-value is above 1 − level; the test calls a
 * change below p. An exact test's p-value can equal p on a whole gap between candidates: nudging
 * the level keeps that gap inside the bound, as the test leaves it uncalled. Never below 0.5 (the
 * intervals' domain).
 */
export function boundsLevel(p: number): number {
  return Math.max(0.5, 1 - 2 * p * (1 - 1e-9));
}

/**
 * The resolution of a comparison: the smallest relative change, a rise or a fall, that would have
 * come out `regressed` or `improved` at these samples and this spread, derived from the rules in
 * compare/verdicts.ts `decide`. They ask two things of a change:
 *
 * 1. significance after correction: the adjusted one-sided p below alpha. Whatever the other
 *    metrics' p-values, that holds once the raw p is below alpha / m — Holm's first step over the
 *    m gated comparisons of the gate (Benjamini–Hochberg's over the m informational ones), so the
 *    level used is alpha / m, the one a comparison can count on alone;
 * 2. a relative change of at least `limit`: δ, or the stored runs' spread when that is larger.
 *
 * For 1, a true change is taken to move the measured values and keep their spread: the smallest
 * change the one-sided test at alpha / m calls is the distance from the estimate to the interval's
 * one-sided 1 − alpha / m bound (`ChangeTest.detectable`). That bound is the end of the two-sided
 * 1 − 2·alpha / m interval — not the interval shown beside it, which is two-sided at 1 − 2·alpha
 * and unadjusted: with one gated metric the interval's ends give the resolution, with many it is
 * wider. The resolution is the largest of δ (or the runs' limit), the rise and the fall. Absent
 * when no change could be called at all: these sample sizes cannot reach alpha / m (the reason
 * says how many it takes), or two single values have no test.
 *
 * Exact for the rank tests on untied values (their interval is the test inverted) and for Welch's
 * t; with ties or zeros the interval and the test follow slightly different rules (stats/), and
 * the resolution is as close as the interval follows the test. `p` is alpha / m.
 */
export function resolution(t: ChangeTest, limit: number, p: number): number | undefined {
  const { up, down } = t.detectable(p);
  const r = Math.max(limit, up, down);
  return Number.isFinite(r) ? r : undefined;
}

/** The alternatives of the two one-sided tests: a worse head is a rise of a lower-is-better metric. */
export function directions(better: 'lower' | 'higher'): {
  worse: 'greater' | 'less';
  better: 'greater' | 'less';
} {
  return better === 'lower' ? { worse: 'greater', better: 'less' } : { worse: 'less', better: 'greater' };
}

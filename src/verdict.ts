/** The gate's verdict from thresholds and comparisons, and which findings fail the job. */
import type { Comparison, Results, Verdict } from './model.js';

/** Thresholds with severity `fail` that do not hold. */
export function brokenThresholds(results: Results): number {
  return results.thresholds.filter(t => !t.ok && t.severity === 'fail').length;
}

/** Gated comparisons with this verdict (informational ones never decide anything). */
export function gatedWith(results: Results, verdict: Comparison['verdict']): Comparison[] {
  return results.comparisons.filter(c => c.gated && c.verdict === verdict);
}

/** Sides that measured nothing usable (thresholds/measurement-problems.ts). */
export function problemCount(results: Results): number {
  return results.problems?.length ?? 0;
}

/**
 * `fail` when a side measured nothing usable, a threshold with severity `fail` is broken or a
 * metric regressed.
 */
export function decideVerdict(results: Results): Verdict {
  if (
    problemCount(results) > 0 ||
    brokenThresholds(results) > 0 ||
    gatedWith(results, 'regressed').length > 0
  )
    return 'fail';
  if (gatedWith(results, 'inconclusive').length > 0) return 'inconclusive';
  return 'pass';
}

/** Which findings fail the job (Action input `fail-on`, CLI `--fail-on`). */
export const FAIL_ON = ['any', 'regression', 'threshold', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Does this (complete) result fail the job under the policy? A side that measured nothing usable
 * fails every policy but `never`: no policy asks for green on nothing.
 */
export function gateFails(results: Results, failOn: FailOn): boolean {
  if (failOn !== 'never' && problemCount(results) > 0) return true;
  const thresholds = brokenThresholds(results) > 0;
  const regressions = gatedWith(results, 'regressed').length > 0;
  switch (failOn) {
    case 'any':
      return thresholds || regressions;
    case 'threshold':
      return thresholds;
    case 'regression':
      return regressions;
    case 'never':
      return false;
  }
}

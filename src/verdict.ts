/** The gate's verdict from thresholds and comparisons, and which findings fail the job. */
import type { Results, Verdict } from './model.js';

/** `fail` when a threshold with severity `fail` is broken or a metric regressed. */
export function decideVerdict(results: Results): Verdict {
  const gated = results.comparisons.filter(c => c.gated);
  if (results.thresholds.some(t => !t.ok && t.severity === 'fail')) return 'fail';
  if (gated.some(c => c.verdict === 'regressed')) return 'fail';
  if (gated.some(c => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** Which findings fail the job (Action input `fail-on`, CLI `--fail-on`). */
export const FAIL_ON = ['any', 'regression', 'threshold', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Does this (complete) result fail the job under the policy? */
export function gateFails(results: Results, failOn: FailOn): boolean {
  const thresholds = results.thresholds.some(t => !t.ok && t.severity === 'fail');
  const regressions = results.comparisons.some(c => c.gated && c.verdict === 'regressed');
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

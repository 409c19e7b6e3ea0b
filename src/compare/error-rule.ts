/**
 * The comparison rule that needs no test (SPEC §5): failed requests appearing in the head where the
 * base had none fail the gate. A ratio against zero has no logarithm, and 0 → some needs no p-value.
 */
import type { Comparison, TrialResult } from '../model.js';
import type { ProfileToCompare } from './verdicts.js';

export function errorsAppeared(
  { config, result, baseline }: ProfileToCompare,
  alpha: number
): Comparison | undefined {
  if (!result.base && !baseline) return undefined;
  const baseTrials = (result.base?.trials ?? baseline ?? []).filter(t => t.valid);
  const headTrials = result.head.trials.filter(t => t.valid);
  const failed = (ts: TrialResult[]) => ts.reduce((n, t) => n + t.metrics.failed, 0);
  const requests = (ts: TrialResult[]) => ts.reduce((n, t) => n + t.metrics.requests, 0);
  if (baseTrials.length === 0 || failed(baseTrials) > 0 || failed(headTrials) === 0) return undefined;
  return {
    profile: config.name,
    metric: 'http_req_failed.rate',
    better: 'lower',
    delta: 0,
    gated: true,
    alpha,
    samples: headTrials.length,
    test: result.base ? 'wilcoxon-signed-rank' : 'mann-whitney-u',
    method: 'exact',
    values: { base: 0, head: failed(headTrials) / Math.max(1, requests(headTrials)) },
    estimate: Number.POSITIVE_INFINITY,
    interval: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    pValue: 0,
    adjustedPValue: 0,
    verdict: 'regressed',
    reason: `${failed(headTrials)} failed requests in the head where the base had none`
  };
}

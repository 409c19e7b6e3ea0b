/**
 * A run is never green on nothing (SPEC §3: a trial that cannot be trusted never passes silently).
 * After a profile has run, each side is checked for what makes its numbers meaningless: no valid
 * trial at all, or more than half of its requests failed while no `http_req_failed` threshold says
 * that is expected. Either fails the gate, with the numbers behind it.
 */
import type { ProfileConfig } from '../config/types.js';
import type { MeasurementProblem, ProfileResult, SideResult, TrialResult } from '../model.js';
import { parseMetricSelector } from './parse-threshold.js';

/** Above this share of failed requests a side measured failures, not the service. */
export const FAILED_SHARE_LIMIT = 0.5;

/** The problems of each side of a profile that has run (head first), or none. */
export function measurementProblems(profile: ProfileConfig, result: ProfileResult): MeasurementProblem[] {
  const sides = [result.head, ...(result.base ? [result.base] : [])];
  return sides.flatMap(side => sideProblem(profile, result.name, side) ?? []);
}

function sideProblem(profile: ProfileConfig, name: string, side: SideResult): MeasurementProblem | undefined {
  const label = `profile "${name}" (${side.side})`;
  const valid = side.trials.filter(t => t.valid);
  if (valid.length === 0) {
    const why =
      side.trials.length === 0
        ? 'no trial ran'
        : `none of its ${side.trials.length} trial${side.trials.length === 1 ? ' was' : 's was'} valid: ${invalidReasons(side.trials)}`;
    return {
      profile: name,
      side: side.side,
      kind: 'nothing-measured',
      message: `nothing was measured: ${label}: ${why}`
    };
  }
  // Stress climbs until a step breaks its thresholds (the SLO), failures and all: the breaking
  // point is its result, and its thresholds already say what failure rate is acceptable.
  if (profile.stopOnBreak || hasFailedThreshold(profile)) return undefined;
  const requests = sum(valid.map(t => t.metrics.requests));
  const failed = sum(valid.map(t => t.metrics.failed));
  if (requests === 0 || failed / requests <= FAILED_SHARE_LIMIT) return undefined;
  const share = ((failed / requests) * 100).toFixed(1);
  return {
    profile: name,
    side: side.side,
    kind: 'failed-requests',
    message:
      `${label}: ${share} % of requests failed (${count(failed)} of ${count(requests)} in ${valid.length} valid ` +
      `trial${valid.length === 1 ? '' : 's'}; ${failureKinds(valid)}), more than ${FAILED_SHARE_LIMIT * 100} % ` +
      `with no http_req_failed threshold on the profile; if failures are expected, say so with one ` +
      `(e.g. http_req_failed: ['rate<0.9'])`
  };
}

/** Any threshold on `http_req_failed` (for the whole profile or one request) states what is expected. */
function hasFailedThreshold(profile: ProfileConfig): boolean {
  return profile.thresholds.some(t => {
    const selector = parseMetricSelector(t.metric);
    return selector.ok && selector.value.name === 'http_req_failed';
  });
}

/** `2 × no request completed in the measured window; 1 × aborted after 0.4s of 1s` */
function invalidReasons(trials: TrialResult[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) {
    const reason = t.invalidReason ?? 'invalid';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} × ${reason}`).join('; ');
}

/** `unexpected status 41,774, statuses 500 × 41,774`: the kinds of failure, with the commonest statuses. */
function failureKinds(trials: TrialResult[]): string {
  const kinds = { timeout: 0, connection: 0, status: 0, body: 0 };
  const codes = new Map<string, number>();
  for (const t of trials) {
    for (const k of Object.keys(kinds) as Array<keyof typeof kinds>) kinds[k] += t.metrics.errors[k];
    for (const [code, n] of Object.entries(t.metrics.statusCodes)) {
      codes.set(code, (codes.get(code) ?? 0) + n);
    }
  }
  const parts = (Object.keys(kinds) as Array<keyof typeof kinds>)
    .filter(k => kinds[k] > 0)
    .map(k => (k === 'status' ? `unexpected status ${count(kinds[k])}` : `${k} ${count(kinds[k])}`));
  const top = [...(kinds.status > 0 ? codes : [])]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([code, n]) => `${code} × ${count(n)}`);
  return [...parts, ...(top.length > 0 ? [`statuses ${top.join(', ')}`] : [])].join(', ');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/**
 * Which runs may be a baseline (SPEC §6): only runs of trusted events — push to the default branch,
 * schedule, manual dispatch; never a pull request — that completed without failing their gate.
 * Every store applies these rules both when it writes and when it reads, so that a baseline written
 * by mistake (an explicit `mode: baseline` on a pull request, `fail-on: never` on a failing gate) is
 * still never compared with.
 */
import type { Results } from '../model.js';

/** The events a baseline may be written from. */
export const TRUSTED_EVENTS: readonly string[] = ['push', 'schedule', 'workflow_dispatch'];

/** A finished run that may stand as the baseline: it completed and did not fail its gate. */
export function qualifiesAsBaseline(results: Results): boolean {
  return results.status === 'complete' && results.verdict !== 'fail';
}

/** Why a stored results file must not be read as a baseline, or undefined when it may. */
export function whyNotTrusted(results: Results): string | undefined {
  const event = results.git.event;
  if (event !== undefined && !TRUSTED_EVENTS.includes(event)) {
    return `it was measured on a ${event} event (baselines come from ${TRUSTED_EVENTS.join(', ')})`;
  }
  if (results.verdict === 'fail') return 'that run failed its gate';
  return undefined;
}

/** A baseline fetched from a store and validated, with how to name it; or why there is none. */
export type StoredBaseline<Extra = object> =
  ({ results: Results; label: string } & Extra) | { results: null; reason: string };

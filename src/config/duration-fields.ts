/**
 * The duration keys of the config, each with the range that makes sense for it. Every duration
 * becomes a timer somewhere, so none may be longer than a timer holds (`MAX_DURATION_MS`); and each
 * has a floor below which the value cannot mean what it says:
 *
 * - load that is measured or shaped (a trial, a stage, a ramp, a spike, a stress step, the auto
 *   budget): 100 ms. Each stage starts its own load run; in less time than that the connections are
 *   still opening and the numbers describe the generator's start-up, not the service.
 * - a readiness timeout: 100 ms. A started service needs longer than that just to exec; a shorter
 *   wait can only fail.
 * - request timeouts, warmup and the stop grace period: 1 ms, the resolution of a timer; a fraction
 *   of a millisecond would silently become 1 ms. Warmup and stop grace may be 0 (none).
 * - a wave's period: checked in `schedule.ts` against the wave's steps.
 *
 * The whole schedule of a profile (warmup + stages × trials) is not limited: no timer holds it. The
 * warmup, each stage and each request have their own timers.
 */
import { z } from 'zod';
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from './durations.js';
import { describeValue, expected } from './messages.js';

/** The least duration of load worth measuring. */
export const MIN_LOAD_MS = 100;
/** The resolution of a timer. */
export const TIMER_RESOLUTION_MS = 1;

const DURATION_EXAMPLE = 'a duration like "30s"';
const LIMIT_TEXT = `${MAX_DURATION_MS / 3_600_000}h (about 24.8 days, the longest a timer holds)`;

/** Where a duration key's values may lie. */
export interface Range {
  /** Least value other than zero. */
  min: number;
  /** Whether 0 (none) is allowed. */
  zero: boolean;
  /** Why `min`: finishes "expected a duration of at least 100ms (…)". */
  why: string;
}

/** The message for a duration outside `range`, or undefined when it is inside. */
export function durationRangeIssue(ms: number, range: Range): string | undefined {
  if (ms === 0) return range.zero ? undefined : 'a duration greater than 0';
  if (!(ms <= MAX_DURATION_MS)) return `a duration of at most ${LIMIT_TEXT}`;
  if (ms < range.min) {
    const floor = range.min < 1000 ? `${range.min}ms` : `${range.min / 1000}s`;
    return `a duration ${range.zero ? 'of 0 or' : 'of'} at least ${floor} (${range.why})`;
  }
  return undefined;
}

/**
 * A duration key in milliseconds. Checks the text in `superRefine` so that a text that is not a
 * duration at all gets one message (the pattern's), and a duration out of range another.
 */
function durationIn(range: Range) {
  return z
    .string(expected(DURATION_EXAMPLE))
    .regex(new RegExp(DURATION_PATTERN))
    .superRefine((text, ctx) => {
      const ms = parseDuration(text);
      const issue = ms === undefined ? undefined : durationRangeIssue(ms, range);
      if (issue) ctx.addIssue({ code: 'custom', message: `expected ${issue}, got ${describeValue(text)}` });
    })
    .transform(text => parseDuration(text) ?? Number.NaN);
}

/**
 * The range of a trial, a stage, or any other span of load that is shaped or measured. Exported for
 * durations given outside the file (a `--duration` option): `parseDuration`, then
 * `durationRangeIssue(ms, LOAD_RANGE)`, gives the same checks and words as the config.
 */
export const LOAD_RANGE: Range = {
  min: MIN_LOAD_MS,
  zero: false,
  why: 'shorter load measures only its own start-up'
};

/** A trial, a stage, or any other span of load that is shaped or measured. */
export const loadDuration = durationIn(LOAD_RANGE);

/** The time budget of `trials: auto`. */
export const budgetDuration = durationIn({
  min: MIN_LOAD_MS,
  zero: false,
  why: 'it cannot hold a trial'
});

/** How long to wait for a started service to become ready. */
export const readyTimeout = durationIn({
  min: MIN_LOAD_MS,
  zero: false,
  why: 'a service needs longer to start'
});

const RESOLUTION_WHY = 'timers count whole milliseconds';

/** A per-request timeout. */
export const requestTimeout = durationIn({ min: TIMER_RESOLUTION_MS, zero: false, why: RESOLUTION_WHY });

/** Warmup and the stop grace period: 0 means none. */
export const optionalDuration = durationIn({ min: TIMER_RESOLUTION_MS, zero: true, why: RESOLUTION_WHY });

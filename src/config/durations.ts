/**
 * Durations in the config are strings with a unit (`250ms`, `30s`, `2m`, `1h`). A bare number is
 * refused rather than read as milliseconds: `timeout: 30` is far more likely to mean seconds.
 */
import ms from 'ms';

/** The units `ms` understands that make sense for a load test (no days, weeks or years). */
const UNITS = 'ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?';

/**
 * A non-negative number followed by a unit. Written without flags so it can go into the JSON
 * Schema as is (editors flag a bad duration while typing).
 */
export const DURATION_PATTERN = `^(?:\\d+(?:\\.\\d+)?|\\.\\d+) *(?:${UNITS})$`;
const DURATION = new RegExp(DURATION_PATTERN);

/**
 * The longest duration of any key: 596 hours, about 24.8 days, under the 2³¹ − 1 ms a Node timer
 * holds (load/deadline.ts MAX_TIMER_MS). Every duration ends up in a timer,
 * and some with a little added: autocannon runs a stage for its duration plus 10 s, and takes a
 * request timeout in whole seconds (rounded up). Whole hours below the limit keep that margin.
 */
export const MAX_DURATION_MS = 596 * 3_600_000;

/**
 * Milliseconds of a duration like `30s`, or undefined when the text is not one. The `ms` package
 * gives up on texts over 100 characters (NaN, which every comparison lets through); a number that
 * long is past every limit, so it reads as Infinity.
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  return text.length > 100 ? Infinity : ms(text as ms.StringValue);
}

/** The shortest config-style text of a duration: `2m`, `5s`, `500ms`. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

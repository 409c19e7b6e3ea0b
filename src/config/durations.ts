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

/** Milliseconds of a duration like `30s`, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  return ms(text as ms.StringValue);
}

/** The shortest config-style text of a duration: `2m`, `5s`, `500ms`. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Typed errors. Library code throws these; only the entries (run-cli.ts, run-action.ts) turn them
 * into an exit status. The exit codes are the public contract of SPEC §12.
 */

/** Exit codes of the CLI (SPEC §12). */
export const ExitCode = {
  Pass: 0,
  GateFailed: 1,
  Usage: 2,
  Runtime: 3
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: every perfgate error knows its exit code and prints without a stack trace. */
export abstract class PerfgateError extends Error {
  abstract readonly exitCode: ExitCode;
  abstract readonly kind: string;
}

/** One problem found in a config file, with its position. */
export interface ConfigIssue {
  /** `file:line:col` (line and column 1-based), or just the file when no position is known. */
  where: string;
  /** Key path such as `profiles[1].duration`, empty for the document itself. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

/** At most this many config issues are printed or annotated; the rest are counted. */
export const MAX_SHOWN_ISSUES = 50;

/**
 * A file another tool wrote that perfgate cannot read (SPEC §4): truncated, malformed, of no
 * supported format, or holding values that are not measurements. Exit code 2, like a bad config.
 * The message names the file, where in it (a line, or a JSON path), and the format.
 */
export class ImportError extends PerfgateError {
  readonly exitCode = ExitCode.Usage;
  readonly kind = 'import';
  constructor(
    readonly file: string,
    /** `line 12`, `$.benchmarks[3].stats.mean`, or '' for the whole file. */
    readonly where: string,
    /** The format it was read as, or '' when none was recognised. */
    readonly format: string,
    /** What is wrong, without the file and the place. */
    readonly detail: string
  ) {
    super(`${file}${where ? `: ${where}` : ''}${format ? ` (${format})` : ''}: ${detail}`);
    this.name = 'ImportError';
  }
}

/**
 * A user mistake in the config file: exit code 2. The message lists the first
 * {@link MAX_SHOWN_ISSUES} issues, then "… and N more": a config gone wrong wholesale (a file that
 * is not a perfgate config at all) would otherwise bury the first, useful lines.
 */
export class ConfigError extends PerfgateError {
  readonly exitCode = ExitCode.Usage;
  readonly kind = 'config';
  /** The issues to print or annotate one by one: the first {@link MAX_SHOWN_ISSUES}. */
  readonly shownIssues: ConfigIssue[];
  /** How many issues `shownIssues` leaves out. */
  readonly hiddenIssues: number;
  constructor(readonly issues: ConfigIssue[]) {
    const shown = issues.slice(0, MAX_SHOWN_ISSUES);
    const hidden = issues.length - shown.length;
    super([...shown.map(formatIssue), ...(hidden > 0 ? [`… and ${hidden} more`] : [])].join('\n'));
    this.name = 'ConfigError';
    this.shownIssues = shown;
    this.hiddenIssues = hidden;
  }
}

/** `where path: message`, the one format every config error is printed in. */
export function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.where} ${issue.path}: ${issue.message}` : `${issue.where}: ${issue.message}`;
}

/** A mistake on the command line or in the Action's inputs: exit code 2. */
export class UsageError extends PerfgateError {
  readonly exitCode = ExitCode.Usage;
  readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The service under test failed: did not start, never became ready, crashed. Exit code 3. */
export class ServiceError extends PerfgateError {
  readonly exitCode = ExitCode.Runtime;
  readonly kind = 'service';
  constructor(
    message: string,
    /** The last lines of the service's log, shown under the message. */
    readonly logTail: string = '',
    /** Path of the full service log. */
    readonly logFile?: string
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/**
 * A command benchmark cannot go on: a command failed, timed out, or could not be started; the
 * message names which and where, and quotes the end of its stderr. Exit code 3.
 */
export class CommandError extends PerfgateError {
  readonly exitCode = ExitCode.Runtime;
  readonly kind = 'command';
  constructor(
    message: string,
    /** The end of the command's stderr, also quoted in the message. */
    readonly stderrTail = ''
  ) {
    super(
      stderrTail.trim() ? `${message}\n--- end of its stderr ---\n${stderrTail.trimEnd()}\n---` : message
    );
    this.name = 'CommandError';
  }
}

/** The load generator or the target failed in a way that makes the measurement unusable. Exit code 3. */
export class LoadError extends PerfgateError {
  readonly exitCode = ExitCode.Runtime;
  readonly kind = 'load';
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

/** The run was cancelled (SIGINT/SIGTERM to perfgate). Exit code 3. */
export class CancelledError extends PerfgateError {
  readonly exitCode = ExitCode.Runtime;
  readonly kind = 'cancelled';
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Any other runtime failure worth a clean message (I/O on the report dir, …). Exit code 3. */
export class RuntimeError extends PerfgateError {
  readonly exitCode = ExitCode.Runtime;
  readonly kind = 'runtime';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

/** Full text for the user: message, plus the service log tail when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof ServiceError) {
    const parts = [err.message];
    if (err.logFile) parts.push(`service log: ${err.logFile}`);
    if (err.logTail) parts.push('--- last lines of the service log ---', err.logTail.trimEnd(), '---');
    return parts.join('\n');
  }
  if (err instanceof PerfgateError) return err.message;
  if (err instanceof Error) return unexpectedErrorText(err);
  return String(err);
}

/**
 * Any thrown value as a PerfgateError: aborts become CancelledError, the rest RuntimeError (the
 * original as its `cause`). Its message is written to results.json and the summary, so it holds no
 * stack trace (see unexpectedErrorText).
 */
export function toPerfgateError(err: unknown): PerfgateError {
  if (err instanceof PerfgateError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new CancelledError();
  if (err instanceof Error) return new RuntimeError(unexpectedErrorText(err), { cause: err });
  return new RuntimeError(String(err));
}

/**
 * An error perfgate did not expect (a bug, not a user's mistake) in one line: its name and message,
 * and the first frame of its stack, where it was thrown — enough to report it. The whole stack goes
 * to the debug log only (debugLog): it is noise in a report, and reports are shared.
 */
export function unexpectedErrorText(err: Error): string {
  logStackOnce(err);
  const text = err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  const frame = err.stack
    ?.split('\n')
    .find(line => /^\s+at /.test(line))
    ?.trim()
    .slice('at '.length);
  return frame ? `${text} (at ${frame})` : text;
}

/** Errors whose stack went to the debug log: a message built twice (summary, log) logs it once. */
const logged = new WeakSet<Error>();

function logStackOnce(err: Error): void {
  if (logged.has(err)) return;
  logged.add(err);
  debugLog(err.stack ?? err.message);
}

/**
 * Writes `text` to stderr when debugging is on: `PERFGATE_DEBUG=1`, or on GitHub a re-run with
 * debug logging (`RUNNER_DEBUG=1`). Each line is prefixed, so none can read as a workflow command.
 */
export function debugLog(text: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.PERFGATE_DEBUG !== '1' && env.RUNNER_DEBUG !== '1') return;
  process.stderr.write(
    `${text
      .split(/\r?\n|\r/)
      .map(line => `perfgate debug: ${line}`)
      .join('\n')}\n`
  );
}

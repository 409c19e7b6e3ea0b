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

/** A user mistake in the config file: exit code 2. */
export class ConfigError extends PerfgateError {
  readonly exitCode = ExitCode.Usage;
  readonly kind = 'config';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
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
  constructor(message: string) {
    super(message);
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
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}

/** Any thrown value as a PerfgateError: aborts become CancelledError, the rest RuntimeError. */
export function toPerfgateError(err: unknown): PerfgateError {
  if (err instanceof PerfgateError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new CancelledError();
  return new RuntimeError(err instanceof Error ? (err.stack ?? err.message) : String(err));
}

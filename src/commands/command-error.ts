/** The error of a command benchmark that cannot go on (exit code 3, like every runtime failure). */
import { ExitCode, PerfgateError } from '../errors.js';

/** A command failed, timed out, or could not be started; the message names which and where. */
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

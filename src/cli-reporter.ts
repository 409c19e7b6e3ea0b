/**
 * The CLI's reporter: on a TTY a single progress line redrawn in place; otherwise (CI logs) plain
 * lines only, with progress at most every 5 s so logs stay readable.
 */
import { escapeTerminal } from './report/escape-terminal.js';
import type { Reporter, TrialProgressEvent } from './reporter.js';

/**
 * A reporter writing to `stream`. Each message is one line: secrets masked first (the mask sees the
 * raw values), then escaped, so that names from the config cannot print control sequences, break the
 * line or start a workflow command when the CLI runs in a GitHub Actions step.
 */
export function cliReporter(
  stream: NodeJS.WriteStream = process.stderr,
  mask: (t: string) => string = t => t
): Reporter {
  const line = (text: string) => escapeTerminal(mask(text));
  const tty = Boolean(stream.isTTY);
  let drawn = false;
  let lastPlain = 0;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    info(message) {
      clear();
      stream.write(`${line(message)}\n`);
    },
    warn(message) {
      clear();
      stream.write(`warning: ${line(message)}\n`);
    },
    progress(e: TrialProgressEvent) {
      const pct = e.totalMs > 0 ? Math.min(100, Math.round((e.elapsedMs / e.totalMs) * 100)) : 0;
      const text = `[${e.profile}] ${e.side} trial ${e.trial}/${e.trials} ${pct}% — ${e.responses} responses, ${e.errors} errors`;
      if (tty) {
        clear();
        stream.write(line(text).slice(0, (stream.columns || 100) - 1));
        drawn = true;
      } else if (Date.now() - lastPlain >= 5000) {
        lastPlain = Date.now();
        stream.write(`${line(text)}\n`);
      }
    }
  };
}

/**
 * The lines of a process's stdout that a GitHub Actions runner would take for workflow commands
 * (actions/runner `ActionCommand.cs`: `TryParseV2` and `TryParse`). The runner reads lines ended by
 * `\n`, `\r` or `\r\n`; a line is a command when, after leading white space (.NET `TrimStart`), it
 * starts with `::`, or when it holds `##[` anywhere (the v1 syntax).
 */
export function runnerCommands(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter(line => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}

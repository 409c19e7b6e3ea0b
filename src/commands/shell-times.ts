/**
 * CPU time of a whole process tree without native code: Node reports no resource usage of children,
 * so the command runs under `/bin/sh` with an EXIT trap that prints the shell's `times` builtin to an
 * extra pipe (fd 3). The second line of `times` is the user and system time of every child the shell
 * waited for, which includes their own waited-for descendants (POSIX `times`, `getrusage(RUSAGE_CHILDREN)`).
 * A child left running in the background (not waited for) is not in it.
 *
 * The figures' resolution is the shell's: dash (Debian's /bin/sh) uses times(2), in clock ticks of
 * 10 ms, printed as `0m0.250000s 0m0.010000s`; bash (macOS's /bin/sh) uses getrusage, printed to the
 * millisecond as `0m0.251s 0m0.004s`.
 *
 * A trap, not `cmd; times >&3`: `exit 3` inside the command still reports, the exit status is kept
 * (an EXIT trap does not change it), and with a trap set neither dash nor bash replaces itself with
 * the last command (which would leave nobody to run `times`).
 */

/** The file descriptor the shell writes `times` to. */
export const TIMES_FD = 3;

const TRAP = `trap 'times >&${TIMES_FD}' EXIT`;

/**
 * The arguments of `/bin/sh` for a command. A command line follows the trap on its own line, so a
 * trailing comment or an unterminated line in it cannot swallow the trap. An argv is passed as the
 * shell's positional parameters and run as `"$@"`, never parsed, so spaces, quotes and `$` in its
 * words reach the program verbatim; it is run as a child rather than with `exec "$@"` for the same
 * reason as above (one extra fork of the shell, also paid in shell mode, so both modes cost the same).
 * One difference from execvp: a first word naming a shell builtin (`cd`, `times`) runs the builtin.
 */
export function shellArgs(command: string | readonly string[], shell: boolean): string[] {
  if (shell) {
    const line = typeof command === 'string' ? command : command.join(' ');
    return ['-c', `${TRAP}\n${line}`];
  }
  const argv = typeof command === 'string' ? [command] : [...command];
  return ['-c', `${TRAP}\n"$@"`, 'sh', ...argv];
}

/** User and system CPU time in milliseconds. */
export interface CpuTimes {
  userMs: number;
  sysMs: number;
}

/** `1m2.5s`, `0m0.250000s`, `0m 0.25s` (busybox), `0m0,250s` (a decimal comma). */
const DURATION = /(?:(\d+)h)?(?:(\d+)m)?\s*(\d+(?:[.,]\d+)?)s/g;

function durationsMs(line: string): number[] {
  return [...line.matchAll(DURATION)].map(
    ([, h, m, s]) => ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s!.replace(',', '.'))) * 1000
  );
}

/**
 * The children's times from the output of `times`: the last line holding exactly two durations
 * (the shell's own line comes first). Undefined when there is none (the command replaced the shell,
 * or the shell was killed).
 */
export function parseTimes(text: string): CpuTimes | undefined {
  const lines = text
    .split(/\r?\n/)
    .map(durationsMs)
    .filter(d => d.length === 2);
  if (lines.length < 2) return undefined;
  const [user, sys] = lines.at(-1)!;
  return { userMs: round(user!), sysMs: round(sys!) };
}

/** Microsecond precision is all any shell prints; this drops the binary-fraction noise. */
const round = (ms: number) => Math.round(ms * 1000) / 1000;

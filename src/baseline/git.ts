/**
 * The git command line, as the `branch` store uses it: one command at a time in a scratch
 * repository, never through a shell, with a time limit, and failures sorted by what they mean for a
 * push — lost a race (try again), a server or network fault (try again), refused credentials or
 * permissions (do not).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Each command's time limit: a fetch or push of one small file takes a second or two. */
const GIT_TIMEOUT_MS = 120_000;

export type GitFailure = 'race' | 'transient' | 'denied' | 'other';

/** A git command that failed: its arguments, exit code and what it printed on stderr. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly timedOut: boolean
  ) {
    super(`git ${args[0] ?? ''} failed: ${summary(stderr) || (timedOut ? 'timed out' : 'no message')}`);
    this.name = 'GitError';
  }

  /** What the failure means for a push or fetch (git 2.x's messages). */
  get failure(): GitFailure {
    const text = this.stderr;
    // git ≥ 2.50 reports a lost race as "incorrect old value provided" (or "reference already exists").
    if (
      /\[rejected\]|fetch first|non-fast-forward|cannot lock ref|failed to update ref|stale info|incorrect old value|reference already exists/i.test(
        text
      )
    ) {
      return 'race';
    }
    // Only git's own words: the remote URL in its messages may hold any text ("…/http-403-tests.git").
    if (
      /Authentication failed|could not read (Username|Password)|returned error: 40[13]\b|Permission to \S+ denied|protected branch|GH013|rule violations|hook declined/i.test(
        text
      )
    ) {
      return 'denied';
    }
    if (
      this.timedOut ||
      /returned error: 5\d\d|RPC failed|Could not resolve host|Connection (refused|reset|timed out)|unable to access|early EOF|remote end hung up/i.test(
        text
      )
    ) {
      return 'transient';
    }
    return 'other';
  }
}

/**
 * Runs `git args` in `cwd` with `env` (on top of nothing else: the caller passes PATH and HOME) and
 * `input` on stdin; resolves with stdout, rejects with GitError.
 */
export async function git(
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }
): Promise<string> {
  const pending = run('git', [...args], {
    cwd: opts.cwd,
    env: opts.env,
    timeout: GIT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8'
  });
  // A command that reads no input may exit before it is written: its status tells what happened.
  pending.child.stdin?.on('error', () => undefined);
  pending.child.stdin?.end(opts.input ?? '');
  try {
    return (await pending).stdout;
  } catch (err) {
    const e = err as { stderr?: string; killed?: boolean; code?: unknown; message: string };
    if (e.code === 'ENOENT') {
      throw new GitError(args, 'git is not installed (or not on PATH)', false);
    }
    throw new GitError(args, e.stderr || e.message, e.killed === true);
  }
}

/** Lines git prints around every failure that say nothing about this one. */
const GENERIC = /failed to push some refs|remote end hung up|Everything up-to-date|^To /;

/**
 * What git said went wrong: its first two error lines (`fatal:`, `error:`, `remote: error:`, a
 * rejected ref) that are not generic, else its last two lines.
 */
function summary(text: string): string {
  const lines = text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  const telling = lines.filter(l => !GENERIC.test(l) && /^(fatal|error|remote: error|!)|rejected/i.test(l));
  return (telling.length > 0 ? telling.slice(0, 2) : lines.slice(-2)).join(' / ');
}

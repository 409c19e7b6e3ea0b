/**
 * Which pull request this run is about, read from the runner's environment at call time
 * (`@actions/github`'s `context` is read at import time, which would pin tests to one event).
 */
import { existsSync, readFileSync } from 'node:fs';

export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  /** The head branch lives in another repository: `GITHUB_TOKEN` is read-only there. */
  fromFork: boolean;
}

/** The parts of the event payload (`GITHUB_EVENT_PATH`) perfgate reads. */
export interface Payload {
  pull_request?: {
    number?: number;
    head?: { repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
  issue?: { number?: number; pull_request?: unknown };
  repository?: { full_name?: string; id?: number; default_branch?: string };
}

/**
 * The pull request from the event payload (`GITHUB_EVENT_PATH`): `pull_request.number` for
 * `pull_request`/`pull_request_target` events, `issue.number` for an `issue_comment` on a pull
 * request (a comment on a plain issue is not one). `number` overrides the payload, for the
 * `workflow_run` follow-up, which finds it from its own event (run-pull-request.ts).
 * Returns the reason to skip when there is no pull request.
 */
export function pullRequestTarget(
  env: NodeJS.ProcessEnv = process.env,
  number?: number
): PullRequestTarget | { skip: string } {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const fullName = env.GITHUB_REPOSITORY || payload.repository?.full_name;
  const [owner, repo, ...rest] = (fullName ?? '').split('/');
  if (!owner || !repo || rest.length > 0)
    return { skip: 'GITHUB_REPOSITORY is not set (expected owner/repo)' };
  const pr = payload.pull_request;
  const found =
    number ?? pr?.number ?? (payload.issue?.pull_request !== undefined ? payload.issue.number : undefined);
  if (typeof found !== 'number' || !Number.isInteger(found) || found <= 0) {
    return { skip: `not a pull request (event ${env.GITHUB_EVENT_NAME || 'unknown'})` };
  }
  const head = pr?.head?.repo;
  const base = pr?.base?.repo?.full_name;
  // A deleted fork shows as `head.repo: null`.
  const fromFork =
    pr !== undefined &&
    base !== undefined &&
    (head === null || (head !== undefined && head.full_name !== base));
  return { owner, repo, number: found, fromFork };
}

/** The event payload, or `{}` when there is none or it cannot be read. */
export function readPayload(file: string | undefined): Payload {
  if (!file || !existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Payload) : {};
  } catch {
    return {};
  }
}

/**
 * Which pull request a gate run belongs to, from trusted sources only: the `workflow_run` event and
 * the REST API. A pull request qualifies only when its head is exactly the run's commit in the run's
 * head repository, so a fork can never direct the follow-up's comment to another pull request.
 */
import { logInfo } from './action-log.js';
import { RuntimeError } from '../errors.js';
import type { GitHubClient } from './api.js';
import type { GateRun } from './workflow-run.js';

/** The parts of a pull request (event entry or REST answer) that are checked. */
interface PullHead {
  number?: unknown;
  head?: { sha?: unknown; ref?: unknown; repo?: { id?: unknown } | null } | null;
  base?: { repo?: { id?: unknown } | null } | null;
}

/**
 * The number of the run's pull request. Candidates are the event's `pull_requests` (pull requests
 * from a branch of this repository) or, when it lists none (pull requests from forks), the open pull
 * requests whose head is the run's head owner and branch; each must have the run's head commit and
 * head repository and this repository as its base. `hint` (the number the artifact names) may only
 * choose among candidates; it never adds one. No candidate (the pull request moved on to a newer
 * commit, or was closed) is a skip. Throws RuntimeError when the hint names another pull request
 * than the only candidate, or when several are left and the hint names none of them.
 */
export async function pullRequestOfRun(
  api: GitHubClient,
  run: GateRun,
  hint?: number
): Promise<number | { skip: string }> {
  let candidates = matching(run.pullRequests, run);
  let moved: string[] = [];
  const from = `${run.headRepository.owner}:${run.headBranch}`;
  if (candidates.length === 0) {
    const open = await openPullsFrom(api, run);
    candidates = matching(open, run);
    moved = open
      .filter(p => sameRepos(p, run) && p.head?.sha !== run.headSha)
      .map(p => `#${String(p.number)} is at ${String(p.head?.sha)}`);
    logInfo(
      `pull requests open from ${JSON.stringify(from)}: ${open.length}, at the run's commit: ${candidates.length}`
    );
  }
  const at = `from ${JSON.stringify(from)} (${run.headRepository.fullName}) at the run's commit ${run.headSha}`;
  if (candidates.length === 0) {
    // Nothing to comment on, and nothing forged: the pull request moved on (a newer push, whose own
    // run comments) or was closed. A skip, not a failure, so a red follow-up keeps meaning something.
    const why = moved.length ? `; ${moved.join(', ')} (a newer push: its own run comments)` : '';
    return { skip: `no open pull request ${at}${why}` };
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    if (hint !== undefined && hint !== only) {
      throw new RuntimeError(
        `refusing to comment: the artifact's pull-request.json names #${hint}, but the run is of #${only}: ` +
          'the artifact does not belong to this run'
      );
    }
    return only;
  }
  if (hint !== undefined && candidates.includes(hint)) return hint;
  throw new RuntimeError(
    `refusing to comment: several open pull requests ${at} (${candidates.map(n => `#${n}`).join(', ')}) ` +
      `and the artifact's pull-request.json names ${hint === undefined ? 'none' : `#${hint}, not one of them`}`
  );
}

/** The numbers of the pull requests in `pulls` whose head is the run's commit and repository. */
function matching(pulls: readonly unknown[], run: GateRun): number[] {
  const found = new Set<number>();
  for (const p of pulls as PullHead[]) {
    if (typeof p !== 'object' || p === null) continue;
    const n = p.number;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) continue;
    if (sameRepos(p, run) && p.head?.sha === run.headSha) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

/** Head in the run's head repository, base in the run's repository (a deleted fork's head repo is null). */
function sameRepos(p: PullHead, run: GateRun): boolean {
  return p.head?.repo?.id === run.headRepository.id && p.base?.repo?.id === run.repository.id;
}

/**
 * The open pull requests of the run's repository whose head is `owner:branch`, every page. GitHub
 * filters by `head`; the answer is checked again by `matching` all the same.
 */
async function openPullsFrom(api: GitHubClient, run: GateRun): Promise<PullHead[]> {
  const [owner = '', repo = ''] = run.repository.fullName.split('/');
  const pulls: PullHead[] = [];
  const pages = api.paginate.iterator(api.rest.pulls.list, {
    owner,
    repo,
    head: `${run.headRepository.owner}:${run.headBranch}`,
    state: 'open',
    per_page: 100
  });
  for await (const page of pages) pulls.push(...(page.data as PullHead[]));
  return pulls;
}

/**
 * The runner environment of a `workflow_run` follow-up: the event GitHub sends when a gate run
 * completes, pointing at a FakeGitHub. Shapes follow GitHub's webhook payload (`workflow_run` with
 * `head_repository`, `repository` and `pull_requests`, whose entries are abridged pull requests).
 */
import type { FakeGitHub } from './fake-github.js';
import { fakeRepository, type FakePull } from './fake-pulls.js';

export interface GateRunEvent {
  /** The base repository (default acme/shop). */
  repo?: string;
  /** The gate run's id (the follow-up's own GITHUB_RUN_ID is 9000). */
  runId?: number;
  /** What triggered the gate run (default pull_request). */
  event?: string;
  /** The head repository, `owner/name` (default: `repo`, a branch of the base repository). */
  head?: string;
  branch?: string;
  sha: string;
  /** What GitHub lists in `workflow_run.pull_requests` (empty for pull requests from forks). */
  pullRequests?: FakePull[];
}

/** The variables a runner sets for the follow-up, the event payload written to a temporary file. */
export function workflowRunEnv(fake: FakeGitHub, e: GateRunEvent): Record<string, string> {
  const repo = e.repo ?? 'acme/shop';
  const id = e.runId ?? 6001;
  const workflowRun = {
    id,
    name: 'perf',
    event: e.event ?? 'pull_request',
    status: 'completed',
    conclusion: 'success',
    head_branch: e.branch ?? 'feature',
    head_sha: e.sha,
    html_url: `https://github.example/${repo}/actions/runs/${id}`,
    pull_requests: (e.pullRequests ?? []).map(runPullRequest),
    head_repository: fakeRepository(e.head ?? repo, repo),
    repository: fakeRepository(repo, repo)
  };
  return {
    ...fake.actionEnv({
      repo,
      event: 'workflow_run',
      runId: '9000',
      payload: { action: 'completed', workflow_run: workflowRun }
    }),
    PERFGATE_RETRY_BASE_MS: '5'
  };
}

/** A pull request as `workflow_run.pull_requests` abridges it. */
function runPullRequest(p: FakePull) {
  const repo = (r: FakePull['base']['repo']) => ({
    id: r.id,
    url: `https://api.example/repos/${r.full_name}`,
    name: r.name
  });
  return {
    url: `https://api.example/repos/${p.base.repo.full_name}/pulls/${p.number}`,
    id: p.id,
    number: p.number,
    head: { ref: p.head.ref, sha: p.head.sha, repo: p.head.repo && repo(p.head.repo) },
    base: { ref: p.base.ref, sha: p.base.sha, repo: repo(p.base.repo) }
  };
}

/**
 * The GitHub side of the `artifact` baseline store: finding the newest successful baseline run of
 * this workflow on the default branch through the REST API, and downloading its artifact with
 * `@actions/artifact` (`findBy`, which uses the public API at `GITHUB_API_URL`).
 *
 * `branch=` on the runs list matches the head branch *name* only: a pull request from a fork whose
 * branch is called `main` matches too. So runs are kept only when their event is trusted and their
 * head repository is this repository.
 */
import type { ArtifactSource, StoredRun } from '../baseline/artifact-store.js';
import { TRUSTED_EVENTS } from '../baseline/trust.js';
import { createClient, errorMessage, retryOptionsFromEnv, type GitHubClient } from './api.js';
import { readPayload } from './pull-request.js';

/** Runs looked at: the newest page is enough, a trusted run is rarely more than a page behind. */
const RUNS_PER_PAGE = 50;

interface Where {
  owner: string;
  repo: string;
  /** The workflow's file name (`perf.yml`), which the REST API accepts as the workflow id. */
  workflow: string;
}

/** This repository and workflow file, from `GITHUB_REPOSITORY` and `GITHUB_WORKFLOW_REF`. */
export function workflowLocation(env: NodeJS.ProcessEnv): Where | { missing: string } {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0)
    return { missing: 'GITHUB_REPOSITORY is not set (expected owner/repo)' };
  // owner/repo/.github/workflows/perf.yml@refs/heads/main
  const file = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1];
  if (!file)
    return { missing: 'GITHUB_WORKFLOW_REF is not set: cannot tell which workflow wrote the baseline' };
  return { owner, repo, workflow: file.split('/').at(-1)! };
}

/**
 * The newest run of this workflow on the default branch that succeeded, was triggered by push,
 * schedule or workflow_dispatch, and ran this repository's code (not a fork's); or why there is none.
 */
export async function findBaselineRun(
  env: NodeJS.ProcessEnv,
  token: string
): Promise<StoredRun | { missing: string }> {
  const where = workflowLocation(env);
  if ('missing' in where) return where;
  if (!token) return { missing: 'no github-token to look up the baseline run with' };
  const api = createClient(token, retryOptionsFromEnv(env), env);
  const { owner, repo, workflow } = where;
  try {
    const facts = await repository(api, env, owner, repo);
    if ('missing' in facts) return facts;
    const { id, branch } = facts;
    const { data } = await api.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: workflow,
      branch,
      status: 'success',
      per_page: RUNS_PER_PAGE
    });
    const current = Number(env.GITHUB_RUN_ID);
    const run = data.workflow_runs
      .filter(
        r =>
          TRUSTED_EVENTS.includes(r.event) &&
          r.conclusion === 'success' &&
          r.head_repository?.id === id &&
          r.id !== current
      )
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
    if (!run) {
      return {
        missing: `no successful ${TRUSTED_EVENTS.join('/')} run of ${workflow} on ${branch} yet (run it in baseline mode first)`
      };
    }
    return {
      id: run.id,
      event: run.event,
      headSha: run.head_sha,
      createdAt: run.created_at,
      url: run.html_url
    };
  } catch (err) {
    return { missing: `cannot look up the baseline run of ${workflow}: ${apiFailure(err)}` };
  }
}

/**
 * The repository's id and default branch: from the event payload, else `GET /repos/{owner}/{repo}`
 * (when there is a client to ask with).
 */
async function repository(
  api: GitHubClient | undefined,
  env: NodeJS.ProcessEnv,
  owner: string,
  repo: string
): Promise<{ id: number; branch: string } | { missing: string }> {
  const known = readPayload(env.GITHUB_EVENT_PATH).repository;
  if (typeof known?.id === 'number' && known.default_branch)
    return { id: known.id, branch: known.default_branch };
  if (!api) return { missing: 'the event payload does not name it and there is no github-token to ask with' };
  const { data } = await api.rest.repos.get({ owner, repo });
  return { id: data.id, branch: data.default_branch };
}

/** This repository's id and default branch (payload, else REST API), or why they are unknown. */
export async function repositoryFacts(
  env: NodeJS.ProcessEnv,
  token: string
): Promise<{ id: number; branch: string } | { missing: string }> {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0)
    return { missing: 'GITHUB_REPOSITORY is not set (expected owner/repo)' };
  try {
    const api = token ? createClient(token, retryOptionsFromEnv(env), env) : undefined;
    return await repository(api, env, owner, repo);
  } catch (err) {
    return { missing: `cannot look up the repository: ${apiFailure(err)}` };
  }
}

/** Artifacts of other runs, found and downloaded through the REST API with `token` (`actions: read`). */
export function githubArtifactSource(env: NodeJS.ProcessEnv, token: string): ArtifactSource {
  return {
    findRun: () => findBaselineRun(env, token),
    async download(run, name, dir) {
      const where = workflowLocation(env);
      if ('missing' in where) return where;
      const findBy = {
        token,
        workflowRunId: run.id,
        repositoryOwner: where.owner,
        repositoryName: where.repo
      };
      try {
        // Loaded lazily: the artifact client costs over half a second to import.
        const { DefaultArtifactClient } = await import('@actions/artifact');
        const client = new DefaultArtifactClient();
        const { artifact } = await client.getArtifact(name, { findBy });
        const { digestMismatch } = await client.downloadArtifact(artifact.id, {
          path: dir,
          findBy,
          ...(artifact.digest && { expectedHash: artifact.digest })
        });
        return digestMismatch ? { missing: 'its content does not match its digest' } : undefined;
      } catch (err) {
        return { missing: artifactFailure(err, name) };
      }
    }
  };
}

/** What a failed artifact lookup or download means for the user. */
function artifactFailure(err: unknown, name: string): string {
  if (err instanceof Error && err.name === 'ArtifactNotFoundError') {
    return `that run has no artifact "${name}" (never uploaded under this name, or deleted)`;
  }
  if (statusOf(err) === 410) return 'the artifact has expired (artifacts are kept 90 days by default)';
  return apiFailure(err);
}

function apiFailure(err: unknown): string {
  const status = statusOf(err);
  const message = errorMessage(err).split('\n')[0] ?? '';
  if (status === 403 || status === 404) {
    return `${status} ${message} (does the token have \`actions: read\`?)`;
  }
  return status ? `${status} ${message}` : message;
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

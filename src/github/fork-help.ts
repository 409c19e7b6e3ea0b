/**
 * What the log says when the token may not comment: why, that the gate is unaffected, and the
 * `workflow_run` follow-up that comments on pull requests from forks without running their code.
 */
import type { Failure } from './api.js';
import type { PullRequestTarget } from './pull-request.js';

/** The README section that documents the follow-up workflow, with an example. */
export const FORKS_README_SECTION = 'Pull requests from forks';

/** The warning for a 403 that is not a rate limit. */
export function forbiddenHelp(t: PullRequestTarget, failure: Failure, env: NodeJS.ProcessEnv): string {
  const workflow = env.GITHUB_WORKFLOW ? JSON.stringify(env.GITHUB_WORKFLOW) : '<this workflow>';
  const why = t.fromFork
    ? 'This pull request comes from a fork: there GITHUB_TOKEN is read-only and secrets are absent.'
    : 'If this pull request is not from a fork, give the job `permissions: pull-requests: write`.';
  return [
    `Could not comment on pull request #${t.number}: GitHub answered ${failure.status} "${failure.message}".`,
    why,
    'The gate still decides, and the job summary and the report artifact are written as usual.',
    'To comment on pull requests from forks, add a follow-up workflow: one triggered ' +
      `\`on: workflow_run\` (workflows: [${workflow}], types: [completed]) with ` +
      "`permissions: { pull-requests: write, actions: read }` downloads this run's report artifact " +
      'and runs perfgate with `mode: comment`, which finds the pull request from its workflow_run event ' +
      "and renders the comment from the artifact's results.json, posting it with the base repository's token; " +
      "it never checks out or runs the fork's code (do not use pull_request_target for that).",
    `See the README section "${FORKS_README_SECTION}".`
  ].join('\n');
}

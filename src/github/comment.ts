/**
 * The sticky pull-request comment: one per config, found again by a hidden marker and by its
 * author (the token's own user), created on the first run and updated in place afterwards.
 * Posting never throws and never changes the gate's verdict: failures are logged as warnings and
 * come back as `skipped` with a reason.
 */
import { logInfo, logWarning } from './action-log.js';
import {
  backoff,
  classifyFailure,
  createClient,
  errorMessage,
  retryOptionsFromEnv,
  type GitHubClient,
  type RetryOptions
} from './api.js';
import { COMMENT_LIMIT, commentMarker, fitComment } from './comment-body.js';
import { forbiddenHelp } from './fork-help.js';
import { pullRequestTarget, type PullRequestTarget } from './pull-request.js';
import { sameLogin, tokenUser } from './token-user.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type CommentPolicy = 'always' | 'on-change' | 'never';

export interface CommentRequest {
  token: string;
  /** The rendered markdown body (without the marker); may be long. */
  body: string;
  /** Stable id of the config (e.g. a hash of the config path); goes into the hidden marker `<!-- perfgate:comment config=<id> -->`. */
  configId: string;
  policy: CommentPolicy;
  /** Whether this run's result differs from "nothing to report" (regressions, improvements or broken thresholds); for on-change. */
  changed: boolean;
  /** Link to the run, for the truncation note: `${GITHUB_SERVER_URL}/${repo}/actions/runs/${GITHUB_RUN_ID}`. */
  runUrl: string;
  /** The pull request number, overriding the event payload (the `workflow_run` follow-up finds it from its event). */
  issueNumber?: number;
}

export interface CommentOutcome {
  action: 'created' | 'updated' | 'skipped';
  url?: string;
  reason?: string;
}

/** For tests and drills: retry timing, and the environment to read instead of `process.env`. */
export interface CommentOptions {
  retry?: Partial<RetryOptions>;
  env?: NodeJS.ProcessEnv;
}

interface IssueComment {
  id: number;
  body?: string;
  html_url: string;
  user: { login: string } | null;
}

/** Never throws: failures come back as action 'skipped' with a reason, after logging a warning (action-log.ts). */
export async function postComment(
  req: CommentRequest,
  options: CommentOptions = {}
): Promise<CommentOutcome> {
  if (req.policy === 'never') return skipped('comment policy is "never"');
  const env = options.env ?? process.env;
  const target = pullRequestTarget(env, req.issueNumber);
  if ('skip' in target) return skipped(target.skip);
  if (!req.token) return failed('no GitHub token (input github-token is empty): no pull request comment');
  const retry = { ...retryOptionsFromEnv(env), ...options.retry };
  const marker = commentMarker(req.configId);
  try {
    const api = createClient(req.token, retry, env);
    const user = await tokenUser(api);
    const sticky = await findSticky(api, target, marker, user.login);
    if (!sticky && req.policy === 'on-change' && !req.changed) {
      return skipped('policy on-change: nothing to report and no earlier comment to update');
    }
    const outcome = await write(api, target, sticky, req, { marker, login: user.login, retry });
    if (outcome.action !== 'skipped') logInfo(`pull request comment ${outcome.action}: ${outcome.url}`);
    return outcome;
  } catch (err) {
    const failure = classifyFailure(err);
    if (failure.kind === 'forbidden') {
      logWarning(forbiddenHelp(target, failure, env));
      return {
        action: 'skipped',
        reason:
          `the token cannot write comments on #${target.number} (${failure.status} ${failure.message}); ` +
          'comment from a workflow_run follow-up (README: "Pull requests from forks")'
      };
    }
    return failed(`could not post the pull request comment: ${errorMessage(err)}`);
  }
}

/**
 * The first comment that carries this config's marker and was written by the token's user.
 * Pages are read until it is found (100 comments a page). Comments by anyone else are never
 * chosen, even with the marker: the token may have the right to edit them, but they are not ours.
 */
async function findSticky(
  api: GitHubClient,
  t: PullRequestTarget,
  marker: string,
  login: string
): Promise<IssueComment | undefined> {
  const pages = api.paginate.iterator(api.rest.issues.listComments, {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.number,
    per_page: 100
  });
  for await (const page of pages) {
    for (const c of page.data) {
      if (!c.body?.includes(marker)) continue;
      if (sameLogin(c.user?.login, login)) return c;
      logInfo(
        `comment ${c.html_url} has perfgate's marker but is by ${c.user?.login ?? 'unknown'}: left alone`
      );
    }
  }
  return undefined;
}

interface WriteContext {
  marker: string;
  login: string;
  retry: RetryOptions;
}

/**
 * Updates the sticky comment or creates it; refits once against a smaller limit if GitHub finds
 * the body too long anyway.
 */
async function write(
  api: GitHubClient,
  t: PullRequestTarget,
  sticky: IssueComment | undefined,
  req: CommentRequest,
  ctx: WriteContext
): Promise<CommentOutcome> {
  const where = { owner: t.owner, repo: t.repo };
  for (const limit of [COMMENT_LIMIT, Math.floor(COMMENT_LIMIT * 0.9)]) {
    const fitted = fitComment(ctx.marker, req.body, req.runUrl, limit);
    if (fitted.folded || fitted.truncated) {
      logInfo(
        `report too long for one comment: ${fitted.folded} <details> section(s) folded` +
          (fitted.truncated ? ', then truncated with a link to the run' : '')
      );
    }
    try {
      if (sticky) {
        if (sticky.body === fitted.body) {
          return { action: 'skipped', url: sticky.html_url, reason: 'the comment is already up to date' };
        }
        try {
          const { data } = await api.rest.issues.updateComment({
            ...where,
            comment_id: sticky.id,
            body: fitted.body
          });
          return { action: 'updated', url: data.html_url };
        } catch (err) {
          // Deleted between listing and editing: write a new one.
          if (classifyFailure(err).status !== 404) throw err;
          sticky = undefined;
        }
      }
      const created = await createOnce(api, t, fitted.body, ctx);
      if (created.body !== fitted.body) {
        const { data } = await api.rest.issues.updateComment({
          ...where,
          comment_id: created.id,
          body: fitted.body
        });
        return { action: 'updated', url: data.html_url };
      }
      return { action: 'created', url: created.html_url };
    } catch (err) {
      // Octokit's message carries the `errors` array, where GitHub puts "Body is too long".
      if (classifyFailure(err).status !== 422 || !/too long/i.test(errorMessage(err))) throw err;
      logInfo(`GitHub found the comment too long (${errorMessage(err)}); fitting it into a smaller limit`);
    }
  }
  throw new Error('GitHub still finds the comment too long after refitting');
}

/**
 * Creates the comment without duplicating it: a POST is not blindly repeated, because one that
 * timed out or got a 5xx may have been applied. After such a failure the comments are listed again;
 * if ours is there it is the result, else the POST is repeated (up to `retry.retries` times).
 */
async function createOnce(
  api: GitHubClient,
  t: PullRequestTarget,
  body: string,
  ctx: WriteContext
): Promise<IssueComment> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { data } = await api.rest.issues.createComment({
        owner: t.owner,
        repo: t.repo,
        issue_number: t.number,
        body
      });
      return data;
    } catch (err) {
      const failure = classifyFailure(err);
      const transient = failure.kind === 'server' || failure.kind === 'network';
      if (!transient || attempt >= ctx.retry.retries) throw err;
      const wait = backoff(attempt, ctx.retry);
      logInfo(
        `creating the comment failed (${failure.status ?? 'network'} ${failure.message}); ` +
          `checking in ${(wait / 1000).toFixed(1)} s whether it was created anyway`
      );
      await sleep(wait);
      const landed = await findSticky(api, t, ctx.marker, ctx.login);
      if (landed) return landed;
    }
  }
}

function skipped(reason: string): CommentOutcome {
  logInfo(`no pull request comment: ${reason}`);
  return { action: 'skipped', reason };
}

function failed(reason: string): CommentOutcome {
  logWarning(reason);
  return { action: 'skipped', reason };
}

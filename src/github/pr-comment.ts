/**
 * The gate's PR comment (SPEC §8): rendered from the report model, written into the report directory
 * (`comment.md`, and `pull-request.json` saying where it goes) so that the artifact carries it, then
 * posted as the sticky comment. When the gate's own token could not write (pull requests from forks),
 * a `workflow_run` follow-up (mode `comment`) renders the comment again from the downloaded
 * artifact's results.json and posts it to the pull request the event names.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../model.js';
import { renderComment } from '../report/render.js';
import { buildReportModel } from '../report/report-model.js';
import { gatedWith, problemCount } from '../verdict.js';
import { postComment, type CommentOutcome, type CommentPolicy } from './comment.js';
import { UsageError } from '../errors.js';
import { logInfo, logNotice } from './action-log.js';
import { createClient, retryOptionsFromEnv } from './api.js';
import { readArtifactResults, readPullRequestClaims, RESULTS_FILE } from './artifact-files.js';
import { pullRequestTarget } from './pull-request.js';
import { pullRequestOfRun } from './run-pull-request.js';
import { followedRun, gateRunUrl } from './workflow-run.js';

export const COMMENT_FILE = 'comment.md';
export const PULL_REQUEST_FILE = 'pull-request.json';

/**
 * Where the gate's comment goes. Written to the artifact as `pull-request.json`; the follow-up takes
 * only `configId`, `policy` and (as a hint) `number` from it, checked (see artifact-files.ts).
 */
interface PullRequestFile {
  number: number;
  configId: string;
  policy: CommentPolicy;
  changed: boolean;
  runUrl: string;
}

/** One sticky comment per config: the id is a digest of the config's path in the repository. */
export function configId(configPath: string): string {
  return createHash('sha256').update(path.normalize(configPath)).digest('hex').slice(0, 12);
}

export function runUrl(env: NodeJS.ProcessEnv): string {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

/**
 * Something a reviewer should see: a side that measured nothing usable, a regression, an
 * improvement or a broken threshold.
 */
function changed(results: Results): boolean {
  return (
    problemCount(results) > 0 ||
    gatedWith(results, 'regressed').length > 0 ||
    gatedWith(results, 'improved').length > 0 ||
    results.thresholds.some(t => !t.ok)
  );
}

/**
 * Writes `comment.md` and (on a pull request) `pull-request.json` into the report directory; call
 * before the artifact is uploaded. Returns what `postGateComment` needs.
 */
export function writeCommentFiles(
  results: Results,
  reportDir: string,
  opts: { configPath: string; policy: CommentPolicy; artifactName: string; env?: NodeJS.ProcessEnv }
): PullRequestFile | undefined {
  const env = opts.env ?? process.env;
  const url = runUrl(env);
  const body = renderComment(buildReportModel(results, { distributions: false }), {
    run: url,
    artifact: opts.artifactName
  });
  writeFileSync(path.join(reportDir, COMMENT_FILE), body);
  const target = pullRequestTarget(env);
  if ('skip' in target) return undefined;
  const file: PullRequestFile = {
    number: target.number,
    configId: configId(opts.configPath),
    policy: opts.policy,
    changed: changed(results),
    runUrl: url
  };
  writeFileSync(path.join(reportDir, PULL_REQUEST_FILE), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** Posts the comment written by `writeCommentFiles` (never throws; see postComment). */
export async function postGateComment(token: string, reportDir: string, pr: PullRequestFile | undefined) {
  if (!pr) {
    logInfo('not a pull request: no PR comment');
    return { action: 'skipped', reason: 'not a pull request' } satisfies CommentOutcome;
  }
  const body = readFileSync(path.join(reportDir, COMMENT_FILE), 'utf8');
  return postComment({ token, body, ...pr, issueNumber: pr.number });
}

/** What the `workflow_run` follow-up (mode `comment`) is told by its own, trusted inputs. */
export interface FollowUpOptions {
  token: string;
  /** The downloaded report artifact. */
  reportDir: string;
  /** The `artifact-name` input: named in the comment's link to the full report. */
  artifactName: string;
  /** The `comment` input; empty: the policy the gate run wrote. */
  policy: CommentPolicy | '';
  env?: NodeJS.ProcessEnv;
}

/**
 * Mode `comment`: the PR comment of a gate run, posted by the `workflow_run` follow-up that runs
 * with the base repository's token (pull requests from forks). The gate run's artifact is written by
 * whoever opened the pull request, so it decides nothing it could abuse: the pull request comes from
 * the event and the API (`pullRequestOfRun`), the text is rendered again here from results.json
 * (the fork's `comment.md` is never read) with the run's link built from the event, and only the
 * checked fields of `pull-request.json` are taken (`readPullRequestClaims`). The artifact's files
 * are data, never run. Throws a PerfgateError when it refuses; a run not triggered by a pull request
 * is a skip.
 */
export async function postCommentFromArtifact(opts: FollowUpOptions): Promise<CommentOutcome> {
  const env = opts.env ?? process.env;
  const followed = followedRun(env);
  if ('skip' in followed) {
    logNotice(`perfgate: no PR comment: ${followed.skip}`);
    return { action: 'skipped', reason: followed.skip };
  }
  const { run } = followed;
  const claims = readPullRequestClaims(opts.reportDir, PULL_REQUEST_FILE);
  const resultsFile = path.join(opts.reportDir, RESULTS_FILE);
  const results = readArtifactResults(opts.reportDir);
  const url = gateRunUrl(run, env);
  let body: string;
  let hasChanges: boolean;
  try {
    body = renderComment(buildReportModel(results, { distributions: false }), {
      run: url,
      artifact: opts.artifactName
    });
    hasChanges = changed(results);
  } catch (err) {
    // A file that passed the schema check but still cannot be rendered: name it, no stack trace.
    throw new UsageError(`${resultsFile}: cannot render the comment from it: ${(err as Error).message}`);
  }
  const api = createClient(opts.token, retryOptionsFromEnv(env), env);
  const number = await pullRequestOfRun(api, run, claims.number);
  if (typeof number !== 'number') {
    logNotice(`perfgate: no PR comment: ${number.skip}`);
    return { action: 'skipped', reason: number.skip };
  }
  logInfo(`perfgate: commenting on #${number}, the pull request of run ${url} (commit ${run.headSha})`);
  return postComment(
    {
      token: opts.token,
      body,
      configId: claims.configId,
      policy: opts.policy || claims.policy,
      changed: hasChanges,
      runUrl: url,
      issueNumber: number
    },
    { env }
  );
}

/**
 * The gate's PR comment (SPEC §8): rendered from the report model, written into the report directory
 * (`comment.md`, and `pull-request.json` saying where it goes) so that the artifact carries it, then
 * posted as the sticky comment. A `workflow_run` follow-up (mode `comment`) posts the same files from
 * a downloaded artifact when the gate's own token could not write (pull requests from forks).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { Results } from '../model.js';
import { renderComment } from '../report/render.js';
import { buildReportModel } from '../report/report-model.js';
import { gatedWith } from '../verdict.js';
import { postComment, type CommentOutcome, type CommentPolicy } from './comment.js';
import { pullRequestTarget } from './pull-request.js';

export const COMMENT_FILE = 'comment.md';
export const PULL_REQUEST_FILE = 'pull-request.json';

/** What the follow-up needs to post the comment from the artifact alone. */
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

/** Something a reviewer should see: a regression, an improvement or a broken threshold. */
function changed(results: Results): boolean {
  return (
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
  const body = renderComment(buildReportModel(results), { run: url, artifact: opts.artifactName });
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
    core.info('not a pull request: no PR comment');
    return { action: 'skipped', reason: 'not a pull request' } satisfies CommentOutcome;
  }
  const body = readFileSync(path.join(reportDir, COMMENT_FILE), 'utf8');
  return postComment({ token, body, ...pr, issueNumber: pr.number });
}

/**
 * Mode `comment`: posts the comment of a gate run from its downloaded report artifact (the
 * `workflow_run` follow-up for pull requests from forks). The artifact's files are data, never run.
 */
export async function postCommentFromArtifact(token: string, reportDir: string): Promise<CommentOutcome> {
  const prFile = path.join(reportDir, PULL_REQUEST_FILE);
  if (!existsSync(prFile)) {
    throw new Error(`${prFile} not found: is ${reportDir} the report artifact of a pull request's gate run?`);
  }
  const pr = JSON.parse(readFileSync(prFile, 'utf8')) as Partial<PullRequestFile>;
  if (!Number.isInteger(pr.number) || typeof pr.configId !== 'string' || typeof pr.runUrl !== 'string') {
    throw new Error(`${prFile} is not what perfgate writes (number, configId, runUrl)`);
  }
  const policy: CommentPolicy = pr.policy === 'never' || pr.policy === 'on-change' ? pr.policy : 'always';
  return postGateComment(token, reportDir, {
    number: pr.number!,
    configId: pr.configId,
    policy,
    changed: pr.changed === true,
    runUrl: pr.runUrl
  });
}

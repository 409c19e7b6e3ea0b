/**
 * The regression issue of scheduled runs (SPEC §8): a scheduled (or manually dispatched) baseline
 * run that finds a regression — a change point in a gated metric's history that still holds
 * (analysis/change-points.ts), a gated comparison that regressed (paired mode), or a broken `fail`
 * threshold — opens one issue for it, found again by a hidden marker per config and by its author
 * (the token's own user). A later run that still finds one updates the issue's body and comments
 * on it; the first run back within bounds comments and closes it. Change points in the better
 * direction are reported in the summary only.
 *
 * Never throws and never changes the gate's verdict: failures are warnings (the token needs
 * `issues: write`; a 403 says so).
 */
import { logInfo, logWarning } from './action-log.js';
import type { Results } from '../model.js';
import { comparisonView } from '../report/comparison-view.js';
import { codeSpan, escapeMarkdown, formatObserved } from '../report/format.js';
import { changePointView } from '../report/trend-view.js';
import { gatedWith } from '../verdict.js';
import {
  classifyFailure,
  createClient,
  errorMessage,
  retryOptionsFromEnv,
  type GitHubClient,
  type RetryOptions
} from './api.js';
import { COMMENT_LIMIT } from './comment-body.js';
import { configId, runUrl } from './pr-comment.js';
import { sameLogin, tokenUser } from './token-user.js';

/** The events whose baseline runs keep the issue: the scheduled ones, and manual dispatches. */
export const ISSUE_EVENTS = ['schedule', 'workflow_dispatch'];

export interface IssueRequest {
  token: string;
  results: Results;
  /** The config path as given (the marker's id is a digest of it, as the PR comment's). */
  configPath: string;
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryOptions>;
}

export interface IssueOutcome {
  action: 'opened' | 'updated' | 'closed' | 'none' | 'skipped';
  url?: string;
  reason?: string;
}

/** `<!-- perfgate:issue config=<id> -->`, the id made safe as the comment marker's is. */
export function issueMarker(id: string): string {
  return `<!-- perfgate:issue config=${id.replace(/[^\w.:/@+-]/g, '_') || '_'} -->`;
}

/** The findings of a run, one markdown list item each; empty when it is within bounds. */
export function regressionFindings(results: Results): string[] {
  const changes = (results.changePoints ?? []).filter(c => c.worse).map(changePointView);
  const regressed = gatedWith(results, 'regressed').map(comparisonView);
  const broken = results.thresholds.filter(t => !t.ok && t.severity === 'fail');
  return [
    ...changes.map(
      c =>
        `Change point: ${escapeMarkdown(c.profile)} ${codeSpan(c.metric)} ${c.change} since ${escapeMarkdown(c.since)}: ` +
        `${c.before} → ${c.after}, this run ${c.current} (p ${c.p})`
    ),
    ...regressed.map(
      c =>
        `Regression: ${escapeMarkdown(c.profile)} ${codeSpan(c.metric)} ${c.change} (${c.interval}; ` +
        `base ${c.base}, head ${c.head}, δ ${c.delta}, p ${c.p})`
    ),
    ...broken.map(
      t =>
        `Threshold broken: ${escapeMarkdown(t.profile)} ${codeSpan(t.expression)} on ${codeSpan(t.metric)}, ` +
        `observed ${formatObserved(t.observed, t.unit)}`
    )
  ];
}

/** Opens, updates or closes the issue after a baseline run (see the file comment). Never throws. */
export async function syncRegressionIssue(req: IssueRequest): Promise<IssueOutcome> {
  const env = req.env ?? process.env;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return skipped('GITHUB_REPOSITORY is not set');
  if (req.results.status !== 'complete') return skipped('the run did not complete');
  if (!req.token) return failed('no GitHub token (input github-token is empty): no regression issue');
  const marker = issueMarker(configId(req.configPath));
  const findings = regressionFindings(req.results);
  const url = runUrl(env);
  const retry = { ...retryOptionsFromEnv(env), ...req.retry };
  const where = { owner, repo };
  try {
    const api = createClient(req.token, retry, env);
    const { login } = await tokenUser(api);
    const open = await findOpenIssue(api, where, marker, login);
    if (findings.length === 0) {
      if (!open) return none('no regression, and no open regression issue');
      await api.rest.issues.createComment({
        ...where,
        issue_number: open.number,
        body: `Back within bounds in run ${url}: closing.`
      });
      const { data } = await api.rest.issues.update({
        ...where,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed'
      });
      logInfo(`regression issue closed: ${data.html_url}`);
      return { action: 'closed', url: data.html_url };
    }
    const body = issueBody(marker, findings, req.results, url, req.configPath);
    if (open) {
      const { data } = await api.rest.issues.update({ ...where, issue_number: open.number, body });
      await api.rest.issues.createComment({
        ...where,
        issue_number: open.number,
        body: `Run ${url} still finds ${findings.length === 1 ? 'a regression' : `${findings.length} regressions`} (the description is updated).`
      });
      logInfo(`regression issue updated: ${data.html_url}`);
      return { action: 'updated', url: data.html_url };
    }
    const { data } = await api.rest.issues.create({ ...where, title: issueTitle(env, req.configPath), body });
    logInfo(`regression issue opened: ${data.html_url}`);
    return { action: 'opened', url: data.html_url };
  } catch (err) {
    const failure = classifyFailure(err);
    if (failure.kind === 'forbidden' || failure.status === 404) {
      return failed(
        `could not open, update or close the regression issue: ${failure.status} ${failure.message}; ` +
          'give the workflow `permissions: issues: write` (and make sure issues are enabled in the repository)'
      );
    }
    return failed(`could not open, update or close the regression issue: ${errorMessage(err)}`);
  }
}

interface OpenIssue {
  number: number;
  html_url: string;
}

/**
 * The open issue with the marker written by the token's user (the oldest, if several): open issues
 * created by `login`, 100 a page, pull requests left out. Issues by anyone else are never chosen.
 */
async function findOpenIssue(
  api: GitHubClient,
  where: { owner: string; repo: string },
  marker: string,
  login: string
): Promise<OpenIssue | undefined> {
  const pages = api.paginate.iterator(api.rest.issues.listForRepo, {
    ...where,
    state: 'open',
    creator: login,
    per_page: 100
  });
  let found: OpenIssue | undefined;
  for await (const page of pages) {
    for (const issue of page.data) {
      if (issue.pull_request || !issue.body?.includes(marker) || !sameLogin(issue.user?.login, login))
        continue;
      if (!found || issue.number < found.number) found = { number: issue.number, html_url: issue.html_url };
    }
  }
  return found;
}

function issueTitle(env: NodeJS.ProcessEnv, configPath: string): string {
  const config = /^(?:\.\/)?perfgate\.ya?ml$/.test(configPath) ? '' : ` (${configPath})`;
  return `perfgate: performance regression in ${env.GITHUB_WORKFLOW || 'the scheduled workflow'}${config}`;
}

function issueBody(
  marker: string,
  findings: string[],
  results: Results,
  url: string,
  configPath: string
): string {
  const sha = results.git.sha ? ` at ${codeSpan(results.git.sha.slice(0, 7))}` : '';
  const head = [
    marker,
    `The ${escapeMarkdown(results.git.event ?? 'scheduled')} run ${url}${sha} (${escapeMarkdown(results.createdAt)}) ` +
      `of ${codeSpan(configPath)} finds:`,
    ''
  ];
  const foot = [
    '',
    'A change point is a shift in a gated metric over the stored baseline runs that still holds at this run ' +
      "(Otava's method; see the run's summary). Each scheduled run that still finds a regression updates " +
      'this issue; the first one back within bounds closes it.'
  ];
  const items: string[] = [];
  let length = [...head, ...foot].join('\n').length + 200;
  for (const [i, f] of findings.entries()) {
    if (length + f.length + 3 > COMMENT_LIMIT) {
      items.push(`- … and ${findings.length - i} more: see the run's summary`);
      break;
    }
    items.push(`- ${f}`);
    length += f.length + 3;
  }
  return [...head, ...items, ...foot].join('\n');
}

function none(reason: string): IssueOutcome {
  logInfo(`regression issue: ${reason}`);
  return { action: 'none', reason };
}

function skipped(reason: string): IssueOutcome {
  logInfo(`no regression issue: ${reason}`);
  return { action: 'skipped', reason };
}

function failed(reason: string): IssueOutcome {
  logWarning(reason, { title: 'perfgate regression issue' });
  return { action: 'skipped', reason };
}

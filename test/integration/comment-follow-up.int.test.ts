/**
 * Mode `comment` (the `workflow_run` follow-up for pull requests from forks) run as a runner runs the
 * bundle (dist/index.js), against a local server playing the GitHub API. The report artifact is
 * written by whoever opened the pull request, so here it lies: the pull request comes from the event
 * and the API, the text is rendered again from results.json. Reading the artifact's files safely:
 * comment-follow-up-artifact.int.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commentMarker } from '../../src/github/comment-body.js';
import type { Results } from '../../src/model.js';
import { exampleConfig } from '../helpers/example-config.js';
import { FakeGitHub, faults, Routes } from '../helpers/fake-github.js';
import { artifact, CONFIG_ID, FORK, HOSTILE, REPO, runFollowUp, sha, SHA } from '../helpers/follow-up.js';
import { sampleResults } from '../helpers/results.js';
import { runAction } from '../helpers/run-action.js';
import type { GateRunEvent } from '../helpers/workflow-run-event.js';

const MARKER = commentMarker(CONFIG_ID);

let github: FakeGitHub;
beforeEach(async () => (github = await FakeGitHub.start({ token: 'ghs_not_a_real_token' })));
afterEach(() => github.close());

const followUp = (dir: string, event: GateRunEvent, inputs?: Record<string, string>) =>
  runFollowUp(github, dir, event, inputs);

/** The comment's text outside code spans and code blocks, where markdown and mentions are live. */
function live(body: string): string {
  return body.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[^`]*?\1/g, '');
}

const samePr = (n = 7, at = SHA) => github.addPull(REPO, { number: n, branch: 'feature', sha: at });
const forkPr = (n = 12, at = SHA, head = FORK) =>
  github.addPull(REPO, { number: n, branch: 'feature', sha: at, head });

describe('mode comment finds the pull request from the workflow_run event', () => {
  it('a pull request from a branch of this repository: workflow_run.pull_requests names it', async () => {
    const dir = artifact();
    const r = await followUp(dir, { sha: SHA, pullRequests: [samePr(7)] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [comment] = github.comments(REPO, 7);
    expect(github.comments(REPO, 7)).toHaveLength(1);
    expect(comment!.body.startsWith(`${MARKER}\n## ❌ perfgate: gate failed`)).toBe(true);
    // The link is the gate run's (workflow_run.id), not the artifact's runUrl nor the follow-up's run.
    expect(comment!.body).toContain(
      'the `perfgate-report` artifact of [this run](https://github.example/acme/shop/actions/runs/6001)'
    );
    expect(comment!.body).not.toContain('evil.example');
    expect(r.outputs['comment-url']).toBe(comment!.html_url);
    expect(github.requestsTo(Routes.ListPulls)).toHaveLength(0);
  });

  it('a pull request from a fork: found by head owner and branch, at the run commit; another fork’s branch of the same name is not taken', async () => {
    // Listed newest first: the other fork's pull request and one of this repository come before ours.
    forkPr(12);
    forkPr(13, SHA, 'mallory/shop');
    samePr(14);
    const dir = artifact({ pr: { number: 12, configId: CONFIG_ID, policy: 'always' } });
    const r = await followUp(dir, { sha: SHA, head: FORK });
    expect(r.code).toBe(0);
    expect(github.comments(REPO, 12)).toHaveLength(1);
    expect(github.comments(REPO, 13)).toHaveLength(0);
    expect(github.comments(REPO, 14)).toHaveLength(0);
    expect(github.requestsTo(Routes.ListPulls)[0]!.query).toMatchObject({
      head: 'contributor:feature',
      state: 'open',
      per_page: '100'
    });
  });

  it('does not rely on the API’s head filter: the head repository and commit are checked again', async () => {
    await github.close();
    github = await FakeGitHub.start({ token: 'ghs_not_a_real_token', ignoreHeadFilter: true });
    forkPr(12);
    forkPr(13, SHA, 'mallory/shop');
    // More than one page of pull requests, ours on the last one.
    for (let n = 20; n < 130; n++) github.addPull(REPO, { number: n, branch: `b${n}`, sha: sha(`pr ${n}`) });
    const r = await followUp(artifact({ pr: { number: 12, configId: CONFIG_ID, policy: 'always' } }), {
      sha: SHA,
      head: FORK
    });
    expect(r.code).toBe(0);
    expect(github.comments(REPO, 12)).toHaveLength(1);
    expect(github.comments(REPO, 13)).toHaveLength(0);
    expect(github.requestsTo(Routes.ListPulls).map(q => q.query.page ?? '1')).toEqual(['1', '2']);
  });

  it('a workflow_run of a push: a notice, no comment, no API call, exit 0', async () => {
    const r = await followUp(artifact(), { sha: SHA, event: 'push', branch: 'main' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::notice::perfgate: no PR comment: the gate run was triggered by "push", not by a pull request'
    );
    expect(r.stdout).not.toMatch(/::(error|warning)::/);
    expect(r.outputs['comment-url']).toBe('');
    expect(github.requests).toHaveLength(0);
  });

  it('not started by workflow_run: refused, the step fails', async () => {
    const dir = artifact();
    const r = await runAction(dir, {
      ...github.actionEnv({ repo: REPO, number: 7 }),
      INPUT_MODE: 'comment',
      'INPUT_REPORT-DIR': 'report'
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error::perfgate: mode "comment" runs in a workflow triggered by workflow_run'
    );
    expect(github.requests).toHaveLength(0);
  });
});

describe('mode comment refuses what does not belong to the run', () => {
  it('a forged number in pull-request.json: refused, the named pull request is untouched', async () => {
    const victim = github.seed(REPO, 9, `${MARKER}\n## ❌ perfgate: gate failed (1 regression)`);
    const dir = artifact({ pr: { number: 9, configId: CONFIG_ID, policy: 'always' } });
    const r = await followUp(dir, { sha: SHA, pullRequests: [samePr(7), samePr(9, sha('other'))] });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'pull-request.json names #9, but the run is of #7: the artifact does not belong to this run'
    );
    expect(github.comments(REPO, 9)).toEqual([victim]);
    expect(github.comments(REPO, 7)).toHaveLength(0);
    expect(github.requestsTo(Routes.CreateComment)).toHaveLength(0);
  });

  it('a fork’s pull request whose head is another commit (a newer push): no comment, a notice saying why', async () => {
    forkPr(12, sha('a newer push'));
    const r = await followUp(artifact({ pr: { configId: CONFIG_ID, policy: 'always' } }), {
      sha: SHA,
      head: FORK
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `::notice::perfgate: no PR comment: no open pull request from "contributor:feature" (contributor/shop) at the run's commit ${SHA}; #12 is at ${sha('a newer push')} (a newer push: its own run comments)`
    );
    expect(r.outputs['comment-url']).toBe('');
    expect(github.requestsTo(Routes.CreateComment)).toHaveLength(0);
    expect(github.requestsTo(Routes.UpdateComment)).toHaveLength(0);
  });

  it('no open pull request from the fork’s branch (another fork’s at the same commit does not count): no comment', async () => {
    forkPr(13, SHA, 'mallory/shop');
    const r = await followUp(artifact(), { sha: SHA, head: FORK });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::notice::perfgate: no PR comment: no open pull request from "contributor:feature"'
    );
    expect(github.comments(REPO, 13)).toHaveLength(0);
    expect(github.requestsTo(Routes.CreateComment)).toHaveLength(0);
  });

  it('two open pull requests at the run commit: the artifact’s number may choose among them, not add one', async () => {
    github.addPull(REPO, { number: 12, branch: 'feature', sha: SHA, head: FORK });
    github.addPull(REPO, { number: 15, branch: 'feature', sha: SHA, head: FORK, base: 'release' });
    const none = await followUp(artifact({ pr: { configId: CONFIG_ID, policy: 'always' } }), {
      sha: SHA,
      head: FORK
    });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('several open pull requests');
    expect(none.stdout).toContain("(#12, #15) and the artifact's pull-request.json names none");
    const other = await followUp(artifact({ pr: { number: 7, configId: CONFIG_ID, policy: 'always' } }), {
      sha: SHA,
      head: FORK
    });
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('names #7, not one of them');
    const chosen = await followUp(artifact({ pr: { number: 15, configId: CONFIG_ID, policy: 'always' } }), {
      sha: SHA,
      head: FORK
    });
    expect(chosen.code).toBe(0);
    expect(github.comments(REPO, 15)).toHaveLength(1);
    expect(github.comments(REPO, 12)).toHaveLength(0);
  });
});

describe('mode comment renders the comment again from results.json', () => {
  it('the forged comment.md is ignored; hostile strings in results.json are inert', async () => {
    const base = sampleResults({ notes: [HOSTILE] }, { profile: HOSTILE, request: HOSTILE });
    const results: Results = {
      ...base,
      tool: { name: 'perfgate', version: HOSTILE },
      environment: { ...base.environment, cpuModel: HOSTILE, os: HOSTILE, node: HOSTILE },
      config: HOSTILE,
      configHash: HOSTILE,
      thresholds: base.thresholds.map(t => ({ ...t, expression: `${t.expression} ${HOSTILE}` }))
    };
    const r = await followUp(artifact({ results }), { sha: SHA, pullRequests: [samePr(7)] });
    expect(r.code).toBe(0);
    const body = github.comments(REPO, 7)[0]!.body;
    expect(body).not.toContain('All good, merge it!');
    expect(body.split('<!-- perfgate:')).toHaveLength(2);
    expect(body.startsWith(MARKER)).toBe(true);
    const text = live(body);
    expect(text).not.toContain('@org/team');
    expect(text).not.toContain('](https://evil.example');
    expect(text).not.toContain('<img');
    // The names are still there, escaped.
    expect(text).toContain('@\u200borg/team');
  });

  it('is what the gate itself renders: a gate run on a fork, then the follow-up', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    github.failNext(Routes.CreateComment, faults.integration(), 1);
    const gate = await runAction(cfg.dir, {
      ...github.actionEnv({ repo: REPO, number: 12, fork: true, runId: '6001' }),
      PERFGATE_RETRY_BASE_MS: '5',
      INPUT_COMMENT: 'always'
    });
    expect(gate.code).toBe(0);
    expect(github.comments(REPO, 12)).toHaveLength(0);
    forkPr(12);
    const follow = await followUp(cfg.dir, { sha: SHA, head: FORK, runId: 6001 });
    expect(follow.code).toBe(0);
    const [comment] = github.comments(REPO, 12);
    const written = readFileSync(path.join(cfg.dir, 'report/comment.md'), 'utf8');
    expect(comment!.body).toBe(`${comment!.body.split('\n')[0]}\n${written}`);
    expect(comment!.body).toMatch(/^<!-- perfgate:comment config=[0-9a-f]{12} -->\n## ✅ perfgate: pass/);
  });

  it('policy on-change decides on results.json, not on the artifact’s "changed"', async () => {
    const base = sampleResults();
    const quiet: Results = {
      ...base,
      verdict: 'pass',
      thresholds: base.thresholds.map(t => ({ ...t, ok: true }))
    };
    const dir = artifact({
      results: quiet,
      pr: { number: 7, configId: CONFIG_ID, policy: 'on-change', changed: true }
    });
    const r = await followUp(dir, { sha: SHA, pullRequests: [samePr(7)] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policy on-change: nothing to report');
    expect(github.comments(REPO, 7)).toHaveLength(0);
    // The follow-up's own comment input overrides the artifact's policy.
    const always = await followUp(dir, { sha: SHA, pullRequests: [samePr(7)] }, { INPUT_COMMENT: 'always' });
    expect(always.code).toBe(0);
    expect(github.comments(REPO, 7)).toHaveLength(1);
  });
});

describe('the fake GitHub’s pull requests', () => {
  const get = async (route: string) => {
    const res = await fetch(`${github.url}/repos/${REPO}/${route}`, {
      headers: { authorization: `token ${github.token}` }
    });
    return { status: res.status, data: (await res.json()) as { number: number }[] & { number: number } };
  };

  it('filters by head owner:branch and state, newest first, as GitHub does', async () => {
    forkPr(12);
    forkPr(13, SHA, 'mallory/shop');
    github.addPull(REPO, { number: 14, branch: 'feature', sha: SHA, head: FORK, state: 'closed' });
    github.addPull(REPO, { number: 15, branch: 'feature', sha: SHA, head: FORK, base: 'release' });
    const numbers = async (q: string) => (await get(`pulls?${q}`)).data.map(p => p.number);
    expect(await numbers('head=contributor:feature')).toEqual([15, 12]);
    expect(await numbers('head=contributor:feature&state=all')).toEqual([15, 14, 12]);
    expect(await numbers('head=contributor:feature&base=release')).toEqual([15]);
    expect(await numbers('head=mallory:feature')).toEqual([13]);
  });

  it('answers one pull request by number, 404 for none', async () => {
    forkPr(12);
    expect(await get('pulls/12')).toMatchObject({ status: 200, data: { number: 12 } });
    expect((await get('pulls/99')).status).toBe(404);
  });
});

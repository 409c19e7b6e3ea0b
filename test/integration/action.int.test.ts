/**
 * Runs the committed bundle `dist/index.js` the way a runner does: INPUT_* and GITHUB_* variables,
 * temporary step-summary and output files, node as a child process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exampleConfig } from '../helpers/example-config.js';
import { startFakeArtifacts } from '../helpers/fake-artifacts.js';
import { FakeGitHub, faults, Routes } from '../helpers/fake-github.js';
import { isListening } from '../helpers/net.js';
import { runAction } from '../helpers/run-action.js';
import { workflowRunEnv } from '../helpers/workflow-run-event.js';

describe('the Action bundle (dist/index.js) run as a runner runs it', () => {
  it('passes: exit 0, job summary written, outputs set', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_req_failed: ["rate<0.01"]\nhttp_reqs: ["count>0"]' });
    const r = await runAction(cfg.dir, {});
    expect(r.stdout).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(r.summary).toContain('perfgate: pass');
    expect(r.summary).toMatch(/\| hello \| 2\/2 \|/);
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      regressions: '0',
      improvements: '0',
      'thresholds-failed': '0',
      'comment-url': ''
    });
    expect(r.outputs['report-dir']).toBe(path.join(cfg.dir, 'report'));
    const results = JSON.parse(readFileSync(r.outputs.results!, 'utf8'));
    expect(results.git).toMatchObject({
      sha: 'c0ffee0000000000000000000000000000000000',
      repository: 'acme/shop'
    });
    expect(results.environment.runner).toBe('test-runner');
    // The token reaches the log only inside the runner's mask command.
    expect(r.stdout).toContain('::add-mask::ghs_not_a_real_token');
    expect(r.stdout.replace('::add-mask::ghs_not_a_real_token', '')).not.toContain('ghs_not_a_real_token');
    expect(await isListening(cfg.port)).toBe(false);
  });

  it('uploads the report directory as the artifact, with the retention asked for', async () => {
    const artifacts = await startFakeArtifacts();
    try {
      const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
      const r = await runAction(cfg.dir, {
        ACTIONS_RUNTIME_TOKEN: artifacts.token,
        ACTIONS_RESULTS_URL: `${artifacts.url}/`,
        'INPUT_ARTIFACT-NAME': 'perf-report',
        'INPUT_RETENTION-DAYS': '7'
      });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('::warning::could not upload');
      expect(artifacts.artifacts).toHaveLength(1);
      const a = artifacts.artifacts[0]!;
      expect(a).toMatchObject({
        name: 'perf-report',
        finalized: true,
        workflowRunBackendId: 'a0b1c2d3-0000-4000-8000-000000000001',
        workflowJobRunBackendId: 'a0b1c2d3-0000-4000-8000-000000000002'
      });
      // About 7 days from now.
      const days = (Date.parse(a.expiresAt!) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThan(7.1);
      expect(artifacts.entries(a).sort()).toEqual(
        expect.arrayContaining(['results.json', 'service-head.log', 'summary.md'])
      );
      expect(JSON.parse(artifacts.read(a, 'results.json'))).toMatchObject({
        status: 'complete',
        verdict: 'pass'
      });
      expect(r.stdout).toMatch(/report uploaded as artifact "perf-report" \(id 1, \d+ bytes, kept 7 days\)/);
    } finally {
      await artifacts.close();
    }
  });

  it('fails: exit 1 via core.setFailed, annotation at the threshold line, verdict output fail', async () => {
    const cfg = await exampleConfig({
      thresholds: 'http_req_duration: ["p(50)<1us"]\nhttp_reqs: ["count>0"]'
    });
    const r = await runAction(cfg.dir, {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::perfgate: gate failed: 1 threshold\(s\) broken, 0 regression\(s\)/);
    expect(r.stdout).toMatch(
      /::error title=perfgate threshold,file=[^,]*perfgate\.yml,line=\d+,col=\d+::hello: http_req_duration p\(50\)<1us broken/
    );
    expect(r.summary).toContain('gate failed');
    expect(r.outputs).toMatchObject({ verdict: 'fail', 'thresholds-failed': '1' });
  });

  it('fail-on: threshold still fails; never passes', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_req_duration: ["p(50)<1us"]', trials: 1 });
    const r = await runAction(cfg.dir, { 'INPUT_FAIL-ON': 'never' });
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('fail');
  });

  it('a bad config: exit 1 with an annotation at the config line, no stack trace', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_req_duration: ["p95<250"]' });
    const r = await runAction(cfg.dir, {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error title=perfgate config,file=[^,]*perfgate\.yml,line=\d+,col=\d+::/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.summary).toMatch(/^## 💥 perfgate: config error\n\n```\n.*perfgate\.yml:\d+:\d+ profiles\[0\]/);
  });

  it('a bad input value: exit 1 naming the input', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    const r = await runAction(cfg.dir, { 'INPUT_FAIL-ON': 'sometimes' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'input "fail-on": expected one of any, regression, threshold, never, got "sometimes"'
    );
  });

  describe('the PR comment, against a local server playing the GitHub API', () => {
    let github: FakeGitHub;
    beforeEach(
      async () =>
        (github = await FakeGitHub.start({ token: 'ghs_not_a_real_token', login: 'github-actions[bot]' }))
    );
    afterEach(() => github.close());

    const env = (extra: Record<string, string> = {}) => ({
      ...github.actionEnv({ repo: 'acme/shop', number: 7 }),
      PERFGATE_RETRY_BASE_MS: '5',
      INPUT_COMMENT: 'always',
      ...extra
    });

    it('creates one sticky comment on the first run and updates it in place on the second', async () => {
      const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
      const first = await runAction(cfg.dir, env());
      expect(first.code).toBe(0);
      const [comment] = github.comments('acme/shop', 7);
      expect(github.comments('acme/shop', 7)).toHaveLength(1);
      expect(comment!.body).toMatch(/^<!-- perfgate:comment config=[0-9a-f]{12} -->\n## ✅ perfgate: pass/);
      expect(comment!.body).toContain(
        'the `perfgate-report` artifact of [this run](https://github.example/acme/shop/actions/runs/4242)'
      );
      expect(first.outputs['comment-url']).toBe(comment!.html_url);
      // The artifact's files: the comment and where it goes.
      expect(readFileSync(path.join(cfg.dir, 'report/comment.md'), 'utf8')).toContain('perfgate: pass');
      expect(JSON.parse(readFileSync(path.join(cfg.dir, 'report/pull-request.json'), 'utf8'))).toMatchObject({
        number: 7,
        policy: 'always'
      });

      const second = await runAction(
        cfg.dir,
        env({ GITHUB_RUN_ID: '4243', ...github.actionEnv({ runId: '4243' }) })
      );
      expect(second.code).toBe(0);
      const after = github.comments('acme/shop', 7);
      expect(after).toHaveLength(1);
      expect(after[0]!.id).toBe(comment!.id);
      expect(after[0]!.body).toContain('actions/runs/4243');
      expect(github.requestsTo(Routes.CreateComment)).toHaveLength(1);
      expect(github.requestsTo(Routes.UpdateComment)).toHaveLength(1);
    });

    it('a fork: the token may not comment, the gate still decides, the summary is written, the log explains', async () => {
      const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
      github.failNext(Routes.CreateComment, faults.integration(), 1);
      const r = await runAction(cfg.dir, { ...env(), ...github.actionEnv({ fork: true }) });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ verdict: 'pass', 'comment-url': '' });
      expect(r.summary).toContain('perfgate: pass');
      expect(r.stdout).toContain('::warning::Could not comment on pull request #7');
      expect(r.stdout).toContain('on: workflow_run');
      expect(github.comments('acme/shop', 7)).toHaveLength(0);

      // The follow-up (mode comment), on the workflow_run event of that gate run, finds the fork's
      // pull request at the run's head commit and posts the comment rendered from the artifact.
      const sha = 'c0ffee'.padEnd(40, '0');
      github.addPull('acme/shop', { number: 7, branch: 'feature', sha, head: 'contributor/shop' });
      const follow = await runAction(cfg.dir, {
        ...workflowRunEnv(github, { sha, head: 'contributor/shop', runId: 5000 }),
        INPUT_MODE: 'comment',
        'INPUT_REPORT-DIR': path.join(cfg.dir, 'report')
      });
      expect(follow.code).toBe(0);
      const [comment] = github.comments('acme/shop', 7);
      expect(comment!.body).toContain('perfgate: pass');
      expect(follow.outputs['comment-url']).toBe(comment!.html_url);
    });

    it('a failing gate still fails when the comment cannot be posted (GitHub down)', async () => {
      const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count<1"]' });
      github.failNext(Routes.ListComments, faults.serverError(502), 20);
      const r = await runAction(cfg.dir, env());
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ verdict: 'fail', 'comment-url': '' });
      expect(r.stdout).toMatch(/::warning::/);
    });
  });
});

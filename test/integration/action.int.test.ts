/**
 * Runs the committed bundle `dist/index.js` the way a runner does: INPUT_* and GITHUB_* variables,
 * temporary step-summary and output files, node as a child process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exampleConfig, REPO } from '../helpers/example-config.js';
import { isListening } from '../helpers/net.js';
import { runNode } from '../helpers/run-node.js';

async function runAction(workdir: string, inputs: Record<string, string>) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-runner-'));
  const summary = path.join(tmp, 'step-summary.md');
  const output = path.join(tmp, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_WORKSPACE: workdir,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_EVENT_NAME: 'pull_request',
    RUNNER_NAME: 'test-runner',
    // What a runner passes for every declared input with its default:
    INPUT_CONFIG: 'perfgate.yml',
    INPUT_MODE: 'auto',
    'INPUT_GITHUB-TOKEN': 'ghs_not_a_real_token',
    INPUT_COMMENT: '',
    'INPUT_FAIL-ON': 'any',
    'INPUT_ARTIFACT-NAME': 'perfgate-report',
    'INPUT_WORKING-DIRECTORY': workdir,
    ...inputs
  };
  const r = await runNode([path.join(REPO, 'dist/index.js')], { cwd: REPO, env, timeoutMs: 90_000 });
  return {
    ...r,
    summary: readFileSync(summary, 'utf8'),
    outputs: parseOutputs(readFileSync(output, 'utf8'))
  };
}

/** Parses the `name<<DELIMITER` blocks that @actions/core appends to GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

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
});

/**
 * Never green on nothing (SPEC §3): a profile with no valid trial, or with most of its requests
 * failing and no `http_req_failed` threshold, fails the gate (exit 1) and says why in the terminal,
 * results.json and summary.md — against real services on loopback, through the real CLI.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { EXAMPLE_DIR, REPO, tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const NEVER_ANSWERS = path.join(REPO, 'test/fixtures/services/never-answers.mjs');

/** A config for one short profile against `command` (run in `cwd`) on a free port. */
async function config(o: { command: string; cwd: string; profile: string[]; extra?: string[] }) {
  const port = await freePort();
  const { dir, file } = tempConfig('perfgate-nothing-', [
    'version: 1',
    'service:',
    `  command: ${o.command}`,
    `  cwd: ${o.cwd}`,
    `  env: { PORT: "${port}", DELAY_MS: "1" }`,
    `  ready: { url: "http://127.0.0.1:${port}/health", timeout: 10s }`,
    `target: http://127.0.0.1:${port}`,
    'defaults: { connections: 2, warmup: 0s, duration: 1s, trials: 2 }',
    'profiles:',
    ...o.profile.map(l => `  ${l}`),
    ...(o.extra ?? []),
    'report: { dir: report }'
  ]);
  const run = (...args: string[]) =>
    runNode([BIN, 'run', '-c', file, ...args], { cwd: dir, env: { ...process.env, CI: 'true' } });
  const read = () => ({
    results: JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8')) as Results,
    summary: readFileSync(path.join(dir, 'report/summary.md'), 'utf8')
  });
  return { run, read };
}

describe('a run is never green on nothing', () => {
  beforeAll(buildLib, 120_000);

  it('no valid trial: exit 1, "nothing was measured", in the terminal, results.json and summary.md', async () => {
    const c = await config({
      command: `node ${NEVER_ANSWERS}`,
      cwd: REPO,
      profile: ['- name: silent', '  requests: [{ path: /never }]']
    });
    const r = await c.run();
    expect(r.code).toBe(1);
    const { results, summary } = c.read();
    expect(results).toMatchObject({ status: 'complete', verdict: 'fail' });
    expect(results.problems).toEqual([
      {
        profile: 'silent',
        side: 'head',
        kind: 'nothing-measured',
        message:
          'nothing was measured: profile "silent" (head): none of its 2 trials was valid: ' +
          '2 × no request completed in the measured window'
      }
    ]);
    expect(r.stdout).toContain('FAIL nothing was measured: profile "silent" (head)');
    expect(r.stdout).toContain('perfgate: gate failed (nothing measured)');
    expect(summary).toContain('## ❌ perfgate: gate failed (nothing measured)');
    expect(summary).toContain('- ❌ nothing was measured: profile "silent" (head)');
  }, 60_000);

  it('every request failed, no http_req_failed threshold: exit 1 with the share and the statuses', async () => {
    const c = await config({
      command: 'node server.mjs',
      cwd: EXAMPLE_DIR,
      profile: ['- name: missing', '  requests: [{ path: /no-such-route }]']
    });
    const r = await c.run();
    expect(r.code).toBe(1);
    const { results, summary } = c.read();
    expect(results.verdict).toBe('fail');
    expect(results.problems).toHaveLength(1);
    const problem = results.problems![0]!;
    expect(problem).toMatchObject({ profile: 'missing', side: 'head', kind: 'failed-requests' });
    expect(problem.message).toMatch(
      /^profile "missing" \(head\): 100\.0 % of requests failed \([\d,]+ of [\d,]+ in 2 valid trials; unexpected status [\d,]+, statuses 404 × [\d,]+\), more than 50 % with no http_req_failed threshold/
    );
    expect(r.stdout).toContain('perfgate: gate failed (most requests failed)');
    expect(summary).toContain('100.0 % of requests failed');
    // fail-on: threshold or regression do not make it green either; only `never` does.
    expect((await c.run('--fail-on', 'regression')).code).toBe(1);
    expect((await c.run('--fail-on', 'never')).code).toBe(0);
  }, 90_000);

  it('an explicit http_req_failed threshold decides instead', async () => {
    const c = await config({
      command: 'node server.mjs',
      cwd: EXAMPLE_DIR,
      profile: [
        '- name: missing',
        '  requests: [{ path: /no-such-route }]',
        '  thresholds: { http_req_failed: ["rate<=1"] }'
      ]
    });
    const r = await c.run();
    expect(r.stderr).not.toMatch(/nothing was measured|requests failed/);
    expect(r.code).toBe(0);
    const { results } = c.read();
    expect(results.problems).toBeUndefined();
    expect(results.verdict).toBe('pass');
  }, 60_000);
});

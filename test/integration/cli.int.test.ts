import { spawn } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleConfig, REPO } from '../helpers/example-config.js';
import { isListening } from '../helpers/net.js';
import { isGone } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const perfgate = (args: string[], cwd = REPO) =>
  runNode([BIN, ...args], { cwd, env: { ...process.env, CI: 'true' } });
const readResults = (dir: string): Results =>
  JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8'));

describe('perfgate CLI exit codes (SPEC §12)', () => {
  beforeAll(buildLib, 120_000);

  it('run: 0 when every threshold holds, with results.json, summary.md and the service log written', async () => {
    const cfg = await exampleConfig({
      thresholds: 'http_req_failed: ["rate<0.01"]\nhttp_reqs: ["count>0"]\nhttp_req_duration: ["p(99)<5s"]'
    });
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.code).toBe(0);
    const results = readResults(cfg.dir);
    expect(results).toMatchObject({ schemaVersion: 2, status: 'complete', verdict: 'pass' });
    expect(results.profiles[0]!.head.trials).toHaveLength(2);
    expect(results.profiles[0]!.head.trials[0]!.metrics.responses).toBeGreaterThan(0);
    expect(results.thresholds.map(t => t.ok)).toEqual([true, true, true]);
    expect(results.environment.cores).toBeGreaterThan(0);
    expect(readFileSync(path.join(cfg.dir, 'report/summary.md'), 'utf8')).toContain('perfgate: pass');
    expect(readFileSync(path.join(cfg.dir, 'report/service-head.log'), 'utf8')).toContain('listening');
    expect(results.serviceLogs).toEqual([
      {
        side: 'head',
        file: 'service-head.log',
        tail: expect.arrayContaining([expect.stringContaining('listening')])
      }
    ]);
    expect(results.profiles[0]!.mix!.map(r => `${r.method} ${r.path}`)).toEqual(['GET /hello', 'GET /slow']);
    const html = readFileSync(path.join(cfg.dir, 'report/report.html'), 'utf8');
    expect(html).toContain('<code>GET /hello</code>');
    expect(html).toMatch(/<pre>[^<]*listening/);
    expect(r.stdout).toMatch(/perfgate: pass/);
    expect(await isListening(cfg.port)).toBe(false);
  });

  it("samples the service's CPU and memory per trial, and gates on service_cpu and service_rss", async () => {
    const cfg = await exampleConfig({
      thresholds: [
        'service_rss: ["max<2GB", "avg>1MB", "max<1MB"]',
        'service_cpu: ["avg<400", "max>0"]'
      ].join('\n')
    });
    const r = await perfgate(['run', '-c', cfg.file]);
    const results = readResults(cfg.dir);
    const trials = results.profiles[0]!.head.trials;
    for (const t of trials) {
      expect(t.resources!.samples.length).toBeGreaterThanOrEqual(2);
      expect(t.resources!.rss.peak).toBeGreaterThan(10 * 1024 ** 2); // a node process
      expect(t.resources!.cpu.mean).toBeGreaterThan(0); // it served requests
      expect(t.timeline.some(p => (p.serviceRss ?? 0) > 0)).toBe(true);
    }
    expect(results.thresholds.map(t => `${t.metric} ${t.expression} ${t.ok}`)).toEqual([
      'service_rss max<2GB true',
      'service_rss avg>1MB true',
      'service_rss max<1MB false',
      'service_cpu avg<400 true',
      'service_cpu max>0 true'
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +hello +service_rss +max<1MB +\(observed \d+\.\d MB\)/);
  });

  it('run: 1 when a threshold is broken, naming it', async () => {
    const cfg = await exampleConfig({
      thresholds: 'http_req_duration: ["p(50)<1us"]\nhttp_reqs: ["count>0"]'
    });
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL hello {2}http_req_duration {2}p\(50\)<1us/);
    const results = readResults(cfg.dir);
    expect(results.verdict).toBe('fail');
    expect(results.thresholds.map(t => t.ok)).toEqual([false, true]);
    expect(await isListening(cfg.port)).toBe(false);
  });

  it('run --fail-on never: 0 even with a broken threshold', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_req_duration: ["p(50)<1us"]', trials: 1 });
    const r = await perfgate(['run', '-c', cfg.file, '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(readResults(cfg.dir).verdict).toBe('fail');
  });

  it('validate: 0 on a good config, without starting anything', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    const r = await perfgate(['validate', '-c', cfg.file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
    expect(existsSync(path.join(cfg.dir, 'report'))).toBe(false);
  });

  it('validate and run: 2 on a bad config, with file:line:col and no stack trace', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_req_duration: ["p95<250"]' });
    for (const cmd of ['validate', 'run']) {
      const r = await perfgate([cmd, '-c', cfg.file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /perfgate\.yml:\d+:\d+ profiles\[0\]\.thresholds\.http_req_duration\[0\]: .*p95/
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('2 on a usage error', async () => {
    expect((await perfgate(['run', '--no-such-flag'])).code).toBe(2);
    expect((await perfgate(['frobnicate'])).code).toBe(2);
    const bad = await perfgate(['run', '--trials', 'zero']);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining(
        `option '--trials <n>' argument 'zero' is invalid. expected a whole number from 1 to 1000, or "auto".`
      )
    });
  });

  it('2 when --trials auto cannot fit the first look of a profile into the budget, before any service starts', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    writeFileSync(
      cfg.file,
      `${readFileSync(cfg.file, 'utf8')}statistics: { auto: { min: 10, budget: 3s } }\n`
    );
    const r = await perfgate(['run', '-c', cfg.file, '--trials', 'auto']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--trials auto: profile "\w+" needs 10s of trials before its first look, more than the budget of 3s \(statistics\.auto\.budget in .*perfgate\.yml\)/
    );
    expect(r.stderr).not.toContain('starting service');
  });

  it('3 when the service exits before it is ready, with the tail of its log', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    const fixture = path.join(REPO, 'test/fixtures/gate/exits-early.mjs');
    const text = readFileSync(cfg.file, 'utf8').replace(
      'command: node server.mjs',
      `command: node ${fixture}`
    );
    writeFileSync(cfg.file, text);
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('boom: missing DATABASE_URL');
    expect(readResults(cfg.dir)).toMatchObject({ status: 'failed', error: { kind: 'service' } });
  });

  it('3 when the target refuses connections (target-only mode)', async () => {
    const port = await freePort();
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    const text = readFileSync(cfg.file, 'utf8').replace(
      /service:[\s\S]*?target: \S+/,
      `target: http://127.0.0.1:${port}`
    );
    writeFileSync(cfg.file, text);
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });

  it('3 when the service crashes mid-run, keeping the trials measured before the crash', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 4 });
    const fixture = path.join(REPO, 'test/fixtures/gate/crashing-server.mjs');
    const text = readFileSync(cfg.file, 'utf8')
      .replace('command: node server.mjs', `command: node ${fixture}`)
      .replace(/env: \{ PORT: "(\d+)" \}/, 'env: { PORT: "$1", CRASH_AFTER_MS: "2300" }')
      .replace('warmup: 500ms', 'warmup: 0s');
    writeFileSync(cfg.file, text);
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/crashed/);
    expect(r.stderr).toContain('fatal: simulated crash');
    const results = readResults(cfg.dir);
    expect(results.status).toBe('failed');
    expect(results.error?.kind).toBe('service');
    const trials = results.profiles[0]!.head.trials;
    expect(trials.filter(t => t.valid).length).toBeGreaterThanOrEqual(1);
    expect(trials.length).toBeLessThan(4);
    expect(await isListening(cfg.port)).toBe(false);
  });

  it('3 when the service is never ready, naming what was tried, with the tail of its log', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]' });
    const fixture = path.join(REPO, 'test/fixtures/services/never-ready.mjs');
    const text = readFileSync(cfg.file, 'utf8')
      .replace('command: node server.mjs', `command: node ${fixture}`)
      .replace('timeout: 10s }', 'timeout: 1s }');
    writeFileSync(cfg.file, text);
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `service (head) was not ready after 1s: GET http://127.0.0.1:${cfg.port}/health`
    );
    expect(r.stderr).toContain('booting');
    const pid = Number(
      /^pid (\d+)$/m.exec(readFileSync(path.join(cfg.dir, 'report/service-head.log'), 'utf8'))![1]
    );
    expect(isGone(pid)).toBe(true);
  });

  it('0 with a service that ignores SIGTERM: it is killed after the grace period', async () => {
    const cfg = await exampleConfig({
      thresholds: 'http_reqs: ["count>0"]',
      trials: 1,
      extraService: '  stopTimeout: 500ms'
    });
    const fixture = path.join(REPO, 'test/fixtures/gate/stubborn-server.mjs');
    writeFileSync(
      cfg.file,
      readFileSync(cfg.file, 'utf8').replace('command: node server.mjs', `command: node ${fixture}`)
    );
    const r = await perfgate(['run', '-c', cfg.file]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(cfg.dir, 'report/service-head.log'), 'utf8')).toContain('ignoring SIGTERM');
    expect(r.stderr).toContain(
      'The service (head) did not stop within 0.5s of SIGTERM; its process tree was killed.'
    );
    expect(await isListening(cfg.port)).toBe(false);
  });

  it('3 on SIGINT mid-run: the service is stopped and the trials measured so far are kept', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 20 });
    const child = spawn(process.execPath, [BIN, 'run', '-c', cfg.file], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    const done = new Promise<number | null>(resolve => child.on('close', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.resume();
    await new Promise<void>(resolve =>
      child.stderr.on('data', d => {
        stderr += d;
        if (/trial 2\/20:/.test(stderr)) resolve();
      })
    );
    child.kill('SIGINT');
    const code = await done;
    clearTimeout(killer);
    expect(code).toBe(3);
    expect(stderr).toContain('SIGINT received');
    const results = readResults(cfg.dir);
    expect(results).toMatchObject({ status: 'failed', error: { kind: 'cancelled' } });
    expect(results.profiles[0]!.head.trials.filter(t => t.valid).length).toBeGreaterThanOrEqual(2);
    expect(await isListening(cfg.port)).toBe(false);
  });
});

/**
 * Findings through the real CLI (SPEC §11): services built to show each kind, run by perfgate as it
 * runs any service, and the example service that must show none. Each run is a few seconds: one
 * trial, a short warmup. Set PERFGATE_FINDINGS_KEEP to a directory to keep each run's results.json
 * there (how test/fixtures/findings/*.json were made).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleService, REPO, tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');

/** Keeps LEAK_KB of filled memory per request, forever: a leak of a request at a time. */
const LEAKY = `
import http from 'node:http';
const kept = [];
const kb = Number(process.env.LEAK_KB);
http.createServer((req, res) => {
  if (req.url !== '/health') kept.push(Buffer.alloc(kb * 1024, 1));
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** Spins SPIN_MS of CPU per request on its one event loop: about 1000 / SPIN_MS req/s at most. */
const CPU_BOUND = `
import http from 'node:http';
const spin = Number(process.env.SPIN_MS);
http.createServer((req, res) => {
  if (req.url !== '/health') { const end = performance.now() + spin; while (performance.now() < end); }
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** Answers in 10 ms, but 503 at once to a request beyond MAX_IN_FLIGHT in flight. */
const OVERLOADED = `
import http from 'node:http';
const max = Number(process.env.MAX_IN_FLIGHT);
let inFlight = 0;
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (inFlight >= max) { res.statusCode = 503; return res.end('busy'); }
  inFlight++;
  setTimeout(() => { inFlight--; res.end('ok'); }, 10);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

interface Run {
  results: Results;
  summary: string;
  comment: string;
  html: string;
  stdout: string;
}

/** Runs perfgate on a service written as `source` (or the example service) with one profile. */
async function run(
  name: string,
  profile: string[],
  service: { source?: string; env: string },
  topLevel: string[] = []
): Promise<Run> {
  const port = await freePort();
  const { dir, file } = tempConfig(`perfgate-findings-${name}-`, []);
  const lines = service.source
    ? [
        '  command: node server.mjs',
        `  cwd: ${dir}`,
        `  env: { PORT: "${port}", ${service.env} }`,
        `  ready: { url: "http://127.0.0.1:${port}/health", timeout: 10s }`
      ]
    : exampleService({ port, indent: '  ', readyTimeout: '10s', env: service.env });
  if (service.source) writeFileSync(path.join(dir, 'server.mjs'), service.source);
  writeFileSync(
    file,
    [
      'version: 1',
      'service:',
      ...lines,
      `target: http://127.0.0.1:${port}`,
      'defaults: { warmup: 1s, trials: 1 }',
      'profiles:',
      `  - name: ${name}`,
      ...profile.map(l => `    ${l}`),
      'report: { dir: report }',
      ...topLevel,
      ''
    ].join('\n')
  );
  const r = await runNode([BIN, 'run', '-c', file], { cwd: dir, env: { ...process.env, CI: 'true' } });
  const report = path.join(dir, 'report');
  if (r.code !== 0) throw new Error(`perfgate exited ${r.code}: ${r.stderr}\n${r.stdout}`);
  const keep = process.env.PERFGATE_FINDINGS_KEEP;
  if (keep) copyFileSync(path.join(report, 'results.json'), path.join(keep, `${name}.json`));
  const read = (f: string) => readFileSync(path.join(report, f), 'utf8');
  const { renderComment } = await import('../../src/report/render.js');
  const { buildReportModel } = await import('../../src/report/report-model.js');
  const results = JSON.parse(read('results.json')) as Results;
  return {
    results,
    summary: read('summary.md'),
    comment: renderComment(buildReportModel(results, { distributions: false })),
    html: read('report.html'),
    stdout: r.stdout + r.stderr
  };
}

const kinds = (r: Run) => (r.results.findings ?? []).map(f => f.kind);
/**
 * A run, and a second one when the first did not show `settled`: what a machine busy with other
 * suites can do to one run (stall it, or starve the service) is that run's finding, rightly made or
 * left out; what the service itself does shows in one of two runs, a defect in neither.
 */
async function twice(go: () => Promise<Run>, settled: (r: Run) => boolean): Promise<Run> {
  const r = await go();
  return settled(r) ? r : go();
}
const one = (r: Run, kind: Finding['kind']) => {
  const found = (r.results.findings ?? []).filter(f => f.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('findings through the CLI', () => {
  beforeAll(buildLib, 120_000);

  const soak = ['shape: soak', 'rate: 200', 'warmup: 2s', 'duration: 8s', 'requests: [{ path: /hello }]'];

  it('a service that keeps 64 KB per request: memory growth with its slope and interval', async () => {
    const r = await run('leaky', soak, { source: LEAKY, env: 'LEAK_KB: "64"' });
    const f = one(r, 'memory-growth');
    // 200 req/s × 64 KB = 12.5 MB/s, 750 MB/min: the interval excludes 0 by far.
    expect(f.severity).toBe('warn');
    expect(f.numbers.slopeLowMbPerMin).toBeGreaterThan(0);
    expect(f.numbers.slopeMbPerMin).toBeGreaterThan(300);
    expect(f.numbers.slopeMbPerMin).toBeLessThan(1500);
    expect(f.numbers.growthMb).toBeGreaterThan(10);
    expect(r.summary).toContain('### Findings');
    expect(r.summary).toContain('leak suspected');
    expect(r.comment).toContain('**Findings**');
    expect(r.comment).toContain('leak suspected');
    expect(r.html).toContain('<h2>Findings</h2>');
    expect(r.html).toContain('slopeMbPerMin');
    expect(r.stdout).toContain('findings:');
  }, 60_000);

  it('findings: limits from the config decide: the same leak under a 1 GB growth limit is no finding', async () => {
    const r = await run('leaky', soak, { source: LEAKY, env: 'LEAK_KB: "64"' }, [
      'findings: { memoryGrowth: 1GB }'
    ]);
    // The same ~100 MB over the window as above, now under the limit.
    expect(kinds(r)).not.toContain('memory-growth');
    expect(r.results.profiles[0]!.head.summary?.validTrials).toBe(1);
  }, 60_000);

  it('the example service under the same soak: no finding at all', async () => {
    // A busy machine can stall the service or the client for a few hundred ms (seen once in a full
    // jest run beside other suites: p99 264 ms, a tail-ratio finding).
    const r = await twice(
      () => run('hello', soak, { env: 'DELAY_MS: "1"' }),
      r => kinds(r).length === 0
    );
    expect(r.results.profiles[0]!.head.trials[0]!.resources?.samples.length).toBeGreaterThan(4);
    expect(r.results.findings).toEqual([]);
    expect(r.summary).not.toContain('### Findings');
    expect(r.comment).not.toContain('**Findings**');
    expect(r.html).not.toContain('<h2>Findings</h2>');
  }, 60_000);

  it('a service that spins 4 ms a request on one core, ramped up: saturation knee and CPU-bound', async () => {
    // CPU-bound needs the service at 80 % of a core or more: beside other suites on this 2-core
    // machine it can get less (seen once in a full CI run).
    const r = await twice(
      () =>
        run(
          'cpu',
          [
            'shape: rampup',
            'connections: 6',
            'duration: 1500ms',
            'rampup: { from: 0, over: 4500ms, steps: 3 }',
            'requests: [{ path: /work }]'
          ],
          { source: CPU_BOUND, env: 'SPIN_MS: "4"' }
        ),
      r => kinds(r).includes('cpu-bound')
    );
    const knee = one(r, 'saturation-knee');
    expect(knee.severity).toBe('warn');
    // One connection's worth of requests already fills the core, so the knee is at the first step
    // (2 → 4 connections). On a shared 2-core runner a neighbour can take a share of that first step's
    // core and make 4 look like a gain; the knee is then one step later, never later than that.
    const before = Number(knee.numbers.levelBefore);
    expect([2, 4]).toContain(before);
    expect(knee.numbers.levelAt).toBe(before + 2);
    expect(Number(knee.numbers.throughputGain)).toBeLessThanOrEqual(0.05);
    expect(Number(knee.numbers.p99Rise)).toBeGreaterThanOrEqual(0.25);
    // Where it stopped rising is the service's capacity: a 4 ms spin serves at most 250 req/s.
    expect(Number(knee.numbers.throughputAtRps)).toBeLessThanOrEqual(250 * 1.05);
    expect(Number(knee.numbers.throughputAtRps)).toBeGreaterThan(250 * 0.5);
    const cpu = one(r, 'cpu-bound');
    expect(cpu.numbers.cores).toBe(1);
    expect(cpu.numbers.cpuPercent).toBeGreaterThanOrEqual(80);
    expect(r.comment).toContain(`saturation knee at ${before} connections`);
  }, 90_000);

  it('a service that refuses beyond 4 requests in flight, stressed: error onset at its level', async () => {
    const r = await run(
      'overloaded',
      [
        'shape: stress',
        'stress: { from: 2, step: 4, steps: 3, stepDuration: 1500ms }',
        'requests: [{ path: /work }]'
      ],
      { source: OVERLOADED, env: 'MAX_IN_FLIGHT: "4"' }
    );
    const f = one(r, 'error-onset');
    expect(f.numbers.firstFailingLevel).toBe(6);
    expect(f.numbers.levelBefore).toBe(2);
    expect(f.numbers.failedShareBefore).toBe(0);
    expect(f.numbers.stage).toBe('step 2/3');
    expect(Number(f.numbers.errorRateInSecond)).toBeGreaterThan(0.01);
    expect(r.summary).toContain('errors from 6 connections');
    expect(kinds(r)).not.toContain('memory-growth');
  }, 60_000);
});

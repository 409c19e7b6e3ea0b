/**
 * What an imported tool judged itself, through the whole gate (the real CLI): a k6 threshold that
 * k6 failed fails perfgate's gate (exit 1) like perfgate's own thresholds, k6's failed checks and
 * the benchmarks a tool reports as failed are notes of the results, and a k6 summary whose
 * thresholds all held passes.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

const FIXTURES = path.join(REPO, 'test/fixtures/imports');

const gate = (file: string, ...args: string[]) => runGate(file, args);

beforeAll(buildLib, 120_000);

it("k6's failed thresholds fail the gate; its failed checks are notes", async () => {
  const { dir, file } = tempConfig('perfgate-k6t-', [
    'version: 1',
    'imports:',
    '  - name: load',
    '    path: k6/summary.json',
    'report: { dir: report }'
  ]);
  const k6 = path.join(dir, 'k6');
  mkdirSync(k6);
  copyFileSync(path.join(FIXTURES, 'k6/summary-export.json'), path.join(k6, 'summary.json'));
  const r = await gate(file);
  expect(r.code).toBe(1);
  const res = r.results!;
  expect(res.verdict).toBe('fail');
  const broken = res.thresholds.filter(t => !t.ok);
  expect(broken.map(t => [t.profile, t.metric, t.expression, t.severity])).toEqual([
    ['load', 'checks', 'rate>0.999', 'fail'],
    ['load', 'http_req_duration{scenario:checkout flow é}', 'p(95)<100', 'fail'],
    ['load', 'order_errors', 'count<10', 'fail']
  ]);
  expect(res.thresholds.filter(t => t.ok)).toHaveLength(4);
  expect(broken[1]).toMatchObject({
    observed: 150.33,
    unit: 'ms',
    where: 'k6/summary.json $.metrics["http_req_duration{scenario:checkout flow é}"].thresholds["p(95)<100"]'
  });
  expect(res.notes).toContain('Import "load" (k6): check "status is 200" failed 9 of 4800 times (0.19 %).');
  expect(res.notes).toContain(
    'Import "load" (k6): check "order created" (group "::checkout flow") failed 20 of 1200 times (1.7 %).'
  );
  expect(r.stdout).toContain('perfgate: gate failed (3 thresholds broken');
  const summary = readFileSync(path.join(dir, 'report/summary.md'), 'utf8');
  expect(summary).toContain('p(95)<100');
}, 60_000);

it('a k6 summary whose thresholds held passes; a benchmark a tool failed is a note', async () => {
  const { dir, file } = tempConfig('perfgate-k6t-', [
    'version: 1',
    'imports:',
    '  - name: load',
    '    path: k6.json',
    '  - name: dotnet',
    '    path: bdn.json',
    'report: { dir: report }'
  ]);
  const summary = JSON.parse(readFileSync(path.join(FIXTURES, 'k6/handle-summary.json'), 'utf8')) as {
    metrics: Record<string, { thresholds?: Record<string, { ok: boolean }> }>;
  };
  for (const m of Object.values(summary.metrics)) {
    for (const t of Object.values(m.thresholds ?? {})) t.ok = true;
  }
  writeFileSync(path.join(dir, 'k6.json'), JSON.stringify(summary));
  copyFileSync(path.join(FIXTURES, 'benchmarkdotnet/full.json'), path.join(dir, 'bdn.json'));
  const r = await gate(file);
  if (r.code !== 0) console.log(r.stdout, r.stderr);
  expect(r.code).toBe(0);
  const res = r.results!;
  expect(res.thresholds).toHaveLength(7);
  expect(res.thresholds.every(t => t.ok && t.profile === 'load')).toBe(true);
  expect(res.notes).toContain(
    'Import "dotnet" (benchmarkdotnet): benchmark "Perfgate.Benchmarks.StringBenchmarks.Throws [.NET 6.0(Runtime=.NET 6.0)]" failed in BenchmarkDotNet\'s run: no result (Statistics null, no measurements); BenchmarkDotNet\'s log says why.'
  );
}, 60_000);

/**
 * Unpaired comparison against a stored baseline through the CLI: `--save-baseline` writes a complete
 * run, `--baseline` compares a later run with it (Mann–Whitney on per-trial values).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleConfig, REPO } from '../helpers/example-config.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const perfgate = (args: string[]) => runNode([BIN, ...args], { cwd: REPO });
const readResults = (file: string): Results => JSON.parse(readFileSync(file, 'utf8'));
/** A run that must pass; when it does not, its output is the failure message (a busy machine, usually). */
const passes = (r: { code: number | null; stdout: string; stderr: string }) =>
  expect(r.code === 0 ? 'exit 0' : `exit ${r.code}\n${(r.stdout + r.stderr).slice(-3000)}`).toBe('exit 0');
/** A baseline written by a real run, with history (test/fixtures/results/README.md). */
const REAL_BASELINE = readFileSync(
  path.join(REPO, 'test/fixtures/results/baseline-with-history.json'),
  'utf8'
);

/** The example on /hello only, with a per-request delay for the service. */
async function config(delayMs: number, connections = 4) {
  const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 6 });
  const text = readFileSync(cfg.file, 'utf8')
    .replace(/env: \{ PORT: "(\d+)" \}/, `env: { PORT: "$1", DELAY_MS: "${delayMs}" }`)
    .replace('      - { name: slow, path: /slow }\n', '')
    .replace('connections: 4', `connections: ${connections}`)
    .replace('duration: 1s', 'duration: 500ms');
  writeFileSync(cfg.file, text);
  return cfg;
}

describe('stored baseline (unpaired)', () => {
  beforeAll(buildLib, 120_000);

  it('saves a baseline, then flags a slower head as regressed with Mann–Whitney', async () => {
    // Both runs with a delay: an instant service lets the generator saturate and invalidate trials.
    const before = await config(1);
    const baseline = path.join(before.dir, 'baseline.json');
    passes(await perfgate(['run', '-c', before.file, '--save-baseline', baseline]));
    expect(readResults(baseline)).toMatchObject({ status: 'complete', schemaVersion: 2 });

    const after = await config(6);
    const r = await perfgate(['run', '-c', after.file, '--baseline', baseline]);
    const results = readResults(path.join(after.dir, 'report/results.json'));
    const med = results.comparisons.find(c => c.metric === 'http_req_duration.med')!;
    expect({ code: r.code, med: `${med.verdict} ${med.reason ?? ''}` }).toEqual({
      code: 1,
      med: 'regressed '
    });
    // Exact or normal depends on ties among the per-trial medians (µs-resolution values may tie).
    expect(med.test).toBe('mann-whitney-u');
    expect(med.samples).toBeGreaterThanOrEqual(4); // 6 per side, unless the busy machine invalidated one
    expect(med.estimate).toBeGreaterThan(1);
    // A different config (the delay is part of it) is flagged, not refused.
    expect(results.notes.join('\n')).toMatch(/was measured with a different config/);
  });

  it('--trials auto against the baseline stops at the first look once the slowdown is settled', async () => {
    const before = await config(1);
    const baseline = path.join(before.dir, 'baseline.json');
    passes(await perfgate(['run', '-c', before.file, '--save-baseline', baseline]));

    const after = await config(6);
    writeFileSync(
      after.file,
      // Gated on the median alone: 6 trials of 500 ms settle it; a p99 from so few trials may stay open.
      `${readFileSync(after.file, 'utf8').replace('    thresholds:', '    compare: { http_req_duration.med: 5% }\n    thresholds:')}statistics: { auto: { min: 6, batch: 2, max: 10 } }\n`
    );
    const r = await perfgate(['run', '-c', after.file, '--baseline', baseline, '--trials', 'auto']);
    const results = readResults(path.join(after.dir, 'report/results.json'));
    const p = results.profiles[0]!;
    expect({ code: r.code, auto: p.auto }).toMatchObject({
      code: 1,
      auto: { stopped: 'conclusive', looks: [{ trials: 6, open: [] }] }
    });
    expect(p.head.trials).toHaveLength(6);
    const med = results.comparisons.find(c => c.metric === 'http_req_duration.med')!;
    expect(med).toMatchObject({ verdict: 'regressed', test: 'mann-whitney-u' });
    expect(med.alpha).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) * 0.6), 12);
  });

  it('keeps the runs a saved baseline replaces as its history, and compares with their spread', async () => {
    const before = await config(1);
    const baseline = path.join(before.dir, 'baseline.json');
    for (const n of [0, 1, 2]) {
      const saved = await perfgate(['run', '-c', before.file, '--trials', '4', '--save-baseline', baseline]);
      expect(saved.code).toBe(0);
      expect(saved.stdout + saved.stderr).toContain(
        `saved as the baseline: ${baseline}${n === 0 ? '\n' : ` (with ${n} earlier run${n === 1 ? '' : 's'})`}`
      );
    }
    const stored = readResults(baseline);
    expect(stored.history).toHaveLength(2);
    expect(stored.history![0]!.createdAt < stored.history![1]!.createdAt).toBe(true);
    expect(stored.history![1]!.createdAt < stored.createdAt).toBe(true);
    expect(stored.history![0]!.profiles.hello!.values['http_req_duration.med']).toBeGreaterThan(1);

    const after = await config(6);
    const r = await perfgate(['run', '-c', after.file, '--trials', '4', '--baseline', baseline]);
    const results = readResults(path.join(after.dir, 'report/results.json'));
    const med = results.comparisons.find(c => c.metric === 'http_req_duration.med')!;
    // Three runs of the same code agree within a few per cent; 6 ms against 1 ms is far outside that.
    expect({ code: r.code, verdict: med.verdict, runs: med.history?.runs }).toEqual({
      code: 1,
      verdict: 'regressed',
      runs: 3
    });
    expect(med.history!.limit).toBeGreaterThan(0);
    expect(med.history!.limit).toBeLessThan(1);
    // The trend: the two earlier runs, the baseline, this run — oldest first.
    const trend = results.trends!.find(t => t.metric === 'http_req_duration.med')!;
    expect(trend.points.map(p => p.createdAt)).toEqual([
      stored.history![0]!.createdAt,
      stored.history![1]!.createdAt,
      stored.createdAt,
      results.createdAt
    ]);
    expect(trend.points.at(-1)).toMatchObject({ current: true });
    expect(trend.points.at(-1)!.value).toBeGreaterThan(3 * trend.points[0]!.value);
    const summary = readFileSync(path.join(after.dir, 'report/summary.md'), 'utf8');
    expect(summary).toContain('```mermaid\nxychart-beta\n  title "hello http_req_duration.med"');
    expect(summary).toMatch(/\| this run \| [\d.]+ ms \|/);
  });

  it('does not compare a profile whose load settings differ from the baseline, and says so', async () => {
    const before = await config(0);
    const baseline = path.join(before.dir, 'baseline.json');
    expect(
      (await perfgate(['run', '-c', before.file, '--trials', '2', '--save-baseline', baseline])).code
    ).toBe(0);
    const after = await config(0, 8);
    const r = await perfgate(['run', '-c', after.file, '--trials', '2', '--baseline', baseline]);
    expect(r.code).toBe(0);
    const results = readResults(path.join(after.dir, 'report/results.json'));
    expect(results.comparisons).toEqual([]);
    expect(results.notes).toContain(
      `Profile "hello" differs from the baseline ${baseline} (connections 4 in the baseline, 8 now): not compared.`
    );
  });

  it('2 when the baseline asked for is missing or not a complete perfgate results file', async () => {
    const cfg = await config(0);
    const missing = path.join(cfg.dir, 'nope.json');
    const r1 = await perfgate(['run', '-c', cfg.file, '--baseline', missing]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(`the baseline ${missing} does not exist`);
    const bad = path.join(cfg.dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ tool: { name: 'perfgate' }, schemaVersion: 1, status: 'failed', profiles: [] })
    );
    const r2 = await perfgate(['run', '-c', cfg.file, '--baseline', bad]);
    expect(r2.code).toBe(2);
    // Every missing key is named, one a line.
    expect(r2.stderr).toContain(
      `perfgate: ${bad}: tool.version: expected a string, got nothing\n${bad}: createdAt: expected a date and time, got nothing\n`
    );
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(REAL_BASELINE), status: 'failed' }));
    const r3 = await perfgate(['run', '-c', cfg.file, '--baseline', bad]);
    expect({ code: r3.code, stderr: r3.stderr }).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        `perfgate: ${bad}: status: expected "complete" (a baseline is a complete run), got "failed"`
      )
    });
    writeFileSync(bad, '{ not json');
    expect((await perfgate(['run', '-c', cfg.file, '--baseline', bad])).stderr).toContain(
      `perfgate: ${bad}: not valid JSON at line 1, column 3: expected a key in double quotes or '}', got "not"`
    );
  });

  it('2 before any service starts on a baseline of the wrong shape, from --baseline or baseline.path', async () => {
    const cfg = await config(1);
    const marker = path.join(cfg.dir, 'service-started');
    const text = readFileSync(cfg.file, 'utf8');
    writeFileSync(
      cfg.file,
      text.replace('command: node server.mjs', `command: echo > ${marker}; node server.mjs`)
    );
    const bad = path.join(cfg.dir, 'bad.json');
    const broken = JSON.parse(REAL_BASELINE) as Results;
    (broken.profiles[0]!.head as unknown as { trials: string }).trials = 'many';
    writeFileSync(bad, JSON.stringify(broken, null, 2));
    const message = `${bad}: profiles[0].head.trials: expected a list, got "many"`;

    const r = await perfgate(['run', '-c', cfg.file, '--baseline', bad]);
    expect({ code: r.code, started: existsSync(marker) }).toEqual({ code: 2, started: false });
    expect(r.stderr).toContain(`perfgate: ${message}\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The report says so too, without a stack trace.
    const results = readResults(path.join(cfg.dir, 'report/results.json'));
    expect(results).toMatchObject({ status: 'failed', error: { kind: 'usage', message } });
    expect(readFileSync(path.join(cfg.dir, 'report/summary.md'), 'utf8')).not.toMatch(/\n\s+at /);

    // The config's `baseline: { store: file }`, its path relative to the config file.
    writeFileSync(cfg.file, `${readFileSync(cfg.file, 'utf8')}baseline: { store: file, path: bad.json }\n`);
    const fromConfig = await perfgate(['run', '-c', cfg.file]);
    expect({ code: fromConfig.code, started: existsSync(marker) }).toEqual({ code: 2, started: false });
    expect(fromConfig.stderr).toContain(`perfgate: ${message}\n`);

    // The same file read well (a real baseline, with a byte order mark): the service starts.
    writeFileSync(bad, `\ufeff${REAL_BASELINE}`);
    const good = await perfgate(['run', '-c', cfg.file, '--trials', '2']);
    expect({ code: good.code, started: existsSync(marker) }).toEqual({ code: 0, started: true });
  });
});

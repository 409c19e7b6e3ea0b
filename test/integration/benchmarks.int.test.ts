/**
 * Command benchmarks through the whole gate (the real CLI, real processes): a paired benchmark is
 * compared run by run and a real slowdown fails the gate; a benchmark beside nothing is gated on its
 * thresholds, saved as a baseline and compared unpaired with it the next time (its history
 * carried on); another command in the baseline is not compared; `runs: auto` stops at a look.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { tempConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

async function gate(file: string, ...args: string[]) {
  const r = await runGate(file, args, 120_000);
  return { ...r, results: r.results! };
}

beforeAll(buildLib, 120_000);

it('a paired benchmark whose head sleeps twice as long regresses on wall_time.med and fails the gate', async () => {
  const { file } = tempConfig('perfgate-bm-', [
    'version: 1',
    'benchmarks:',
    '  - name: nap',
    '    command: sleep 0.1',
    '    base: { command: sleep 0.05 }',
    '    warmup: 1',
    '    runs: 10',
    "    thresholds: { wall_time: ['med<5s'], peak_rss: ['max<1GB'], exit_code: ['max<1'] }",
    'report: { dir: report }'
  ]);
  const r = await gate(file);
  expect({ code: r.code, stdout: r.stdout }).toMatchObject({ code: 1 });
  const { results } = r;
  expect(results.status).toBe('complete');
  expect(results.verdict).toBe('fail');
  const runs = results.benchmarks![0]!.runs;
  // 10 pairs and the first one, kept as warmup, in counterbalanced order B H, H B, …
  expect(runs).toHaveLength(22);
  expect(runs.slice(0, 4).map(x => x.side)).toEqual(['base', 'head', 'head', 'base']);
  expect(runs.filter(x => x.warmupDiscarded)).toHaveLength(2);
  expect(runs.every(x => x.exitCode === 0 && x.peakRssBytes > 0)).toBe(true);
  const wall = results.comparisons.find(c => c.profile === 'nap' && c.metric === 'wall_time.med')!;
  expect(wall).toMatchObject({
    gated: true,
    verdict: 'regressed',
    test: 'wilcoxon-signed-rank',
    samples: 10
  });
  expect(wall.estimate).toBeGreaterThan(0.4);
  expect(wall.values!.head).toBeGreaterThan(wall.values!.base);
  // Informational: the CPU times and memory of the runs.
  expect(results.comparisons.filter(c => c.profile === 'nap' && !c.gated).map(c => c.metric)).toEqual([
    'user_time.med',
    'sys_time.med',
    'peak_rss.med'
  ]);
  expect(results.thresholds.map(t => [t.metric, t.ok, t.unit])).toEqual([
    ['wall_time', true, 'ms'],
    ['peak_rss', true, 'bytes'],
    ['exit_code', true, 'count']
  ]);
  const series = results.series!.find(s => s.source === 'nap' && s.key === 'wall_time.med')!;
  expect(series).toMatchObject({ unit: 'ms', better: 'lower', base: 'paired' });
  expect(series.samples.head.map(s => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(r.stdout).toContain('wall_time.med');
}, 120_000);

it('without a base: thresholds gate, a saved baseline is compared unpaired next time, another command is not', async () => {
  const lines = (command: string, threshold = '') => [
    'version: 1',
    'benchmarks:',
    '  - name: nap',
    `    command: ${command}`,
    '    warmup: 0',
    '    runs: 6',
    ...(threshold ? [`    thresholds: { wall_time: ['${threshold}'] }`] : []),
    'report: { dir: report }'
  ];
  // No base, no baseline: the threshold (a wall time under 1 ms, impossible for a 30 ms sleep) decides.
  const first = await gate(tempConfig('perfgate-bm-', lines('sleep 0.03', 'max<1ms')).file);
  expect(first.code).toBe(1);
  expect(first.results.comparisons).toEqual([]);
  expect(first.results.thresholds[0]).toMatchObject({ profile: 'nap', metric: 'wall_time', ok: false });
  expect(first.results.thresholds[0]!.observed).toBeGreaterThan(25);
  expect(first.results.notes).toContain('No base to compare against: only thresholds were gated.');

  const { dir, file } = tempConfig('perfgate-bm-', lines('sleep 0.03'));
  const stored = path.join(dir, 'baseline.json');
  expect((await gate(file, '--save-baseline', stored)).code).toBe(0);
  const second = await gate(file, '--baseline', stored, '--save-baseline', stored);
  expect([0, 1]).toContain(second.code);
  const wall = second.results.comparisons.find(c => c.metric === 'wall_time.med')!;
  expect(wall).toMatchObject({ profile: 'nap', gated: true, test: 'mann-whitney-u', samples: 6 });
  const saved = JSON.parse(readFileSync(stored, 'utf8')) as Results;
  expect(saved.history).toHaveLength(1);
  expect(saved.history![0]!.benchmarks!.nap!.command).toBe('sleep 0.03');
  expect(saved.history![0]!.benchmarks!.nap!.values['wall_time.med']).toBeGreaterThan(25);

  const third = await gate(tempConfig('perfgate-bm-', lines('sleep 0.02')).file, '--baseline', stored);
  expect(third.results.comparisons).toEqual([]);
  expect(third.results.notes.join('\n')).toContain('Benchmark "nap" ran another command in the baseline');
}, 180_000);

it('runs: auto stops at the first look when the change is clear, and says so', async () => {
  const { file } = tempConfig('perfgate-bm-', [
    'version: 1',
    'benchmarks:',
    '  - name: nap',
    '    command: sleep 0.06',
    '    base: { command: sleep 0.03 }',
    '    warmup: 0',
    '    runs: auto',
    'statistics: { auto: { min: 8, batch: 4, max: 16 } }',
    'report: { dir: report }'
  ]);
  const r = await gate(file);
  expect(r.code).toBe(1);
  const b = r.results.benchmarks![0]!;
  expect(b.auto).toMatchObject({ min: 8, stopped: 'conclusive' });
  expect(b.auto!.looks).toHaveLength(1);
  expect(b.runs.filter(x => x.side === 'head')).toHaveLength(9);
  expect(r.results.comparisons.find(c => c.metric === 'wall_time.med')).toMatchObject({
    verdict: 'regressed'
  });
  expect(r.stdout + r.stderr).toContain('[nap] runs: auto, look 1 at 8 pairs');
}, 120_000);

/**
 * A paired command benchmark through the real CLI (`perfgate run`): real processes, the report
 * directory written, and every rendering shows the benchmark's section with the numbers its runs
 * measured — summary.md, report.html (with the per-run chart), the terminal summary, and the PR
 * comment rendered from the written results.json (as the comment follow-up renders it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchmarkRun, Results } from '../../src/model.js';
import { formatMs } from '../../src/report/format.js';
import { renderComment } from '../../src/report/render.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO } from '../helpers/example-config.js';
import { runNode, type RunResult } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const RUNS = 6;

let dir: string;
let r: RunResult;
let results: Results;
const read = (file: string) => readFileSync(path.join(dir, 'out', file), 'utf8');

/** The median wall time of a side's counted runs, computed here from the recorded runs. */
function medianWall(runs: BenchmarkRun[], side: 'head' | 'base'): number {
  const xs = runs
    .filter(x => x.side === side && !x.warmupDiscarded)
    .map(x => x.wallMs)
    .sort((a, b) => a - b);
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

beforeAll(async () => {
  buildLib();
  dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-bench-report-'));
  // The head sleeps 4× as long as the base: a regression of the gated wall_time.med, whatever the noise.
  writeFileSync(
    path.join(dir, 'perfgate.yml'),
    [
      'version: 1',
      'benchmarks:',
      '  - name: sleepy',
      '    command: sleep 0.08',
      '    base: { command: sleep 0.02 }',
      '    warmup: 1',
      `    runs: ${RUNS}`,
      "    thresholds: { wall_time: ['med<5s'], peak_rss: ['max<1GB'] }",
      ''
    ].join('\n')
  );
  r = await runNode([BIN, 'run', '-c', 'perfgate.yml', '--out', 'out', '--force'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    timeoutMs: 90_000
  });
  results = JSON.parse(read('results.json'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the benchmark paired and fails the gate on the regression', () => {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(1);
  const b = results.benchmarks![0]!;
  expect(b.runs.filter(x => !x.warmupDiscarded)).toHaveLength(2 * RUNS);
  expect(results.comparisons.find(c => c.metric === 'wall_time.med')).toMatchObject({
    profile: 'sleepy',
    gated: true,
    verdict: 'regressed'
  });
});

it('summary.md has the benchmark section with its medians, change, interval and verdict', () => {
  const md = read('summary.md');
  const b = results.benchmarks![0]!;
  const c = results.comparisons.find(x => x.metric === 'wall_time.med')!;
  expect(md.split('\n')[0]).toBe('## ❌ perfgate: gate failed (1 regression in benchmark sleepy)');
  expect(md).not.toContain('| Profile | Valid trials');
  const section = md.slice(md.indexOf('#### Benchmark sleepy'));
  expect(section).toContain(`\`sleep 0.08\` vs base \`sleep 0.02\` — ${RUNS}/${RUNS} pairs counted`);
  const row = section.split('\n').find(l => l.startsWith('| wall time |'))!;
  const cells = row.split('|').map(s => s.trim());
  expect(cells.slice(2, 4)).toEqual([
    formatMs(medianWall(b.runs, 'base')),
    formatMs(medianWall(b.runs, 'head'))
  ]);
  const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)} %`;
  expect(cells.slice(4, 8)).toEqual([
    pct(c.estimate),
    `${pct(c.interval[0])} … ${pct(c.interval[1])}`,
    expect.stringMatching(/^±[\d.]+ %( \(δ\))?$/),
    '❌ regressed'
  ]);
  expect(c.estimate).toBeGreaterThan(1); // ~ +300 %
  const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
  const line = (side: 'head' | 'base') =>
    `[${b.runs
      .filter(x => x.side === side && !x.warmupDiscarded)
      .sort((x, y) => x.index - y.index)
      .map(x => Number(x.wallMs.toPrecision(4)))
      .join(', ')}]`;
  expect(mermaid).toContain(`  line ${line('head')}\n  line ${line('base')}`);
  expect(md).toContain('<details><summary>Benchmark runs</summary>');
  expect(md).toMatch(/\| 1 head \| [\d.]+ ms \|[^\n]*\| no: discarded \(first pair\) \|/);
});

it('comment.md from the written results has the compact section', () => {
  const md = renderComment(buildReportModel(results, { distributions: false }));
  const folded = md.slice(md.indexOf('<details><summary>Results</summary>'));
  expect(folded).toContain('#### Benchmark sleepy');
  expect(folded).toMatch(
    /\| wall time \| [\d.]+ ms \| [\d.]+ ms \| \+\d+ % \| \+\d+ % … \+\d+ % \| ±[\d.]+ %(?: \(δ\))? \| ❌ regressed \|/
  );
  expect(md).not.toContain('Benchmark runs');
});

it('report.html has the section with the per-run chart of both sides', () => {
  const html = read('report.html');
  const b = results.benchmarks![0]!;
  const section = html.slice(html.indexOf('<section class="benchmark" id="benchmark-0">'));
  expect(section).toContain('<h2>Benchmark sleepy</h2>');
  expect(section).toContain(`<td class="n">${formatMs(medianWall(b.runs, 'head'))}</td>`);
  const chart = /<svg[^>]*data-chart="runs"[\s\S]*?<\/svg>/.exec(section)?.[0] ?? '';
  expect(chart).toContain('aria-label="Wall time per pair — sleepy"');
  for (const side of ['head', 'base']) {
    const g = new RegExp(`<g class="series" data-side="${side}">(.*?)</g>`).exec(chart)?.[1] ?? '';
    expect(g.match(/data-counted="true"/g)).toHaveLength(RUNS);
    expect(g.match(/data-counted="false"/g)).toHaveLength(1); // the discarded first pair
  }
  expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
});

it('the terminal shows the benchmark table and no empty profile table', () => {
  const b = results.benchmarks![0]!;
  expect(r.stdout).not.toMatch(/^profile\s+trials/m);
  const row = r.stdout.split('\n').find(l => l.startsWith('sleepy '))!;
  expect(
    row
      .trim()
      .split(/\s{2,}/)
      .slice(0, 4)
  ).toEqual([
    'sleepy',
    `${RUNS}/${RUNS} pairs`,
    formatMs(medianWall(b.runs, 'head')),
    formatMs(medianWall(b.runs, 'base'))
  ]);
  expect(r.stdout).toContain('perfgate: gate failed (1 regression in benchmark sleepy)');
});

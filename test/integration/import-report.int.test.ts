/**
 * Imports in the reports of a real run (`node lib/cli.js run`): real Go and Catch2 outputs and a
 * generic list from test/fixtures/imports/, each import with its own section in summary.md,
 * comment.md and report.html and the terminal — its files, each benchmark as the tool named it, the
 * values in their unit, the change, interval and verdict, the statistic that decided it (rank test
 * on Go's -count samples, Welch on Catch2's means, δ alone on single values), and the benchmarks only
 * one side has.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { outsideCode } from '../helpers/markdown-text.js';
import { runNode } from '../helpers/run-node.js';

const CLI = path.join(REPO, 'lib/cli.js');
const FIXTURES = path.join(REPO, 'test/fixtures/imports');
const GO = path.join(FIXTURES, 'go/count3-benchmem.txt');
const CATCH2 = path.join(FIXTURES, 'catch2/console.txt');
const GENERIC = path.join(FIXTURES, 'generic/smaller.json');

/** A name a tool may write that every rendering must show as text. */
const HOSTILE = 'render <script>alert(1)</script> | `tick` @team #1';

/**
 * The base of the Go run: the head's output with alpha's BenchmarkParse twice as fast (the head
 * regressed), without BenchmarkAlloc (added in the head), and with a BenchmarkGone the head lacks.
 */
function goBase(head: string): string {
  const lines = head.split('\n');
  let pkg = '';
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith('pkg: ')) pkg = line.slice(5);
    if (line.startsWith('BenchmarkAlloc-2')) continue;
    if (pkg.endsWith('/alpha') && line.startsWith('BenchmarkParse-2')) {
      out.push(line.replace(/([\d.]+) ns\/op/, (_, ns: string) => `${(Number(ns) / 2).toFixed(1)} ns/op`));
      if (!out.some(l => l.startsWith('BenchmarkGone-2')))
        out.push('BenchmarkGone-2   \t    2000\t       100.0 ns/op\t     112 B/op\t       1 allocs/op');
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

let dir = '';
let code: number | null = null;
let stdout = '';
let results: Results;
const read = (file: string) => readFileSync(path.join(dir, 'report', file), 'utf8');

beforeAll(async () => {
  buildLib();
  const made = tempConfig('perfgate-imprep-', [
    'version: 1',
    'imports:',
    '  - name: go suite',
    '    format: go',
    '    path: go-head.txt',
    '    base: go-base.txt',
    "    compare: { '*': 5% }",
    '  - name: catch2',
    '    path: catch2.txt',
    '    base: catch2.txt',
    "    compare: { '*': 5% }",
    '  - name: custom',
    '    format: generic-smaller',
    '    path: custom-head.json',
    '    base: custom-base.json',
    "    compare: { '*': 10% }",
    '  - name: alone',
    '    format: generic-smaller',
    '    path: custom-head.json',
    'report: { dir: report }'
  ]);
  dir = made.dir;
  // Go's -count 3 twice: six samples per benchmark, enough for the rank test to reach alpha.
  const goHead = readFileSync(GO, 'utf8').repeat(2);
  writeFileSync(path.join(dir, 'go-head.txt'), goHead);
  writeFileSync(path.join(dir, 'go-base.txt'), goBase(goHead));
  copyFileSync(CATCH2, path.join(dir, 'catch2.txt'));
  const generic = JSON.parse(readFileSync(GENERIC, 'utf8')) as Array<{ name: string; value: number }>;
  const head = [...generic, { name: HOSTILE, unit: 'ms', value: 30 }];
  const base = [...generic.map(e => ({ ...e, value: e.value })), { name: HOSTILE, unit: 'ms', value: 20 }];
  writeFileSync(path.join(dir, 'custom-head.json'), JSON.stringify(head));
  writeFileSync(path.join(dir, 'custom-base.json'), JSON.stringify(base));
  const r = await runNode([CLI, 'run', '-c', made.file, '--force'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    timeoutMs: 60_000
  });
  code = r.code;
  stdout = r.stdout;
  results = JSON.parse(read('results.json')) as Results;
  // `run` writes the PR comment only in the Action; `report` re-renders it from the results file.
  const again = await runNode([CLI, 'report', 'report/results.json', '--out', 'again'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    timeoutMs: 60_000
  });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 1, stderr: '' });
}, 120_000);

it('fails the gate on the Go regression and the hostile single value', () => {
  expect({ code, stdout }).toEqual({ code: 1, stdout: expect.stringContaining('perfgate: gate failed') });
  const parse = results.comparisons.find(
    c => c.profile === 'go suite' && c.metric === 'example.com/perfgate-fixtures/alpha.BenchmarkParse'
  );
  expect(parse).toMatchObject({ test: 'mann-whitney-u', verdict: 'regressed', samples: 6 });
  expect(stdout).toContain('perfgate: gate failed (2 regressions in import go suite and import custom)');
});

describe('summary.md', () => {
  const section = (name: string) => {
    const md = read('summary.md');
    const at = md.indexOf(`#### Import ${name}\n`);
    expect(at).toBeGreaterThan(0);
    const next = md.indexOf('\n#### ', at + 1);
    return md.slice(at, next < 0 ? undefined : next);
  };

  it('has a section per import with its files and what each benchmark was compared by', () => {
    const go = section('go suite');
    expect(go).toContain('`go` · head `go-head.txt` vs base `go-base.txt` — ');
    expect(go).toMatch(
      /\| `example\.com\/perfgate-fixtures\/alpha\.BenchmarkParse` \| time \| [\d.]+ ns \| [\d.]+ ns \| \+\d+ % \| [^|]+ … [^|]+ \| [^|]+ \| ❌ regressed \| rank test \(Mann–Whitney U\), Hodges–Lehmann interval \(6 samples per side\) \|/
    );
    // Go's -benchmem metrics, reported beside the time.
    expect(go).toMatch(
      /\| `example\.com\/perfgate-fixtures\/alpha\.BenchmarkParse` \| allocations \| 1 allocs \| 1 allocs \|/
    );
    expect(go).toContain('Added (only in the head): `example.com/perfgate-fixtures/alpha.BenchmarkAlloc`');
    expect(go).toContain('Removed (only in the base): `example.com/perfgate-fixtures/alpha.BenchmarkGone`');
    expect(section('catch2')).toMatch(
      /\| ✅ unchanged \| Welch's t from summary statistics \(mean of 20 per side\) \|/
    );
  });

  it('shows a single value as decided by δ alone, the name as the tool wrote it, escaped', () => {
    const custom = section('custom');
    expect(custom).toContain(
      '| ``render <\u200bscript>alert(1)<\u200b/script> \\| `tick` @team #1`` | time | 20.00 ms | 30.00 ms | +50 % | – | – | ❌ regressed | one value per side: δ only |'
    );
    expect(outsideCode(custom)).not.toMatch(/<script|@team/);
  });

  it('says when an import has no base', () => {
    expect(section('alone')).toContain(
      '`generic-smaller` · head `custom-head.json` · no base: thresholds only, not compared — '
    );
  });
});

it('comment.md (re-rendered by report) holds the counts and only the gated comparisons that did not come out unchanged', () => {
  expect(readFileSync(path.join(dir, 'again/summary.md'), 'utf8')).toBe(read('summary.md'));
  const md = readFileSync(path.join(dir, 'again/comment.md'), 'utf8');
  expect(md).toContain('#### Import go suite');
  const rows = md.split('\n').filter(l => l.startsWith('| `'));
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter(r => /✅ unchanged|\(info\)/.test(r))).toEqual([]);
  expect(md).toContain('alpha.BenchmarkParse');
  expect(md).not.toContain('### Base vs head');
});

it('report.html has a section per import, every benchmark in it as text', () => {
  const html = read('report.html');
  expect(html).toContain('<h2>Import go suite</h2>');
  expect(html).toContain('<code>example.com/perfgate-fixtures/beta.BenchmarkCustom</code>');
  expect(html).toContain(`<code>${Handlebars.escapeExpression(HOSTILE)}</code>`);
  expect(html).not.toMatch(/<script/i);
});

it('the terminal summary prints each import with its rows', () => {
  expect(stdout).toContain('import go suite (go): head go-head.txt vs base go-base.txt — ');
  expect(stdout).toMatch(/alpha\.BenchmarkParse +time .*regressed +rank test/);
  expect(stdout).toContain('removed (only in the base): example.com/perfgate-fixtures/alpha.BenchmarkGone');
});

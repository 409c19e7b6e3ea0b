/**
 * `perfgate compare BASE HEAD` and `perfgate report RESULTS.json` through the real CLI (SPEC §12):
 * two tool outputs or two results files compared without measuring, the same report directory as
 * `run` (with comment.md), exit 0/1/2/3 like `run`; a report re-rendered from a results file; a
 * results file of a newer schema or of another tool refused with exit 2.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const perfgate = (dir: string, ...args: string[]) =>
  runNode([BIN, ...args], { cwd: dir, env: { ...process.env, CI: 'true' }, timeoutMs: 60_000 });
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Results;
const generic = (entries: Array<[string, number]>) =>
  JSON.stringify(entries.map(([name, value]) => ({ name, unit: 'ns/iter', value })));

beforeAll(buildLib, 120_000);

it('compares two outputs of one tool: the report directory of run, comment.md too, exit 1 on a regression', async () => {
  const { dir } = tempConfig('perfgate-cmp-', ['version: 1']);
  writeFileSync(
    path.join(dir, 'base.json'),
    generic([
      ['parse', 100],
      ['render', 50]
    ])
  );
  writeFileSync(
    path.join(dir, 'head.json'),
    generic([
      ['parse', 120],
      ['render', 50]
    ])
  );
  const r = await perfgate(
    dir,
    'compare',
    'base.json',
    'head.json',
    '--format',
    'generic-smaller',
    '--out',
    'out'
  );
  expect({ code: r.code, err: r.stderr }).toEqual({ code: 1, err: '' });
  for (const f of ['results.json', 'summary.md', 'report.html', 'comment.md']) {
    expect(existsSync(path.join(dir, 'out', f))).toBe(true);
  }
  const results = read(path.join(dir, 'out/results.json'));
  expect(results.comparisons.map(c => [c.profile, c.metric, c.verdict])).toEqual([
    ['generic-smaller', 'parse', 'regressed'],
    ['generic-smaller', 'render', 'unchanged']
  ]);
  expect(results.verdict).toBe('fail');
  expect(readFileSync(path.join(dir, 'out/comment.md'), 'utf8')).toContain('parse');
  expect(r.stdout).toContain('perfgate: gate failed (1 regression in import generic-smaller)');
  // --fail-on never: the same report, exit 0.
  const never = await perfgate(
    dir,
    'compare',
    'base.json',
    'head.json',
    '--format',
    'generic-smaller',
    '--out',
    'out',
    '--fail-on',
    'never'
  );
  expect(never.code).toBe(0);
}, 60_000);

it('compares two results files series by series, and re-renders a results file with report', async () => {
  const lines = (command: string, dir: string) => [
    'version: 1',
    'benchmarks:',
    `  - { name: nap, command: ${command}, warmup: 0, runs: 6 }`,
    `report: { dir: ${dir} }`
  ];
  const { dir, file: a } = tempConfig('perfgate-cmp-', lines('sleep 0.02', 'a'));
  const b = path.join(dir, 'b.yml');
  writeFileSync(b, lines('sleep 0.05', 'b').join('\n'));
  expect((await perfgate(dir, 'run', '-c', a)).code).toBe(0);
  expect((await perfgate(dir, 'run', '-c', b)).code).toBe(0);

  const r = await perfgate(dir, 'compare', 'a/results.json', 'b/results.json', '--out', 'ab');
  expect(r.code).toBe(1);
  const results = read(path.join(dir, 'ab/results.json'));
  const wall = results.comparisons.find(c => c.metric === 'wall_time.med')!;
  expect(wall).toMatchObject({
    profile: 'nap',
    gated: true,
    test: 'mann-whitney-u',
    verdict: 'regressed',
    samples: 6
  });
  expect(results.benchmarks![0]!.runs).toHaveLength(6); // the head's runs, as measured
  expect(results.notes.join('\n')).toContain('Compared with a/results.json');

  // report: the same files again from results.json, in place or elsewhere; the exit code of its verdict.
  const again = await perfgate(dir, 'report', 'ab/results.json', '--out', 'again');
  expect(again.code).toBe(1);
  expect(readFileSync(path.join(dir, 'again/summary.md'), 'utf8')).toBe(
    readFileSync(path.join(dir, 'ab/summary.md'), 'utf8')
  );
  expect(existsSync(path.join(dir, 'again/comment.md'))).toBe(true);
  expect((await perfgate(dir, 'report', 'a/results.json')).code).toBe(0);
}, 90_000);

it('refuses a results file of a newer schema or of another tool, and a results file against a tool output (exit 2)', async () => {
  const { dir } = tempConfig('perfgate-cmp-', ['version: 1']);
  const results = {
    schemaVersion: 99,
    tool: { name: 'perfgate', version: '9.0.0' },
    createdAt: '2026-12-06T00:00:00Z'
  };
  writeFileSync(path.join(dir, 'newer.json'), JSON.stringify(results));
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ tool: { name: 'k9' }, schemaVersion: 1 }));
  writeFileSync(path.join(dir, 'list.json'), generic([['parse', 1]]));

  const newer = await perfgate(dir, 'report', 'newer.json');
  expect(newer.code).toBe(2);
  expect(newer.stderr).toContain(
    'newer.json: written by a newer perfgate (schemaVersion 99; this one reads 2)'
  );
  const other = await perfgate(dir, 'report', 'other.json');
  expect(other.code).toBe(2);
  expect(other.stderr).toContain(
    'other.json: tool.name: expected "perfgate" (a results file written by perfgate), got "k9"'
  );
  const mixed = await perfgate(dir, 'compare', 'newer.json', 'list.json');
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toContain('compare: newer.json is a perfgate results file but list.json is not');
  const missing = await perfgate(dir, 'compare', 'nope.json', 'list.json');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('nope.json: no such file');
}, 60_000);

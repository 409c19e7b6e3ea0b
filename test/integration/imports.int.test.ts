/**
 * `imports:` through the whole gate (the real CLI): another tool's files for the head and the base
 * become series and are gated in the one family — samples by rank tests, single values by δ alone —
 * benchmarks only one side has are named, a stored baseline stands in for a missing base file, and a
 * file that cannot be read stops the run before anything runs (exit 2, naming file, place and format).
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

const HYPERFINE = path.join(REPO, 'test/fixtures/imports/hyperfine/several-commands.json');

const gate = (file: string, ...args: string[]) => runGate(file, args);

const generic = (entries: Array<[string, number]>) =>
  JSON.stringify(entries.map(([name, value]) => ({ name, unit: 'ms', value })));

beforeAll(buildLib, 120_000);

it('single values of a generic list are gated by δ alone, and the benchmarks one side lacks are named', async () => {
  const { dir, file } = tempConfig('perfgate-imp-', [
    'version: 1',
    'imports:',
    '  - name: suite',
    '    format: generic-smaller',
    '    path: head.json',
    '    base: base.json',
    "    compare: { 'parse *': 5%, 'parse big': 20% }",
    'report: { dir: report }'
  ]);
  writeFileSync(
    path.join(dir, 'head.json'),
    generic([
      ['parse small', 10.8],
      ['parse big', 115],
      ['render', 50],
      ['new one', 1]
    ])
  );
  writeFileSync(
    path.join(dir, 'base.json'),
    generic([
      ['parse small', 10],
      ['parse big', 100],
      ['render', 40],
      ['gone', 1]
    ])
  );
  const r = await gate(file);
  expect(r.code).toBe(1);
  const res = r.results!;
  const by = (key: string) => res.comparisons.find(c => c.profile === 'suite' && c.metric === key)!;
  // 'parse small' +8 % against δ 5 %: regressed; 'parse big' +15 % under its own δ of 20 %: unchanged.
  expect(by('parse small')).toMatchObject({
    gated: true,
    test: 'single-value',
    verdict: 'regressed',
    unit: 'ns'
  });
  expect(by('parse small').reason).toBe(
    'single values, no spread to test: decided by δ 5.0 % alone (no history to give a spread)'
  );
  expect(by('parse big')).toMatchObject({ gated: true, delta: 0.2, verdict: 'unchanged' });
  // No pattern matches 'render': reported, not gated.
  expect(by('render')).toMatchObject({ gated: false, verdict: 'regressed' });
  expect(res.comparisons.some(c => c.metric === 'new one' || c.metric === 'gone')).toBe(false);
  expect(res.imports).toEqual([
    expect.objectContaining({
      name: 'suite',
      format: 'generic-smaller',
      path: 'head.json',
      base: { format: 'generic-smaller', path: 'base.json' },
      added: ['new one'],
      removed: ['gone']
    })
  ]);
  expect(res.notes).toContain(
    'Import "suite" (generic-smaller): "new one" only in the head (added, not compared).'
  );
  expect(res.notes).toContain('Import "suite" (generic-smaller): "gone" only in the base (removed).');
  expect(r.stdout).toContain('perfgate: gate failed (1 regression');
}, 60_000);

it("hyperfine's samples are compared by rank tests; without a base file, with a stored baseline's series", async () => {
  const { dir, file } = tempConfig('perfgate-imp-', [
    'version: 1',
    'imports:',
    '  - name: cli',
    '    path: head.json',
    'report: { dir: report }'
  ]);
  copyFileSync(HYPERFINE, path.join(dir, 'head.json'));
  const stored = path.join(dir, 'baseline.json');
  const first = await gate(file, '--save-baseline', stored);
  expect(first.code).toBe(0);
  expect(first.results!.comparisons).toEqual([]);
  expect(first.results!.imports![0]).toMatchObject({ format: 'hyperfine', added: [], removed: [] });
  const wall = first.results!.series!.find(s => s.source === 'cli' && s.key === 'sleep 0.02')!;
  expect(wall).toMatchObject({ unit: 'ns', better: 'lower', base: 'none' });
  expect(wall.samples.head).toHaveLength(5);

  // The same file against its stored self: compared unpaired, on samples, nothing changed.
  const second = await gate(file, '--baseline', stored);
  expect(second.code).toBe(0);
  const c = second.results!.comparisons.find(x => x.metric === 'sleep 0.02')!;
  expect(c).toMatchObject({ test: 'mann-whitney-u', gated: true, samples: 5 });
  expect(c.estimate).toBe(0);
  expect(second.results!.comparisons.map(x => x.metric)).toContain('écho “quoted”');
}, 60_000);

it('a truncated file stops the run before anything runs: exit 2, the file, the place and the format', async () => {
  const { dir, file } = tempConfig('perfgate-imp-', [
    'version: 1',
    'benchmarks:',
    '  - name: never',
    '    command: touch ran.txt',
    '    runs: 1',
    'imports:',
    '  - name: cli',
    '    path: head.json',
    'report: { dir: report }'
  ]);
  const text = readFileSync(HYPERFINE, 'utf8');
  writeFileSync(path.join(dir, 'head.json'), text.slice(0, Math.floor(text.length / 2)));
  const r = await gate(file);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /perfgate: head\.json: line \d+, column \d+ \(hyperfine\): the JSON ends early \(a truncated file\?\)/
  );
  expect(existsSync(path.join(dir, 'ran.txt'))).toBe(false);
  expect(r.results).toMatchObject({ status: 'failed', error: { kind: 'import' } });

  writeFileSync(path.join(dir, 'head.json'), 'hello\n');
  const unknown = await gate(file);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('perfgate: head.json: no supported format recognised');

  const { file: missing } = tempConfig('perfgate-imp-', [
    'version: 1',
    'imports: [{ name: cli, path: nowhere.json }]',
    'report: { dir: report }'
  ]);
  const none = await gate(missing);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('perfgate: nowhere.json: no such file (imports "cli", ');
}, 60_000);

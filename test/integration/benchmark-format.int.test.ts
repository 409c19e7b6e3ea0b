/**
 * Command benchmarks whose runs print another tool's results (`format:`), through the whole gate
 * (the real CLI, real processes): a real Go benchmark suite (Debian's golang-go, standard library
 * only) built for base and head, run interleaved, gives one paired sample per Go benchmark and run;
 * a head that does twice the work regresses, benchmarks only one side has are listed; results in a
 * file (`output:`), output that is not the format, a run that writes no file, and `allowFailure`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildLib } from '../helpers/build-lib.js';
import { tempConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

const NODE = JSON.stringify(process.execPath);

const gate = (file: string, ...args: string[]) => runGate(file, args, 180_000);

/** A Go module with benchmarks: `BenchmarkSpin` spins `spin` × 100 000 iterations, and `extra` more benchmarks. */
function goModule(dir: string, spin: number, extra: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/work\n\ngo 1.19\n');
  writeFileSync(
    path.join(dir, 'work_test.go'),
    [
      'package work',
      '',
      'import "testing"',
      '',
      'var sink int',
      '',
      'func spin(n int) {',
      '\tx := 0',
      '\tfor i := 0; i < n; i++ {',
      '\t\tx += i % 7',
      '\t}',
      '\tsink = x',
      '}',
      '',
      'func BenchmarkSpin(b *testing.B) {',
      '\tfor i := 0; i < b.N; i++ {',
      `\t\tspin(${spin} * 100000)`,
      '\t}',
      '}',
      '',
      'func BenchmarkSteady(b *testing.B) {',
      '\tfor _, name := range []string{"small", "large"} {',
      '\t\tb.Run("size="+name, func(b *testing.B) {',
      '\t\t\tfor i := 0; i < b.N; i++ {',
      '\t\t\t\tspin(len(name) * 20000)',
      '\t\t\t}',
      '\t\t})',
      '\t}',
      '}',
      '',
      extra
    ].join('\n')
  );
}

const only = (name: string) =>
  `func ${name}(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tspin(1000)\n\t}\n}\n`;

beforeAll(buildLib, 120_000);

it('a paired Go suite gives one sample per Go benchmark and run; twice the work regresses; added and removed are listed', async () => {
  const { dir, file } = tempConfig('perfgate-bmf-', []);
  goModule(path.join(dir, 'head'), 2, only('BenchmarkNew'));
  goModule(path.join(dir, 'base'), 1, only('BenchmarkOld'));
  // The test binary is built once per side (setup), as a suite would be; each run is one -count.
  const side = [
    '    setup: go test -c -o work.test .',
    "    command: ./work.test -test.run '^$' -test.bench . -test.benchtime 400x",
    '    env: { GOPROXY: "off", GOFLAGS: "-mod=mod", GOTOOLCHAIN: local }'
  ];
  writeFileSync(
    file,
    [
      'version: 1',
      'benchmarks:',
      '  - name: go',
      '    cwd: head',
      ...side,
      '    format: go',
      '    base:',
      '      cwd: base',
      ...side.map(l => `  ${l}`),
      '    runs: 8',
      '    compare:',
      "      '*BenchmarkSpin': 5%",
      "      '*BenchmarkSteady/*': 10%",
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  const r = await gate(file);
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 1 });
  const results = r.results!;
  const bench = results.benchmarks![0]!;
  expect(bench.imported).toMatchObject({
    format: 'go',
    from: 'stdout',
    added: ['example.com/work.BenchmarkNew'],
    removed: ['example.com/work.BenchmarkOld']
  });
  expect(bench.imported!.benchmarks.map(b => b.name)).toEqual([
    'example.com/work.BenchmarkSpin',
    'example.com/work.BenchmarkSteady/size=small',
    'example.com/work.BenchmarkSteady/size=large',
    'example.com/work.BenchmarkNew'
  ]);
  // Every run, the discarded first pair too, read its values: ns/op of each Go benchmark.
  expect(bench.runs).toHaveLength(18);
  for (const run of bench.runs) {
    const names = Object.keys(run.values!);
    expect(names).toContain('example.com/work.BenchmarkSpin');
    expect(names).toContain(
      run.side === 'head' ? 'example.com/work.BenchmarkNew' : 'example.com/work.BenchmarkOld'
    );
  }
  const spin = results.series!.find(s => s.source === 'go' && s.key === 'example.com/work.BenchmarkSpin')!;
  expect(spin).toMatchObject({ unit: 'ns', better: 'lower', base: 'paired' });
  expect(spin.samples.head.map(s => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(spin.samples.base.map(s => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  // The series' samples are the runs' values, pair by pair.
  const headRun3 = bench.runs.find(x => x.side === 'head' && x.index === 3)!;
  expect(spin.samples.head.find(s => s.index === 3)!.value).toBe(
    headRun3.values!['example.com/work.BenchmarkSpin']
  );

  const byKey = (key: string) => results.comparisons.find(c => c.profile === 'go' && c.metric === key);
  expect(byKey('example.com/work.BenchmarkSpin')).toMatchObject({
    gated: true,
    verdict: 'regressed',
    test: 'wilcoxon-signed-rank',
    samples: 8
  });
  expect(byKey('example.com/work.BenchmarkSpin')!.estimate).toBeGreaterThan(0.5);
  // The same code on both sides (in two binaries, whose layouts may differ by a few per cent): compared, gated.
  expect(byKey('example.com/work.BenchmarkSteady/size=small')).toMatchObject({ gated: true, samples: 8 });
  expect(Math.abs(byKey('example.com/work.BenchmarkSteady/size=small')!.estimate)).toBeLessThan(0.5);
  // Only in one side: not compared. The run's own metrics: reported, not gated.
  expect(byKey('example.com/work.BenchmarkNew')).toBeUndefined();
  expect(byKey('wall_time.med')).toMatchObject({ gated: false });
  expect(results.notes).toContain(
    'Benchmark "go" (go): "example.com/work.BenchmarkNew" only in the head (added, not compared).'
  );
  expect(results.notes).toContain(
    'Benchmark "go" (go): "example.com/work.BenchmarkOld" only in the base (removed).'
  );
}, 240_000);

/** A node script that writes github-action-benchmark's generic JSON: one `parse` benchmark in ms. */
function genericWriter(dir: string, name: string, body: string) {
  writeFileSync(path.join(dir, name), body);
  return `${NODE} ${name}`;
}

it('reads the results file each run writes (output:), removed before every run', async () => {
  const { dir, file } = tempConfig('perfgate-bmf-', []);
  const cmd = genericWriter(
    dir,
    'write.mjs',
    "import { writeFileSync } from 'node:fs';\n" +
      "writeFileSync('out/result.json', JSON.stringify([{ name: 'parse', unit: 'ms', value: 12 + Math.random() }]));\n"
  );
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(
    file,
    [
      'version: 1',
      'benchmarks:',
      '  - name: tool',
      `    command: ${JSON.stringify(cmd)}`,
      '    format: generic-smaller',
      '    output: out/result.json',
      '    runs: 3',
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  const r = await gate(file);
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
  const bench = r.results!.benchmarks![0]!;
  expect(bench.imported).toMatchObject({
    format: 'generic-smaller',
    from: 'out/result.json',
    added: [],
    removed: []
  });
  expect(bench.runs.map(x => x.values!.parse! / 1e6)).toEqual([
    expect.closeTo(12.5, 0),
    expect.closeTo(12.5, 0),
    expect.closeTo(12.5, 0)
  ]);
  const series = r.results!.series!.find(s => s.source === 'tool' && s.key === 'parse')!;
  expect(series).toMatchObject({ unit: 'ns', base: 'none' });
  expect(series.samples.head).toHaveLength(3);

  // A command that writes the file on its first run only: the second run's is not the first's.
  const once = genericWriter(
    dir,
    'once.mjs',
    "import { existsSync, writeFileSync } from 'node:fs';\n" +
      "if (!existsSync('done')) { writeFileSync('done', ''); writeFileSync('out/result.json', JSON.stringify([{ name: 'parse', unit: 'ms', value: 12 }])); }\n"
  );
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace(JSON.stringify(cmd), JSON.stringify(once))
      .replace('runs: 3', 'runs: 3\n    warmup: 0')
  );
  const stale = await gate(file);
  expect(stale.code).toBe(2);
  expect(stale.stderr).toContain(
    `out/result.json of benchmark "tool", head run 2 (generic-smaller): the run wrote no results file (${path.join(dir, 'out/result.json')})`
  );
  // Nothing measured is lost: both runs are in the results, the first with its values.
  const runs = stale.results!.benchmarks![0]!.runs;
  expect(runs).toHaveLength(2);
  expect(runs[0]!.values).toEqual({ parse: 12e6 });
  expect(runs[1]!.values).toBeUndefined();
  expect(stale.results!.benchmarks![0]!.error).toContain('the run wrote no results file');
}, 120_000);

it('output that is not the format fails with the run, the place and the format; allowFailure keeps a failed run without values', async () => {
  const { file } = tempConfig('perfgate-bmf-', []);
  const lines = (command: string, more: string[] = []) =>
    [
      'version: 1',
      'benchmarks:',
      '  - name: suite',
      `    command: ${command}`,
      '    format: go',
      '    runs: 2',
      '    warmup: 0',
      ...more,
      'report: { dir: report }',
      ''
    ].join('\n');
  writeFileSync(
    file,
    lines(`printf 'BenchmarkA-2 \\t 100 \\t 12.5 ns/op\\nBenchmarkB-2 \\t 100 \\t abc ns/op\\n'`)
  );
  const bad = await gate(file);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/stdout of benchmark "suite", head run 1: line 2 \(go\): /);
  expect(bad.results!.benchmarks![0]!.runs).toHaveLength(1);

  // Auto-detected from the first run, then held to it.
  writeFileSync(
    file,
    lines(`printf 'BenchmarkA-2 \\t 100 \\t 12.5 ns/op\\n'`).replace('format: go', 'format: auto')
  );
  const auto = await gate(file);
  expect({ code: auto.code, stderr: auto.stderr }).toMatchObject({ code: 0 });
  expect(auto.results!.benchmarks![0]!.imported!.format).toBe('go');

  // With allowFailure, a run that exits non-zero and prints nothing readable is kept without values.
  writeFileSync(
    file,
    lines(
      `if [ -e ran ]; then echo broken; exit 3; else touch ran; printf 'BenchmarkA-2 \\t 100 \\t 12.5 ns/op\\n'; fi`,
      ['    allowFailure: true']
    )
  );
  const failed = await gate(file);
  expect({ code: failed.code, stderr: failed.stderr }).toMatchObject({ code: 0 });
  const runs = failed.results!.benchmarks![0]!.runs;
  expect(runs.map(x => x.exitCode)).toEqual([0, 3]);
  expect(runs[0]!.values).toEqual({ BenchmarkA: 12.5 });
  expect(runs[1]!.values).toBeUndefined();
  expect(runs[1]!.valuesError).toBe(
    'stdout of benchmark "suite", head run 2 (go): no benchmark results (lines "BenchmarkName  N  value unit …"); was go test run with -bench?'
  );
  expect(failed.stdout + failed.stderr).toContain(
    'head run 2 exited with code 3 and its results could not be read'
  );
}, 120_000);

it('config: output without format, an unknown format, and runs: auto beside a format are refused with their place', async () => {
  const { file } = tempConfig('perfgate-bmf-', [
    'version: 1',
    'benchmarks:',
    '  - name: a',
    '    command: "true"',
    '    output: x.json',
    '    compare: { "wall_time.p99": 5% }',
    '  - name: b',
    '    command: "true"',
    '    format: gotest',
    'report: { dir: report }'
  ]);
  const r = await gate(file);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    'perfgate.yml:5:13 benchmarks[0].output: expected output: only with format: (the file a run writes'
  );
  expect(r.stderr).toMatch(
    /perfgate\.yml:9:13 benchmarks\[1\]\.format: expected one of go, libtest, .*, generic-bigger, auto, got "gotest"/
  );
  // Without format: compare keys are the run's own metrics.
  expect(r.stderr).toContain(
    'perfgate.yml:6:16 benchmarks[0].compare["wall_time.p99"]: expected an aggregation of wall_time (med)'
  );

  const auto = tempConfig('perfgate-bmf-', [
    'version: 1',
    'benchmarks:',
    '  - name: c',
    '    command: "true"',
    '    runs: auto',
    '  - name: d',
    '    command: "true"',
    '    format: go',
    '    compare: { "Benchmark*": 5% }',
    'report: { dir: report }'
  ]);
  const a = await gate(auto.file);
  expect(a.code).toBe(2);
  expect(a.stderr).toContain(
    'perfgate.yml:5:11 benchmarks[0].runs: expected a number, not "auto", beside a benchmark with format: (benchmarks[1])'
  );
}, 60_000);

it('without a base, compared unpaired with a saved baseline of the same command, its benchmarks added and removed', async () => {
  const { dir, file } = tempConfig('perfgate-bmf-', []);
  // Which benchmarks the tool reports, and how slow, is up to files beside it: the command stays the same.
  const cmd = genericWriter(
    dir,
    'suite.mjs',
    "import { readFileSync } from 'node:fs';\n" +
      "const [names, ms] = readFileSync('suite.txt', 'utf8').trim().split(' ');\n" +
      'console.log(JSON.stringify(names.split(",").map(name => ({ name, unit: "ms", value: Number(ms) * (1 + Math.random() / 50) }))));\n'
  );
  writeFileSync(
    file,
    [
      'version: 1',
      'benchmarks:',
      '  - name: suite',
      `    command: ${JSON.stringify(cmd)}`,
      '    format: generic-smaller',
      '    warmup: 0',
      '    runs: 6',
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  const stored = path.join(dir, 'baseline.json');
  writeFileSync(path.join(dir, 'suite.txt'), 'parse,old 10');
  const first = await gate(file, '--save-baseline', stored);
  expect({ code: first.code, stderr: first.stderr }).toMatchObject({ code: 0 });
  expect(first.results!.comparisons).toEqual([]);

  writeFileSync(path.join(dir, 'suite.txt'), 'parse,new 20');
  const second = await gate(file, '--baseline', stored);
  expect(second.code).toBe(1);
  const results = second.results!;
  expect(results.benchmarks![0]!.imported).toMatchObject({ added: ['new'], removed: ['old'] });
  expect(results.comparisons.find(c => c.profile === 'suite' && c.metric === 'parse')).toMatchObject({
    gated: true,
    verdict: 'regressed',
    test: 'mann-whitney-u',
    samples: 6
  });
  expect(results.comparisons.find(c => c.metric === 'new')).toBeUndefined();
  expect(results.notes).toContain(
    'Benchmark "suite" (generic-smaller): "new" only in the head (added, not compared).'
  );
  expect(results.notes).toContain('Benchmark "suite" (generic-smaller): "old" only in the base (removed).');
}, 120_000);

import { readdirSync, readFileSync } from 'node:fs';
import { ImportError } from '../../../src/errors.js';
import { goImporter } from '../../../src/importers/go.js';
import type { ImportedBenchmark, ImportedMetric } from '../../../src/importers/types.js';

/** Real outputs of go1.19.8 (scripts/fixtures/go.sh); the values below were read off the files. */
const dir = new URL('../../fixtures/imports/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`go/${name}`, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => goImporter.parse(fixture(name), `go/${name}`);
const ALPHA = 'example.com/perfgate-fixtures/alpha';
const BETA = 'example.com/perfgate-fixtures/beta';

function bench(benchmarks: ImportedBenchmark[], name: string): ImportedBenchmark {
  const found = benchmarks.find(b => b.name === name);
  if (!found) throw new Error(`no ${name} in ${benchmarks.map(b => b.name).join(', ')}`);
  return found;
}
function metric(b: ImportedBenchmark, name: string): ImportedMetric {
  const found = b.metrics.find(m => m.name === name);
  if (!found) throw new Error(`no metric ${name} in ${b.name}`);
  return found;
}
function parseError(text: string): ImportError {
  try {
    goImporter.parse(text, 'bench.txt');
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('parsed without an error');
}

describe('go importer: parse real go test -bench output', () => {
  it('-count 3 -benchmem over two packages: samples per benchmark, package-qualified, -2 removed', () => {
    const benchmarks = parse('count3-benchmem.txt');
    expect(benchmarks.map(b => b.name)).toEqual([
      `${ALPHA}.BenchmarkParse`,
      `${ALPHA}.BenchmarkHash/size=64B`,
      `${ALPHA}.BenchmarkHash/size=1KB/ünïcode_name`,
      `${ALPHA}.BenchmarkAlloc`,
      `${ALPHA}.BenchmarkFail`,
      `${BETA}.BenchmarkParse`,
      `${BETA}.BenchmarkCustom`
    ]);
    const parseA = bench(benchmarks, `${ALPHA}.BenchmarkParse`);
    expect(parseA.metrics).toEqual([
      { name: 'time', unit: 'ns', better: 'lower', samples: [167.0, 171.9, 206.0] },
      { name: 'memory', unit: 'B', better: 'lower', samples: [112, 112, 112] },
      { name: 'allocations', unit: 'allocs', better: 'lower', samples: [1, 1, 1] }
    ]);
    expect(metric(bench(benchmarks, `${BETA}.BenchmarkParse`), 'time').samples).toEqual([
      4.812, 4.808, 4.867
    ]);
  });

  it('MB/s is throughput in B/s, bigger is better, after time', () => {
    const hash = bench(parse('count3-benchmem.txt'), `${ALPHA}.BenchmarkHash/size=1KB/ünïcode_name`);
    expect(hash.metrics.map(m => m.name)).toEqual(['time', 'throughput', 'memory', 'allocations']);
    expect(metric(hash, 'time').samples).toEqual([1488, 1129, 1475]);
    const throughput = metric(hash, 'throughput');
    expect(throughput).toMatchObject({ unit: 'B/s', better: 'higher' });
    [688.29e6, 907.19e6, 694.24e6].forEach((v, i) => expect(throughput.samples![i]).toBeCloseTo(v, 3));
  });

  it('custom metrics keep their units: a rate is bigger-is-better, a cost smaller', () => {
    const custom = bench(parse('count3-benchmem.txt'), `${BETA}.BenchmarkCustom`);
    expect(custom.metrics.map(m => [m.name, m.unit, m.better])).toEqual([
      ['time', 'ns', 'lower'],
      ['hits/op', 'hits/op', 'lower'],
      ['items/s', 'items/s', 'higher'],
      ['memory', 'B', 'lower'],
      ['allocations', 'allocs', 'lower']
    ]);
    expect(metric(custom, 'items/s').samples).toEqual([199299991, 223367698, 118433718]);
    expect(metric(custom, 'hits/op').samples).toEqual([0.75, 0.75, 0.75]);
  });

  it('-v: === RUN, test logs and name-only lines are skipped', () => {
    const benchmarks = parse('verbose.txt');
    expect(benchmarks).toHaveLength(7);
    expect(benchmarks.every(b => b.metrics.every(m => m.samples?.length === 2))).toBe(true);
    expect(metric(bench(benchmarks, `${ALPHA}.BenchmarkParse`), 'time').samples).toEqual([162.6, 147.0]);
  });

  it('-cpu 1,2: names kept as printed, BenchmarkX beside BenchmarkX-2, single values', () => {
    const benchmarks = parse('cpu-1-2.txt');
    expect(benchmarks.map(b => b.name)).toEqual([
      `${ALPHA}.BenchmarkParse`,
      `${ALPHA}.BenchmarkParse-2`,
      `${ALPHA}.BenchmarkHash/size=64B`,
      `${ALPHA}.BenchmarkHash/size=64B-2`,
      `${ALPHA}.BenchmarkHash/size=1KB/ünïcode_name`,
      `${ALPHA}.BenchmarkHash/size=1KB/ünïcode_name-2`,
      `${ALPHA}.BenchmarkAlloc`,
      `${ALPHA}.BenchmarkAlloc-2`,
      `${ALPHA}.BenchmarkFail`,
      `${ALPHA}.BenchmarkFail-2`,
      `${BETA}.BenchmarkParse`,
      `${BETA}.BenchmarkParse-2`,
      `${BETA}.BenchmarkCustom`,
      `${BETA}.BenchmarkCustom-2`
    ]);
    expect(bench(benchmarks, `${ALPHA}.BenchmarkParse`).metrics).toEqual([
      { name: 'time', unit: 'ns', better: 'lower', value: 89.68 }
    ]);
    expect(metric(bench(benchmarks, `${ALPHA}.BenchmarkParse-2`), 'time').value).toBe(129.1);
  });

  it('one line per benchmark gives its single value', () => {
    expect(parse('single-package.txt')).toEqual([
      {
        name: `${BETA}.BenchmarkParse`,
        metrics: [{ name: 'time', unit: 'ns', better: 'lower', value: 17.95 }]
      },
      {
        name: `${BETA}.BenchmarkCustom`,
        metrics: [
          { name: 'time', unit: 'ns', better: 'lower', value: 22.56 },
          { name: 'hits/op', unit: 'hits/op', better: 'lower', value: 0.75 },
          { name: 'items/s', unit: 'items/s', better: 'higher', value: 159883046 }
        ]
      }
    ]);
  });

  it('a failed benchmark is marked with the first line of its log; the others of its package are read', () => {
    const benchmarks = parse('failed.txt');
    expect(benchmarks.map(b => b.name)).toEqual([
      `${ALPHA}.BenchmarkParse`,
      `${ALPHA}.BenchmarkHash/size=64B`,
      `${ALPHA}.BenchmarkHash/size=1KB/ünïcode_name`,
      `${ALPHA}.BenchmarkAlloc`,
      `${ALPHA}.BenchmarkFail`
    ]);
    expect(metric(bench(benchmarks, `${ALPHA}.BenchmarkAlloc`), 'time').value).toBe(78.17);
    expect(benchmarks.filter(b => b.failed !== undefined)).toEqual([
      { name: `${ALPHA}.BenchmarkFail`, metrics: [], failed: 'alpha_test.go:53: failed on purpose' }
    ]);
  });

  it('a failed sub-benchmark is marked, not its parent; a -N suffix is removed as from results', () => {
    const text = [
      'pkg: example.com/x',
      'BenchmarkOk-4 10 5 ns/op',
      '--- FAIL: BenchmarkHash',
      '    --- FAIL: BenchmarkHash/size=64B-4',
      '        x_test.go:9: boom',
      '--- FAIL: BenchmarkOk-4',
      '--- FAIL: BenchmarkOk-4',
      'FAIL',
      ''
    ].join('\n');
    expect(goImporter.parse(text, 'x.txt')).toEqual([
      {
        name: 'example.com/x.BenchmarkOk',
        metrics: [{ name: 'time', unit: 'ns', better: 'lower', value: 5 }],
        failed: '--- FAIL at line 6'
      },
      { name: 'example.com/x.BenchmarkHash/size=64B', metrics: [], failed: 'x_test.go:9: boom' }
    ]);
  });

  it('without a pkg: line names are bare; -N is removed only when every line has the same one', () => {
    const text = 'BenchmarkA 10 5 ns/op\nBenchmarkB/n-4 10 6 ns/op\n';
    expect(goImporter.parse(text, 'x.txt').map(b => b.name)).toEqual(['BenchmarkA', 'BenchmarkB/n-4']);
    const cpus = 'BenchmarkA-2 10 5 ns/op\nBenchmarkA-4 10 3 ns/op\n';
    expect(goImporter.parse(cpus, 'x.txt').map(b => b.name)).toEqual(['BenchmarkA-2', 'BenchmarkA-4']);
    const same = 'BenchmarkA-4 10 5 ns/op\nBenchmarkB/n-4 10 6 ns/op\n';
    expect(goImporter.parse(same, 'x.txt').map(b => b.name)).toEqual(['BenchmarkA', 'BenchmarkB/n']);
  });

  it('units go does not print by default are normalised when known (sec/op, KB/s)', () => {
    const [b] = goImporter.parse('BenchmarkA 10 0.5 sec/op 2 KB/s\n', 'x.txt');
    expect(b!.metrics).toEqual([
      { name: 'sec/op', unit: 'ns', better: 'lower', value: 0.5e9 },
      { name: 'KB/s', unit: 'B/s', better: 'higher', value: 2000 }
    ]);
  });
});

describe('go importer: bad input', () => {
  const head = 'goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: AMD EPYC\n';
  it.each([
    [
      'a file cut mid-line',
      `${head}BenchmarkA-2   \t    2000\t       167.0 ns/op\t     11`,
      'bench.txt: line 5 (go): the file ends mid-line (a truncated file?)'
    ],
    [
      'a file cut inside a name',
      `${head}BenchmarkA-2 2000 1 ns/op\nBenchmarkB/si`,
      'bench.txt: line 6 (go): the file ends mid-line (a truncated file?)'
    ],
    [
      'a value without its unit',
      `${head}BenchmarkA-2 2000 167.0 ns/op 112\nPASS\n`,
      'bench.txt: line 5 (go): a value without its unit in "BenchmarkA-2 2000 167.0 ns/op 112"'
    ],
    [
      'an iteration count and nothing else',
      `${head}BenchmarkA-2 2000\nPASS\n`,
      'bench.txt: line 5 (go): no measurements after the iteration count in "BenchmarkA-2 2000"'
    ],
    [
      'NaN',
      `${head}BenchmarkA 10 NaN ns/op\n`,
      'bench.txt: line 5 (go): NaN ns/op: expected a number, got NaN'
    ],
    [
      'a negative value',
      `${head}BenchmarkA 10 5 ns/op -3 B/op\n`,
      'bench.txt: line 5 (go): -3 B/op: expected a value of 0 or more, got -3'
    ],
    [
      'an absurd value',
      `${head}BenchmarkA 10 5e30 ns/op\n`,
      'bench.txt: line 5 (go): 5e30 ns/op: expected a plausible measurement, got 5e+30'
    ],
    [
      'an absurd value once normalised',
      `${head}BenchmarkA 10 2e10 sec/op\n`,
      'bench.txt: line 5 (go): 2e10 sec/op: expected a plausible measurement, got 20000000000000000000'
    ],
    [
      'infinity',
      `${head}BenchmarkA 10 +Inf ns/op\n`,
      'bench.txt: line 5 (go): +Inf ns/op: expected a finite number, got Infinity'
    ],
    [
      'a word for a value',
      `${head}BenchmarkA 10 fast ns/op\n`,
      'bench.txt: line 5 (go): "fast" before ns/op is not a number'
    ],
    [
      'no results: every benchmark failed',
      `${head}--- FAIL: BenchmarkA\n    a_test.go:9: boom\nFAIL\n`,
      'bench.txt (go): no benchmark results (lines "BenchmarkName  N  value unit …"); every benchmark failed (--- FAIL: BenchmarkA)'
    ],
    [
      'no results: go test without -bench',
      'PASS\nok  \texample.com/x\t0.01s\n',
      'bench.txt (go): no benchmark results (lines "BenchmarkName  N  value unit …"); was go test run with -bench?'
    ]
  ])('%s', (_label, text, message) => {
    const err = parseError(text);
    expect(err.message).toBe(message);
    expect(err.format).toBe('go');
  });

  it('a real output cut mid-line names its line', () => {
    const text = fixture('count3-benchmem.txt');
    const cut = text.slice(0, text.indexOf('1049.94'));
    expect(parseError(cut).message).toBe(
      'bench.txt: line 9 (go): the file ends mid-line (a truncated file?)'
    );
  });

  it('CRLF line endings are read like LF', () => {
    const crlf = fixture('single-package.txt').replace(/\n/g, '\r\n');
    expect(goImporter.parse(crlf, 'x.txt')).toEqual(parse('single-package.txt'));
  });
});

describe('go importer: detect', () => {
  it.each(['count3-benchmem.txt', 'verbose.txt', 'cpu-1-2.txt', 'single-package.txt', 'failed.txt'])(
    '%s is unmistakable',
    name => expect(goImporter.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  it('a go test header without results is likely (so that parse says what is missing)', () => {
    expect(goImporter.detect('goos: linux\ngoarch: amd64\npkg: x\n--- FAIL: BenchmarkA\nFAIL\n')).toBe(0.6);
  });

  const others = readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== 'go')
    .flatMap(d => readdirSync(new URL(`${d.name}/`, dir)).map(f => `${d.name}/${f}`));
  it.each(others.length > 0 ? others : ['(none)'])('other formats: %s scores 0', name => {
    if (name === '(none)') return;
    expect(goImporter.detect(readFileSync(new URL(name, dir), 'utf8'))).toBe(0);
  });

  it.each([
    ['generic JSON', '[{"name": "BenchmarkA", "unit": "ns/op", "value": 12}]'],
    ['plain text', 'Benchmarking is fun.\nBenchmarks 10 times a day\n'],
    [
      'criterion text',
      'Benchmarking parse: Warming up for 3.0000 s\nparse  time:   [1.2 µs 1.3 µs 1.4 µs]\n'
    ],
    ['libtest', 'test bench_a ... bench:          12 ns/iter (+/- 1)\n'],
    ['empty', '']
  ])('%s scores 0', (_label, text) => expect(goImporter.detect(text)).toBe(0));
});

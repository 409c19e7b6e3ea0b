import { readdirSync, readFileSync } from 'node:fs';
import { ImportError } from '../../../src/errors.js';
import { libtestImporter } from '../../../src/importers/libtest.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/**
 * Fixtures written from libtest's source (scripts/fixtures/libtest.mjs; see the README beside them:
 * #[bench] needs nightly); the values below were read off the files.
 */
const dir = new URL('../../fixtures/imports/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`libtest/${name}`, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => libtestImporter.parse(fixture(name), `libtest/${name}`);

function parseError(text: string): ImportError {
  try {
    libtestImporter.parse(text, 'bench.txt');
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('parsed without an error');
}

const time = (value: number) => ({ name: 'time', unit: 'ns', better: 'lower', value });

describe('libtest importer: parse', () => {
  it('newer toolchain, two binaries: decimals, thousands, MB/s; a name in both binaries is two benchmarks', () => {
    const benchmarks = parse('decimals-two-binaries.txt');
    expect(benchmarks.map(b => b.name)).toEqual([
      'bench_noop (unittests src/lib.rs)',
      'tests::bench_split_ascii',
      'tests::bench_split_unicode',
      'tests::bench_tiny',
      'bench_noop (benches/parse.rs)',
      'bench_parse_big',
      'bench_parse_small',
      'bench_panics'
    ]);
    const by = (name: string) => benchmarks.find(b => b.name === name)!.metrics;
    expect(by('bench_noop (unittests src/lib.rs)')).toEqual([time(0.31)]);
    expect(by('bench_noop (benches/parse.rs)')).toEqual([time(0.29)]);
    expect(by('tests::bench_split_unicode')).toEqual([time(1234.5)]);
    expect(by('tests::bench_tiny')).toEqual([time(0.25)]);
    expect(by('bench_parse_big')).toEqual([
      time(1234567.89),
      { name: 'throughput', unit: 'B/s', better: 'higher', value: 849e6 }
    ]);
    expect(by('bench_parse_small')).toEqual([
      time(98.76),
      { name: 'throughput', unit: 'B/s', better: 'higher', value: 653e6 }
    ]);
  });

  it('ignored tests are not results; a FAILED bench is marked with its panic', () => {
    const benchmarks = parse('decimals-two-binaries.txt');
    expect(benchmarks.map(b => b.name)).not.toContain('tests::splits_words');
    expect(benchmarks.filter(b => b.failed !== undefined)).toEqual([
      {
        name: 'bench_panics',
        metrics: [],
        failed:
          "thread 'main' panicked at benches/parse.rs:40:9: index out of bounds: the len is 3 but the index is 7"
      }
    ]);
  });

  it('a FAILED bench without its failures section is marked FAILED', () => {
    const text = 'test a ... bench: 5 ns/iter (+/- 1)\ntest b ... FAILED\n\ntest result: FAILED.\n';
    expect(libtestImporter.parse(text, 'x.txt').map(b => [b.name, b.failed])).toEqual([
      ['a', undefined],
      ['b', 'FAILED']
    ]);
  });

  it('older toolchain, one binary three times (stdout only): one sample per run', () => {
    expect(parse('integers-three-runs.txt')).toEqual([
      {
        name: 'bench_parse_big',
        metrics: [
          { name: 'time', unit: 'ns', better: 'lower', samples: [1234567, 1251003, 1229950] },
          { name: 'throughput', unit: 'B/s', better: 'higher', samples: [849e6, 838e6, 852e6] }
        ]
      },
      {
        name: 'bench_parse_small',
        metrics: [
          { name: 'time', unit: 'ns', better: 'lower', samples: [98, 101, 97] },
          { name: 'throughput', unit: 'B/s', better: 'higher', samples: [653e6, 633e6, 659e6] }
        ]
      },
      { name: 'bench_tiny', metrics: [{ name: 'time', unit: 'ns', better: 'lower', samples: [0, 1, 0] }] }
    ]);
  });

  it('the same target run twice gives samples; old cargo Running lines lose their hash', () => {
    const text = [
      '     Running target/release/deps/parse-9d8e7f6a5b4c3d21',
      'test a ... bench:          10 ns/iter (+/- 1)',
      '     Running target/release/deps/other-0123456789abcdef',
      'test a ... bench:          20 ns/iter (+/- 1)',
      '     Running target/release/deps/parse-9d8e7f6a5b4c3d21',
      'test a ... bench:          11 ns/iter (+/- 1)',
      ''
    ].join('\n');
    expect(libtestImporter.parse(text, 'x.txt')).toEqual([
      {
        name: 'a (target/release/deps/parse)',
        metrics: [{ name: 'time', unit: 'ns', better: 'lower', samples: [10, 11] }]
      },
      { name: 'a (target/release/deps/other)', metrics: [time(20)] }
    ]);
  });

  it('CRLF and --report-time (<0.105s>) are read', () => {
    const text = 'test a ... bench:       1,000.50 ns/iter (+/- 3.00) <0.105s>\r\n';
    expect(libtestImporter.parse(text, 'x.txt')).toEqual([{ name: 'a', metrics: [time(1000.5)] }]);
  });
});

describe('libtest importer: bad input', () => {
  it.each([
    [
      'a file cut mid-line',
      'running 1 test\ntest a ... bench:          12 ns/it',
      'bench.txt: line 2 (libtest): the file ends mid-line (a truncated file?)'
    ],
    [
      'a bench line that does not parse',
      'test a ... bench:          12 ns/iter\n',
      'bench.txt: line 1 (libtest): not a libtest bench result: "test a ... bench:          12 ns/iter"'
    ],
    [
      'NaN',
      'test a ... bench:            NaN ns/iter (+/- NaN)\n',
      'bench.txt: line 1 (libtest): NaN ns/iter: expected a number, got NaN'
    ],
    [
      'a negative value',
      'test a ... bench:          -5.00 ns/iter (+/- 1.00)\n',
      'bench.txt: line 1 (libtest): -5.00 ns/iter: expected a value of 0 or more, got -5'
    ],
    [
      'an absurd value',
      'test a ... bench: 9,000,000,000,000,000,000 ns/iter (+/- 0)\n',
      'bench.txt: line 1 (libtest): 9,000,000,000,000,000,000 ns/iter: expected a plausible measurement, got 9000000000000000000'
    ],
    [
      'a NaN range',
      'test a ... bench:          12.00 ns/iter (+/- NaN)\n',
      'bench.txt: line 1 (libtest): NaN ns/iter (the range): expected a number, got NaN'
    ],
    [
      'a word for a value',
      'test a ... bench:           fast ns/iter (+/- 1)\n',
      'bench.txt: line 1 (libtest): "fast" before ns/iter is not a number'
    ],
    [
      'no results: only failures',
      '\nrunning 1 test\ntest b ... FAILED\n\ntest result: FAILED. 0 passed; 1 failed\n',
      'bench.txt (libtest): no bench results (lines "test NAME ... bench: N ns/iter (+/- R)"); FAILED: b'
    ],
    [
      'no results: cargo test output',
      '\nrunning 1 test\ntest it_works ... ok\n\ntest result: ok. 1 passed; 0 failed\n',
      'bench.txt (libtest): no bench results (lines "test NAME ... bench: N ns/iter (+/- R)"); was it cargo bench output (#[bench] needs nightly)?'
    ]
  ])('%s', (_label, text, message) => {
    const err = parseError(text);
    expect(err.message).toBe(message);
    expect(err.format).toBe('libtest');
  });

  it('a fixture cut mid-line names its line', () => {
    const text = fixture('decimals-two-binaries.txt');
    const cut = text.slice(0, text.indexOf('45,678.12'));
    expect(parseError(cut).message).toBe(
      'bench.txt: line 19 (libtest): the file ends mid-line (a truncated file?)'
    );
  });

  it('output ending on the test result line without a newline is whole', () => {
    const text = 'test a ... bench:          12 ns/iter (+/- 1)\n\ntest result: ok. 0 passed; 1 measured';
    expect(libtestImporter.parse(text, 'x.txt')).toEqual([{ name: 'a', metrics: [time(12)] }]);
  });
});

describe('libtest importer: detect', () => {
  it.each(['decimals-two-binaries.txt', 'integers-three-runs.txt'])('%s is unmistakable', name =>
    expect(libtestImporter.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  const others = readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== 'libtest')
    .flatMap(d => readdirSync(new URL(`${d.name}/`, dir)).map(f => `${d.name}/${f}`));
  it.each(others.length > 0 ? others : ['(none)'])('other formats: %s scores 0', name => {
    if (name === '(none)') return;
    expect(libtestImporter.detect(readFileSync(new URL(name, dir), 'utf8'))).toBe(0);
  });

  it.each([
    ['generic JSON', '[{"name": "test a ... bench: 1 ns/iter (+/- 1)", "value": 1}]'],
    ['plain text', 'test the thing ... it works\n'],
    ['cargo test output', '\nrunning 1 test\ntest it_works ... ok\n\ntest result: ok. 1 passed\n'],
    [
      'criterion through cargo bench',
      '\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured\n\n' +
        'parse                   time:   [1.2 µs 1.3 µs 1.4 µs]\n'
    ],
    ['go', 'BenchmarkA-8 100 12 ns/op\n'],
    ['empty', '']
  ])('%s scores 0', (_label, text) => expect(libtestImporter.detect(text)).toBe(0));
});

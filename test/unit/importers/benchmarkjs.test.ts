import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkjsCritical, benchmarkjsImporter as importer } from '../../../src/importers/benchmarkjs.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';
import { otherFixtures } from '../../helpers/import-fixtures.js';

const ROOT = 'test/fixtures/imports';
const DIR = join(ROOT, 'benchmarkjs');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parse = (name: string): ImportedBenchmark[] => importer.parse(read(name), name);

/** benchmark.js's own statistics of the run that printed suite.txt. */
interface Stats {
  name: string;
  hz: number;
  n: number;
  rme: number;
  meanPeriod: number;
  sdPeriod: number;
}
const stats = JSON.parse(read('suite.stats.json')) as Stats[];

describe('benchmarkjs detect', () => {
  it.each(['suite.txt', 'repeated.txt'])('is sure of %s', name => {
    expect(importer.detect(read(name))).toBeGreaterThanOrEqual(0.9);
  });

  it('gives nothing to the other formats’ fixtures', () => {
    const others = otherFixtures('benchmarkjs');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      expect([file, importer.detect(readFileSync(file, 'utf8'))]).toEqual([file, 0]);
    }
  });

  it.each([
    ['generic JSON', '{"name": "fib x 10 ops/sec"}'],
    ['its own statistics JSON', read('suite.stats.json')],
    ['plain text', 'We ran 3 x 4 benchmarks at 1,234 ops/sec\n'],
    ['a Go benchmark line', 'BenchmarkFib-8   1000   1234 ns/op\n'],
    ['empty', '']
  ])('gives nothing to %s', (_what, text) => {
    expect(importer.detect(text)).toBe(0);
  });
});

describe('benchmarkjs parse', () => {
  it('keeps every name exactly, even one holding “ x ”, and skips errors and the Fastest line', () => {
    expect(parse('suite.txt').map(b => b.name)).toEqual([
      'RegExp#test',
      'String#indexOf',
      'concat 1,000 × "x" / join',
      'größe – naïve ✓ x 2',
      'sort 200k numbers',
      'sort 10k numbers',
      'one run sampled'
    ]);
  });

  it('reads the rate with its thousands separators and decimals, bigger is better', () => {
    const [regexp, , , , sort200k] = parse('suite.txt');
    expect(regexp!.metrics).toHaveLength(1);
    expect(regexp!.metrics[0]).toMatchObject({ name: 'throughput', unit: 'ops/s', better: 'higher' });
    expect(regexp!.metrics[0]!.summary!.mean).toBe(43_656_528); // "43,656,528 ops/sec"
    expect(regexp!.metrics[0]!.summary!.n).toBe(66); // "(66 runs sampled)"
    expect(sort200k!.metrics[0]!.summary!.mean).toBe(14.18); // "14.18 ops/sec"
  });

  it('derives the spread from ±rme and the sample size: for 32 runs, 14.18 · 0.1064 · √32 / 1.96', () => {
    const sort200k = parse('suite.txt')[4]!.metrics[0]!.summary!;
    expect(sort200k.stdev).toBeCloseTo((14.18 * 0.1064 * Math.sqrt(32)) / 1.96, 10);
  });

  it('derives a spread that matches benchmark.js’s own standard deviation of the periods', () => {
    const byName = new Map(parse('suite.txt').map(b => [b.name, b.metrics[0]!]));
    const sampled = stats.filter(s => s.n > 1);
    expect(sampled).toHaveLength(6);
    for (const s of sampled) {
      const summary = byName.get(s.name)!.summary!;
      const cv = summary.stdev / summary.mean;
      // The line rounds rme to 2 decimals and hz to an integer (or 2 decimals): within 0.2 %.
      expect([s.name, Math.abs(cv / (s.sdPeriod / s.meanPeriod) - 1) < 2e-3]).toEqual([s.name, true]);
    }
  });

  it('gives a single value for one run sampled', () => {
    const one = parse('suite.txt')[6]!;
    expect(one.metrics[0]).toEqual({ name: 'throughput', unit: 'ops/s', better: 'higher', value: 191 });
  });

  it('takes a suite run again and appended as samples of its rate, between npm’s banners', () => {
    const benchmarks = parse('repeated.txt');
    expect(benchmarks).toEqual([
      {
        name: 'Array#push',
        metrics: [
          {
            name: 'throughput',
            unit: 'ops/s',
            better: 'higher',
            samples: [65_528_585, 57_734_059, 61_164_731]
          }
        ]
      },
      {
        name: 'Object spread',
        metrics: [
          {
            name: 'throughput',
            unit: 'ops/s',
            better: 'higher',
            samples: [84_288_881, 74_240_483, 88_877_768]
          }
        ]
      }
    ]);
  });

  it.each([
    ['CRLF line ends', 'fib(20) x 11,465 ops/sec ±1.12% (91 runs sampled)\r\n', 'fib(20)'],
    ['an indented line', '  fib(20) x 11,465 ops/sec ±1.12% (91 runs sampled)\n', 'fib(20)'],
    ['+- for ±', 'fib(20) x 11,465 ops/sec +-1.12% (91 runs sampled)\n', 'fib(20)'],
    [
      'a Fastest line that ends like a rate',
      'a x 2 x 5 ops/sec ±1.00% (5 runs sampled)\nFastest is a x 2',
      'a x 2'
    ]
  ])('reads %s', (_what, text, name) => {
    expect(importer.parse(text, 'f.txt').map(b => b.name)).toEqual([name]);
  });

  it('uses benchmark.js’s t table: df 1 … 30, then 1.96', () => {
    expect([1, 2, 11, 31, 32, 500].map(benchmarkjsCritical)).toEqual([
      12.706, 12.706, 2.228, 2.042, 1.96, 1.96
    ]);
  });
});

describe('benchmarkjs bad input', () => {
  const good = 'fib(10) x 1,000 ops/sec ±1.00% (50 runs sampled)\n';
  it.each([
    [
      'a file cut in the middle of a line',
      good + 'fib(20) x 11,4',
      'bad.txt: line 2 (benchmarkjs): a result cut short or garbled: "fib(20) x 11,4"'
    ],
    [
      'a line cut after the rate',
      good + 'fib(20) x 11,465 ops/sec ±1.1\nFastest is fib(10)\n',
      'bad.txt: line 2 (benchmarkjs): a result cut short or garbled: "fib(20) x 11,465 ops/sec ±1.1"'
    ],
    [
      'NaN for a rate',
      good + 'fib(20) x NaN ops/sec ±1.12% (91 runs sampled)\n',
      'bad.txt: line 2 (benchmarkjs): the rate: expected a number, got NaN'
    ],
    [
      'a negative rate',
      'fib(20) x -5 ops/sec ±1.12% (91 runs sampled)\n',
      'bad.txt: line 1 (benchmarkjs): the rate: expected a value of 0 or more, got -5'
    ],
    [
      'an absurd rate',
      'fib(20) x 9,000,000,000,000,000,000 ops/sec ±1.12% (91 runs sampled)\n',
      'bad.txt: line 1 (benchmarkjs): the rate: expected a plausible measurement, got 9000000000000000000'
    ],
    [
      'no runs sampled',
      'fib(20) x 5 ops/sec ±1.12% (0 runs sampled)\n',
      'bad.txt: line 1 (benchmarkjs): the sample size: expected 1 or more, got 0'
    ],
    [
      'a file without results',
      'Fastest is fib(10)\n',
      'bad.txt (benchmarkjs): no benchmarks: no line like "name x 1,234 ops/sec ±1.23% (89 runs sampled)"'
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(() => importer.parse(text, 'bad.txt')).toThrow(message);
  });
});

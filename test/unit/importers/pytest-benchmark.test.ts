import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pytestBenchmarkImporter as pb } from '../../../src/importers/pytest-benchmark.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/**
 * Real outputs (scripts/fixtures/pytest-benchmark.sh): `json-*` written by --benchmark-json (with
 * stats.data), `saved-*` by --benchmark-save without --benchmark-save-data (statistics only), each by
 * Debian's pytest-benchmark 3.2.2 and by 5.2.3.
 */
const DIR = 'test/fixtures/imports/pytest-benchmark';
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parse = (name: string): ImportedBenchmark[] => pb.parse(fixture(name), join(DIR, name));

/** A small document in pytest-benchmark's shape, for the inputs no real run writes. */
const doc = (...benchmarks: Array<Record<string, unknown>>): string =>
  JSON.stringify(
    { machine_info: { python_version: '3.11' }, commit_info: {}, benchmarks, version: '3.2.2' },
    null,
    2
  );
const bench = (
  stats: Record<string, unknown> = {},
  over: Record<string, unknown> = {}
): Record<string, unknown> => ({
  group: null,
  name: 'test_a',
  fullname: 'tests/test_x.py::test_a',
  params: null,
  stats: {
    min: 0.001,
    max: 0.003,
    mean: 0.002,
    stddev: 0.0005,
    rounds: 10,
    median: 0.002,
    ops: 500,
    ...stats
  },
  ...over
});

describe('pytest-benchmark detect', () => {
  it.each(['json-3.2.2.json', 'saved-3.2.2.json', 'json-5.2.3.json', 'saved-5.2.3.json'])(
    'is sure of its own output %s',
    name => {
      expect(pb.detect(fixture(name))).toBeGreaterThanOrEqual(0.9);
    }
  );

  const root = 'test/fixtures/imports';
  const others = readdirSync(root)
    .filter(dir => dir !== 'pytest-benchmark' && statSync(join(root, dir)).isDirectory())
    .flatMap(dir => readdirSync(join(root, dir)).map(file => join(root, dir, file)));
  it.each(others)('says 0 for another format: %s', file => {
    expect(pb.detect(readFileSync(file, 'utf8'))).toBe(0);
  });
  it('has other formats to check against', () => {
    expect(others.some(f => f.includes('google-benchmark'))).toBe(true);
  });

  it.each([
    ['generic JSON', '{"name": "x", "value": 1}'],
    ['a generic list', '[{"name": "x", "unit": "ns", "value": 1}]'],
    ['another tool with benchmarks', '{"context": {}, "benchmarks": [{"name": "x", "real_time": 1}]}'],
    ['plain text', 'test_sum    9.9850   80.3800   11.8001   6.3031   11.0370\n'],
    ['nothing', '']
  ])('says 0 for %s', (_, text) => {
    expect(pb.detect(text)).toBe(0);
  });
});

describe('pytest-benchmark parse: --benchmark-json (with data)', () => {
  const benchmarks = parse('json-3.2.2.json');

  it('names each benchmark by its fullname, exactly as written (pytest escapes non-ASCII ids)', () => {
    expect(benchmarks.map(b => b.name)).toEqual([
      'tests/test_bench.py::test_sum',
      'tests/test_bench.py::test_sort[ten items]',
      'tests/test_bench.py::test_sort[deux cents \\xe9l\\xe9ments]',
      'tests/test_bench.py::TestSleep::test_sleep'
    ]);
  });

  it('makes stats.data the samples, seconds to ns, and ops a second metric', () => {
    const sum = benchmarks[0]!;
    expect(sum.metrics.map(m => [m.name, m.unit, m.better])).toEqual([
      ['time', 'ns', 'lower'],
      ['ops', 'ops/s', 'higher']
    ]);
    const time = sum.metrics[0]!;
    expect(time.summary).toBeUndefined();
    expect(time.samples).toHaveLength(225); // "rounds": 225
    expect(time.samples![0]).toBeCloseTo(6068.999937269837, 6); // data[0] 6.068999937269837e-06 s
    expect(time.samples![2]).toBeCloseTo(7841.999831725843, 6); // data[2] 7.841999831725843e-06 s
    expect(sum.metrics[1]!.value).toBe(170230.7980972055);
  });

  it('keeps unicode ids when pytest was told not to escape them (5.2.3)', () => {
    const names = parse('json-5.2.3.json').map(b => b.name);
    expect(names).toContain('tests/test_bench.py::test_sort[deux cents éléments]');
    const sleep = parse('json-5.2.3.json')[3]!.metrics[0]!;
    // pedantic(rounds=4, iterations=2): four samples, each a round's time per iteration
    expect(sleep.samples).toHaveLength(4);
    expect(sleep.samples![0]).toBeCloseTo(20609180.00006, 3);
  });
});

describe('pytest-benchmark parse: saved without data', () => {
  it('gives a summary: mean, stddev and rounds, in ns', () => {
    const [sum, , , sleep] = parse('saved-3.2.2.json');
    expect(sum!.name).toBe('tests/test_bench.py::test_sum');
    const time = sum!.metrics[0]!;
    expect(time.samples).toBeUndefined();
    // "mean": 5.87437767535448e-06, "stddev": 5.449896213890716e-07, "rounds": 225
    expect(time.summary!.mean).toBeCloseTo(5874.37767535448, 6);
    expect(time.summary!.stdev).toBeCloseTo(544.98962138907, 6);
    expect(time.summary!.n).toBe(225);
    expect(sleep!.metrics[0]!.summary!.n).toBe(4);
  });

  it('reads the newer version alike', () => {
    const time = parse('saved-5.2.3.json')[2]!.metrics[0]!;
    // "mean": 2.390379224300494e-06, "stddev": 2.572099818836128e-05, "rounds": 366
    expect(time.summary!.mean).toBeCloseTo(2390.379224300494, 6);
    expect(time.summary!.stdev).toBeCloseTo(25720.99818836128, 5);
    expect(time.summary!.n).toBe(366);
  });

  it('gives one value for a single round', () => {
    const [b] = pb.parse(doc(bench({ rounds: 1, stddev: 0, mean: 0.25 })), 'x.json');
    expect(b!.metrics[0]).toEqual({ name: 'time', unit: 'ns', better: 'lower', value: 250_000_000 });
  });

  it('reads old files without ops or fullname', () => {
    const old = bench({ ops: undefined }, { fullname: undefined, name: 'test_old' });
    expect(pb.parse(doc(old), 'x.json')).toEqual([
      {
        name: 'test_old',
        metrics: [
          { name: 'time', unit: 'ns', better: 'lower', summary: { mean: 2_000_000, stdev: 500_000, n: 10 } }
        ]
      }
    ]);
  });
});

describe('pytest-benchmark parse: bad input', () => {
  const error = (text: string, file = 'bench.json'): string => {
    try {
      pb.parse(text, file);
    } catch (err) {
      expect((err as Error).name).toBe('ImportError');
      return (err as Error).message;
    }
    throw new Error('parse did not throw');
  };

  it('says where a truncated file ends', () => {
    const text = fixture('saved-3.2.2.json');
    const cut = text.slice(0, text.indexOf('"stddev"'));
    const line = cut.split('\n').length;
    expect(error(cut)).toBe(
      `bench.json: line ${line}, column 17 (pytest-benchmark): the JSON ends early (a truncated file?)`
    );
  });

  it.each([
    [
      'NaN written bare',
      doc(bench({ mean: 0 })).replace('"mean": 0', '"mean": NaN'),
      'mean',
      'expected a number, got NaN'
    ],
    [
      'NaN in the data',
      doc(bench({ data: [0.1, 0.123, 0.3] })).replace('0.123', 'NaN'),
      'data[1]',
      'expected a number, got NaN'
    ],
    [
      'infinity',
      doc(bench({ stddev: 0 })).replace('"stddev": 0', '"stddev": Infinity'),
      'stddev',
      'expected a finite number, got Infinity'
    ],
    ['a negative mean', doc(bench({ mean: -0.5 })), 'mean', 'expected a value of 0 or more, got -0.5'],
    [
      'an absurd mean',
      doc(bench({ mean: 1e10 })),
      'mean',
      'expected a plausible measurement, got 10000000000 s'
    ],
    ['a string', doc(bench({ mean: '2 ms' })), 'mean', 'expected a number, got "2 ms"'],
    ['a negative ops', doc(bench({ ops: -1 })), 'ops', 'expected a value of 0 or more, got -1'],
    ['zero rounds', doc(bench({ rounds: 0 })), 'rounds', 'Too small: expected number to be >=1']
  ])('refuses %s at its JSON path', (_, text, key, detail) => {
    expect(error(text)).toBe(`bench.json: $.benchmarks[0].stats.${key} (pytest-benchmark): ${detail}`);
  });

  it('refuses a benchmark without stats', () => {
    expect(error(doc(bench({}, { stats: undefined })))).toBe(
      'bench.json: $.benchmarks[0].stats (pytest-benchmark): Invalid input: expected object, received undefined'
    );
  });

  it('refuses the same benchmark twice', () => {
    expect(error(doc(bench(), bench()))).toBe(
      'bench.json: $.benchmarks[1].fullname (pytest-benchmark): benchmark "tests/test_x.py::test_a" appears twice (also at $.benchmarks[0])'
    );
  });

  it('says a file with no benchmarks has none', () => {
    expect(error(doc())).toBe(
      'bench.json: $.benchmarks (pytest-benchmark): no benchmarks in the file (the list is empty)'
    );
  });
});

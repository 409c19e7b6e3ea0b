import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importText } from '../../../src/importers/read-import.js';
import { googleBenchmarkImporter as gb } from '../../../src/importers/google-benchmark.js';
import type { ImportedBenchmark, ImportedMetric } from '../../../src/importers/types.js';

/** Real outputs of libbenchmark 1.7.1 (scripts/fixtures/google-benchmark.sh). */
const DIR = 'test/fixtures/imports/google-benchmark';
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parse = (name: string): ImportedBenchmark[] => gb.parse(fixture(name), join(DIR, name));
const metric = (benchmarks: ImportedBenchmark[], bench: string, name: string): ImportedMetric | undefined =>
  benchmarks.find(b => b.name === bench)?.metrics.find(m => m.name === name);

/** A small document in Google Benchmark's shape, for the inputs no real run writes. */
const doc = (...entries: Array<Record<string, unknown>>): string =>
  JSON.stringify({ context: { num_cpus: 2, library_build_type: 'release' }, benchmarks: entries }, null, 2);
const run = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'BM_a',
  run_name: 'BM_a',
  run_type: 'iteration',
  repetitions: 1,
  repetition_index: 0,
  threads: 1,
  iterations: 10,
  real_time: 5,
  cpu_time: 4,
  time_unit: 'ns',
  ...over
});

describe('google-benchmark detect', () => {
  it.each(['single.json', 'repetitions.json', 'aggregates-only.json', 'error.json'])(
    'is sure of its own output %s',
    name => {
      expect(gb.detect(fixture(name))).toBeGreaterThanOrEqual(0.9);
    }
  );

  const root = 'test/fixtures/imports';
  const others = readdirSync(root)
    .filter(dir => dir !== 'google-benchmark' && statSync(join(root, dir)).isDirectory())
    .flatMap(dir => readdirSync(join(root, dir)).map(file => join(root, dir, file)));
  it.each(others)('says 0 for another format: %s', file => {
    expect(gb.detect(readFileSync(file, 'utf8'))).toBe(0);
  });
  it('has other formats to check against', () => {
    expect(others.some(f => f.includes('pytest-benchmark'))).toBe(true);
  });

  it.each([
    ['generic JSON', '{"name": "x", "value": 1}'],
    ['a generic list', '[{"name": "x", "unit": "ns", "value": 1}]'],
    ['another tool with benchmarks', '{"benchmarks": [{"name": "x", "stats": {"mean": 1}}]}'],
    ['plain text', 'BM_a   5 ns   4 ns   10\n'],
    ['the console output', 'Benchmark  Time  CPU  Iterations\nBM_a  5 ns  4 ns  10\n'],
    ['nothing', '']
  ])('says 0 for %s', (_, text) => {
    expect(gb.detect(text)).toBe(0);
  });

  it('is less sure without the context', () => {
    const text = JSON.stringify({ benchmarks: [run()] });
    expect(gb.detect(text)).toBeGreaterThan(0.5);
    expect(gb.detect(text)).toBeLessThan(0.9);
  });
});

describe('google-benchmark parse: one run', () => {
  const benchmarks = parse('single.json');

  it('keeps every benchmark, names exact, and drops BigO and RMS', () => {
    expect(benchmarks.map(b => b.name)).toEqual([
      'BM_StringCreation',
      'BM_memcpy/8',
      'BM_memcpy/64',
      'BM_memcpy/512',
      'BM_Accumulate<int>',
      'BM_Accumulate<double>',
      'BM_Sort/64',
      'BM_Sort/256',
      'BM_Sort/1024',
      'BM_Sort/4096',
      'BM_Counters/real_time/threads:2',
      'parse « café » quickly'
    ]);
  });

  it('gives real_time first, cpu_time second, then the counters, one value each', () => {
    const memcpy = benchmarks.find(b => b.name === 'BM_memcpy/8')!;
    expect(memcpy.metrics).toEqual([
      { name: 'real_time', unit: 'ns', better: 'lower', value: 6.321156977965519 },
      { name: 'cpu_time', unit: 'ns', better: 'lower', value: 2.822915588015934 },
      { name: 'throughput', unit: 'ops/s', better: 'higher', value: 354243677.79372495 },
      { name: 'bytes_per_second', unit: 'B/s', better: 'higher', value: 2833949422.3497996 }
    ]);
  });

  it('converts each entry from its own time_unit to ns', () => {
    // BM_Accumulate<int>: "real_time": 0.7722116690697087, "time_unit": "us"
    expect(metric(benchmarks, 'BM_Accumulate<int>', 'real_time')?.value).toBeCloseTo(772.2116690697087, 9);
    // BM_Counters: "real_time": 0.0008906296250188461, "time_unit": "ms"
    expect(metric(benchmarks, 'BM_Counters/real_time/threads:2', 'real_time')?.value).toBeCloseTo(
      890.6296,
      3
    );
    expect(metric(benchmarks, 'BM_StringCreation', 'real_time')?.unit).toBe('ns');
  });

  it('keeps user counters under their own names, after the times', () => {
    const counters = benchmarks.find(b => b.name === 'BM_Counters/real_time/threads:2')!;
    expect(counters.metrics.map(m => m.name)).toEqual(['real_time', 'cpu_time', 'depth', 'widgets']);
    expect(metric(benchmarks, 'BM_Counters/real_time/threads:2', 'widgets')).toEqual({
      name: 'widgets',
      unit: 'count',
      better: 'higher',
      value: 1122801.1868332357
    });
  });
});

describe('google-benchmark parse: repetitions', () => {
  const benchmarks = parse('repetitions.json');

  it('makes the repetitions samples and the aggregates no benchmarks', () => {
    expect(benchmarks).toHaveLength(12);
    expect(benchmarks.map(b => b.name).filter(n => /_(mean|median|stddev|cv|BigO|RMS)$/.test(n))).toEqual([]);
    const accumulate = metric(benchmarks, 'BM_Accumulate<int>', 'real_time')!;
    expect(accumulate.summary).toBeUndefined();
    expect(accumulate.value).toBeUndefined();
    // The five "BM_Accumulate<int>" entries, in µs.
    const expected = [
      0.6488196630514087, 0.6707994138293752, 0.80928086572713, 0.553088334162671, 0.6900227701317191
    ];
    expect(accumulate.samples).toHaveLength(5);
    accumulate.samples!.forEach((s, i) => expect(s).toBeCloseTo(expected[i]! * 1000, 9));
  });

  it('gives every metric of every benchmark five samples', () => {
    for (const b of benchmarks) for (const m of b.metrics) expect(m.samples).toHaveLength(5);
  });
});

describe('google-benchmark parse: aggregates only', () => {
  const benchmarks = parse('aggregates-only.json');

  it('gives a summary: mean and stddev of the repetitions, n = repetitions', () => {
    expect(benchmarks.map(b => b.name)).toEqual([
      'BM_memcpy/8',
      'BM_memcpy/64',
      'BM_memcpy/512',
      'BM_Accumulate<int>',
      'BM_Accumulate<double>',
      'parse « café » quickly'
    ]);
    expect(metric(benchmarks, 'BM_memcpy/64', 'real_time')).toEqual({
      name: 'real_time',
      unit: 'ns',
      better: 'lower',
      summary: { mean: 7.272412253759198, stdev: 0.7020279373481676, n: 5 }
    });
    expect(metric(benchmarks, 'BM_memcpy/64', 'throughput')?.summary).toEqual({
      mean: 389043383.79406404,
      stdev: 11847817.178673884,
      n: 5
    });
  });

  it('uses the median when there is no mean', () => {
    const text = doc(
      run({
        name: 'BM_a_median',
        run_type: 'aggregate',
        aggregate_name: 'median',
        repetitions: 3,
        real_time: 7
      })
    );
    expect(gb.parse(text, 'x.json')[0]!.metrics[0]).toEqual({
      name: 'real_time',
      unit: 'ns',
      better: 'lower',
      value: 7
    });
  });
});

describe('google-benchmark parse: other versions', () => {
  it('reads outputs older than run_type (aggregates known by their suffix)', () => {
    const old = (name: string, real_time: number): Record<string, unknown> => ({
      name,
      iterations: 10,
      real_time,
      cpu_time: real_time,
      time_unit: 'ns'
    });
    const text = JSON.stringify({
      context: { num_cpus: 2 },
      benchmarks: [old('BM_a', 4), old('BM_a', 6), old('BM_a_mean', 5), old('BM_a_stddev', 1)]
    });
    expect(gb.parse(text, 'old.json')).toEqual([
      {
        name: 'BM_a',
        metrics: [
          { name: 'real_time', unit: 'ns', better: 'lower', samples: [4, 6] },
          { name: 'cpu_time', unit: 'ns', better: 'lower', samples: [4, 6] }
        ]
      }
    ]);
  });

  it('leaves out benchmarks skipped with a message (1.8+: "skipped", "skip_message")', () => {
    const text = doc(run(), run({ name: 'BM_b', run_name: 'BM_b', skipped: true, skip_message: 'no GPU' }));
    expect(gb.parse(text, 'x.json').map(b => b.name)).toEqual(['BM_a']);
  });

  it('leaves out a user counter that is NaN (written bare), keeps the rest', () => {
    const text = doc(run({ ratio: 0 })).replace('"ratio": 0', '"ratio": NaN');
    expect(gb.parse(text, 'x.json')[0]!.metrics.map(m => m.name)).toEqual(['real_time', 'cpu_time']);
  });

  it('reads the memory manager’s results', () => {
    const text = doc(run({ allocs_per_iter: 2, max_bytes_used: 4096 }));
    expect(gb.parse(text, 'x.json')[0]!.metrics.slice(2)).toEqual([
      { name: 'allocations', unit: 'allocs', better: 'lower', value: 2 },
      { name: 'max_bytes_used', unit: 'B', better: 'lower', value: 4096 }
    ]);
  });
});

describe('google-benchmark parse: bad input', () => {
  const error = (text: string, file = 'bench.json'): string => {
    try {
      gb.parse(text, file);
    } catch (err) {
      expect((err as Error).name).toBe('ImportError');
      return (err as Error).message;
    }
    throw new Error('parse did not throw');
  };

  it('marks a benchmark that failed (SkipWithError) with its message, from a real output', () => {
    const benchmarks = gb.parse(fixture('error.json'), 'error.json');
    expect(benchmarks.map(b => b.name)).toEqual(['BM_StringCreation', 'BM_Fails']);
    expect(benchmarks[0]!.failed).toBeUndefined();
    expect(benchmarks[1]).toEqual({ name: 'BM_Fails', metrics: [], failed: 'could not open the input' });
  });

  it('keeps the repetitions that ran of a benchmark that failed in another', () => {
    const text = JSON.stringify({
      context: { num_cpus: 2 },
      benchmarks: [
        run({ name: 'BM_X', real_time: 5, cpu_time: 4 }),
        run({ name: 'BM_X', error_occurred: true, error_message: '', real_time: 0, cpu_time: 0 }),
        run({ name: 'BM_X', real_time: 7, cpu_time: 6 })
      ]
    });
    const [b] = gb.parse(text, 'bench.json');
    expect(b!.failed).toBe('error_occurred is true');
    expect(b!.metrics[0]).toEqual({ name: 'real_time', unit: 'ns', better: 'lower', samples: [5, 7] });
  });

  it('is an error, through importText, when every benchmark failed', () => {
    const text = JSON.stringify({
      context: { num_cpus: 2 },
      benchmarks: [run({ name: 'BM_A', error_occurred: true, error_message: 'no input' })]
    });
    expect(() => importText(text, 'bench.json', [gb])).toThrow(
      'bench.json (google-benchmark): every benchmark failed: "BM_A" (no input)'
    );
  });

  it('says where a truncated file ends', () => {
    const text = fixture('single.json');
    const cut = text.slice(0, text.indexOf('"BM_memcpy/64"'));
    const line = cut.split('\n').length;
    expect(error(cut)).toBe(
      `bench.json: line ${line}, column 15 (google-benchmark): the JSON ends early (a truncated file?)`
    );
  });

  it.each([
    [
      'NaN written bare',
      doc(run({ real_time: 0 })).replace('"real_time": 0', '"real_time": NaN'),
      'real_time',
      'expected a number, got NaN'
    ],
    [
      'infinity',
      doc(run({ cpu_time: 0 })).replace('"cpu_time": 0', '"cpu_time": Infinity'),
      'cpu_time',
      'expected a finite number, got Infinity'
    ],
    ['a negative time', doc(run({ real_time: -3 })), 'real_time', 'expected a value of 0 or more, got -3'],
    [
      'an absurd time',
      doc(run({ real_time: 1e10, time_unit: 's' })),
      'real_time',
      'expected a plausible measurement, got 10000000000 s'
    ],
    ['a string', doc(run({ real_time: 'fast' })), 'real_time', 'expected a number, got "fast"'],
    [
      'a negative rate',
      doc(run({ items_per_second: -1 })),
      'items_per_second',
      'expected a value of 0 or more, got -1'
    ],
    [
      'an unknown time unit',
      doc(run({ time_unit: 'fortnight' })),
      'time_unit',
      'unknown time unit "fortnight"'
    ]
  ])('refuses %s at its JSON path', (_, text, key, detail) => {
    expect(error(text)).toBe(`bench.json: $.benchmarks[0].${key} (google-benchmark): ${detail}`);
  });

  it('refuses a name that is not a string', () => {
    expect(error(doc(run({ name: 7 })))).toBe(
      'bench.json: $.benchmarks[0].name (google-benchmark): Invalid input: expected string, received number'
    );
  });

  it('refuses a file without a benchmarks list', () => {
    expect(error('{"context": {"num_cpus": 2}}')).toBe(
      'bench.json: $.benchmarks (google-benchmark): Invalid input: expected array, received undefined'
    );
  });

  it.each([
    ['an empty list', doc()],
    [
      'only complexity entries',
      doc(
        run({
          name: 'BM_a_BigO',
          run_type: 'aggregate',
          aggregate_name: 'BigO',
          real_time: undefined,
          cpu_time: undefined,
          cpu_coefficient: 1,
          big_o: 'N'
        })
      )
    ],
    ['only skipped benchmarks', doc(run({ skipped: true, skip_message: 'no GPU' }))]
  ])('says a file with %s has no benchmarks', (_, text) => {
    expect(error(text)).toBe(
      'bench.json: $.benchmarks (google-benchmark): no benchmarks in the file (every entry is empty, skipped or an aggregate)'
    );
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { ImportError } from '../../../src/errors.js';
import { criterionImporter } from '../../../src/importers/criterion.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/**
 * Real criterion 0.3.6 output made on this machine by scripts/fixtures/criterion.sh (see the README
 * beside the fixtures); the expected values below were read off the files.
 */
const dir = new URL('../../fixtures/imports/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`criterion/${name}`, dir), 'utf8');
const parse = (name: string, as = `criterion/${name}`): ImportedBenchmark[] =>
  criterionImporter.parse(fixture(name), as);

function parseError(text: string, file = 'bench.txt'): ImportError {
  try {
    criterionImporter.parse(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('parsed without an error');
}

const time = (value: number) => ({ name: 'time', unit: 'ns', better: 'lower' as const, value });
const GiB = 1024 ** 3;

/** Metrics with every number rounded to 9 significant digits (unit conversions are not exact). */
function rounded(benchmarks: unknown): unknown {
  return JSON.parse(JSON.stringify(benchmarks), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(9)) : v
  );
}

describe('criterion importer: console text', () => {
  it('first run: the estimate of each time line, throughput, ids with slashes, spaces, unicode, wrapped', () => {
    expect(rounded(parse('console.txt'))).toEqual(
      rounded([
        { name: 'fib 10', metrics: [time(185.91)] },
        {
          name: 'sum/vec/iter sum/16',
          metrics: [time(2.5407), { name: 'throughput', unit: 'B/s', better: 'higher', value: 46.92 * GiB }]
        },
        {
          name: 'sum/vec/iter sum/1024',
          metrics: [time(185.69), { name: 'throughput', unit: 'B/s', better: 'higher', value: 41.087 * GiB }]
        },
        {
          name: 'sum/vec/naïve loop/100 elements',
          metrics: [time(2.0081), { name: 'throughput', unit: 'ops/s', better: 'higher', value: 49.799e9 }]
        },
        {
          name: 'a rather long benchmark name that does not fit in the console column',
          metrics: [time(1.9586)]
        },
        { name: 'sleep 1ms', metrics: [time(1.1668e6)] }
      ])
    );
  });

  it('second run, --verbose: change blocks (percentages) and verbose statistics are not results', () => {
    expect(rounded(parse('console-verbose-change.txt'))).toEqual(
      rounded([
        { name: 'fib 10', metrics: [time(253.59)] },
        {
          name: 'sum/vec/iter sum/16',
          metrics: [time(3.5026), { name: 'throughput', unit: 'B/s', better: 'higher', value: 34.035 * GiB }]
        },
        {
          name: 'sum/vec/iter sum/1024',
          metrics: [time(95.033), { name: 'throughput', unit: 'B/s', better: 'higher', value: 80.282 * GiB }]
        },
        {
          name: 'sum/vec/naïve loop/100 elements',
          metrics: [time(1.3671), { name: 'throughput', unit: 'ops/s', better: 'higher', value: 73.146e9 }]
        },
        {
          name: 'a rather long benchmark name that does not fit in the console column',
          metrics: [time(1.1063)]
        },
        { name: 'sleep 1ms', metrics: [time(1.0823e6)] }
      ])
    );
  });

  it('the two runs in one file: one sample per run', () => {
    const both = criterionImporter.parse(fixture('console.txt') + fixture('console-verbose-change.txt'), 'x');
    expect(both).toHaveLength(6);
    expect(rounded([both[0]!])).toEqual([
      { name: 'fib 10', metrics: [{ name: 'time', unit: 'ns', better: 'lower', samples: [185.91, 253.59] }] }
    ]);
  });

  it("units: ps, µs, us (older criterion), s; colours and a terminal's carriage returns", () => {
    const text = [
      'Benchmarking tiny: Analyzing\r                            \r\x1b[32mtiny\x1b[39m                    time:   [\x1b[2m612.40 ps\x1b[22m \x1b[1m640.10 ps\x1b[22m \x1b[2m700.00 ps\x1b[22m]',
      'micro                   time:   [1.2000 us 1.5000 µs 1.9000 µs]',
      'slow                    time:   [1.0100 s 1.0200 s 1.0300 s]',
      'many                    time:   [10.000 ns 12.000 ns 13.000 ns]',
      '                        thrpt:  [750.00   B/s 800.00   B/s 900.00   B/s]',
      'elems                   time:   [10.000 ns 12.000 ns 13.000 ns]',
      '                        thrpt:  [9.9000 Kelem/s 10.000 Kelem/s 11.000 Kelem/s]',
      ''
    ].join('\n');
    expect(rounded(criterionImporter.parse(text, 'x'))).toEqual([
      { name: 'tiny', metrics: [time(0.6401)] },
      { name: 'micro', metrics: [time(1500)] },
      { name: 'slow', metrics: [time(1.02e9)] },
      {
        name: 'many',
        metrics: [time(12), { name: 'throughput', unit: 'B/s', better: 'higher', value: 800 }]
      },
      {
        name: 'elems',
        metrics: [time(12), { name: 'throughput', unit: 'ops/s', better: 'higher', value: 10000 }]
      }
    ]);
  });
});

describe('criterion importer: estimates.json and sample.json', () => {
  it('estimates.json: mean and standard deviation in ns; n recovered from the standard error; id from the path', () => {
    expect(parse('estimates.json', 'target/criterion/sum_vec/iter sum/1024/new/estimates.json')).toEqual([
      {
        name: 'sum_vec/iter sum/1024',
        metrics: [
          {
            name: 'time',
            unit: 'ns',
            better: 'lower',
            summary: { mean: 105.08981221688691, stdev: 26.62943901666544, n: 10 }
          }
        ]
      }
    ]);
    // The id is criterion's directory name for the benchmark, which benchmark.json records.
    const meta = JSON.parse(fixture('benchmark.json')) as { directory_name: string };
    expect(
      parse('estimates.json', `target/criterion/${meta.directory_name}/new/estimates.json`)[0]!.name
    ).toBe(meta.directory_name);
  });

  it.each([
    ['estimates.json', 'sample.json'],
    ['fib-10-estimates.json', 'fib-10-sample.json']
  ])('%s agrees with %s: same mean, standard deviation and n', (estimates, sample) => {
    const summary = parse(estimates)[0]!.metrics[0]!.summary!;
    const samples = parse(sample)[0]!.metrics[0]!.samples!;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1));
    expect(summary.n).toBe(samples.length);
    expect(summary.mean).toBeCloseTo(mean, 6);
    expect(summary.stdev).toBeCloseTo(sd, 6);
  });

  it('sample.json: times[i] / iters[i] ns per iteration, in order', () => {
    const [b] = parse('fib-10-sample.json', 'target/criterion/fib 10/new/sample.json');
    expect(b!.name).toBe('fib 10');
    const samples = b!.metrics[0]!.samples!;
    expect(samples).toHaveLength(10);
    expect(samples[0]).toBeCloseTo(8376318 / 35106, 9);
    expect(samples[9]).toBeCloseTo(89838536 / 351060, 9);
    expect(b!.metrics[0]).toMatchObject({ name: 'time', unit: 'ns', better: 'lower' });
  });

  it('older layouts: CamelCase estimate keys, sample.json as [iters, times]', () => {
    // s = 10 and SE = 3: (s/SE)² = 100/9 = n²/(n − 1) for n = 10.
    const e = { point_estimate: 10, standard_error: 3, confidence_interval: {} };
    const old = JSON.stringify({ Mean: e, Median: e, StdDev: { ...e, point_estimate: 10 } });
    expect(criterionImporter.parse(old, 'criterion/old/new/estimates.json')[0]!.metrics[0]!.summary).toEqual({
      mean: 10,
      stdev: 10,
      n: 10
    });
    expect(criterionImporter.parse('[[1, 2], [10, 30]]', 'sample.json')).toEqual([
      { name: 'sample', metrics: [{ name: 'time', unit: 'ns', better: 'lower', samples: [10, 15] }] }
    ]);
  });

  it('samples that do not vary give the mean as a single value', () => {
    const e = { point_estimate: 10, standard_error: 0 };
    const text = JSON.stringify({
      mean: e,
      median: e,
      median_abs_dev: e,
      std_dev: { ...e, point_estimate: 0 }
    });
    expect(criterionImporter.parse(text, 'a/new/estimates.json')[0]!.metrics[0]).toEqual(time(10));
  });
});

describe('criterion importer: bad input', () => {
  it.each([
    [
      'a truncated time line',
      'fib 10                  time:   [135.53 ns 185.91',
      'bench.txt: line 1 (criterion): the file ends mid-line (a truncated file?)'
    ],
    [
      'a cut file after earlier results',
      'a   time:   [1.0 ns 2.0 ns 3.0 ns]\nb   time:   [1.0 ns 2.0 n',
      'bench.txt: line 2 (criterion): the file ends mid-line (a truncated file?)'
    ],
    [
      'NaN',
      'a   time:   [NaN ns NaN ns NaN ns]\n',
      'bench.txt: line 1 (criterion): NaN ns: expected a number, got NaN'
    ],
    [
      'negative',
      'a   time:   [-1.0 ns -2.0 ns 3.0 ns]\n',
      'bench.txt: line 1 (criterion): -1.0 ns: expected a value of 0 or more, got -1'
    ],
    [
      'absurd',
      'a   time:   [1.0 s 2e12 s 3.0 s]\n',
      'bench.txt: line 1 (criterion): 2e12 s: expected a plausible measurement, got 2e+21'
    ],
    [
      'not a number',
      'a   time:   [1.0 ns x.y ns 3.0 ns]\n',
      'bench.txt: line 1 (criterion): "x.y" is not a number'
    ],
    [
      "a unit that is not criterion's",
      'a   time:   [1.0 ns 2.0 min 3.0 ns]\n',
      'bench.txt: line 1 (criterion): "min" is not a unit of time'
    ],
    [
      'a broken time line',
      'a   time:   [1.0 ns 2.0 ns]\n',
      'bench.txt: line 1 (criterion): not a criterion time line: "a   time:   [1.0 ns 2.0 ns]"'
    ],
    [
      'no results (criterion ran nothing)',
      'Gnuplot not found, using plotters backend\nBenchmarking a\nBenchmarking a: Warming up for 3.0000 s\n',
      'bench.txt (criterion): no criterion results (lines "ID  time:   [LOW ESTIMATE HIGH]"); did the benchmarks run?'
    ]
  ])('%s', (_what, text, message) => {
    expect(parseError(text).message).toBe(message);
  });

  it.each([
    [
      'truncated JSON',
      fixture('estimates.json').slice(0, 200),
      'e.json: line 1, column 195 (criterion): the JSON ends early (a truncated file?)'
    ],
    [
      'a null (NaN written by serde) estimate',
      '{"mean":{"point_estimate":null,"standard_error":1},"median":{},"std_dev":{"point_estimate":1,"standard_error":1}}',
      'e.json: $.mean.point_estimate (criterion): Invalid input: expected number, received null'
    ],
    [
      'a negative standard deviation',
      '{"mean":{"point_estimate":5,"standard_error":1},"std_dev":{"point_estimate":-1,"standard_error":1}}',
      'e.json: $.std_dev.point_estimate (criterion): expected a value of 0 or more, got -1'
    ],
    [
      'change/estimates.json',
      fixture('change-estimates.json'),
      'e.json: $ (criterion): a change/estimates.json (relative changes between two runs), not measurements: import <id>/new/estimates.json'
    ],
    [
      'a string time in sample.json',
      '{"iters":[1,2],"times":[3,"4"]}',
      'e.json: $.times[1] (criterion): Invalid input: expected number, received string'
    ],
    [
      'a negative time in sample.json',
      '{"iters":[1,2],"times":[3,-4]}',
      'e.json: $.times[1] (criterion): expected a value of 0 or more, got -4'
    ],
    ['zero iterations', '{"iters":[1,0],"times":[3,4]}', 'e.json: $.iters[1] (criterion): zero iterations'],
    [
      'lengths differ',
      '{"iters":[1,2],"times":[3]}',
      'e.json: $.times (criterion): 1 times for 2 iteration counts'
    ],
    ['no samples', '{"iters":[],"times":[]}', 'e.json: $ (criterion): no samples (empty iters and times)']
  ])('%s', (_what, text, message) => {
    expect(parseError(text, 'e.json').message).toBe(message);
  });
});

describe('criterion importer: detect', () => {
  it.each(
    readdirSync(new URL('criterion/', dir)).filter(
      f => /\.(txt)$|estimates|sample/.test(f) && !f.startsWith('change')
    )
  )('%s is unmistakable', name =>
    expect(criterionImporter.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  const others = readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== 'criterion')
    .flatMap(d => readdirSync(new URL(`${d.name}/`, dir)).map(f => `${d.name}/${f}`));
  it.each(others.length > 0 ? others : ['(none)'])('other formats: %s scores 0', name => {
    if (name === '(none)') return;
    expect(criterionImporter.detect(readFileSync(new URL(name, dir), 'utf8'))).toBe(0);
  });

  it.each([
    ['generic JSON', '[{"name": "parse", "unit": "ns", "value": 12, "range": "± 1"}]'],
    ['plain text', 'time: it is about time.\nBenchmarking is fun\n'],
    ['libtest', 'test bench_a ... bench:          12 ns/iter (+/- 1)\n'],
    ['go', 'BenchmarkA-8   1000   1234 ns/op\n'],
    ['empty JSON object', '{}']
  ])('%s scores 0', (_what, text) => expect(criterionImporter.detect(text)).toBe(0));
});

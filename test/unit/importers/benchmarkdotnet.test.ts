import { readdirSync, readFileSync, statSync } from 'node:fs';
import { benchmarkDotNetImporter as importer } from '../../../src/importers/benchmarkdotnet.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/** JSON of any shape, edited into bad input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Written from BenchmarkDotNet's source by scripts/fixtures/benchmarkdotnet.mjs (see the README). */
const dir = new URL('../../fixtures/imports/benchmarkdotnet/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => importer.parse(fixture(name), name);
const edited = (name: string, edit: (b: Json) => void): string => {
  const raw = JSON.parse(fixture(name)) as Json;
  edit(raw);
  return JSON.stringify(raw);
};

const concat10 = 'Perfgate.Benchmarks.StringBenchmarks.Concat(N: 10, Text: "a b/é")';

describe('benchmarkdotnet: parse', () => {
  const full = parse('full.json');

  it('names: FullName, with the job when two jobs ran the same method', () => {
    expect(full.map(b => b.name)).toEqual([
      `${concat10} [.NET 8.0(Runtime=.NET 8.0)]`,
      'Perfgate.Benchmarks.StringBenchmarks.Concat(N: 1000, Text: "a b/é") [.NET 8.0(Runtime=.NET 8.0)]',
      'Perfgate.Benchmarks.Outer+Inner.Parse [.NET 8.0(Runtime=.NET 8.0)]',
      'Perfgate.Benchmarks.StringBenchmarks.Throws [.NET 8.0(Runtime=.NET 8.0)]',
      `${concat10} [.NET 6.0(Runtime=.NET 6.0)]`,
      'Perfgate.Benchmarks.StringBenchmarks.Concat(N: 1000, Text: "a b/é") [.NET 6.0(Runtime=.NET 6.0)]',
      'Perfgate.Benchmarks.Outer+Inner.Parse [.NET 6.0(Runtime=.NET 6.0)]',
      'Perfgate.Benchmarks.StringBenchmarks.Throws [.NET 6.0(Runtime=.NET 6.0)]'
    ]);
  });

  it('full: one sample per Workload Result measurement, Nanoseconds / Operations', () => {
    const raw = JSON.parse(fixture('full.json')) as Json;
    const results = (raw.Benchmarks[0].Measurements as Json[]).filter(
      m => m.IterationMode === 'Workload' && m.IterationStage === 'Result'
    );
    expect(results).toHaveLength(15);
    const time = full[0]!.metrics[0]!;
    expect(time).toMatchObject({ name: 'time', unit: 'ns', better: 'lower' });
    expect(time.samples).toEqual(results.map(m => (m.Nanoseconds as number) / (m.Operations as number)));
    // The first Result measurement, read off the fixture: 395818142.2 ns over 16777216 operations.
    expect(results[0]).toMatchObject({
      LaunchIndex: 1,
      IterationIndex: 1,
      Operations: 16777216,
      Nanoseconds: 395818142.2
    });
    expect(time.samples![0]).toBeCloseTo(23.592599761486053, 9);
    // …which are the values BenchmarkDotNet's own Statistics were computed from.
    expect(time.samples).toEqual(raw.Benchmarks[0].Statistics.OriginalValues);
  });

  it('full: other stages (Actual, Warmup, Overhead…) are not read', () => {
    const text = edited('full.json', raw => {
      expect(raw.Benchmarks[0].Measurements[30]).toMatchObject({
        IterationMode: 'Workload',
        IterationStage: 'Actual'
      });
      raw.Benchmarks[0].Measurements[30].Nanoseconds = -5;
      raw.Benchmarks[0].Measurements[0].Nanoseconds = '';
    });
    expect(importer.parse(text, 'f.json')[0]).toEqual(full[0]);
  });

  it('full: the results of every launch pooled', () => {
    const parseBench = full.find(b => b.name.startsWith('Perfgate.Benchmarks.Outer+Inner.Parse [.NET 8.0'))!;
    expect(parseBench.metrics[0]!.samples).toHaveLength(12);
  });

  it('full: the diagnosers’ metrics by Id, one value each', () => {
    expect(full[0]!.metrics.slice(1)).toEqual([
      { name: 'Gen0Collects', unit: 'count', better: 'lower', value: 0.021998087565104168 },
      { name: 'Allocated Memory', unit: 'B', better: 'lower', value: 88 }
    ]);
  });

  it('a failed benchmark (Statistics null) is listed, with no metrics, marked failed', () => {
    expect(full[7]).toEqual({
      name: 'Perfgate.Benchmarks.StringBenchmarks.Throws [.NET 6.0(Runtime=.NET 6.0)]',
      metrics: [],
      failed: "no result (Statistics null, no measurements); BenchmarkDotNet's log says why"
    });
    expect(full.filter(b => b.failed !== undefined)).toHaveLength(1);
  });

  it('compressed full export: the same', () => {
    expect(parse('full-compressed.json')).toEqual(full);
  });

  it('brief: samples from Statistics.OriginalValues, memory from Memory', () => {
    const brief = parse('brief.json');
    expect(brief.map(b => b.name)).toEqual(full.map(b => b.name));
    expect(brief[0]!.metrics).toEqual([
      full[0]!.metrics[0],
      { name: 'Allocated Memory', unit: 'B', better: 'lower', value: 88 }
    ]);
    expect(brief[7]!.metrics).toEqual([]);
  });

  it('brief without OriginalValues (older versions): mean, standard deviation and N', () => {
    const text = edited('brief.json', raw => delete raw.Benchmarks[1].Statistics.OriginalValues);
    expect(importer.parse(text, 'b.json')[1]!.metrics[0]).toEqual({
      name: 'time',
      unit: 'ns',
      better: 'lower',
      summary: { mean: 1849.154129536947, stdev: 60.823405947146405, n: 15 }
    });
  });

  it('a FullName that is unique stays as it is', () => {
    const text = edited('brief.json', raw => (raw.Benchmarks = raw.Benchmarks.slice(0, 4)));
    expect(importer.parse(text, 'b.json').map(b => b.name)[0]).toBe(concat10);
  });

  it('a metric of time or size is normalised; "" (NaN) is left out; TheGreaterTheBetter is higher', () => {
    const text = edited('full.json', raw => {
      raw.Benchmarks[0].Metrics = [
        { Value: 2.5, Descriptor: { Id: 'JIT', UnitType: 1, Unit: 'us', TheGreaterTheBetter: false } },
        {
          Value: '',
          Descriptor: { Id: 'Exceptions', UnitType: 0, Unit: 'Count', TheGreaterTheBetter: false }
        },
        { Value: 3, Descriptor: { Id: 'Code Size', UnitType: 3, Unit: 'KB', TheGreaterTheBetter: false } },
        { Value: 7, Descriptor: { Id: 'Completed', UnitType: 0, Unit: '', TheGreaterTheBetter: true } }
      ];
    });
    expect(importer.parse(text, 'f.json')[0]!.metrics.slice(1)).toEqual([
      { name: 'JIT', unit: 'ns', better: 'lower', value: 2500 },
      { name: 'Code Size', unit: 'B', better: 'lower', value: 3000 },
      { name: 'Completed', unit: 'count', better: 'higher', value: 7 }
    ]);
  });
});

describe('benchmarkdotnet: bad input', () => {
  it.each<[string, string, string]>([
    [
      'truncated JSON',
      fixture('full.json').slice(0, 2000),
      'f.json: line 59, column 29 (benchmarkdotnet): the JSON ends early (a truncated file?)'
    ],
    [
      'no benchmarks',
      edited('brief.json', raw => (raw.Benchmarks = [])),
      'f.json: $.Benchmarks (benchmarkdotnet): no benchmarks: the export lists none'
    ],
    [
      'not an export',
      '[1, 2]',
      'f.json: $ (benchmarkdotnet): Invalid input: expected object, received array'
    ],
    [
      'no FullName',
      edited('brief.json', raw => delete raw.Benchmarks[2].FullName),
      'f.json: $.Benchmarks[2].FullName (benchmarkdotnet): Invalid input: expected string, received undefined'
    ],
    [
      'NaN ("") in a result',
      edited('full.json', raw => {
        const k = (raw.Benchmarks[1].Measurements as Json[]).findIndex(m => m.IterationStage === 'Result');
        raw.Benchmarks[1].Measurements[k + 2].Nanoseconds = '';
      }),
      'f.json: $.Benchmarks[1].Measurements[33].Nanoseconds (benchmarkdotnet): expected a number, got ""'
    ],
    [
      'a negative result',
      edited('full.json', raw => (raw.Benchmarks[0].Measurements[31].Nanoseconds = -5)),
      'f.json: $.Benchmarks[0].Measurements[31].Nanoseconds (benchmarkdotnet): expected a value of 0 or more, got -5'
    ],
    [
      'zero operations',
      edited('full.json', raw => (raw.Benchmarks[0].Measurements[31].Operations = 0)),
      'f.json: $.Benchmarks[0].Measurements[31].Operations (benchmarkdotnet): expected a count of 1 or more, got 0'
    ],
    [
      'an absurd original value',
      edited('brief.json', raw => (raw.Benchmarks[0].Statistics.OriginalValues[3] = 1e19)),
      'f.json: $.Benchmarks[0].Statistics.OriginalValues[3] (benchmarkdotnet): expected a plausible measurement, got 10000000000000000000'
    ],
    [
      'a NaN mean without samples',
      edited('brief.json', raw => {
        delete raw.Benchmarks[0].Statistics.OriginalValues;
        raw.Benchmarks[0].Statistics.Mean = '';
      }),
      'f.json: $.Benchmarks[0].Statistics.Mean (benchmarkdotnet): expected a number, got ""'
    ],
    [
      'a string for a number',
      edited('brief.json', raw => (raw.Benchmarks[0].Statistics.N = '15')),
      'f.json: $.Benchmarks[0].Statistics.N (benchmarkdotnet): Invalid input: expected number, received string'
    ],
    [
      'the same benchmark and job twice',
      edited('brief.json', raw => raw.Benchmarks.push(raw.Benchmarks[0])),
      'f.json: $.Benchmarks[8] (benchmarkdotnet): "Perfgate.Benchmarks.StringBenchmarks.Concat(N: 10, Text: \\"a b/é\\") [.NET 8.0(Runtime=.NET 8.0)]" again, already at $.Benchmarks[0]'.replace(
        /\\"/g,
        '"'
      )
    ]
  ])('%s', (_, text, message) => {
    let error: unknown;
    try {
      importer.parse(text, 'f.json');
    } catch (err) {
      error = err;
    }
    expect((error as Error | undefined)?.message).toBe(message);
    expect((error as { exitCode?: number } | undefined)?.exitCode).toBe(2);
  });
});

describe('benchmarkdotnet: detect', () => {
  const root = new URL('../../fixtures/imports/', import.meta.url);
  const files = (format: string): string[] =>
    readdirSync(new URL(`${format}/`, root), { recursive: true, encoding: 'utf8' })
      .map(f => new URL(`${format}/${f}`, root).pathname)
      .filter(p => statSync(p).isFile() && !/README|VERSIONS/.test(p));

  it.each(['full.json', 'brief.json', 'full-compressed.json'])('is sure of its own export: %s', name =>
    expect(importer.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  it('knows an export without its host information', () =>
    expect(importer.detect(edited('brief.json', raw => delete raw.HostEnvironmentInfo))).toBe(0.8));

  const others = readdirSync(root).filter(
    f => f !== 'benchmarkdotnet' && statSync(new URL(f, root)).isDirectory()
  );
  it.each(others.flatMap(files))('is 0 on another format’s output: %s', path =>
    expect(importer.detect(readFileSync(path, 'utf8'))).toBe(0)
  );

  it.each([
    ['generic JSON', '{"benchmarks": [{"name": "x", "value": 1}]}'],
    [
      'plain text',
      '| Method | Mean | Error | StdDev |\n|------- |-----:|------:|-------:|\n| Concat | 23.5 ns | 0.3 ns | 0.6 ns |\n'
    ],
    ['nothing', '']
  ])('is 0 on %s', (_, text) => expect(importer.detect(text)).toBe(0));
});

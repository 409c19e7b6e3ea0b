import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hyperfineImporter as importer } from '../../../src/importers/hyperfine.js';
import type { ImportedBenchmark, ImportedMetric } from '../../../src/importers/types.js';
import { otherFixtures } from '../../helpers/import-fixtures.js';

const ROOT = 'test/fixtures/imports';
const DIR = join(ROOT, 'hyperfine');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parse = (name: string): ImportedBenchmark[] => importer.parse(read(name), name);
const metric = (b: ImportedBenchmark | undefined, name: string): ImportedMetric | undefined =>
  b?.metrics.find(m => m.name === name);

/** The fixture's own numbers, read without the importer: the oracle for the samples. */
interface RawResult {
  command: string;
  times: number[];
  user: number;
  system: number;
}
const raw = (name: string): RawResult[] => (JSON.parse(read(name)) as { results: RawResult[] }).results;

/** Every fixture of the other formats, as they exist when the test runs. */
describe('hyperfine detect', () => {
  it.each([
    'several-commands.json',
    'parameter-scan.json',
    'parameter-list.json',
    'ignore-failure.json',
    'no-shell.json',
    'memory-from-source.json'
  ])('is sure of its own output %s', name => {
    expect(importer.detect(read(name))).toBeGreaterThanOrEqual(0.9);
  });

  it('still knows a truncated export (so that parse can say it is truncated)', () => {
    const text = read('several-commands.json');
    expect(importer.detect(text.slice(0, text.length / 2))).toBeGreaterThanOrEqual(0.9);
  });

  it('gives nothing to the other formats’ fixtures', () => {
    const others = otherFixtures('hyperfine');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      expect([file, importer.detect(readFileSync(file, 'utf8'))]).toEqual([file, 0]);
    }
  });

  it.each([
    ['generic JSON', '{"results": [1, 2, 3]}'],
    ['a JSON list', '[{"name": "x", "unit": "ms", "value": 1}]'],
    ['plain text', 'sleep 0.01 took 10 ms\n'],
    ['empty', '']
  ])('gives nothing to %s', (_what, text) => {
    expect(importer.detect(text)).toBe(0);
  });
});

describe('hyperfine parse', () => {
  it('reads several commands, named as hyperfine names them, with every run a sample in ns', () => {
    const benchmarks = parse('several-commands.json');
    expect(benchmarks.map(b => b.name)).toEqual(['sleep 10 ms', 'écho “quoted”', 'sleep 0.02']);
    const wall = metric(benchmarks[0], 'wall_time')!;
    expect(wall).toMatchObject({ unit: 'ns', better: 'lower' });
    expect(wall.summary).toBeUndefined();
    // By eye from the fixture: 0.011694194560000001 s is the first run.
    expect(wall.samples![0]).toBeCloseTo(11_694_194.56, 3);
    const expected = raw('several-commands.json');
    benchmarks.forEach((b, i) => {
      expect(metric(b, 'wall_time')!.samples).toHaveLength(expected[i]!.times.length);
      metric(b, 'wall_time')!.samples!.forEach((ns, j) =>
        expect(ns).toBeCloseTo(expected[i]!.times[j]! * 1e9, 3)
      );
    });
  });

  it('puts the wall time first and gives user and system time as single values (hyperfine keeps only their means)', () => {
    const [first] = parse('several-commands.json');
    expect(first!.metrics.map(m => m.name)).toEqual(['wall_time', 'user_time', 'sys_time']);
    expect(metric(first, 'user_time')!.value).toBeCloseTo(1_261_340, 6); // 0.00126134 s
    expect(metric(first, 'sys_time')!.value).toBeCloseTo(159_252, 6); // 0.00015925199999999997 s
    expect(metric(first, 'user_time')!.samples).toBeUndefined();
    expect(metric(first, 'user_time')!.summary).toBeUndefined();
  });

  it('names a parameter scan’s benchmarks by their substituted commands', () => {
    const benchmarks = parse('parameter-scan.json');
    expect(benchmarks.map(b => b.name)).toEqual(['sleep 0.001', 'sleep 0.002', 'sleep 0.003']);
    for (const b of benchmarks) expect(metric(b, 'wall_time')!.samples).toHaveLength(3);
  });

  it('keeps runs that took a real 0 (hyperfine subtracts its shell’s start-up)', () => {
    const benchmarks = parse('parameter-list.json');
    expect(benchmarks.map(b => b.name)).toEqual(['echo a 1', 'echo a 2', 'echo b 1', 'echo b 2']);
    expect(metric(benchmarks[2], 'wall_time')!.samples).toEqual([0, 0, 0]);
  });

  it('measures commands that failed under -i like any other', () => {
    const benchmarks = parse('ignore-failure.json');
    expect(benchmarks.map(b => b.name)).toEqual(['sh -c "exit 3"', 'false']);
    for (const b of benchmarks) expect(metric(b, 'wall_time')!.samples).toHaveLength(4);
  });

  it('reads 20 runs without a shell', () => {
    const [only] = parse('no-shell.json');
    expect(only!.name).toBe('true');
    expect(metric(only, 'wall_time')!.samples).toHaveLength(20);
  });

  it('reads memory_usage_byte as samples of peak_rss and a single run as one sample', () => {
    const [sleep, once] = parse('memory-from-source.json');
    expect(metric(sleep, 'peak_rss')).toEqual({
      name: 'peak_rss',
      unit: 'B',
      better: 'lower',
      samples: [3670016, 3538944, 3604480]
    });
    expect(metric(once, 'wall_time')!.samples).toEqual([1_200_000]);
    expect(metric(once, 'peak_rss')!.samples).toEqual([2097152]);
  });

  it('falls back to the mean and its spread without times, and to the mean alone without a spread', () => {
    const text = JSON.stringify({
      results: [
        { command: 'a', mean: 0.5, stddev: 0.1, exit_codes: [0, 0, 0, 0] },
        { command: 'b', mean: 0.25, stddev: null, exit_codes: [0] }
      ]
    });
    const [a, b] = importer.parse(text, 'old.json');
    expect(metric(a, 'wall_time')).toEqual({
      name: 'wall_time',
      unit: 'ns',
      better: 'lower',
      summary: { mean: 5e8, stdev: 1e8, n: 4 }
    });
    expect(metric(b, 'wall_time')).toEqual({ name: 'wall_time', unit: 'ns', better: 'lower', value: 2.5e8 });
  });

  it('tells a repeated command apart by its parameters, else by its position', () => {
    const result = (command: string, parameters?: Record<string, string>): object => ({
      command,
      mean: 0.1,
      times: [0.1],
      exit_codes: [0],
      ...(parameters ? { parameters } : {})
    });
    const text = JSON.stringify({
      results: [
        result('sleep 0.1'),
        result('sleep 0.1'),
        result('make', { jobs: '1' }),
        result('make', { jobs: '2' }),
        result('unique')
      ]
    });
    expect(importer.parse(text, 'dup.json').map(b => b.name)).toEqual([
      'sleep 0.1 #1',
      'sleep 0.1 #2',
      'make {jobs=1}',
      'make {jobs=2}',
      'unique'
    ]);
  });
});

describe('hyperfine bad input', () => {
  const one = (fields: object): string =>
    JSON.stringify({ results: [{ command: 'x', mean: 0.1, exit_codes: [0], ...fields }] });

  it.each([
    [
      'a truncated export',
      read('several-commands.json').slice(0, 400),
      'bad.json: line 15, column 26 (hyperfine): the JSON ends early (a truncated file?)'
    ],
    [
      'no results',
      '{"results": []}',
      'bad.json: $.results (hyperfine): no benchmarks: the results list is empty'
    ],
    [
      'no runs',
      one({ times: [] }),
      'bad.json: $.results[0].times (hyperfine): no runs: the times list is empty'
    ],
    [
      'a negative time',
      one({ times: [0.1, -0.2] }),
      'bad.json: $.results[0].times[1] (hyperfine): expected a value of 0 or more, got -0.2'
    ],
    [
      'NaN written as a string',
      one({ times: ['NaN'] }),
      'bad.json: $.results[0].times[0] (hyperfine): expected a number, got "NaN"'
    ],
    [
      'an absurd time',
      one({ times: [1e12] }),
      'bad.json: $.results[0].times[0] (hyperfine): expected a plausible measurement, got 1e+21 ns (1000000000000 s)'
    ],
    [
      'a negative memory',
      one({ times: [0.1], memory_usage_byte: [-1] }),
      'bad.json: $.results[0].memory_usage_byte[0] (hyperfine): expected a value of 0 or more, got -1'
    ],
    [
      'a command that is not a string',
      JSON.stringify({ results: [{ command: 5, mean: 0.1 }] }),
      'bad.json: $.results[0].command (hyperfine): Invalid input: expected string, received number'
    ],
    [
      'a file without results',
      '{"benchmarks": []}',
      'bad.json: $.results (hyperfine): Invalid input: expected array, received undefined'
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(() => importer.parse(text, 'bad.json')).toThrow(message);
  });
});

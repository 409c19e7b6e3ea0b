import { readdirSync, readFileSync, statSync } from 'node:fs';
import { jmhImporter } from '../../../src/importers/jmh.js';
import type { ImportedBenchmark, ImportedMetric } from '../../../src/importers/types.js';

/** JSON of any shape, edited into bad input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Real JMH 1.37 outputs made on this machine by scripts/fixtures/jmh.sh. */
const dir = new URL('../../fixtures/imports/jmh/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => jmhImporter.parse(fixture(name), name);
const find = (benchmarks: ImportedBenchmark[], name: string): ImportedBenchmark => {
  const found = benchmarks.find(b => b.name === name);
  if (!found) throw new Error(`no ${name} in ${benchmarks.map(b => b.name).join(' | ')}`);
  return found;
};
const metric = (b: ImportedBenchmark, name: string): ImportedMetric => {
  const found = b.metrics.find(m => m.name === name);
  if (!found) throw new Error(`no metric ${name} in ${b.name}`);
  return found;
};
const close = (actual: number[] | undefined, expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => expect(actual![i]).toBeCloseTo(e, 6));
};

describe('jmh: parse', () => {
  const modes = parse('modes.json');

  it('reads every benchmark × parameter combination, named with its parameters in file order', () => {
    expect(modes).toHaveLength(12);
    expect(modes.map(b => b.name).slice(0, 4)).toEqual([
      'perfgate.Fixture.sum (label=plain, size=10)',
      'perfgate.Fixture.sum (label=plain, size=1000)',
      'perfgate.Fixture.sum (label=with space/slash é, size=10)',
      'perfgate.Fixture.sum (label=with space/slash é, size=1000)'
    ]);
  });

  it('thrpt: throughput in ops/s, bigger is better, one sample per fork × iteration (ops/ms × 1000)', () => {
    const m = find(modes, 'perfgate.Fixture.sum (label=plain, size=10)').metrics[0]!;
    expect(m).toMatchObject({ name: 'throughput', unit: 'ops/s', better: 'higher' });
    close(
      m.samples,
      [
        57212.74055020586, 117142.09688280243, 116724.22801741019, 166074.0737282394, 198266.87376295566,
        150323.53126906784
      ].map(v => v * 1000)
    );
  });

  it('thrpt: a scoreError larger than the score does not matter, the samples are used', () => {
    const m = find(modes, 'perfgate.Fixture.sum (label=with space/slash é, size=1000)').metrics[0]!;
    expect(m.samples?.[0]).toBeCloseTo(621703.4312082224, 3);
    expect(m.summary).toBeUndefined();
  });

  it('avgt: time per operation in ns, smaller is better', () => {
    const m = find(modes, 'perfgate.Fixture.concat (label=plain, size=10)').metrics[0]!;
    expect(m).toMatchObject({ name: 'time', unit: 'ns', better: 'lower' });
    close(
      m.samples,
      [
        91.9158384722221, 48.33407538791959, 14.524435325123529, 733.8199777821043, 124.4246616264908,
        65.44921729888141
      ]
    );
  });

  it('sample: one sample per iteration, the mean of its histogram, in ns; percentiles as secondary metrics', () => {
    const b = find(modes, 'perfgate.Fixture.allocate (label=plain, size=10)');
    const m = b.metrics[0]!;
    expect(m).toMatchObject({ name: 'time', unit: 'ns', better: 'lower' });
    close(
      m.samples,
      [
        2.4243264730758387, 0.07436946826758147, 0.16643750000000004, 0.05558636688079943,
        0.09266110436893206, 0.07907977790765637
      ].map(v => v * 1000)
    );
    expect(b.metrics.map(x => x.name)).toEqual([
      'time',
      'p0.00',
      'p0.50',
      'p0.90',
      'p0.95',
      'p0.99',
      'p0.999',
      'p0.9999',
      'p1.00'
    ]);
    expect(metric(b, 'p0.50')).toMatchObject({ unit: 'ns', better: 'lower' });
    close(metric(b, 'p0.50').samples, [30, 30, 30, 30, 30, 30]);
  });

  it('sample: the histograms weighted together give back JMH’s score', () => {
    const raw = JSON.parse(fixture('modes.json')) as Array<{
      primaryMetric: { score: number; rawDataHistogram?: Array<Array<Array<[number, number]>>> };
    }>;
    const entry = raw.find(e => e.primaryMetric.rawDataHistogram)!;
    const pairs = entry.primaryMetric.rawDataHistogram!.flat(2);
    const mean = pairs.reduce((s, [v, c]) => s + v * c, 0) / pairs.reduce((s, [, c]) => s + c, 0);
    expect(mean).toBeCloseTo(entry.primaryMetric.score, 9);
  });

  it('ss: single-shot times in ns, smaller is better', () => {
    const [b] = parse('single-shot.json');
    expect(b!.name).toBe('perfgate.Fixture.coldStart (label=plain, size=1000)');
    expect(b!.metrics).toEqual([
      { name: 'time', unit: 'ns', better: 'lower', samples: [86599, 95953, 82763, 133719, 106178, 84115] }
    ]);
  });

  it('the same benchmark in several modes is told apart by its mode', () => {
    const all = parse('all-modes-one-benchmark.json');
    const base = 'perfgate.Fixture.sum (label=plain, size=10)';
    expect(all.map(b => b.name)).toEqual([
      `${base} [thrpt]`,
      `${base} [avgt]`,
      `${base} [sample]`,
      `${base} [ss]`
    ]);
    expect(all.map(b => [b.metrics[0]!.unit, b.metrics[0]!.better])).toEqual([
      ['ops/s', 'higher'],
      ['ns', 'lower'],
      ['ns', 'lower'],
      ['ns', 'lower']
    ]);
    close(
      all[0]!.metrics[0]!.samples,
      [56.5880371137532, 86.18487009959858].map(v => v * 1e6)
    );
    close(all[3]!.metrics[0]!.samples, [1483, 1142]);
  });

  it('GC profiler metrics: normalised, and all of them costs (smaller is better)', () => {
    const [b] = parse('gc-profiler.json');
    expect(b!.name).toBe('perfgate.Fixture.concat (label=plain, size=10)');
    close(b!.metrics[0]!.samples, [77.75546435016044, 35.67825228521473]);
    expect(b!.metrics.slice(1).map(m => [m.name, m.unit, m.better])).toEqual([
      ['gc.alloc.rate', 'B/s', 'lower'],
      ['gc.alloc.rate.norm', 'B', 'lower'],
      ['gc.count', 'count', 'lower'],
      ['gc.time', 'ns', 'lower']
    ]);
    close(
      metric(b!, 'gc.alloc.rate').samples,
      [587.3281934274894, 1278.0651322545393].map(v => v * 1e6)
    );
    close(metric(b!, 'gc.count').samples, [0, 1]);
    close(metric(b!, 'gc.time').samples, [3e6]);
  });

  it('a secondary metric JMH wrote as "NaN" is left out; a "NaN" in its raw data is skipped', () => {
    const raw = JSON.parse(fixture('gc-profiler.json')) as Array<Json>;
    raw[0]!.secondaryMetrics['gc.time'].score = 'NaN';
    raw[0]!.secondaryMetrics['gc.count'].rawData = [['NaN', 1.0]];
    const [b] = jmhImporter.parse(JSON.stringify(raw), 'gc.json');
    expect(b!.metrics.map(m => m.name)).toEqual(['time', 'gc.alloc.rate', 'gc.alloc.rate.norm', 'gc.count']);
    expect(metric(b!, 'gc.count').samples).toEqual([1]);
  });

  it('without raw data (-Djmh.json.rawData=false): a summary whose spread comes from the 99.9 % error', () => {
    const raw = JSON.parse(fixture('single-shot.json')) as Array<Json>;
    const values = (raw[0]!.primaryMetric.rawData as number[][]).flat();
    raw[0]!.primaryMetric.rawData = [];
    const [b] = jmhImporter.parse(JSON.stringify(raw), 'ss.json');
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    const summary = b!.metrics[0]!.summary!;
    expect(summary.n).toBe(6);
    expect(summary.mean).toBeCloseTo(mean * 1000, 6);
    expect(summary.stdev).toBeCloseTo(sd * 1000, 6);
  });

  it('without raw data or an error: the score alone', () => {
    const raw = JSON.parse(fixture('single-shot.json')) as Array<Json>;
    raw[0]!.primaryMetric.rawData = [];
    raw[0]!.primaryMetric.scoreError = 'NaN';
    const [b] = jmhImporter.parse(JSON.stringify(raw), 'ss.json');
    expect(b!.metrics[0]).toMatchObject({ name: 'time', unit: 'ns', better: 'lower' });
    expect(b!.metrics[0]!.samples).toBeUndefined();
    expect(b!.metrics[0]!.value).toBeCloseTo(98221.16666666666, 6);
  });

  it('hours and days, JMH’s `hr` and `day`', () => {
    const raw = JSON.parse(fixture('single-shot.json')) as Array<Json>;
    raw[0]!.primaryMetric.scoreUnit = 'ops/day';
    raw[0]!.primaryMetric.rawData = [[86400]];
    raw[0]!.mode = 'thrpt';
    const [b] = jmhImporter.parse(JSON.stringify(raw), 'day.json');
    expect(b!.metrics[0]).toMatchObject({ unit: 'ops/s', better: 'higher', samples: [1] });
    raw[0]!.primaryMetric.scoreUnit = 'hr/op';
    raw[0]!.mode = 'avgt';
    raw[0]!.primaryMetric.rawData = [[2]];
    expect(jmhImporter.parse(JSON.stringify(raw), 'hr.json')[0]!.metrics[0]!.samples).toEqual([7200e9]);
  });
});

describe('jmh: bad input', () => {
  const single = (edit: (entry: Json) => void): string => {
    const raw = JSON.parse(fixture('single-shot.json')) as Array<Json>;
    edit(raw[0]!);
    return JSON.stringify(raw);
  };
  it.each<[string, string, string]>([
    [
      'an empty list (every benchmark failed)',
      fixture('all-failed.json'),
      'f.json: $ (jmh): no benchmarks: an empty list, which JMH writes when every benchmark failed (their errors are in its console output)'
    ],
    [
      'truncated JSON',
      fixture('single-shot.json').slice(0, 700),
      'f.json: line 24, column 7 (jmh): the JSON ends early (a truncated file?)'
    ],
    ['not a list', '{"benchmarks": []}', 'f.json: $ (jmh): Invalid input: expected array, received object'],
    [
      'NaN score',
      single(e => (e.primaryMetric.score = 'NaN')),
      'f.json: $[0].primaryMetric.score (jmh): expected a number, got "NaN"'
    ],
    [
      '+INF in raw data',
      single(e => (e.primaryMetric.rawData[1][0] = '+INF')),
      'f.json: $[0].primaryMetric.rawData[1][0] (jmh): expected a number, got "+INF"'
    ],
    [
      'a negative sample',
      single(e => (e.primaryMetric.rawData[1][2] = -3.5)),
      'f.json: $[0].primaryMetric.rawData[1][2] (jmh): expected a value of 0 or more, got -3.5'
    ],
    [
      'an absurd sample',
      single(e => (e.primaryMetric.rawData[0][1] = 1e300)),
      'f.json: $[0].primaryMetric.rawData[0][1] (jmh): expected a plausible measurement, got 1e+300'
    ],
    [
      'a number as a string',
      single(e => (e.primaryMetric.rawData[0][1] = '85.027')),
      'f.json: $[0].primaryMetric.rawData[0][1] (jmh): Invalid input'
    ],
    [
      'an unknown mode',
      single(e => (e.mode = 'all')),
      'f.json: $[0].mode (jmh): Invalid option: expected one of "thrpt"|"avgt"|"sample"|"ss"'
    ],
    [
      'a param that is not a string',
      single(e => (e.params.size = 1000)),
      'f.json: $[0].params.size (jmh): Invalid input: expected string, received number'
    ],
    [
      'no primary metric',
      single(e => delete e.primaryMetric),
      'f.json: $[0].primaryMetric (jmh): Invalid input: expected object, received undefined'
    ],
    [
      'the same benchmark twice',
      `[${fixture('single-shot.json').trim().slice(1, -1)},${fixture('single-shot.json').trim().slice(1, -1)}]`,
      'f.json: $[1] (jmh): "perfgate.Fixture.coldStart (label=plain, size=1000)" again, already at $[0] (two JMH runs in one file?)'
    ],
    [
      'an empty histogram',
      (() => {
        const raw = JSON.parse(fixture('all-modes-one-benchmark.json')) as Array<Json>;
        raw[2]!.primaryMetric.rawDataHistogram[0][1] = [];
        return JSON.stringify(raw);
      })(),
      'f.json: $[2].primaryMetric.rawDataHistogram[0][1] (jmh): an empty histogram'
    ]
  ])('%s', (_, text, message) => {
    expect(() => jmhImporter.parse(text, 'f.json')).toThrow(message);
    try {
      jmhImporter.parse(text, 'f.json');
    } catch (err) {
      expect((err as Error).message).toBe(message);
      expect((err as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('jmh: detect', () => {
  const root = new URL('../../fixtures/imports/', import.meta.url);
  const files = (format: string): string[] =>
    readdirSync(new URL(`${format}/`, root), { recursive: true, encoding: 'utf8' })
      .map(f => new URL(`${format}/${f}`, root).pathname)
      .filter(p => statSync(p).isFile() && !/README|VERSIONS/.test(p));

  it.each(['modes.json', 'single-shot.json', 'gc-profiler.json', 'all-modes-one-benchmark.json'])(
    'is sure of its own output: %s',
    name => expect(jmhImporter.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  it('cannot tell an empty list from any other', () =>
    expect(jmhImporter.detect(fixture('all-failed.json'))).toBe(0));

  it('knows JMH JSON re-indented, with its keys in another order', () => {
    const raw = JSON.parse(fixture('single-shot.json')) as Array<Record<string, unknown>>;
    const { jmhVersion, ...rest } = raw[0]!;
    expect(jmhImporter.detect(JSON.stringify([{ ...rest, jmhVersion }]))).toBeGreaterThanOrEqual(0.9);
  });

  const others = readdirSync(root).filter(f => f !== 'jmh' && statSync(new URL(f, root)).isDirectory());
  it.each(others.flatMap(files))('is 0 on another format’s output: %s', path =>
    expect(jmhImporter.detect(readFileSync(path, 'utf8'))).toBe(0)
  );

  it.each([
    ['generic JSON', '{"name": "x", "value": 1}'],
    ['a JSON list of benchmarks', '[{"name": "x", "unit": "ns", "value": 1}]'],
    ['plain text', 'Benchmark  Mode  Cnt  Score  Error  Units\nFixture.sum thrpt 6 1.0 ± 0.1 ops/ms\n'],
    ['nothing', '']
  ])('is 0 on %s', (_, text) => expect(jmhImporter.detect(text)).toBe(0));
});

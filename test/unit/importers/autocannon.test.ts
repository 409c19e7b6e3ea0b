import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autocannonImporter as importer } from '../../../src/importers/autocannon.js';
import type { ImportedBenchmark, ImportedMetric } from '../../../src/importers/types.js';
import { otherFixtures } from '../../helpers/import-fixtures.js';

const ROOT = 'test/fixtures/imports';
const DIR = join(ROOT, 'autocannon');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parseOne = (name: string): ImportedBenchmark => {
  const benchmarks = importer.parse(read(name), name);
  expect(benchmarks).toHaveLength(1);
  return benchmarks[0]!;
};
const metric = (b: ImportedBenchmark, name: string): ImportedMetric | undefined =>
  b.metrics.find(m => m.name === name);

const OWN = [
  'basic.json',
  'untitled.json',
  'non2xx.json',
  'sample-interval.json',
  'refused.json',
  'v2-from-source.json'
];

describe('autocannon detect', () => {
  it.each(OWN)('is sure of %s', name => {
    expect(importer.detect(read(name))).toBeGreaterThanOrEqual(0.9);
  });

  it('still knows a truncated result', () => {
    const text = read('basic.json');
    expect(importer.detect(text.slice(0, text.length - 100))).toBeGreaterThanOrEqual(0.9);
  });

  it('gives nothing to the other formats’ fixtures', () => {
    const others = otherFixtures('autocannon');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      expect([file, importer.detect(readFileSync(file, 'utf8'))]).toEqual([file, 0]);
    }
  });

  it.each([
    ['generic JSON', '{"latency": 3, "requests": 10}'],
    ['a JSON list', '[{"name": "x", "unit": "ms", "value": 1}]'],
    ['plain text', 'Running 10s test @ http://127.0.0.1:3000\n10 connections\n'],
    ['empty', '']
  ])('gives nothing to %s', (_what, text) => {
    expect(importer.detect(text)).toBe(0);
  });
});

describe('autocannon parse', () => {
  it('names the benchmark by its title and puts the request rate first, a summary over the seconds', () => {
    const b = parseOne('basic.json');
    expect(b.name).toBe('slow – “hello”');
    expect(b.metrics[0]).toEqual({
      name: 'requests',
      unit: 'ops/s',
      better: 'higher',
      summary: { mean: 934, stdev: 88.74, n: 3 }
    });
  });

  it('reads the latency in ns: its mean with the spread over every response, percentiles as values', () => {
    const b = parseOne('basic.json');
    const latency = metric(b, 'latency')!;
    expect(latency).toMatchObject({ unit: 'ns', better: 'lower' });
    expect(latency.summary!.mean).toBeCloseTo(3_740_000, 3); // 3.74 ms
    expect(latency.summary!.stdev).toBeCloseTo(6_650_000, 3); // 6.65 ms
    expect(latency.summary!.n).toBe(2802); // latency.totalCount
    expect(
      ['latency.p50', 'latency.p90', 'latency.p97_5', 'latency.p99', 'latency.p99_9'].map(
        n => metric(b, n)!.value
      )
    ).toEqual([3e6, 4e6, 7e6, 9e6, 164e6]);
  });

  it('reads throughput in B/s and errors and non-2xx responses as counts', () => {
    const b = parseOne('basic.json');
    expect(metric(b, 'throughput')).toEqual({
      name: 'throughput',
      unit: 'B/s',
      better: 'higher',
      summary: { mean: 166250.67, stdev: 15817.66, n: 3 }
    });
    expect(metric(b, 'errors')).toEqual({ name: 'errors', unit: 'count', better: 'lower', value: 0 });
    expect(metric(b, 'non2xx')).toEqual({ name: 'non2xx', unit: 'count', better: 'lower', value: 0 });
    expect(b.metrics.map(m => m.name)).toEqual([
      'requests',
      'latency',
      'latency.p50',
      'latency.p90',
      'latency.p97_5',
      'latency.p99',
      'latency.p99_9',
      'throughput',
      'errors',
      'non2xx'
    ]);
  });

  it('names an untitled run by the URL’s path and query, not its host and port', () => {
    expect(parseOne('untitled.json').name).toBe('/?q=1');
  });

  it('scales counts per 250 ms interval to a second', () => {
    const requests = parseOne('sample-interval.json').metrics[0]!;
    // requests.mean 1886.5 and stddev 847.96 per 250 ms, 4 samples
    expect(requests.summary!.mean).toBeCloseTo(7546, 6);
    expect(requests.summary!.stdev).toBeCloseTo(3391.84, 6);
    expect(requests.summary!.n).toBe(4);
  });

  it('gives a single value for a one-second run, and counts the 500s', () => {
    const b = parseOne('non2xx.json');
    expect(b.metrics[0]).toEqual({ name: 'requests', unit: 'ops/s', better: 'higher', value: 8348 });
    expect(metric(b, 'non2xx')!.value).toBe(834);
  });

  it('has no latency when no request got a response', () => {
    const b = parseOne('refused.json');
    expect(b.name).toBe('/');
    expect(b.metrics.map(m => m.name)).toEqual(['requests', 'throughput', 'errors', 'non2xx']);
    expect(b.metrics[0]!.value).toBe(0);
    expect(metric(b, 'errors')!.value).toBe(4093);
  });

  it('reads autocannon ≤ 2: n from the duration, latency n from the completed requests, p999 as p99_9', () => {
    const b = parseOne('v2-from-source.json');
    expect(b.name).toBe('legacy');
    expect(b.metrics[0]!.summary).toEqual({ mean: 4512.4, stdev: 301.27, n: 5 });
    expect(metric(b, 'latency')!.summary!.n).toBe(22562);
    expect(metric(b, 'latency.p99_9')!.value).toBe(12e6);
    expect(metric(b, 'latency.p97_5')).toBeUndefined();
  });
});

describe('autocannon bad input', () => {
  const base = JSON.parse(read('basic.json')) as Record<string, Record<string, unknown>>;
  const edit = (change: (r: Record<string, Record<string, unknown>>) => void): string => {
    const copy = structuredClone(base);
    change(copy);
    return JSON.stringify(copy);
  };

  it.each([
    [
      'a truncated result',
      read('basic.json').slice(0, 700),
      'bad.json: line 1, column 698 (autocannon): the JSON ends early (a truncated file?)'
    ],
    [
      'a negative latency',
      edit(r => (r.latency!.mean = -1)),
      'bad.json: $.latency.mean (autocannon): expected a value of 0 or more, got -1'
    ],
    [
      'NaN as a string',
      edit(r => (r.requests!.stddev = 'NaN')),
      'bad.json: $.requests.stddev (autocannon): Invalid input: expected number, received string'
    ],
    [
      'an absurd percentile',
      edit(r => (r.latency!.p99 = 1e15)),
      'bad.json: $.latency.p99 (autocannon): expected a plausible measurement, got 1e+21 ns (1000000000000000 ms)'
    ],
    [
      'no latency object',
      edit(r => delete r.latency),
      'bad.json: $.latency (autocannon): Invalid input: expected object, received undefined'
    ],
    [
      'neither mean nor average',
      edit(r => {
        delete r.throughput!.mean;
        delete r.throughput!.average;
      }),
      'bad.json: $.throughput.average (autocannon): expected a number, got undefined'
    ],
    [
      'a list instead of a result',
      '[]',
      'bad.json: $ (autocannon): Invalid input: expected object, received array'
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(() => importer.parse(text, 'bad.json')).toThrow(message);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autocannonImporter } from '../../../src/importers/autocannon.js';
import { benchmarkjsImporter } from '../../../src/importers/benchmarkjs.js';
import {
  genericBiggerImporter as bigger,
  genericSmallerImporter as smaller
} from '../../../src/importers/generic.js';
import { hyperfineImporter } from '../../../src/importers/hyperfine.js';
import { detectFormat } from '../../../src/importers/read-import.js';
import { otherFixtures } from '../../helpers/import-fixtures.js';

const ROOT = 'test/fixtures/imports';
const DIR = join(ROOT, 'generic');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

describe('generic detect', () => {
  it.each(['smaller.json', 'bigger.json'])('recognises %s, equally as either direction', name => {
    const text = read(name);
    expect(smaller.detect(text)).toBeGreaterThanOrEqual(0.5);
    expect(bigger.detect(text)).toBe(smaller.detect(text));
  });

  it('leaves the direction to format:, the file being ambiguous without it', () => {
    const importers = [hyperfineImporter, autocannonImporter, benchmarkjsImporter, smaller, bigger];
    expect(() => detectFormat(read('bigger.json'), importers, 'bench.json')).toThrow(
      'bench.json: it could be generic-smaller or generic-bigger; name it with format:'
    );
  });

  it('gives nothing to the other formats’ fixtures', () => {
    const others = otherFixtures('generic');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      const text = readFileSync(file, 'utf8');
      expect([file, smaller.detect(text), bigger.detect(text)]).toEqual([file, 0, 0]);
    }
  });

  it.each([
    ['a JSON object', '{"name": "x", "unit": "ms", "value": 1}'],
    ['a list of numbers', '[1, 2, 3]'],
    ['a list of other objects', '[{"id": 1, "title": "x"}]'],
    ['plain text', 'name unit value\nfib ms 12\n'],
    ['empty', '']
  ])('gives nothing to %s', (_what, text) => {
    expect(smaller.detect(text)).toBe(0);
    expect(bigger.detect(text)).toBe(0);
  });
});

describe('generic parse', () => {
  it('reads a smaller-is-better list: names exact, known units normalised, others kept', () => {
    const benchmarks = smaller.parse(read('smaller.json'), 'smaller.json');
    expect(benchmarks.map(b => b.name)).toEqual([
      'My Custom Smaller Is Better Benchmark - CPU Load',
      'My Custom Smaller Is Better Benchmark - Memory Used',
      'Build / Graph Build',
      'readdir_100',
      'fib(20)',
      'parse größe – “quoted”',
      'content_extraction simple'
    ]);
    const metrics = benchmarks.map(b => {
      expect(b.metrics).toHaveLength(1);
      return b.metrics[0]!;
    });
    expect(metrics.every(m => m.better === 'lower')).toBe(true);
    expect(metrics.map(m => [m.name, m.unit])).toEqual([
      ['percent', '%'],
      ['size', 'B'],
      ['time', 'ns'],
      ['time', 'ns'],
      ['time', 'ns'],
      ['size', 'B'],
      ['instructions', 'instructions']
    ]);
    expect(metrics[0]!.value).toBe(50);
    expect(metrics[1]!.value).toBe(100e6); // 100 Megabytes
    expect(metrics[2]!.value).toBeCloseTo(845_820, 6); // 0.84582 ms
    expect(metrics[3]!.value).toBeCloseTo(1.2e8, 6); // 0.12 seconds
    expect(metrics[4]!.value).toBe(37174); // ns/iter
    expect(metrics[5]!.value).toBe(4947311.529170608); // B/op
    expect(metrics[6]!.value).toBe(3879);
    expect(metrics.every(m => m.samples === undefined && m.summary === undefined)).toBe(true);
  });

  it('reads a bigger-is-better list, free memory included: the format says which way, not the unit', () => {
    const metrics = bigger.parse(read('bigger.json'), 'bigger.json').map(b => b.metrics[0]!);
    expect(metrics).toEqual([
      { name: 'throughput', unit: 'ops/s', better: 'higher', value: 70 },
      { name: 'size', unit: 'B', better: 'higher', value: 150e6 },
      { name: 'throughput', unit: 'B/s', better: 'higher', value: 412.5e6 },
      { name: 'throughput', unit: 'ops/s', better: 'higher', value: 11465 },
      { name: 'points', unit: 'points', better: 'higher', value: 97 }
    ]);
  });

  it('reads the same file either way, only the direction changing', () => {
    const text = read('smaller.json');
    const asBigger = bigger.parse(text, 'f.json');
    const asSmaller = smaller.parse(text, 'f.json');
    expect(asBigger.map(b => b.metrics[0]!.better)).toEqual(asSmaller.map(() => 'higher'));
    expect(asBigger.map(b => ({ ...b.metrics[0], better: 'lower' }))).toEqual(
      asSmaller.map(b => b.metrics[0])
    );
  });

  it('takes a name listed again in the same unit as samples of one benchmark', () => {
    const text = JSON.stringify([
      { name: 'build', unit: 's', value: 1.5 },
      { name: 'test', unit: 'ms', value: 3 },
      { name: 'build', unit: 's', value: 1.25 },
      { name: 'build', unit: 's', value: 1.75 }
    ]);
    expect(smaller.parse(text, 'runs.json')).toEqual([
      {
        name: 'build',
        metrics: [{ name: 'time', unit: 'ns', better: 'lower', samples: [1.5e9, 1.25e9, 1.75e9] }]
      },
      { name: 'test', metrics: [{ name: 'time', unit: 'ns', better: 'lower', value: 3e6 }] }
    ]);
  });

  it('names units of no dimension by what they are, and reads units spelt out', () => {
    const text = JSON.stringify([
      { name: 'score', unit: '', value: 7 },
      { name: 'speed-up', unit: 'x', value: 1.25 },
      { name: 'cpu', unit: '%', value: 250 },
      { name: 'hit rate', unit: 'ratio', value: 0.9 },
      { name: 'nightly', unit: 'hours', value: 1.5 },
      { name: 'call', unit: 'microseconds/op', value: 2 },
      { name: 'heap', unit: 'Kilobytes', value: 3 },
      { name: 'frames', unit: 'frames', value: 60 }
    ]);
    expect(bigger.parse(text, 'units.json').map(b => b.metrics[0])).toEqual([
      { name: 'value', unit: 'unitless', better: 'higher', value: 7 },
      { name: 'factor', unit: 'x', better: 'higher', value: 1.25 },
      { name: 'percent', unit: '%', better: 'higher', value: 250 },
      { name: 'ratio', unit: 'ratio', better: 'higher', value: 0.9 },
      { name: 'time', unit: 'ns', better: 'higher', value: 5400e9 },
      { name: 'time', unit: 'ns', better: 'higher', value: 2000 },
      { name: 'size', unit: 'B', better: 'higher', value: 3000 },
      { name: 'frames', unit: 'frames', better: 'higher', value: 60 }
    ]);
  });
});

describe('generic bad input', () => {
  const entry = (fields: object): string =>
    JSON.stringify([
      { name: 'x', unit: 'ms', value: 1 },
      { name: 'y', unit: 'ms', value: 2, ...fields }
    ]);

  it.each([
    [
      'a truncated list',
      read('smaller.json').slice(0, 150),
      'bad.json: line 8, column 15 (generic-smaller): the JSON ends early (a truncated file?)'
    ],
    ['an empty list', '[]', 'bad.json: $ (generic-smaller): no benchmarks: the list is empty'],
    [
      'a value as a string',
      entry({ value: '12' }),
      'bad.json: $[1].value (generic-smaller): expected a number, got "12"'
    ],
    [
      'NaN as a string',
      entry({ value: 'NaN' }),
      'bad.json: $[1].value (generic-smaller): expected a number, got "NaN"'
    ],
    [
      'a negative value',
      entry({ value: -3 }),
      'bad.json: $[1].value (generic-smaller): expected a value of 0 or more, got -3'
    ],
    [
      'an absurd value',
      entry({ value: 1e13, unit: 'seconds' }),
      'bad.json: $[1].value (generic-smaller): expected a plausible measurement, got 1e+22 ns (10000000000000 seconds)'
    ],
    [
      'an absurd value in days',
      entry({ value: 1e8, unit: 'days' }),
      'bad.json: $[1].value (generic-smaller): expected a plausible measurement, got 8.64e+21 ns (100000000 days)'
    ],
    [
      'a negative percentage',
      entry({ value: -5, unit: '%' }),
      'bad.json: $[1].value (generic-smaller): expected a value of 0 or more, got -5'
    ],
    [
      'no name',
      JSON.stringify([{ unit: 'ms', value: 1 }]),
      'bad.json: $[0].name (generic-smaller): Invalid input: expected string, received undefined'
    ],
    [
      'an empty name',
      entry({ name: '' }),
      'bad.json: $[1].name (generic-smaller): expected a non-empty name'
    ],
    [
      'no unit',
      JSON.stringify([{ name: 'x', value: 1 }]),
      'bad.json: $[0].unit (generic-smaller): Invalid input: expected string, received undefined'
    ],
    [
      'an object instead of a list',
      '{"benches": []}',
      'bad.json: $ (generic-smaller): Invalid input: expected array, received object'
    ],
    [
      'one name in two units',
      entry({ name: 'x', unit: 'MB' }),
      'bad.json: $[1].unit (generic-smaller): "x" is listed at $[0] in "ms" and here in "MB"; one name, one unit'
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(() => smaller.parse(text, 'bad.json')).toThrow(message);
  });
});

import { readFileSync } from 'node:fs';
import { hodgesLehmann, hodgesLehmannInterval, walshAverages } from '../../../src/stats/hodges-lehmann.js';
import type { Alternative } from '../../../src/stats/types.js';

/** Estimates: numpy medians of the Walsh averages; intervals: inversion of scipy.stats.wilcoxon. */
interface Case {
  name: string;
  d: number[];
  estimate: number;
  regime: 'exact' | 'normal';
  intervals: Array<{ level: number; alternative: Alternative; lower: number | null; upper: number | null }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/hodges-lehmann.json', import.meta.url), 'utf8')
) as { generator: { command: string }; cases: Case[] };

const intervals = fixture.cases.flatMap(c =>
  c.intervals.map(i => [`${c.name}, ${i.alternative} ${i.level}`, c.d, i] as const)
);

describe('hodgesLehmann against the median of Walsh averages (numpy)', () => {
  it('has at least 30 data sets in both regimes', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(fixture.cases.map(c => c.regime))).toEqual(new Set(['exact', 'normal']));
  });

  it.each(fixture.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    // medianSorted interpolates as a + (b − a)/2, numpy as (a + b)/2: equal to an ulp or so.
    const e = hodgesLehmann(c.d);
    expect(Math.abs(e - c.estimate)).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(c.estimate), 1e-15));
  });
});

describe('hodgesLehmannInterval against brute-force inversion of scipy.stats.wilcoxon', () => {
  it.each(intervals)('%s', (_, d, ref) => {
    // Ends are order statistics of the Walsh averages, so they must agree exactly.
    expect(hodgesLehmannInterval(d, ref.level, ref.alternative)).toEqual({
      lower: ref.lower ?? -Infinity,
      upper: ref.upper ?? Infinity,
      level: ref.level
    });
  });
});

describe('hodgesLehmannInterval behaviour', () => {
  it('defaults to a two-sided 95 % interval', () => {
    const d = [0.03, -0.01, 0.02, 0.05, 0.04, 0.01, 0.06, -0.02];
    expect(hodgesLehmannInterval(d)).toEqual(hodgesLehmannInterval(d, 0.95, 'two-sided'));
  });

  it('is unbounded when n is too small for the level (n = 5 at 0.95)', () => {
    expect(hodgesLehmannInterval([1, 2, 3, 4, 5], 0.95)).toEqual({
      lower: -Infinity,
      upper: Infinity,
      level: 0.95
    });
    expect(hodgesLehmannInterval([1, 2, 3, 4, 5, 6], 0.95)).toEqual({ lower: 1, upper: 6, level: 0.95 });
  });

  it('collapses to the value when all differences are equal', () => {
    expect(hodgesLehmannInterval(Array(8).fill(0.02) as number[])).toEqual({
      lower: 0.02,
      upper: 0.02,
      level: 0.95
    });
    expect(hodgesLehmann([0, 0, 0])).toBe(0);
  });

  it('counts n(n+1)/2 Walsh averages', () => {
    expect(walshAverages([3, 1, 2])).toEqual([1, 1.5, 2, 2, 2.5, 3]);
  });

  it.each([
    [() => hodgesLehmann([]), /hodgesLehmann: d needs at least 1 value/],
    [() => hodgesLehmannInterval([1, Number.NaN]), /hodgesLehmannInterval: d\[1\] is NaN/],
    [() => hodgesLehmannInterval([1, 2], 0.4), /level must be in \[0.5, 1\)/],
    [() => hodgesLehmannInterval([1, 2], 1), /level must be in \[0.5, 1\)/]
  ])('throws a RangeError %#', (f, message) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(message);
  });
});

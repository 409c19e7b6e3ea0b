import { readFileSync } from 'node:fs';
import {
  hodgesLehmannShift,
  hodgesLehmannShiftInterval,
  pairwiseDifferences
} from '../../../src/stats/hodges-lehmann-shift.js';
import type { Alternative } from '../../../src/stats/types.js';

/** Estimates: numpy medians of x_i − y_j; intervals: inversion of scipy.stats.mannwhitneyu. */
interface Case {
  name: string;
  x: number[];
  y: number[];
  estimate: number;
  regime: 'exact' | 'normal';
  intervals: Array<{ level: number; alternative: Alternative; lower: number | null; upper: number | null }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/hodges-lehmann-shift.json', import.meta.url), 'utf8')
) as { generator: { command: string }; cases: Case[] };

const intervals = fixture.cases.flatMap(c =>
  c.intervals.map(i => [`${c.name}, ${i.alternative} ${i.level}`, c, i] as const)
);

describe('hodgesLehmannShift against the median of pairwise differences (numpy)', () => {
  it('has at least 30 data sets in both regimes', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(fixture.cases.map(c => c.regime))).toEqual(new Set(['exact', 'normal']));
  });

  it.each(fixture.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const e = hodgesLehmannShift(c.x, c.y);
    expect(Math.abs(e - c.estimate)).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(c.estimate), 1e-15));
  });
});

describe('hodgesLehmannShiftInterval against brute-force inversion of scipy.stats.mannwhitneyu', () => {
  it.each(intervals)('%s', (_, c, ref) => {
    expect(hodgesLehmannShiftInterval(c.x, c.y, ref.level, ref.alternative)).toEqual({
      lower: ref.lower ?? -Infinity,
      upper: ref.upper ?? Infinity,
      level: ref.level
    });
  });
});

describe('hodgesLehmannShiftInterval behaviour', () => {
  it('is unbounded when the samples are too small for the level (3 vs 3 at 0.95)', () => {
    expect(hodgesLehmannShiftInterval([1, 2, 3], [4, 5, 6])).toEqual({
      lower: -Infinity,
      upper: Infinity,
      level: 0.95
    });
  });

  it('lists the m·n differences sorted', () => {
    expect(pairwiseDifferences([1, 3], [0, 2, 1])).toEqual([-1, 0, 1, 1, 2, 3]);
  });

  it.each([
    [() => hodgesLehmannShift([], [1]), /hodgesLehmannShift: x needs at least 1 value/],
    [() => hodgesLehmannShiftInterval([1], [Infinity]), /hodgesLehmannShiftInterval: y\[0\] is Infinity/],
    [() => hodgesLehmannShiftInterval([1], [2], 0.3), /level must be in \[0.5, 1\)/]
  ])('throws a RangeError %#', (f, message) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(message);
  });
});

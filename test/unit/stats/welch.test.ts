import { readFileSync } from 'node:fs';
import type { Alternative } from '../../../src/stats/types.js';
import { welchTTest } from '../../../src/stats/welch.js';

/** Reference values from scipy.stats.ttest_ind(equal_var=False): see scripts/stats-fixtures.py. */
interface Case {
  name: string;
  x: number[];
  y: number[];
  alternative: Alternative;
  level: number;
  statistic: number;
  pValue: number;
  df: number;
  difference: number;
  lower: number | null;
  upper: number | null;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/welch.json', import.meta.url), 'utf8')
) as { generator: { command: string }; cases: Case[] };

function expectClose(actual: number, expected: number | null, infinity: number): void {
  if (expected === null) return expect(actual).toBe(infinity);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(expected), 1e-12));
}

describe('welchTTest against scipy.stats.ttest_ind(equal_var=False)', () => {
  it('has at least 30 cases, with unequal sizes and a tiny p-value', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    expect(fixture.cases.some(c => c.x.length === 3 && c.y.length === 17)).toBe(true);
    expect(fixture.cases.some(c => c.pValue < 1e-12)).toBe(true);
  });

  it.each(fixture.cases.map(c => [`${c.name}, ${c.alternative} ${c.level}`, c] as const))('%s', (_, c) => {
    const r = welchTTest(c.x, c.y, c.alternative, c.level);
    expectClose(r.statistic, c.statistic, NaN);
    expectClose(r.pValue, c.pValue, NaN);
    expectClose(r.df, c.df, NaN);
    expectClose(r.difference, c.difference, NaN);
    expectClose(r.interval.lower, c.lower, -Infinity);
    expectClose(r.interval.upper, c.upper, Infinity);
    expect(r.interval.level).toBe(c.level);
    expect(r.method).toBe('normal');
  });
});

describe('welchTTest edge cases', () => {
  it.each([
    [[1], [1, 2], /welchTTest: x needs at least 2 values, got 1/],
    [[1, 2], [], /welchTTest: y needs at least 2 values, got 0/],
    [[1, Number.NaN], [1, 2], /welchTTest: x\[1\] is NaN/],
    [[3, 3], [4, 4, 4], /both samples are constant/]
  ])('rejects %p vs %p', (x, y, message) => {
    expect(() => welchTTest(x, y)).toThrow(RangeError);
    expect(() => welchTTest(x, y)).toThrow(message);
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => welchTTest([1, 2], [3, 5], 'two-sided', 0)).toThrow(/level must be in \(0, 1\)/);
  });
});

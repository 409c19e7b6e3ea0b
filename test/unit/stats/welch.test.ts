import { readFileSync } from 'node:fs';
import type { Alternative } from '../../../src/stats/types.js';
import { welchFromStats, welchTTest } from '../../../src/stats/welch.js';

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

/** Reference values from scipy.stats.ttest_ind_from_stats(equal_var=False): scripts/stats-fixtures.py. */
interface StatsCase {
  name: string;
  mean1: number;
  std1: number;
  n1: number;
  mean2: number;
  std2: number;
  n2: number;
  alternative: Alternative;
  statistic: number;
  pValue: number;
}
const fromStats = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/welch-from-stats.json', import.meta.url), 'utf8')
) as { cases: StatsCase[] };

describe('welchFromStats against scipy.stats.ttest_ind_from_stats(equal_var=False)', () => {
  it('has cases from 2 to 1000 per side', () => {
    expect(fromStats.cases.some(c => c.n1 === 2)).toBe(true);
    expect(fromStats.cases.some(c => c.n1 === 1000)).toBe(true);
  });

  it.each(fromStats.cases.map(c => [`${c.name}, ${c.alternative}`, c] as const))('%s', (_, c) => {
    const r = welchFromStats(
      { mean: c.mean1, sd: c.std1, n: c.n1 },
      { mean: c.mean2, sd: c.std2, n: c.n2 },
      c.alternative
    );
    expectClose(r.statistic, c.statistic, NaN);
    expectClose(r.pValue, c.pValue, NaN);
  });

  it('gives what welchTTest gives for the samples the summaries describe', () => {
    const c = fixture.cases[5]!;
    const summary = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return {
        mean: m,
        sd: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)),
        n: v.length
      };
    };
    const a = welchTTest(c.x, c.y, c.alternative, c.level);
    const b = welchFromStats(summary(c.x), summary(c.y), c.alternative, c.level);
    expect(b.pValue).toBeCloseTo(a.pValue, 12);
    expect(b.interval.lower).toBeCloseTo(a.interval.lower, 9);
  });

  it('refuses a size below 2 and a negative sd', () => {
    expect(() => welchFromStats({ mean: 1, sd: 1, n: 1 }, { mean: 1, sd: 1, n: 5 })).toThrow(
      'welchFromStats: x needs a size of at least 2, got 1'
    );
    expect(() => welchFromStats({ mean: 1, sd: 1, n: 3 }, { mean: 1, sd: -1, n: 5 })).toThrow(
      'welchFromStats: y needs a finite mean and sd ≥ 0, got 1 and -1'
    );
  });
});

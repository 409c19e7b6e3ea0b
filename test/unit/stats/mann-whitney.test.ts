import { readFileSync } from 'node:fs';
import { mannWhitneyU } from '../../../src/stats/mann-whitney.js';
import type { Alternative } from '../../../src/stats/types.js';

/** Reference values from scipy.stats.mannwhitneyu: see scripts/stats-fixtures.py. */
interface Case {
  name: string;
  x: number[];
  y: number[];
  alternative: Alternative;
  statistic: number;
  pValue: number;
  method: 'exact' | 'normal';
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/mann-whitney.json', import.meta.url), 'utf8')
) as { generator: { command: string; scipy: string }; cases: Case[] };

function expectP(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(expected), 1e-12));
}

describe('mannWhitneyU against scipy.stats.mannwhitneyu', () => {
  it('has fixtures covering both regimes, unequal sizes and tiny p-values', () => {
    const c = fixture.cases;
    expect(c.length).toBeGreaterThanOrEqual(30);
    expect(c.some(k => k.method === 'exact' && Math.max(k.x.length, k.y.length) >= 17)).toBe(true);
    expect(c.some(k => k.method === 'normal' && Math.min(k.x.length, k.y.length) <= 8)).toBe(true); // ties
    expect(c.some(k => k.pValue < 1e-9)).toBe(true);
  });

  it.each(fixture.cases.map(c => [`${c.name}, ${c.alternative}`, c] as const))('%s', (_, c) => {
    const r = mannWhitneyU(c.x, c.y, c.alternative);
    expect(r.statistic).toBe(c.statistic);
    expect(r.method).toBe(c.method);
    expectP(r.pValue, c.pValue);
  });
});

describe('mannWhitneyU edge cases', () => {
  it('gives p = 1 when every value is equal', () => {
    expect(mannWhitneyU([5, 5], [5, 5, 5], 'greater')).toEqual({ statistic: 3, pValue: 1, method: 'normal' });
  });

  it('is symmetric: U of y is mn − U of x, and less/greater swap', () => {
    const x = [1.2, 3.4, 2.2, 5.1];
    const y = [0.3, 2.9, 1.1];
    expect(mannWhitneyU(y, x, 'greater').statistic).toBe(12 - mannWhitneyU(x, y).statistic);
    expect(mannWhitneyU(y, x, 'greater').pValue).toBe(mannWhitneyU(x, y, 'less').pValue);
  });

  it.each([
    [[], [1], /mannWhitneyU: x needs at least 1 value, got 0/],
    [[1], [], /mannWhitneyU: y needs at least 1 value, got 0/],
    [[1, Number.NaN], [1], /mannWhitneyU: x\[1\] is NaN/],
    [[1], [-Infinity], /mannWhitneyU: y\[0\] is -Infinity/]
  ])('rejects %p vs %p', (x, y, message) => {
    expect(() => mannWhitneyU(x, y)).toThrow(RangeError);
    expect(() => mannWhitneyU(x, y)).toThrow(message);
  });
});

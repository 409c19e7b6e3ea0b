import { readFileSync } from 'node:fs';
import { wilcoxonSignedRank } from '../../../src/stats/signed-rank.js';
import type { Alternative } from '../../../src/stats/types.js';

/** Reference values from scipy.stats.wilcoxon: see scripts/stats-fixtures.py. */
interface Case {
  name: string;
  d: number[];
  alternative: Alternative;
  n: number;
  statistic: number;
  pValue: number;
  method: 'exact' | 'normal';
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/wilcoxon.json', import.meta.url), 'utf8')
) as { generator: { command: string; scipy: string }; cases: Case[] };

/** p-values agree to 1e-9 relative, or 1e-12 absolute for tiny values. */
function expectP(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(expected), 1e-12));
}

describe('wilcoxonSignedRank against scipy.stats.wilcoxon', () => {
  it('has fixtures from the generator script, covering every regime', () => {
    expect(fixture.generator.command).toBe('python3 scripts/stats-fixtures.py');
    const c = fixture.cases;
    expect(c.length).toBeGreaterThanOrEqual(30);
    expect(c.some(k => k.method === 'exact' && k.d.includes(0))).toBe(true); // permutation, zeros
    expect(c.some(k => k.method === 'exact' && k.d.length > 13)).toBe(true);
    expect(c.some(k => k.method === 'normal' && k.d.length <= 50)).toBe(true); // ties, 14..50
    expect(c.some(k => k.method === 'normal' && k.d.length > 50)).toBe(true);
    expect(c.some(k => k.pValue < 1e-9)).toBe(true);
  });

  it.each(fixture.cases.map(c => [`${c.name}, ${c.alternative}`, c] as const))('%s', (_, c) => {
    const r = wilcoxonSignedRank(c.d, c.alternative);
    expect(r.statistic).toBe(c.statistic);
    expect(r.n).toBe(c.n);
    expect(r.method).toBe(c.method);
    expectP(r.pValue, c.pValue);
  });
});

describe('wilcoxonSignedRank edge cases', () => {
  it('defaults to two-sided', () => {
    expect(wilcoxonSignedRank([0.1, 0.2, -0.05])).toEqual(wilcoxonSignedRank([0.1, 0.2, -0.05], 'two-sided'));
  });

  it('gives p = 1 when every difference is zero', () => {
    expect(wilcoxonSignedRank([0, 0, 0], 'greater')).toEqual({
      statistic: 0,
      pValue: 1,
      method: 'exact',
      n: 0
    });
  });

  it('needs six untied pairs for a one-sided p below 0.05', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5], 'greater').pValue).toBe(1 / 32);
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6], 'greater').pValue).toBe(1 / 64);
  });

  it.each([
    [[], /wilcoxonSignedRank: d needs at least 1 value, got 0/],
    [[0.1, Number.NaN], /wilcoxonSignedRank: d\[1\] is NaN/],
    [[Infinity, 0.2], /wilcoxonSignedRank: d\[0\] is Infinity/]
  ])('rejects %p', (d, message) => {
    expect(() => wilcoxonSignedRank(d, 'greater')).toThrow(RangeError);
    expect(() => wilcoxonSignedRank(d, 'greater')).toThrow(message);
  });

  it('rejects an unknown alternative', () => {
    expect(() => wilcoxonSignedRank([1], 'bigger' as Alternative)).toThrow(/alternative must be/);
  });
});

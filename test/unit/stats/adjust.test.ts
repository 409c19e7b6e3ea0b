import { readFileSync } from 'node:fs';
import { benjaminiHochberg, holm } from '../../../src/stats/adjust.js';

/** bh: scipy.stats.false_discovery_control; holm: the script's direct Holm (1979). */
interface Case {
  name: string;
  p: number[];
  holm: number[];
  bh: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/adjust.json', import.meta.url), 'utf8')
) as { generator: { command: string }; cases: Case[] };

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(Math.max(1e-12 * expected[i]!, 1e-15))
  );
}

const cases = fixture.cases.map(c => [c.name, c] as const);

describe('holm against Holm (1979)', () => {
  it('has at least 30 cases', () => expect(fixture.cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases)('%s', (_, c) => expectAllClose(holm(c.p), c.holm));
});

describe('benjaminiHochberg against scipy.stats.false_discovery_control', () => {
  it.each(cases)('%s', (_, c) => expectAllClose(benjaminiHochberg(c.p), c.bh));
});

describe.each([
  ['holm', holm],
  ['benjaminiHochberg', benjaminiHochberg]
] as const)('%s properties', (name, adjust) => {
  it.each(cases)('%s: ≥ p, ≤ 1, monotone in p', (_, c) => {
    const q = adjust(c.p);
    c.p.forEach((p, i) => {
      expect(q[i]).toBeGreaterThanOrEqual(p);
      expect(q[i]).toBeLessThanOrEqual(1);
      c.p.forEach((p2, j) => {
        if (p <= p2) expect(q[i]).toBeLessThanOrEqual(q[j]!);
      });
    });
  });

  it('returns [] for no p-values and p itself for one', () => {
    expect(adjust([])).toEqual([]);
    expect(adjust([0.03])).toEqual([0.03]);
  });

  it.each([[[0.1, -0.01]], [[1.5]], [[Number.NaN]]])('rejects %p', p => {
    expect(() => adjust(p)).toThrow(RangeError);
    expect(() => adjust(p)).toThrow(
      new RegExp(`^${name}: p\\[\\d\\] is .*; p-values must be in \\[0, 1\\]$`)
    );
  });
});

describe('holm with a larger family', () => {
  it.each(cases)('%s: the same as the family padded with p = 1, restricted to the members', (_, c) => {
    const extra = 3;
    const padded = holm([...c.p, ...Array<number>(extra).fill(1)]).slice(0, c.p.length);
    expectAllClose(holm(c.p, c.p.length + extra), padded);
  });

  it.each(cases)('%s: bounds the adjustment in any completed family from above', (_, c) => {
    // Whatever p-values the rest of the family gets, the members' final adjusted values are no larger.
    const early = holm(c.p, c.p.length + 3);
    for (const others of [
      [0, 0, 0],
      [1e-6, 0.02, 0.9],
      [c.p[0]!, c.p[0]!, 1],
      [0.5, 0.5, 0.5]
    ]) {
      const final = holm([...c.p, ...others]).slice(0, c.p.length);
      final.forEach((q, i) => expect(q).toBeLessThanOrEqual(early[i]! + 1e-15));
    }
  });

  it('refuses a family smaller than the p-values given', () => {
    expect(() => holm([0.01, 0.02], 1)).toThrow(/^holm: familySize must be an integer of at least 2, got 1$/);
  });
});

import { readFileSync } from 'node:fs';
import { predictionInterval } from '../../../src/stats/prediction.js';

interface Case {
  name: string;
  x: number[];
  level: number;
  mean: number;
  halfWidth: number;
  lower: number;
  upper: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/prediction.json', import.meta.url), 'utf8')
) as { cases: Case[] };

const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(b), 1e-14));

describe('predictionInterval against SciPy (t.ppf · std(ddof=1) · √(1 + 1/n))', () => {
  it('has at least 30 cases, n = 2..50', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    expect(Math.min(...fixture.cases.map(c => c.x.length))).toBe(2);
  });

  it.each(fixture.cases.map(c => [`${c.name} at ${c.level}`, c] as const))('%s', (_, c) => {
    const pi = predictionInterval(c.x, c.level);
    close(pi.mean, c.mean);
    close(pi.halfWidth, c.halfWidth);
    close(pi.lower, c.lower);
    close(pi.upper, c.upper);
  });

  it('widens with the level and narrows toward ±t·s as n grows', () => {
    const x = [1, 1.2, 0.9, 1.1, 1.05, 0.95];
    expect(predictionInterval(x, 0.99).halfWidth).toBeGreaterThan(predictionInterval(x, 0.9).halfWidth);
  });

  it.each([
    [[1], 0.95, /^predictionInterval: x needs at least 2 values, got 1$/],
    [[1, Number.NaN], 0.95, /^predictionInterval: x\[1\] is NaN/],
    [[1, 2], 1, /^predictionInterval: level must be in \(0, 1\), got 1$/]
  ])('refuses %p at level %p', (x, level, message) => {
    expect(() => predictionInterval(x, level)).toThrow(message);
  });
});

/**
 * The memory-growth finding's least-squares line against SciPy: `scipy.stats.linregress` and the t
 * interval of its slope (test/fixtures/findings/linregress.json, by scripts/findings-fixtures.py),
 * on seeded data and on RSS samples recorded from real soaks.
 */
import { readFileSync } from 'node:fs';
import { linearFit } from '../../../src/findings/linear-fit.js';

interface Case {
  name: string;
  x: number[];
  y: number[];
  level: number;
  slope: number;
  intercept: number;
  stderr: number;
  low: number;
  high: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/findings/linregress.json', import.meta.url), 'utf8')
) as { cases: Case[] };

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('linearFit against scipy.stats.linregress', () => {
  it('has real RSS samples among its cases', () => {
    expect(fixture.cases.filter(c => c.name.startsWith('real ')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(fixture.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const fit = linearFit(c.x, c.y, c.level)!;
    close(fit.slope, c.slope);
    close(fit.intercept, c.intercept);
    close(fit.stderr, c.stderr);
    close(fit.low, c.low);
    close(fit.high, c.high);
    expect(fit.n).toBe(c.x.length);
  });

  it('has no line through fewer than 3 points or a single x', () => {
    expect(linearFit([0, 1], [1, 2])).toBeUndefined();
    expect(linearFit([2, 2, 2], [1, 2, 3])).toBeUndefined();
    expect(() => linearFit([0, 1, 2], [1, 2])).toThrow(RangeError);
  });

  it('gives a perfect line a zero-width interval', () => {
    const fit = linearFit([0, 1, 2, 3], [5, 7, 9, 11])!;
    expect(fit).toMatchObject({ slope: 2, intercept: 5, stderr: 0, low: 2, high: 2 });
  });
});

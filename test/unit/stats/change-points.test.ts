import { readFileSync } from 'node:fs';
import { changePoints, type ChangePoint, type ChangePointOptions } from '../../../src/stats/change-points.js';
import { eDivisiveCandidate, pairwiseSums } from '../../../src/stats/e-divisive.js';
import { studentTTest } from '../../../src/stats/student-t-test.js';
import { gauss, seededRandom } from '../../helpers/random.js';

/** Reference values: see scripts/changepoint-fixtures.py. */
interface TTestCase {
  name: string;
  x: number[];
  y: number[];
  statistic: number | null;
  pValue: number;
  df: number;
  difference: number;
}
interface QhatCase {
  name: string;
  z: number[];
  start: number;
  end: number;
  minSegment: number;
  index: number;
  qhat: number;
}
function fixture<T>(name: string): T[] {
  const url = new URL(`../../fixtures/stats/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: T[] }).cases;
}
const tCases = fixture<TTestCase>('change-points-ttest.json');
const qCases = fixture<QhatCase>('change-points-qhat.json');

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(expected), 1e-12));
}

describe('studentTTest against scipy.stats.ttest_ind (equal_var=True)', () => {
  it('has at least 30 cases, with unequal sizes, ties, constant samples and a tiny p-value', () => {
    expect(tCases.length).toBeGreaterThanOrEqual(30);
    expect(tCases.some(c => c.x.length === 3 && c.y.length === 57)).toBe(true);
    expect(tCases.some(c => c.name.startsWith('rounded'))).toBe(true);
    expect(tCases.filter(c => c.name.includes('constant')).length).toBeGreaterThanOrEqual(5);
    expect(tCases.some(c => c.pValue < 1e-30)).toBe(true);
  });

  it.each(tCases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const r = studentTTest(c.x, c.y);
    if (c.statistic === null) expect(r.statistic).toBe(Math.sign(c.difference) * Infinity);
    else expectClose(r.statistic, c.statistic);
    expectClose(r.pValue, c.pValue);
    expect(r.df).toBe(c.df);
    expectClose(r.difference, c.difference);
    expect(r.method).toBe('normal');
  });

  it.each([
    [[], [1, 2], /studentTTest: x needs at least 1 value, got 0/],
    [[1], [2], /studentTTest: needs at least 3 values in all, got 1 \+ 1/],
    [[1, 2], [3, Infinity], /studentTTest: y\[1\] is Infinity/]
  ])('rejects %p vs %p', (x, y, message) => {
    expect(() => studentTTest(x, y)).toThrow(RangeError);
    expect(() => studentTTest(x, y)).toThrow(message);
  });

  it('treats a constant 0.1 as exactly constant (no variance from rounding)', () => {
    expect(studentTTest([0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1]).pValue).toBe(1);
  });
});

describe('eDivisiveCandidate against a brute-force Q̂ (Matteson & James 2014)', () => {
  it.each(qCases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const sums = pairwiseSums(c.z, 0, c.z.length);
    const best = eDivisiveCandidate(sums, c.start, c.end, c.minSegment);
    expect(best?.index).toBe(c.index);
    expectClose(best?.qhat ?? NaN, c.qhat);
    // The same from sums over just the segment's window.
    expect(eDivisiveCandidate(pairwiseSums(c.z, c.start, c.end), c.start, c.end, c.minSegment)).toEqual(
      expect.objectContaining({ index: c.index })
    );
  });

  it('has no candidate in a segment shorter than 2·minSegment', () => {
    expect(eDivisiveCandidate(pairwiseSums([1, 2, 3, 4, 5], 0, 5), 0, 5, 3)).toBeUndefined();
  });
});

/** n points of mean `level(i)` with normal noise of coefficient of variation `cv`. */
function series(random: () => number, n: number, level: (i: number) => number, cv = 0.03): number[] {
  return Array.from({ length: n }, (_, i) => level(i) * (1 + cv * gauss(random)));
}
const near = (points: readonly ChangePoint[], index: number) =>
  points.find(p => Math.abs(p.index - index) <= 2);

/** Detection over `runs` series of 60 points with a step of `shift` at a random index in [15, 45]. */
function simulate(seed: number, runs: number, shift: number, options?: ChangePointOptions) {
  const random = seededRandom(seed);
  let any = 0;
  let found = 0;
  const changes: number[] = [];
  let smallest = Infinity;
  for (let r = 0; r < runs; r++) {
    const at = 15 + Math.floor(random() * 31);
    const points = changePoints(
      series(random, 60, i => (i >= at ? 100 * (1 + shift) : 100)),
      options
    );
    if (points.length > 0) any++;
    const hit = near(points, at);
    if (hit) {
      found++;
      changes.push(hit.change);
    }
    points.forEach(p => (smallest = Math.min(smallest, Math.abs(p.change))));
  }
  /** smallest: the smallest |change| reported in any series. */
  return { anyRate: any / runs, detectionRate: found / runs, changes, smallest };
}

describe('changePoints on synthetic series (60 points, normal noise, CV 3 %)', () => {
  const noise = simulate(1, 200, 0);
  const planted = simulate(2, 200, 0.1);

  it('reports the rates', () => {
    console.log(
      `changePoints, 200 series each: false change point rate on noise only ${(100 * noise.anyRate).toFixed(1)} %, ` +
        `detection rate of a +10 % shift (±2 points) ${(100 * planted.detectionRate).toFixed(1)} %`
    );
  });

  it('finds a change point in at most 5 % of noise-only series', () => {
    expect(noise.anyRate).toBeLessThanOrEqual(0.05);
    expect(noise.smallest).toBeGreaterThanOrEqual(0.05);
  });

  it('finds a +10 % shift within ±2 points of where it was planted in at least 90 % of series', () => {
    expect(planted.detectionRate).toBeGreaterThanOrEqual(0.9);
    expect(planted.smallest).toBeGreaterThanOrEqual(0.05);
    planted.changes.forEach(change => expect(change).toBeGreaterThan(0.05));
    planted.changes.forEach(change => expect(change).toBeLessThan(0.15));
  });

  it('does not report a +3 % shift (below the 5 % minimum magnitude)', () => {
    const small = simulate(3, 200, 0.03);
    expect(small.detectionRate).toBeLessThanOrEqual(0.05);
    expect(small.smallest).toBeGreaterThanOrEqual(0.05);
  });

  it('finds a −10 % shift with a negative change', () => {
    const down = simulate(4, 100, -0.1);
    expect(down.detectionRate).toBeGreaterThanOrEqual(0.9);
    down.changes.forEach(change => expect(change).toBeLessThan(-0.05));
  });

  it('finds both of two planted shifts (+10 % at 30, −12 % at 60 of 90 points)', () => {
    const random = seededRandom(5);
    let both = 0;
    for (let r = 0; r < 100; r++) {
      const points = changePoints(series(random, 90, i => (i < 30 ? 100 : i < 60 ? 110 : 96.8)));
      if ((near(points, 30)?.change ?? 0) > 0 && (near(points, 60)?.change ?? 0) < 0) both++;
    }
    expect(both).toBeGreaterThanOrEqual(90);
  });

  it('finds four shifts in 1000 points, and nothing else', () => {
    const levels = [100, 110, 99, 120, 128];
    const points = changePoints(series(seededRandom(6), 1000, i => levels[Math.floor(i / 200)]!));
    expect(points).toHaveLength(4);
    points.forEach((p, k) => expect(Math.abs(p.index - 200 * (k + 1))).toBeLessThanOrEqual(2));
  });
});

describe('changePoints: the magnitude and significance criteria', () => {
  const low = (shift: number) => series(seededRandom(7), 60, i => (i >= 30 ? 100 * (1 + shift) : 100), 0.003);

  it('rejects a clear +3 % shift by its magnitude alone', () => {
    expect(changePoints(low(0.03))).toEqual([]);
    const [point, ...rest] = changePoints(low(0.03), { minMagnitude: 0.02 });
    expect(rest).toEqual([]);
    expect(point).toMatchObject({ index: 30 });
    expect(point!.pValue).toBeLessThan(1e-20);
    expect(point!.change).toBeCloseTo(0.03, 2);
  });

  it('measures the change from the mean before (a 4.8 % drop does not pass 5 %, as it would in Otava)', () => {
    expect(changePoints(low(-0.048))).toEqual([]);
    expect(changePoints(low(-0.048), { minMagnitude: 0.045 })).toHaveLength(1);
  });

  it('reports the means of the segments between neighbouring change points', () => {
    const steps = [...Array(10).fill(5), ...Array(10).fill(6), ...Array(10).fill(3)] as number[];
    expect(changePoints(steps)).toEqual([
      { index: 10, before: 5, after: 6, change: 0.2, pValue: 0 },
      { index: 20, before: 6, after: 3, change: -0.5, pValue: 0 }
    ]);
  });

  it('gives an infinite change when the mean before is 0', () => {
    expect(changePoints([0, 0, 0, 0, 2, 2, 2, 2])).toEqual([
      { index: 4, before: 0, after: 2, change: Infinity, pValue: 0 }
    ]);
  });

  it('finds nothing in a constant series', () => {
    expect(changePoints(Array(100).fill(42) as number[])).toEqual([]);
  });
});

describe('changePoints: short series and bad input', () => {
  it.each([
    [[], {}],
    [[1, 1, 100, 100, 100], {}],
    [[1, 1, 1, 100, 100, 100, 100], { minSegment: 4 }]
  ])('gives none for %p (shorter than 2·minSegment)', (xs, options) => {
    expect(changePoints(xs, options)).toEqual([]);
  });

  it('finds a step in a series of exactly 2·minSegment points', () => {
    expect(changePoints([1, 1, 1, 100, 100, 100]).map(p => p.index)).toEqual([3]);
  });

  it.each([
    [[1, 2, Number.NaN, 4], /changePoints: series\[2\] is NaN/],
    [[1, Infinity], /changePoints: series\[1\] is Infinity/],
    [[-Infinity], /changePoints: series\[0\] is -Infinity/]
  ])('rejects %p', (xs, message) => {
    expect(() => changePoints(xs)).toThrow(RangeError);
    expect(() => changePoints(xs)).toThrow(message);
  });

  it.each([
    [{ maxPValue: 0 }, /changePoints: maxPValue must be in \(0, 1\]/],
    [{ maxPValue: Number.NaN }, /changePoints: maxPValue/],
    [{ minMagnitude: -0.1 }, /changePoints: minMagnitude must be a finite number ≥ 0/],
    [{ minSegment: 1 }, /changePoints: minSegment must be an integer ≥ 2/],
    [{ minSegment: 2.5 }, /changePoints: minSegment/],
    [{ window: 5 }, /changePoints: window must be an integer ≥ 2·minSegment \(6\)/]
  ])('rejects the options %p', (options, message) => {
    expect(() => changePoints([1, 2, 3], options)).toThrow(message);
  });
});

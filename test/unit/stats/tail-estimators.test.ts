import { readFileSync } from 'node:fs';
import {
  harrellDavisBuckets,
  harrellDavisGrouped,
  harrellDavisSorted
} from '../../../src/stats/harrell-davis.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  histogramBuckets,
  percentileMs
} from '../../../src/stats/histogram.js';
import { tailEstimateMs } from '../../../src/stats/tail-estimate.js';
import { tailMeanBuckets, tailMeanGrouped, tailMeanSorted } from '../../../src/stats/tail-mean.js';

/** Reference values from SciPy's hdquantiles and a NumPy tail mean: see scripts/hd-fixtures.py. */
interface Case {
  name: string;
  n: number;
  /** Every value below 2048 µs: the histogram's buckets are one microsecond wide. */
  exact: boolean;
  /** [value µs, count], ascending. */
  values: Array<[number, number]>;
  q: number[];
  harrellDavis: Array<number | null>;
  tailMean: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/tail-estimators.json', import.meta.url), 'utf8')
) as { generator: { command: string }; cases: Case[] };

const grouped = (c: Case) => ({
  value: c.values.map(([v]) => v),
  count: c.values.map(([, k]) => k),
  cum: c.values.reduce<number[]>((acc, [, k]) => [...acc, (acc.at(-1) ?? 0) + k], [])
});

function histogramOf(c: Case) {
  const h = createHistogram();
  for (const [v, k] of c.values) h.recordValueWithCount(v, k);
  // Through the encoding a result file keeps, as the comparison reads it.
  return decodeHistogram(encodeHistogram(h));
}

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

/** Where SciPy gives NaN (n < 2) perfgate gives the one value: the Beta's whole mass is on it. */
const hdExpected = (c: Case, i: number) => c.harrellDavis[i] ?? c.values[0]![0];

describe('Harrell–Davis against scipy.stats.mstats.hdquantiles', () => {
  it('covers small, tied and bimodal samples and millions of values', () => {
    expect(fixture.generator.command).toBe('python3 scripts/hd-fixtures.py');
    expect(fixture.cases.some(c => c.n === 1 && c.harrellDavis[0] === null)).toBe(true);
    expect(fixture.cases.some(c => c.n >= 1_000_000 && c.exact)).toBe(true);
    expect(fixture.cases.some(c => c.n >= 100_000 && !c.exact)).toBe(true);
    expect(fixture.cases.some(c => c.values.length < c.n / 10 && c.n < 100)).toBe(true);
  });

  it.each(fixture.cases.map(c => [c.name, c] as const))('%s: raw order statistics', (_, c) => {
    const g = grouped(c);
    c.q.forEach((q, i) => expectRelative(harrellDavisGrouped(g.value, g.cum, q), hdExpected(c, i), 1e-9));
    if (c.n <= 1000) {
      const sorted = c.values.flatMap(([v, k]) => Array<number>(k).fill(v));
      c.q.forEach((q, i) => expectRelative(harrellDavisSorted(sorted, q), hdExpected(c, i), 1e-9));
    }
  });

  it.each(fixture.cases.map(c => [c.name, c] as const))(
    '%s: on the HDR histogram, within its precision',
    (_, c) => {
      const b = histogramBuckets(histogramOf(c));
      expect(b.total).toBe(c.n);
      // One-microsecond buckets hold the raw values exactly; wider ones are < 0.1 % of their value.
      const tolerance = c.exact ? 1e-9 : 1e-3;
      c.q.forEach((q, i) => expectRelative(harrellDavisBuckets(b, q), hdExpected(c, i), tolerance));
    }
  );

  it('gives the extremes at q = 0 and q = 1, NaN when empty, and refuses q outside [0, 1]', () => {
    expect(harrellDavisSorted([3, 5, 9], 0)).toBe(3);
    expect(harrellDavisSorted([3, 5, 9], 1)).toBe(9);
    expect(harrellDavisSorted([], 0.5)).toBeNaN();
    expect(() => harrellDavisSorted([1, 2], 1.5)).toThrow(RangeError);
    expect(() => harrellDavisSorted([1, 2], NaN)).toThrow(RangeError);
  });

  it('weighs the neighbours of the order statistic: the estimate moves with the values near p99', () => {
    // 1000 values 1..1000: the plain p99 is the 990th; HD averages around rank 991 (= 0.99 · 1001).
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    const hd = harrellDavisSorted(sorted, 0.99);
    expect(hd).toBeGreaterThan(988);
    expect(hd).toBeLessThan(993);
    const bump = (from: number) => [...sorted.slice(0, from), ...sorted.slice(from).map(v => v + 100)];
    // The Beta's sd is about 3 ranks: raising ranks 976 up moves the estimate by nearly all of it …
    expect(harrellDavisSorted(bump(975), 0.99) - hd).toBeGreaterThan(99);
    // … and raising ranks 996 up (where the plain p99, rank 990, does not look) still moves it.
    expect(harrellDavisSorted(bump(995), 0.99) - hd).toBeGreaterThan(1);
    expect(harrellDavisSorted(bump(995), 0.99) - hd).toBeLessThan(20);
  });
});

describe('tail mean against a NumPy reference', () => {
  it.each(fixture.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const g = grouped(c);
    c.q.forEach((q, i) => expectRelative(tailMeanGrouped(g.value, g.count, q), c.tailMean[i]!, 1e-12));
    if (c.n <= 1000) {
      const sorted = c.values.flatMap(([v, k]) => Array<number>(k).fill(v));
      c.q.forEach((q, i) => expectRelative(tailMeanSorted(sorted, q), c.tailMean[i]!, 1e-12));
    }
    const b = histogramBuckets(histogramOf(c));
    c.q.forEach((q, i) => expectRelative(tailMeanBuckets(b, q), c.tailMean[i]!, c.exact ? 1e-12 : 1e-3));
  });

  it('is the largest value when less than one value lies in the tail, NaN when empty', () => {
    expect(tailMeanSorted([1, 2, 30], 0.99)).toBe(30);
    expect(tailMeanSorted([1, 2, 30], 1)).toBe(30);
    expect(tailMeanSorted([], 0.99)).toBeNaN();
    expect(() => tailMeanSorted([1], -0.1)).toThrow(RangeError);
  });
});

describe('tailEstimateMs: the per-trial estimate a comparison uses', () => {
  const h = createHistogram();
  // 1000 requests: 990 at 1 ms, 10 at 5..14 ms.
  h.recordValueWithCount(1000, 990);
  for (let i = 0; i < 10; i++) h.recordValue(5000 + 1000 * i);

  it('hdr is the histogram percentile, unchanged', () => {
    expect(tailEstimateMs(h, 99, 'hdr')).toBe(percentileMs(h, 99));
    expect(tailEstimateMs(h, 99, 'hdr')).toBe(1);
  });

  it('tail-mean is the mean of the slowest 1 %, in ms', () => {
    expect(tailEstimateMs(h, 99, 'tail-mean')).toBeCloseTo(9.5, 2);
  });

  it('harrell-davis lies between the p99 and the slow values, in ms', () => {
    const hd = tailEstimateMs(h, 99, 'harrell-davis');
    expect(hd).toBeCloseTo(harrellDavisBuckets(histogramBuckets(h), 0.99) / 1000, 12);
    expect(hd).toBeGreaterThan(1);
    expect(hd).toBeLessThan(5);
  });

  it('is 0 for an empty histogram, as percentileMs', () => {
    expect(tailEstimateMs(createHistogram(), 99, 'harrell-davis')).toBe(0);
    expect(tailEstimateMs(createHistogram(), 99, 'tail-mean')).toBe(0);
    expect(() => tailEstimateMs(h, 101, 'hdr')).toThrow(RangeError);
  });
});

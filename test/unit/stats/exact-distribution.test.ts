import { mannWhitneyDistribution, subsetSumDistribution } from '../../../src/stats/exact-distribution.js';
import { midRanks } from '../../../src/stats/ranks.js';

/** Brute force: every subset of the weights, every split of m + n ranks — independent of the algorithms. */
function subsetSums(weights: number[]): number[] {
  return Array.from({ length: 2 ** weights.length }, (_, mask) =>
    weights.reduce((s, w, i) => (mask & (1 << i) ? s + w : s), 0)
  );
}
function mannWhitneyUs(m: number, n: number): number[] {
  const out: number[] = [];
  for (let mask = 0; mask < 2 ** (m + n); mask++) {
    const bits = [...Array(m + n).keys()].map(i => (mask >> i) & 1);
    if (bits.reduce((a, b) => a + b, 0) !== m) continue;
    // U = number of (x, y) pairs with x above y, x at the positions with bit 1.
    out.push(bits.reduce((u, b, i) => (b ? u + bits.slice(0, i).filter(v => v === 0).length : u), 0));
  }
  return out;
}
const share = (values: number[], pred: (v: number) => boolean) => values.filter(pred).length / values.length;

describe('exact null distributions against enumeration', () => {
  it.each([[[2, 4, 6, 8, 10]], [[1, 2, 3, 4, 5, 6, 7]], [[3, 3, 6, 9, 9, 9]], [[5]]])(
    'subset sums of %p',
    w => {
      const d = subsetSumDistribution(w);
      const all = subsetSums(w);
      for (let k = -1; k <= all.length + 1; k++) {
        expect(d.cdf(k)).toBe(share(all, v => v <= k));
        expect(d.sf(k)).toBe(share(all, v => v >= k));
      }
    }
  );

  it.each([
    [1, 1],
    [1, 4],
    [3, 3],
    [2, 7],
    [5, 4],
    [4, 6]
  ])('Mann–Whitney U for %i vs %i', (m, n) => {
    const d = mannWhitneyDistribution(m, n);
    const all = mannWhitneyUs(m, n);
    for (let k = -1; k <= m * n + 1; k++) {
      expect(d.cdf(k)).toBeCloseTo(
        share(all, v => v <= k),
        15
      );
      expect(d.sf(k)).toBeCloseTo(
        share(all, v => v >= k),
        15
      );
    }
  });
});

describe('midRanks', () => {
  it('averages tied ranks and sums t³ − t', () => {
    expect(midRanks([3, 2, 1, 2, 2, 2, 1])).toEqual({
      ranks: [7, 4.5, 1.5, 4.5, 4.5, 4.5, 1.5],
      tieTerm: 6 + 60
    });
  });
});

import { buildMixSequence, integerShares, MAX_SEQUENCE_LENGTH } from '../../../src/load/mix.js';

const counts = (seq: number[], n: number) =>
  Array.from({ length: n }, (_, i) => seq.filter(x => x === i).length);

describe('integerShares', () => {
  it.each([
    [[1], [1]],
    [
      [1, 2],
      [1, 2]
    ],
    [
      [2, 4],
      [1, 2]
    ],
    [
      [3, 1],
      [3, 1]
    ],
    [
      [5, 5, 5],
      [1, 1, 1]
    ],
    [
      [0.5, 1.5],
      [1, 3]
    ],
    [
      [0.25, 0.75],
      [1, 3]
    ],
    [
      [1.1, 2.2],
      [1, 2]
    ],
    [
      [10, 20, 70],
      [1, 2, 7]
    ]
  ])('%j → %j', (weights, shares) => expect(integerShares(weights)).toEqual(shares));

  it('approximates weights that have no small integer form within the bounded length', () => {
    const weights = [1, Math.PI, Math.E];
    const shares = integerShares(weights);
    const total = shares.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(MAX_SEQUENCE_LENGTH);
    const wsum = weights.reduce((a, b) => a + b, 0);
    shares.forEach((s, i) => expect(Math.abs(s / total - weights[i]! / wsum)).toBeLessThan(0.002));
  });

  it('keeps every request in the mix, however small its weight', () => {
    const shares = integerShares([1e-6, 1], 100);
    expect(shares[0]).toBeGreaterThanOrEqual(1);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
  });

  it('falls back to apportioning when exact integers would be too long', () => {
    expect(integerShares([1, 2000])).toHaveLength(2);
    expect(integerShares([1, 2000]).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_SEQUENCE_LENGTH);
  });

  it.each([[[]], [[0, 1]], [[-1]], [[Number.NaN]], [[Infinity]]])('rejects %j', weights =>
    expect(() => integerShares(weights)).toThrow()
  );
});

describe('buildMixSequence (smooth weighted round-robin)', () => {
  it.each([
    [[1], [0]],
    [
      [1, 1],
      [0, 1]
    ],
    [
      [1, 2],
      [1, 0, 1]
    ],
    [
      [3, 1],
      [0, 0, 1, 0]
    ],
    [
      [1, 1, 2],
      [2, 0, 1, 2]
    ],
    [
      [5, 1, 1],
      [0, 0, 1, 0, 2, 0, 0]
    ]
  ])('%j → %j', (weights, seq) => expect(buildMixSequence(weights)).toEqual(seq));

  it('holds each request exactly its share, interleaved: no run longer than needed', () => {
    const seq = buildMixSequence([1, 4]);
    expect(counts(seq, 2)).toEqual([1, 4]);
    const seq2 = buildMixSequence([1, 1, 1, 1]);
    for (let i = 1; i < seq2.length; i++) expect(seq2[i]).not.toBe(seq2[i - 1]);
  });

  it('is close to the weights in every prefix (short trials cut cycles short)', () => {
    const weights = [1, 2, 7];
    const seq = buildMixSequence(weights);
    const total = 10;
    for (let n = 1; n <= seq.length; n++) {
      const c = counts(seq.slice(0, n), 3);
      c.forEach((k, i) => expect(Math.abs(k - (n * weights[i]!) / total)).toBeLessThan(1));
    }
  });
});

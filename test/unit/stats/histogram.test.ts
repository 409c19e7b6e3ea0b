import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_US,
  mergeHistograms,
  percentileMs,
  recordMs,
  summarizeLatency,
  toMicros
} from '../../../src/stats/histogram.js';

/** Deterministic pseudo-random latencies in ms (log-normal-ish, 0.05 ms .. a few s). */
function latencies(n: number, seed: number): number[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => 0.05 * Math.exp(8 * next() * next()));
}

function recorded(values: number[]) {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return h;
}

describe('toMicros', () => {
  it.each([
    [0.25, 250],
    [1, 1000],
    [20.0004, 20000],
    [0.0004, 1], // below 1 µs still counts as 1 µs, never 0
    [0, 1],
    [-3, 1],
    [Number.NaN, 1],
    [10 * 3_600_000, HIGHEST_US] // clamped to one hour
  ])('%p ms → %p µs', (ms, us) => expect(toMicros(ms)).toBe(us));
});

describe('µs precision', () => {
  it('reads a 250 µs response as 0.25 ms, not 0', () => {
    const h = recorded([0.25]);
    expect(summarizeLatency(h)).toEqual({
      min: 0.25,
      mean: 0.25,
      stdev: 0,
      p50: 0.25,
      p90: 0.25,
      p95: 0.25,
      p99: 0.25,
      p999: 0.25,
      max: 0.25
    });
  });

  it('keeps 3 significant digits at larger values (20 ms reads 20.0xx ms)', () => {
    const p50 = percentileMs(recorded([20]), 50);
    expect(p50).toBeGreaterThanOrEqual(20);
    expect(p50).toBeLessThan(20 * 1.001);
  });

  it('orders the summary: min ≤ p50 ≤ p90 ≤ p95 ≤ p99 ≤ p999 ≤ max', () => {
    const s = summarizeLatency(recorded(latencies(5000, 7)));
    const seq = [s.min, s.p50, s.p90, s.p95, s.p99, s.p999, s.max];
    expect([...seq].sort((a, b) => a - b)).toEqual(seq);
    expect(s.mean).toBeGreaterThan(s.min);
    expect(s.stdev).toBeGreaterThan(0);
  });
});

describe('encode / decode', () => {
  it('round-trips counts, percentiles and extremes', () => {
    const h = recorded(latencies(2000, 1));
    const d = decodeHistogram(encodeHistogram(h));
    expect(d.totalCount).toBe(2000);
    expect(summarizeLatency(d)).toEqual(summarizeLatency(h));
    for (const p of [1, 25, 50, 75, 90, 99, 99.9, 100]) expect(percentileMs(d, p)).toBe(percentileMs(h, p));
  });

  it('encodes to compact base64', () => {
    const s = encodeHistogram(recorded(latencies(10_000, 3)));
    expect(s).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(s.length).toBeLessThan(4000);
  });

  it('treats an empty string as an empty histogram, and rejects garbage', () => {
    expect(decodeHistogram('').totalCount).toBe(0);
    expect(() => decodeHistogram('not a histogram')).toThrow(/not an encoded HDR histogram/);
  });

  it('summarizes an empty histogram as zeros', () => {
    const d = decodeHistogram(encodeHistogram(createHistogram()));
    expect(d.totalCount).toBe(0);
    expect(Object.values(summarizeLatency(d))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(percentileMs(d, 99)).toBe(0);
  });
});

describe('mergeHistograms', () => {
  it('is exact: the merge equals recording every value into one histogram', () => {
    const parts = [latencies(3000, 11), latencies(500, 12), latencies(1, 13), latencies(7000, 14)];
    const merged = mergeHistograms(parts.map(p => encodeHistogram(recorded(p))));
    const one = recorded(parts.flat());
    expect(merged.totalCount).toBe(one.totalCount);
    expect(encodeHistogram(merged)).toBe(encodeHistogram(one));
    expect(summarizeLatency(merged)).toEqual(summarizeLatency(one));
    for (const p of [0, 10, 50, 90, 95, 99, 99.9, 99.99, 100])
      expect(percentileMs(merged, p)).toBe(percentileMs(one, p));
  });

  it('merges nothing into an empty histogram and skips empty parts', () => {
    expect(mergeHistograms([]).totalCount).toBe(0);
    const h = recorded([1, 2, 3]);
    expect(mergeHistograms(['', encodeHistogram(h), encodeHistogram(createHistogram())]).totalCount).toBe(3);
  });

  it('shifts percentiles as the mix of parts says (fast part + slow part)', () => {
    const fast = encodeHistogram(recorded(Array.from({ length: 900 }, () => 1)));
    const slow = encodeHistogram(recorded(Array.from({ length: 100 }, () => 100)));
    const m = mergeHistograms([fast, slow]);
    expect(percentileMs(m, 50)).toBe(1);
    expect(percentileMs(m, 90)).toBe(1);
    expect(percentileMs(m, 91)).toBeCloseTo(100, 0);
  });
});

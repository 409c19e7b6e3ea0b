/**
 * HDR histogram helpers (hdr-histogram-js, plain JS, no WebAssembly, so that ncc bundles it as is).
 * Values are response times in integer microseconds, 1 µs .. 1 h, 3 significant digits (relative
 * error ≤ 0.1 %); summaries are in milliseconds with microsecond resolution. Pure.
 * Method: Gil Tene's HdrHistogram (HdrHistogram/HdrHistogram, V2 compressed encoding), so merging
 * encoded histograms from several trials or shards is exact.
 */
// Named imports: the package is CommonJS flagged `__esModule`, so a default import is undefined
// once ncc bundles it.
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram
} from 'hdr-histogram-js';
import type { LatencySummary } from '../model.js';

export type { Histogram };

/** Lowest recordable value: 1 µs. */
export const LOWEST_US = 1;
/** Highest recordable value: one hour in µs; larger values are clamped to it. */
export const HIGHEST_US = 3_600_000_000;
const DIGITS = 3;
/** 64-bit (float) counts: exact to 2^53 per bucket, so merging many long trials cannot overflow. */
const BUCKET_BITS = 64;

/** An empty histogram for response times in microseconds. */
export function createHistogram(): Histogram {
  return build({
    bitBucketSize: BUCKET_BITS,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: DIGITS,
    useWebAssembly: false
  });
}

/** Records a response time given in milliseconds (float) as whole microseconds, clamped to the range. */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(toMicros(ms));
}

/** Milliseconds → integer microseconds within [1 µs, 1 h] (a 0.2 µs response still counts as 1 µs). */
export function toMicros(ms: number): number {
  const us = Math.round(ms * 1000);
  if (!(us >= LOWEST_US)) return LOWEST_US; // also catches NaN
  return us > HIGHEST_US ? HIGHEST_US : us;
}

/** HdrHistogram V2 compressed encoding, base64 (the form kept in `RequestMetrics.histogram`). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Inverse of `encodeHistogram`. An empty string decodes to an empty histogram. */
export function decodeHistogram(encoded: string): Histogram {
  if (encoded === '') return createHistogram();
  try {
    return decodeFromCompressedBase64(encoded, BUCKET_BITS, false);
  } catch (err) {
    throw new Error(`not an encoded HDR histogram (${err instanceof Error ? err.message : String(err)})`, {
      cause: err
    });
  }
}

/** Exact merge: the counts of every bucket summed, as if all values had been recorded into one. */
export function mergeHistograms(encoded: string[]): Histogram {
  const merged = createHistogram();
  for (const e of encoded) merged.add(decodeHistogram(e));
  return merged;
}

/** Value at percentile `p` (0..100) in milliseconds; 0 for an empty histogram. */
export function percentileMs(h: Histogram, p: number): number {
  if (h.totalCount === 0) return 0;
  return h.getValueAtPercentile(p) / 1000;
}

/**
 * min, mean, stdev, p50…p99.9 and max in milliseconds, read from the buckets alone, so a summary
 * is the same before and after encoding or merging: percentiles and max are the highest value
 * equivalent to their bucket, min the lowest (HdrHistogram's convention; exact below 2.048 ms,
 * within 0.1 % above); mean and stdev are rounded to 1 µs. All zero for an empty histogram.
 */
export function summarizeLatency(h: Histogram): LatencySummary {
  if (h.totalCount === 0)
    return { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    min: h.getValueAtPercentile(0) / 1000,
    mean: Math.round(h.mean) / 1000,
    stdev: Math.round(h.stdDeviation) / 1000,
    p50: percentileMs(h, 50),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    p999: percentileMs(h, 99.9),
    max: percentileMs(h, 100)
  };
}

/**
 * The non-empty buckets of a histogram in ascending order: each bucket's value range
 * [`low`, `high`] (integer µs; one value wide below 2.048 ms, at most 0.1 % of the value above) and
 * its count. The raw form the tail estimators (stats/tail-estimate.ts) and the pooled bootstrap
 * (stats/pooled-bootstrap.ts) read, since hdr-histogram-js's public type offers percentiles only.
 */
export interface Buckets {
  low: Float64Array;
  high: Float64Array;
  count: Float64Array;
  /** Sum of `count`. */
  total: number;
}

/** What the plain-JS histograms (`useWebAssembly: false`) have beyond the public interface. */
interface JsBuckets {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
}

/** The non-empty buckets of `h` (see `Buckets`). */
export function histogramBuckets(h: Histogram): Buckets {
  const js = h as unknown as Partial<JsBuckets>;
  if (typeof js.getCountAtIndex !== 'function' || typeof js.countsArrayLength !== 'number') {
    throw new Error('histogramBuckets needs a plain-JS HDR histogram (createHistogram or decodeHistogram)');
  }
  const b = js as JsBuckets;
  const low: number[] = [];
  const high: number[] = [];
  const count: number[] = [];
  let total = 0;
  for (let i = 0; i < b.countsArrayLength; i++) {
    const c = b.getCountAtIndex(i);
    if (c <= 0) continue;
    const v = b.valueFromIndex(i);
    low.push(b.lowestEquivalentValue(v));
    high.push(b.highestEquivalentValue(v));
    count.push(c);
    total += c;
  }
  return {
    low: Float64Array.from(low),
    high: Float64Array.from(high),
    count: Float64Array.from(count),
    total
  };
}

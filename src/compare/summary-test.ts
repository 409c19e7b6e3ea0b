/**
 * Comparisons of a series whose sides are known only by summaries (SPEC §4, an imported file with a
 * mean and its spread but no samples): Welch's t-test from the summaries, one-sided in each
 * direction, with the relative change of the means and its interval; and the comparison of two single
 * values, which has no test at all — the verdict stage decides it by δ and the stored history alone.
 */
import type { SeriesSummary } from '../model.js';
import { phiInverse } from '../stats/normal.js';
import { welchFromStats } from '../stats/welch.js';
import { directions, type ChangeTest } from './change-test.js';

/** Welch's t-test of the means; the change is ln(mean_head / mean_base), its interval from the difference's. */
export function summaryTest(
  head: SeriesSummary,
  base: SeriesSummary,
  better: 'lower' | 'higher',
  level: number
): ChangeTest {
  const x = { mean: head.mean, sd: head.stdev, n: head.n };
  const y = { mean: base.mean, sd: base.stdev, n: base.n };
  const alt = directions(better);
  const worse = welchFromStats(x, y, alt.worse);
  const twoSided = welchFromStats(x, y, 'two-sided', level).interval;
  // The difference's interval as a relative change of the base's mean; below −100 % it is unbounded.
  const rel = (d: number) => (base.mean + d > 0 ? Math.log((base.mean + d) / base.mean) : -Infinity);
  const n = Math.min(head.n, base.n);
  return {
    test: 'welch-t',
    samples: n,
    pWorse: worse.pValue,
    pBetter: welchFromStats(x, y, alt.better).pValue,
    method: 'normal',
    estimate: Math.log(head.mean / base.mean),
    interval: [rel(twoSided.lower), rel(twoSided.upper)],
    minP: 0,
    needed: p => {
      // The t statistic grows like √n: the size at which it would reach the one-sided quantile.
      const t = Math.abs(worse.statistic);
      const count = t > 0 ? Math.ceil(n * (phiInverse(1 - p) / t) ** 2) : 2 * n;
      return { count, text: `about ${count} measurements per side to reach significance, has ${n}` };
    },
    // A change r of the head's mean (its spread kept) is called either way once |r|·mean_base
    // exceeds t(1 − p, df)·se: the distance from the difference to its one-sided 1 − p bound.
    detectable: p => {
      const { difference, interval } = welchFromStats(x, y, 'greater', 1 - p);
      const r = (difference - interval.lower) / base.mean;
      return { up: r, down: r };
    }
  };
}

/** Two single values: the change, and no test (the verdict stage decides by δ and history). */
export function singleValueTest(head: number, base: number): ChangeTest {
  const estimate = Math.log(head / base);
  return {
    test: 'single-value',
    samples: 1,
    pWorse: Number.NaN,
    pBetter: Number.NaN,
    method: 'exact',
    estimate,
    interval: [estimate, estimate],
    minP: Number.NaN,
    needed: () => ({ count: 0, text: 'a single value has no spread to test' }),
    detectable: () => ({ up: Number.NaN, down: Number.NaN })
  };
}

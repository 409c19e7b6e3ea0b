/**
 * Unpaired comparison of one metric against a stored baseline (SPEC §5): the per-trial values of
 * each side on the log scale, the one-sided Mann–Whitney U test in each direction, and the
 * Hodges–Lehmann shift of the logs (the median of all ln(head_i / base_j)) with its interval.
 */
import { hodgesLehmannShift, hodgesLehmannShiftInterval } from '../stats/hodges-lehmann-shift.js';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import { boundsLevel, directions, shiftDetectable, type ChangeTest } from './change-test.js';

export function unpairedTest(
  head: number[],
  base: number[],
  better: 'lower' | 'higher',
  level: number
): ChangeTest {
  const x = head.map(Math.log);
  const y = base.map(Math.log);
  const alt = directions(better);
  const tWorse = mannWhitneyU(x, y, alt.worse);
  const ci = hodgesLehmannShiftInterval(x, y, level);
  const estimate = hodgesLehmannShift(x, y);
  return {
    test: 'mann-whitney-u',
    samples: Math.min(x.length, y.length),
    pWorse: tWorse.pValue,
    pBetter: mannWhitneyU(x, y, alt.better).pValue,
    method: tWorse.method,
    estimate,
    interval: [ci.lower, ci.upper],
    // Every head value beyond every base value is the most extreme outcome: p = 1 / C(n + m, n).
    minP: 1 / binomial(x.length + y.length, x.length),
    needed: p => {
      let k = 1;
      while (1 / binomial(2 * k, k) >= p) k++;
      return {
        count: k,
        text: `at least ${k} valid samples per side to reach significance, has ${x.length} (head) and ${y.length} (base)`
      };
    },
    detectable: p => {
      const bounds = hodgesLehmannShiftInterval(x, y, boundsLevel(p));
      return shiftDetectable(estimate, bounds.lower, bounds.upper);
    }
  };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * Paired comparison of one metric (SPEC §5): d = ln(head / base) per pair (series.ts `pairs`), the one-sided
 * Wilcoxon signed-rank test in each direction, and the Hodges–Lehmann estimate of the change with
 * its distribution-free confidence interval. Log ratios make the change relative and symmetric.
 */
import { hodgesLehmann, hodgesLehmannInterval } from '../stats/hodges-lehmann.js';
import { wilcoxonSignedRank } from '../stats/signed-rank.js';
import { boundsLevel, directions, shiftDetectable, type ChangeTest } from './change-test.js';

/** Tests and estimates the paired change; `level` is the confidence level of the interval. */
export function pairedTest(d: number[], better: 'lower' | 'higher', level: number): ChangeTest {
  const alt = directions(better);
  const tWorse = wilcoxonSignedRank(d, alt.worse);
  const ci = hodgesLehmannInterval(d, level);
  const estimate = hodgesLehmann(d);
  return {
    test: 'wilcoxon-signed-rank',
    samples: d.length,
    pWorse: tWorse.pValue,
    pBetter: wilcoxonSignedRank(d, alt.better).pValue,
    method: tWorse.method,
    estimate,
    interval: [ci.lower, ci.upper],
    // All n signs alike is the most extreme outcome: p = 2^-n.
    minP: 2 ** -d.length,
    needed: p => {
      const count = Math.floor(Math.log2(1 / p)) + 1;
      return { count, text: `at least ${count} valid pairs to reach significance, has ${d.length}` };
    },
    detectable: p => {
      const bounds = hodgesLehmannInterval(d, boundsLevel(p));
      return shiftDetectable(estimate, bounds.lower, bounds.upper);
    }
  };
}

/**
 * Paired comparison of one metric (SPEC §5): d = ln(head / base) per valid trial pair, the one-sided
 * Wilcoxon signed-rank test in each direction, and the Hodges–Lehmann estimate of the change with
 * its distribution-free confidence interval. Log ratios make the change relative and symmetric.
 */
import type { ProfileResult, TrialResult } from '../model.js';
import { hodgesLehmann, hodgesLehmannInterval } from '../stats/hodges-lehmann.js';
import { wilcoxonSignedRank } from '../stats/signed-rank.js';
import { directions, type ChangeTest } from './change-test.js';
import { trialValue, type CompareMetric } from './metric-value.js';

/** The metric's values over the pairs where both trials are valid and positive, and their log ratios. */
export function pairedValues(
  result: ProfileResult,
  m: CompareMetric
): { head: number[]; base: number[]; d: number[] } {
  const base = new Map<number, TrialResult>(
    (result.base?.trials ?? []).filter(t => t.valid).map(t => [t.index, t])
  );
  const out = { head: [] as number[], base: [] as number[], d: [] as number[] };
  for (const head of result.head.trials) {
    const b = base.get(head.index);
    if (!head.valid || !b) continue;
    const hv = trialValue(head, m);
    const bv = trialValue(b, m);
    if (hv === null || bv === null || hv <= 0 || bv <= 0) continue;
    out.head.push(hv);
    out.base.push(bv);
    out.d.push(Math.log(hv / bv));
  }
  return out;
}

/** Tests and estimates the paired change; `level` is the confidence level of the interval. */
export function pairedTest(d: number[], better: 'lower' | 'higher', level: number): ChangeTest {
  const alt = directions(better);
  const tWorse = wilcoxonSignedRank(d, alt.worse);
  const ci = hodgesLehmannInterval(d, level);
  return {
    test: 'wilcoxon-signed-rank',
    samples: d.length,
    pWorse: tWorse.pValue,
    pBetter: wilcoxonSignedRank(d, alt.better).pValue,
    method: tWorse.method,
    estimate: hodgesLehmann(d),
    interval: [ci.lower, ci.upper],
    // All n signs alike is the most extreme outcome: p = 2^-n.
    minP: 2 ** -d.length,
    needed: p => {
      const count = Math.floor(Math.log2(1 / p)) + 1;
      return { count, text: `at least ${count} valid pairs to reach significance, has ${d.length}` };
    }
  };
}

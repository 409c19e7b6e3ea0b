/**
 * Paired comparison of one metric (SPEC §5): d = ln(head / base) per valid trial pair, the one-sided
 * Wilcoxon signed-rank test in each direction, and the Hodges–Lehmann estimate of the change with
 * its distribution-free confidence interval. Log ratios make the change relative and symmetric.
 */
import type { ProfileResult, TrialResult } from '../model.js';
import { hodgesLehmann, hodgesLehmannInterval } from '../stats/hodges-lehmann.js';
import { wilcoxonSignedRank } from '../stats/signed-rank.js';
import { trialValue, type CompareMetric } from './metric-value.js';

/** A paired measurement before the multiple-comparison adjustment and the verdict. */
export interface PairedTest {
  /** Log ratios ln(head / base), one per valid pair. */
  d: number[];
  /** One-sided p-value for "head is worse" and for "head is better". */
  pWorse: number;
  pBetter: number;
  method: 'exact' | 'normal';
  /** Hodges–Lehmann estimate of d and its interval at `level` (log scale). */
  estimate: number;
  interval: [number, number];
}

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
export function pairedTest(d: number[], better: 'lower' | 'higher', level: number): PairedTest {
  // "Worse" is an increase of a lower-is-better metric, a decrease of a higher-is-better one.
  const worse = better === 'lower' ? 'greater' : 'less';
  const betterAlt = better === 'lower' ? 'less' : 'greater';
  const tWorse = wilcoxonSignedRank(d, worse);
  const tBetter = wilcoxonSignedRank(d, betterAlt);
  const ci = hodgesLehmannInterval(d, level);
  return {
    d,
    pWorse: tWorse.pValue,
    pBetter: tBetter.pValue,
    method: tWorse.method,
    estimate: hodgesLehmann(d),
    interval: [ci.lower, ci.upper]
  };
}

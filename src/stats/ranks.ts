/**
 * Mid-ranks and tie counts, the shared first step of the rank tests (signed-rank, Mann–Whitney).
 */

/** Ranks of a sample with the tie information the normal approximations need. */
export interface Ranking {
  /** 1-based ranks in input order; tied values share the average of their ranks. */
  ranks: number[];
  /** Σ (t³ − t) over groups of t equal values: the tie correction of the null variance. */
  tieTerm: number;
}

/**
 * Mid-ranks ("average" ranks) of `values`, as `scipy.stats.rankdata(values, method='average')`,
 * and the tie term Σ (t³ − t) that SciPy's `_rankdata(..., return_ties=True)` feeds to the
 * tie-corrected variances (Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods*, 3rd ed.,
 * §3.1 and §4.1). Values are compared with `===`, as NumPy compares floats.
 */
export function midRanks(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    // Ordinal ranks start+1 .. end share their mean; half-integers are exact in binary floating point.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    const t = end - start;
    tieTerm += t ** 3 - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/** Σ (t³ − t) over groups of t equal values in `values`; 0 means there are no ties. */
export function tieTerm(values: readonly number[]): number {
  return midRanks(values).tieTerm;
}

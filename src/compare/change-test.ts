/** What either comparison (paired or unpaired) hands to the verdict stage. */
export interface ChangeTest {
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u' | 'welch-t' | 'single-value';
  /** Pairs (paired) or the smaller side's trial count (unpaired). */
  samples: number;
  /** One-sided p-values for "head is worse" and "head is better". */
  pWorse: number;
  pBetter: number;
  method: 'exact' | 'normal';
  /** Estimate of ln(head / base) and its interval at the requested level. */
  estimate: number;
  interval: [number, number];
  /** The smallest one-sided p-value these sample sizes can reach (exact test). */
  minP: number;
  /** The sample count it takes to reach a one-sided p-value below `p`, and how to say so. */
  needed: (p: number) => { count: number; text: string };
}

/** The alternatives of the two one-sided tests: a worse head is a rise of a lower-is-better metric. */
export function directions(better: 'lower' | 'higher'): {
  worse: 'greater' | 'less';
  better: 'greater' | 'less';
} {
  return better === 'lower' ? { worse: 'greater', better: 'less' } : { worse: 'less', better: 'greater' };
}

/**
 * Multiple-comparison adjustments of p-values over the metrics of one gate (SPEC §5): Holm for the
 * gated metrics (family-wise error rate), Benjamini–Hochberg q-values for the informational ones
 * (false discovery rate).
 */
import { checkProbabilities } from './validate.js';

/** Indices of p in ascending order of p; ties keep their input order. */
function ascending(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
}

/**
 * Holm's step-down adjusted p-values (Holm 1979, Scand. J. Statist. 6, "A simple sequentially
 * rejective multiple test procedure"): with p₍₁₎ ≤ … ≤ p₍ₘ₎, the k-th smallest becomes
 * max_{j ≤ k} min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where the adjusted value is ≤ α controls the
 * family-wise error rate at α under any dependence. Same as R's `p.adjust(p, "holm")` and
 * statsmodels' `multipletests(p, method='holm')`. Returned in input order; monotone in p; ≤ 1.
 * An empty list gives an empty list (no metrics, nothing to adjust).
 *
 * `familySize` > p.length adjusts these p-values as part of a larger family whose other members are
 * not known yet, as if they had p = 1 (they rank last). That is an upper bound of the value the
 * whole family's adjustment gives these members, whatever the others turn out to be, so a rejection
 * decided early stands in the final adjustment (used by `trials: auto`).
 *
 * @throws RangeError if a p-value is not a number in [0, 1], or familySize < p.length.
 */
export function holm(p: readonly number[], familySize = p.length): number[] {
  checkProbabilities('holm', p);
  if (!Number.isInteger(familySize) || familySize < p.length) {
    throw new RangeError(`holm: familySize must be an integer of at least ${p.length}, got ${familySize}`);
  }
  const m = familySize;
  const out = new Array<number>(p.length);
  let running = 0;
  ascending(p).forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p[i]!));
    out[i] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg adjusted p-values, or q-values (Benjamini & Hochberg 1995, JRSS B 57): with
 * p₍₁₎ ≤ … ≤ p₍ₘ₎, the k-th smallest becomes min_{j ≥ k} min(1, p₍ⱼ₎·m/j). Rejecting where the
 * q-value is ≤ α controls the false discovery rate at α for independent or positively dependent
 * tests. Matches `scipy.stats.false_discovery_control(p, method='bh')` and R's
 * `p.adjust(p, "BH")`. Returned in input order; monotone in p; ≤ 1. Empty in, empty out.
 *
 * @throws RangeError if a p-value is not a number in [0, 1].
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  checkProbabilities('benjaminiHochberg', p);
  const m = p.length;
  const order = ascending(p);
  const out = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k]!;
    // p · (m / rank), in SciPy's order of operations.
    running = Math.min(running, p[i]! * (m / (k + 1)));
    out[i] = running;
  }
  return out;
}

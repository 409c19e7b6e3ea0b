/**
 * The candidate search of E-divisive means (Matteson & James, "A Nonparametric Approach for Multiple
 * Change Point Analysis of Multivariate Data", JASA 109, 2014, §2, with α = 1), as Apache Otava's
 * `PairDistanceCalculator` computes it (`otava/change_point_divisive/calculator.py`): the split point
 * that maximises the scaled energy distance Q̂ between the points before it and the points after it.
 */

/** Σ|zᵢ − zⱼ| over i < j inside ranges of one window: `within(a, b)` for from ≤ a < b ≤ to. */
export interface PairwiseSums {
  from: number;
  to: number;
  within(a: number, b: number): number;
}

/**
 * Precomputes W(a, b) = Σ_{a ≤ i < j < b} |zᵢ − zⱼ| for every range of series[from, to) in O(w²) time and
 * memory (w = to − from), from W(a, b) = W(a + 1, b) + Σ_{a < j < b} |z_a − z_j|. Then every Q̂ below is
 * O(1), instead of the O(w²) of summing its distances anew.
 */
export function pairwiseSums(series: readonly number[], from: number, to: number): PairwiseSums {
  const w = to - from;
  const row = w + 1;
  const sums = new Float64Array(w * row);
  for (let a = w - 2; a >= 0; a--) {
    const za = series[from + a]!;
    let distances = 0;
    for (let b = a + 2; b <= w; b++) {
      distances += Math.abs(za - series[from + b - 1]!);
      sums[a * row + b] = sums[(a + 1) * row + b]! + distances;
    }
  }
  return { from, to, within: (a, b) => (b - a < 2 ? 0 : sums[(a - from) * row + (b - from)]!) };
}

/**
 * The best split of segment [start, end): the τ (first index of the second part) and the value of
 * max over τ, κ of Q̂(X, Y) with X = z[start, τ), Y = z[τ, κ), n = |X|, m = |Y|, start < τ < κ ≤ end:
 *
 *   Q̂(X, Y) = 2/(m + n)·Σᵢⱼ|Xᵢ − Yⱼ| − 2m/((m + n)(n − 1))·Σ_{i<k}|Xᵢ − X_k| − 2n/((m + n)(m − 1))·Σ_{j<k}|Yⱼ − Y_k|
 *
 * (= mn/(m + n) times the sample energy distance; Otava's `get_candidate_change_point` docstring).
 * Both parts hold at least `minSegment` (≥ 2) points. Ties go to the smallest τ, then κ, as
 * `np.argmax` does. Undefined when the segment is shorter than 2·minSegment.
 */
export function eDivisiveCandidate(
  sums: PairwiseSums,
  start: number,
  end: number,
  minSegment: number
): { index: number; qhat: number } | undefined {
  let best: { index: number; qhat: number } | undefined;
  for (let tau = start + minSegment; tau + minSegment <= end; tau++) {
    const n = tau - start;
    const inX = sums.within(start, tau);
    for (let kappa = tau + minSegment; kappa <= end; kappa++) {
      const m = kappa - tau;
      const inY = sums.within(tau, kappa);
      const across = sums.within(start, kappa) - inX - inY;
      const qhat = (2 * across - (2 * m * inX) / (n - 1) - (2 * n * inY) / (m - 1)) / (m + n);
      if (!best || qhat > best.qhat) best = { index: tau, qhat };
    }
  }
  return best;
}

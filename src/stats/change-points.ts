/**
 * Change points in a metric's history, as Apache Otava (formerly DataStax Hunter) finds them: Fleming
 * et al., "Hunter: Using Change Point Detection to Hunt for Performance Regressions", ICPE 2023
 * (doi:10.1145/3578244.3583719); code in apache/otava `otava/analysis.py` (`split`, `merge`,
 * `compute_change_points`) and `otava/change_point_divisive/` (`detector.py`, `calculator.py`,
 * `base.py`). Candidates come from E-divisive means (Matteson & James, "A Nonparametric Approach for
 * Multiple Change Point Analysis of Multivariate Data", JASA 109, 2014; α = 1), and each is judged by
 * Student's pooled two-sample t-test instead of E-divisive's permutation test, so the result is
 * deterministic (no random numbers at all).
 */
import { eDivisiveCandidate, pairwiseSums } from './e-divisive.js';
import { moments, studentTTest } from './student-t-test.js';
import { checkSample } from './validate.js';

export interface ChangePointOptions {
  /** Significance level of a split (default 0.001, as Otava's max_pvalue). */
  maxPValue?: number;
  /** Smallest relative change of the mean that counts (default 0.05 = 5 %). */
  minMagnitude?: number;
  /** Window: points on each side considered around a candidate (default 30; Otava uses a window of 50). */
  window?: number;
  /** Fewest points on each side of a change point (default 3). */
  minSegment?: number;
}

export interface ChangePoint {
  /** Index of the first point after the shift. */
  index: number;
  /** Means before and after (within the segments the split was tested on), and the relative change. */
  before: number;
  after: number;
  /** (after − before) / |before|; ±Infinity when `before` is 0 and `after` is not. */
  change: number;
  /** Two-sided p-value of the pooled t-test of the segment before against the segment after. */
  pValue: number;
}

/**
 * Finds the points where the mean of `series` shifts, oldest first (Otava's algorithm, two steps).
 *
 * 1. Split. Windows of `window` points start at 0; each next window starts at the last change point
 *    the previous one found, or ⌊window/2⌋ further, whichever is later, until the start passes the
 *    end. Within a window, E-divisive: among the segments between the change points found so far,
 *    the candidate is the τ that maximises Q̂(Z[s, τ), Z[τ, κ)) over τ and κ (see `e-divisive.ts`);
 *    the best candidate of all segments is tested with `studentTTest` on its whole segment
 *    [s, τ) against [τ, t), and kept if p ≤ a relaxed level (10·maxPValue below 0.05, 2·maxPValue
 *    below 0.5, else maxPValue: Otava's `first_pass_pvalue`); the first rejection ends the window.
 *    The union over all windows are Otava's "weak" change points.
 * 2. Merge. Every weak point is retested on the segments between its neighbours. While one has
 *    p ≥ maxPValue, the one with the largest p-value is dropped; then, while one has
 *    |change| < minMagnitude, the one with the smallest |change| is; after each drop both neighbours
 *    are retested on their merged segments. What remains has p < maxPValue and |change| ≥ minMagnitude.
 *
 * Where this differs from Otava 0.8, and why:
 * - The t-test uses sample standard deviations (ddof = 1), as `scipy.stats.ttest_ind`; Otava passes
 *   `np.std` (ddof = 0) to `ttest_ind_from_stats`, which expects ddof = 1, a slightly larger t.
 * - Both sides of a candidate, and so every segment, hold at least `minSegment` points (Otava: 1).
 * - The magnitude is |change| relative to the mean before, as reported; Otava takes the larger of
 *   |after/before − 1| and |before/after − 1|, which lets a 4.8 % drop pass a 5 % minimum.
 * - After a drop, Otava recomputes the points now at positions i and i + 1, leaving the left
 *   neighbour (i − 1) with stale statistics; here the two neighbours i − 1 and i are recomputed.
 *
 * Work: O(window²) per window for the pairwise sums and each candidate search, about 2·n/window
 * windows, and O(n) per t-test in the merge: a 1000-point series takes milliseconds (bench/change-points.mjs).
 *
 * @throws RangeError naming `changePoints` if the series holds NaN or ±Infinity, or an option is out of
 *   range: maxPValue in (0, 1], minMagnitude ≥ 0, minSegment an integer ≥ 2, window an integer
 *   ≥ 2·minSegment. A series shorter than 2·minSegment has no change point.
 */
export function changePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  checkSample('changePoints', 'series', series, 0);
  const { maxPValue = 0.001, minMagnitude = 0.05, window = 30, minSegment = 3 } = options;
  checkOptions(maxPValue, minMagnitude, window, minSegment);
  if (series.length < 2 * minSegment) return [];
  const weak = split(series, window, minSegment, firstPassLevel(maxPValue));
  return merge(series, weak, maxPValue, minMagnitude);
}

function checkOptions(maxPValue: number, minMagnitude: number, window: number, minSegment: number): void {
  const fail = (what: string) => {
    throw new RangeError(`changePoints: ${what}`);
  };
  if (!(maxPValue > 0 && maxPValue <= 1)) fail(`maxPValue must be in (0, 1], got ${String(maxPValue)}`);
  if (!(minMagnitude >= 0 && Number.isFinite(minMagnitude))) {
    fail(`minMagnitude must be a finite number ≥ 0, got ${String(minMagnitude)}`);
  }
  if (!(Number.isInteger(minSegment) && minSegment >= 2)) {
    fail(`minSegment must be an integer ≥ 2, got ${String(minSegment)}`);
  }
  if (!(Number.isInteger(window) && window >= 2 * minSegment)) {
    fail(`window must be an integer ≥ 2·minSegment (${2 * minSegment}), got ${String(window)}`);
  }
}

/** Otava's `first_pass_pvalue`: the split step keeps more ("weak") points than the merge will. */
function firstPassLevel(maxPValue: number): number {
  if (maxPValue < 0.05) return maxPValue * 10;
  return maxPValue < 0.5 ? maxPValue * 2 : maxPValue;
}

/** The split step: E-divisive with t-test acceptance in overlapping windows; sorted weak indices. */
function split(series: readonly number[], window: number, minSegment: number, level: number): number[] {
  const found: number[] = [];
  const step = Math.floor(window / 2);
  for (let start = 0; start < series.length;) {
    const end = Math.min(start + window, series.length);
    const local = end - start >= 2 * minSegment ? divide(series, start, end, minSegment, level) : [];
    // Every index found so far is ≤ start, and new ones are ≥ start + minSegment: the union stays
    // sorted, without duplicates, with segments of at least minSegment points.
    found.push(...local);
    start = Math.max(local.at(-1) ?? 0, start + step);
  }
  return found;
}

/** E-divisive on series[from, to): splits while the best candidate passes the t-test at `level`. */
function divide(series: readonly number[], from: number, to: number, minSegment: number, level: number) {
  const sums = pairwiseSums(series, from, to);
  const points: number[] = [];
  for (;;) {
    const bounds = [from, ...points, to];
    let best: { index: number; qhat: number; start: number; end: number } | undefined;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const [start, end] = [bounds[i]!, bounds[i + 1]!];
      const candidate = eDivisiveCandidate(sums, start, end, minSegment);
      if (candidate && (!best || candidate.qhat > best.qhat)) best = { ...candidate, start, end };
    }
    if (!best) break;
    const { pValue } = studentTTest(series.slice(best.start, best.index), series.slice(best.index, best.end));
    if (!(pValue <= level)) break;
    points.push(best.index);
    points.sort((a, b) => a - b);
  }
  return points;
}

/** The change point at `index` tested on [left, index) against [index, right). */
function judge(series: readonly number[], left: number, index: number, right: number): ChangePoint {
  const x = series.slice(left, index);
  const y = series.slice(index, right);
  const before = moments(x).mean;
  const after = moments(y).mean;
  const change = after === before ? 0 : (after - before) / Math.abs(before);
  return { index, before, after, change, pValue: studentTTest(x, y).pValue };
}

/** The merge step: drops the weakest point until all pass both criteria (Otava's `merge`). */
function merge(
  series: readonly number[],
  weak: readonly number[],
  maxPValue: number,
  minMagnitude: number
): ChangePoint[] {
  const at = (indices: readonly number[], i: number) =>
    judge(series, indices[i - 1] ?? 0, indices[i]!, indices[i + 1] ?? series.length);
  const points = weak.map((_, i) => at(weak, i));
  while (points.length > 0) {
    let weakest = argBest(points, (a, b) => a.pValue > b.pValue);
    if (points[weakest]!.pValue < maxPValue) {
      weakest = argBest(points, (a, b) => Math.abs(a.change) < Math.abs(b.change));
      if (Math.abs(points[weakest]!.change) >= minMagnitude) break;
    }
    points.splice(weakest, 1);
    const indices = points.map(p => p.index);
    if (weakest > 0) points[weakest - 1] = at(indices, weakest - 1);
    if (weakest < points.length) points[weakest] = at(indices, weakest);
  }
  return points;
}

/** Position of the first element that no later one beats (Python's max/min with a key). */
function argBest<T>(items: readonly T[], beats: (a: T, b: T) => boolean): number {
  let best = 0;
  items.forEach((item, i) => {
    if (beats(item, items[best]!)) best = i;
  });
  return best;
}

/**
 * From paired tests to verdicts (SPEC §5): Holm's correction over the gated metrics of the whole
 * gate (it controls the gate's false-fail rate), Benjamini–Hochberg q-values for the informational
 * ones; `regressed` / `improved` need significance after correction and a change of at least δ,
 * `unchanged` needs the interval inside ±δ, anything else is `inconclusive`, with an estimate of how
 * many more pairs would likely settle it.
 */
import type { ProfileConfig } from '../config/types.js';
import type { Comparison, ProfileResult } from '../model.js';
import { benjaminiHochberg, holm } from '../stats/adjust.js';
import { compareMetric, DEFAULT_COMPARE, INFORMATIONAL_COMPARE, type CompareMetric } from './metric-value.js';
import { median } from 'simple-statistics';
import { pairedTest, pairedValues, type PairedTest } from './paired.js';

interface Pending {
  profile: string;
  metric: CompareMetric;
  delta: number;
  gated: boolean;
  test: PairedTest | null;
  /** Medians of the paired per-trial values. */
  values: { base: number; head: number } | null;
}

/** Comparisons of every paired profile; empty when no profile has a base side. */
export function compareProfiles(
  profiles: Array<{ config: ProfileConfig; result: ProfileResult }>,
  alpha: number
): Comparison[] {
  const pending: Pending[] = [];
  for (const { config, result } of profiles) {
    if (!result.base) continue;
    const gated = Object.keys(config.compare).length > 0 ? config.compare : DEFAULT_COMPARE;
    const informational = Object.entries(INFORMATIONAL_COMPARE).filter(([k]) => !(k in gated));
    for (const [key, delta, isGated] of [
      ...Object.entries(gated).map(([k, d]) => [k, d, true] as const),
      ...informational.map(([k, d]) => [k, d, false] as const)
    ]) {
      const metric = compareMetric(key);
      const v = pairedValues(result, metric);
      const some = v.d.length > 0;
      pending.push({
        profile: config.name,
        metric,
        delta,
        gated: isGated,
        test: some ? pairedTest(v.d, metric.better, 1 - alpha) : null,
        values: some ? { base: median(v.base), head: median(v.head) } : null
      });
    }
  }
  const gatedCount = pending.filter(p => p.gated).length;
  const adjusted = adjust(pending);
  return pending.map((p, i) => decide(p, adjusted[i]!, alpha, gatedCount));
}

/** Holm over the gated, BH over the informational; each direction separately. */
function adjust(pending: Pending[]): Array<{ worse: number; better: number }> {
  const out = pending.map(() => ({ worse: 1, better: 1 }));
  for (const gated of [true, false]) {
    const idx = pending.map((p, i) => (p.gated === gated && p.test ? i : -1)).filter(i => i >= 0);
    if (idx.length === 0) continue;
    const method = gated ? holm : benjaminiHochberg;
    const worse = method(idx.map(i => pending[i]!.test!.pWorse));
    const better = method(idx.map(i => pending[i]!.test!.pBetter));
    idx.forEach((i, k) => (out[i] = { worse: worse[k]!, better: better[k]! }));
  }
  return out;
}

function decide(
  p: Pending,
  adj: { worse: number; better: number },
  alpha: number,
  gatedCount: number
): Comparison {
  const base = {
    profile: p.profile,
    metric: p.metric.key,
    better: p.metric.better,
    delta: p.delta,
    gated: p.gated,
    test: 'wilcoxon-signed-rank' as const,
    ...(p.values && { values: p.values })
  };
  const t = p.test;
  if (!t) {
    return {
      ...base,
      samples: 0,
      method: 'exact',
      estimate: Number.NaN,
      interval: [Number.NaN, Number.NaN],
      pValue: 1,
      adjustedPValue: 1,
      verdict: 'inconclusive',
      reason: 'no pair of valid trials measured this metric'
    };
  }
  const rel = (x: number) => Math.exp(x) - 1;
  const estimate = rel(t.estimate);
  const interval: [number, number] = [rel(t.interval[0]), rel(t.interval[1])];
  const worseBy = p.metric.better === 'lower' ? estimate : -estimate;
  const common = {
    ...base,
    samples: t.d.length,
    method: t.method,
    estimate,
    interval,
    pValue: t.pWorse,
    adjustedPValue: adj.worse
  };
  if (adj.worse < alpha && worseBy >= p.delta) return { ...common, verdict: 'regressed' };
  if (adj.better < alpha && -worseBy >= p.delta) {
    return { ...common, verdict: 'improved', pValue: t.pBetter, adjustedPValue: adj.better };
  }
  if (interval[0] > -p.delta && interval[1] < p.delta) return { ...common, verdict: 'unchanged' };
  return { ...common, verdict: 'inconclusive', ...settle(t, p.delta, alpha, p.gated ? gatedCount : 1) };
}

/**
 * Why the comparison is not settled, and about how many more pairs would settle it: the interval's
 * half-width shrinks like 1/√n, so n · (h / h*)² pairs give the half-width h* that either excludes
 * zero (a change beyond δ) or fits inside ±δ (no relevant change). Never fewer than the pairs the
 * exact test needs to reach alpha / m at all (2^-n < alpha / m).
 */
function settle(
  t: PairedTest,
  delta: number,
  alpha: number,
  m: number
): { reason: string; moreTrials: number } {
  const n = t.d.length;
  const minPairs = Math.floor(Math.log2(m / alpha)) + 1;
  const logDelta = Math.log(1 + delta);
  const h = (t.interval[1] - t.interval[0]) / 2;
  const est = Math.abs(t.estimate);
  const target = est < logDelta ? logDelta - est : est;
  const needed =
    Number.isFinite(h) && target > 0 ? Math.ceil(n * (h / target) ** 2) : Number.POSITIVE_INFINITY;
  const total = Math.max(minPairs, Number.isFinite(needed) ? needed : minPairs * 2);
  const moreTrials = Math.min(1000, Math.max(1, total - n));
  const reason =
    n < minPairs
      ? `needs at least ${minPairs} valid pairs to reach significance, has ${n}`
      : `the ${Math.round((1 - alpha) * 100)} % interval still reaches ±${(delta * 100).toFixed(0)} %`;
  return { reason, moreTrials };
}

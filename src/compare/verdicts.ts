/**
 * From tests to verdicts (SPEC §5): Holm's correction over the gated metrics of the whole gate (it
 * controls the gate's false-fail rate), Benjamini–Hochberg q-values for the informational ones;
 * `regressed` / `improved` need significance after correction and a change of at least δ,
 * `unchanged` needs the interval inside ±δ, anything else is `inconclusive`, with an estimate of how
 * many more trials would likely settle it. Paired profiles (a base side in this run) use the
 * signed-rank test on pairs; others are compared unpaired with a stored baseline's trials, and when
 * the baseline carries the values of earlier runs, a change must also exceed the spread of those
 * runs (a prediction interval over the runs' log values) to count: runs differ by more than trials.
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import type { ProfileConfig } from '../config/types.js';
import type { Comparison, ProfileResult, SeriesSummary, TrialResult } from '../model.js';
import { benjaminiHochberg, holm } from '../stats/adjust.js';
import { predictionInterval } from '../stats/prediction.js';
import { resolution, type ChangeTest } from './change-test.js';
import { singleValueTest, summaryTest } from './summary-test.js';
import { gatedCompare, INFORMATIONAL_COMPARE } from './metric-value.js';
import { pairedTest } from './paired.js';
import { errorsAppeared } from './error-rule.js';
import { unpairedTest } from './unpaired.js';
import { profileSeries } from '../series/http-profile.js';
import { pairs, values, type Series } from '../series/series.js';

interface Pending {
  source: string;
  key: string;
  better: 'lower' | 'higher';
  unit: string;
  delta: number;
  gated: boolean;
  /** Significance level of this source's comparisons (lower at a look of `trials: auto`). */
  alpha: number;
  test: ChangeTest | null;
  /** Medians of the compared per-trial values. */
  values: { base: number; head: number } | null;
  /** The limit set by the spread of stored runs (unpaired, with history). */
  history?: { runs: number; limit: number };
}

/** Stored runs (the baseline's history and the baseline itself) needed before their spread counts. */
export const MIN_HISTORY_RUNS = 3;

/**
 * What the comparison stage sees of one source — a profile, a benchmark — whatever it is: the keys it
 * compares with their δ (gated ones decide the verdict), the series of each, and the values of a
 * stored baseline's earlier runs. Each source has one adapter that makes it.
 */
export interface SeriesGroup {
  /** The profile's or benchmark's name (unique over both). */
  source: string;
  /** Compare keys with their δ, gated or informational. */
  keys: Array<{ key: string; delta: number; gated: boolean }>;
  /** The series of a key. */
  series: (key: string) => Series;
  /** Whether there is a base side or a stored baseline to compare with; without, nothing is compared. */
  comparable: boolean;
  /** The level this source is decided at, when not the gate's alpha (the last look of `auto`). */
  alpha?: number;
  /** Values of the stored baseline's earlier runs (compare key → run median), oldest first. */
  history?: Array<Record<string, number>>;
}

export interface ProfileToCompare {
  config: ProfileConfig;
  result: ProfileResult;
  /** Trials of a stored baseline for this profile (unpaired comparison), when there is no base side. */
  baseline?: TrialResult[];
  /** The stored baseline's series of this profile, when it stored them (schema 2). */
  storedSeries?: Series[];
  /** The level this profile is decided at, when not the gate's alpha (the last look of `trials: auto`). */
  alpha?: number;
  /** Values of the stored baseline's earlier runs (compare key → run median), oldest first. */
  history?: Array<Record<string, number>>;
}

export interface CompareOptions {
  /** The gate's significance level. */
  alpha: number;
  /**
   * Holm's family when it is larger than the gated metrics compared here: a look of `trials: auto`
   * sees one source of the gate, and decides as if the others' were not significant (stats/adjust.ts).
   */
  familySize?: number;
}

/** The gated comparisons of a profile, when it has a base side or a baseline (else none). */
export function gatedMetricCount(config: ProfileConfig): number {
  return Object.keys(gatedCompare(config)).length;
}

/** Gated keys first, then the informational ones not gated already, each with its δ. */
export function compareKeys(
  gated: Readonly<Record<string, number>>,
  informational: Readonly<Record<string, number>>
): SeriesGroup['keys'] {
  return [
    ...Object.entries(gated).map(([key, delta]) => ({ key, delta, gated: true })),
    ...Object.entries(informational)
      .filter(([key]) => !(key in gated))
      .map(([key, delta]) => ({ key, delta, gated: false }))
  ];
}

/** A profile as the comparison stage sees it (its series from series/http-profile.ts). */
export function profileGroup(p: ProfileToCompare): SeriesGroup {
  const stored = p.baseline && { trials: p.baseline, series: p.storedSeries };
  return {
    source: p.config.name,
    keys: compareKeys(gatedCompare(p.config), INFORMATIONAL_COMPARE),
    series: key => profileSeries(p.result, key, stored, p.config.tail),
    comparable: p.result.base !== undefined || p.baseline !== undefined,
    ...(p.alpha !== undefined && { alpha: p.alpha }),
    ...(p.history && { history: p.history })
  };
}

/**
 * Comparisons of every profile that has a base side or a baseline, with the rule that failed
 * requests appearing where the base had none fail (compare/error-rule.ts); empty when none has.
 */
export function compareProfiles(profiles: ProfileToCompare[], opts: CompareOptions): Comparison[] {
  const errorRules = profiles.flatMap(p => errorsAppeared(p, p.alpha ?? opts.alpha) ?? []);
  return [...compareSeries(profiles.map(profileGroup), opts), ...errorRules];
}

/**
 * Comparisons of every source that has something to compare with, whatever the source: Holm over
 * all their gated keys at once (one family for the whole gate), BH q-values for the informational.
 */
export function compareSeries(groups: SeriesGroup[], opts: CompareOptions): Comparison[] {
  const pending: Pending[] = [];
  for (const group of groups) {
    if (!group.comparable) continue;
    const alpha = group.alpha ?? opts.alpha;
    for (const { key, delta, gated } of group.keys) {
      const series = group.series(key);
      const { head, base, test } = measure(series, intervalLevel(alpha));
      const spread =
        series.base === 'stored' && test ? historyLimit(group.history, key, median(base), alpha) : undefined;
      pending.push({
        source: group.source,
        key,
        better: series.better,
        unit: series.unit,
        delta,
        gated,
        alpha,
        test,
        values: test ? { base: median(base), head: median(head) } : null,
        ...(spread && { history: spread })
      });
    }
  }
  const family = Math.max(opts.familySize ?? 0, pending.filter(p => p.gated && tested(p)).length);
  const informational = pending.filter(p => !p.gated && tested(p)).length;
  const adjusted = adjust(pending, family);
  return pending.map((p, i) => decide(p, adjusted[i]!, family, p.gated ? family : informational));
}

/**
 * The level of every comparison's interval: two-sided 1 − 2·alpha, whose ends are the one-sided
 * 1 − alpha bounds. The upper one below 0 (lower is better) is the one-sided regression test at
 * alpha before correction; both inside ±δ is the two one-sided tests of equivalence at alpha
 * (Schuirmann's TOST) — `unchanged` claims |change| < δ at the gate's level, as `regressed` claims
 * a change. A 1 − alpha interval (95 %) would test equivalence at alpha / 2 and leave gates
 * `inconclusive` that the data settle (measured in bench/gate-candidates.mjs, issue 15).
 */
export function intervalLevel(alpha: number): number {
  return 1 - 2 * alpha;
}

/**
 * The test of a series: pair by pair when its base ran beside the head; else side against side —
 * on samples when both sides have them, else on summaries (Welch), else on two single values (no
 * test). `head` and `base` are the values each side's typical value is taken from.
 */
function measure(series: Series, level: number): { head: number[]; base: number[]; test: ChangeTest | null } {
  if (series.base === 'paired') {
    const v = pairs(series);
    return { ...v, test: v.d.length > 0 ? pairedTest(v.d, series.better, level) : null };
  }
  const head = values(series.samples.head);
  const base = values(series.samples.base);
  if (head.length > 0 && base.length > 0) {
    return { head, base, test: unpairedTest(head, base, series.better, level) };
  }
  const h = series.summaries?.head ?? summaryOf(head);
  const b = series.summaries?.base ?? summaryOf(base);
  if (!h || !b) return { head, base, test: null };
  const spread = h.n >= 2 && b.n >= 2 && (h.stdev > 0 || b.stdev > 0);
  return {
    head: [h.mean],
    base: [b.mean],
    test: spread ? summaryTest(h, b, series.better, level) : singleValueTest(h.mean, b.mean)
  };
}

/** The summary of samples (a single value when there is one), or undefined when there are none. */
function summaryOf(v: number[]): SeriesSummary | undefined {
  if (v.length === 0) return undefined;
  return { mean: mean(v), stdev: v.length > 1 ? sampleStandardDeviation(v) : 0, n: v.length };
}

/** A test that has a p-value: every one but the comparison of two single values. */
function tested(p: Pending): boolean {
  return p.test !== null && p.test.test !== 'single-value';
}

/**
 * How far a run lands from the stored runs by run-to-run variation alone: the one-sided 1 − alpha
 * prediction bound over the log values of the history's runs and the baseline's, as a relative change.
 */
function historyLimit(
  history: Array<Record<string, number>> | undefined,
  key: string,
  baselineValue: number,
  alpha: number
): { runs: number; limit: number } | undefined {
  const runs = [...(history ?? []).map(h => h[key]), baselineValue].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0
  );
  if (runs.length < MIN_HISTORY_RUNS) return undefined;
  const { halfWidth } = predictionInterval(runs.map(Math.log), 1 - 2 * alpha);
  return { runs: runs.length, limit: Math.expm1(halfWidth) };
}

/** Holm over the gated (of a family of `family`), BH over the informational; each direction separately. */
function adjust(pending: Pending[], family: number): Array<{ worse: number; better: number }> {
  const out = pending.map(() => ({ worse: 1, better: 1 }));
  for (const gated of [true, false]) {
    const idx = pending.map((p, i) => (p.gated === gated && tested(p) ? i : -1)).filter(i => i >= 0);
    if (idx.length === 0) continue;
    const method = gated ? (p: number[]) => holm(p, family) : benjaminiHochberg;
    const worse = method(idx.map(i => pending[i]!.test!.pWorse));
    const better = method(idx.map(i => pending[i]!.test!.pBetter));
    idx.forEach((i, k) => (out[i] = { worse: worse[k]!, better: better[k]! }));
  }
  return out;
}

/**
 * `adj`: the adjusted p-values; `family`: Holm's family (for how many samples would settle it);
 * `m`: the size of the comparison's own family — Holm's for a gated one, BH's for an informational
 * one — which sets the level its resolution is guaranteed at.
 */
function decide(p: Pending, adj: { worse: number; better: number }, family: number, m: number): Comparison {
  const { test: t, alpha } = p;
  const base = {
    profile: p.source,
    metric: p.key,
    better: p.better,
    ...(p.unit && { unit: p.unit }),
    delta: p.delta,
    gated: p.gated,
    alpha,
    test: t?.test ?? 'wilcoxon-signed-rank',
    ...(p.values && { values: p.values }),
    ...(p.history && { history: p.history })
  };
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
      reason: 'no valid samples of both sides measured this metric'
    };
  }
  const rel = (x: number) => Math.exp(x) - 1;
  const estimate = rel(t.estimate);
  const interval: [number, number] = [rel(t.interval[0]), rel(t.interval[1])];
  const worseBy = p.better === 'lower' ? estimate : -estimate;
  const limit = Math.max(p.delta, p.history?.limit ?? 0);
  const r = t.test === 'single-value' ? undefined : resolution(t, limit, alpha / Math.max(1, m));
  const common = {
    ...base,
    samples: t.samples,
    method: t.method,
    estimate,
    interval,
    pValue: t.pWorse,
    adjustedPValue: adj.worse,
    ...(r !== undefined && { resolution: r })
  };
  if (t.test === 'single-value')
    return decideSingle(p, { ...common, pValue: NaN, adjustedPValue: NaN }, worseBy, limit);
  if (adj.worse < alpha && worseBy >= limit) return { ...common, verdict: 'regressed' };
  if (adj.better < alpha && -worseBy >= limit) {
    return { ...common, verdict: 'improved', pValue: t.pBetter, adjustedPValue: adj.better };
  }
  if (interval[0] > -p.delta && interval[1] < p.delta) return { ...common, verdict: 'unchanged' };
  const significant =
    (adj.worse < alpha && worseBy >= p.delta) || (adj.better < alpha && -worseBy >= p.delta);
  if (significant && p.history) {
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    return {
      ...common,
      verdict: 'inconclusive',
      reason:
        `the change (${estimate >= 0 ? '+' : ''}${pct(estimate)}) is within the run-to-run spread of the ` +
        `stored runs (±${pct(p.history.limit)} over ${p.history.runs} runs); a paired run (service.base) would settle it`
    };
  }
  return { ...common, verdict: 'inconclusive', ...settle(t, p.delta, alpha, p.gated ? family : 1) };
}

/**
 * Two single values (SPEC §4): no spread, no test. The change decides by δ — and, against a stored
 * baseline with history, by the spread of the stored runs — and the reason says so.
 */
function decideSingle(
  p: Pending,
  common: Omit<Comparison, 'verdict'>,
  worseBy: number,
  limit: number
): Comparison {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const by = p.history
    ? `δ ${pct(p.delta)} and the stored runs' spread (±${pct(p.history.limit)} over ${p.history.runs} runs)`
    : `δ ${pct(p.delta)} alone (no history to give a spread)`;
  const reason = `single values, no spread to test: decided by ${by}`;
  if (worseBy >= limit) return { ...common, verdict: 'regressed', reason };
  if (-worseBy >= limit) return { ...common, verdict: 'improved', reason };
  if (Math.abs(worseBy) < p.delta) return { ...common, verdict: 'unchanged', reason };
  return { ...common, verdict: 'inconclusive', reason: `${reason}; the change is within the spread` };
}

/**
 * Why the comparison is not settled, and about how many more trials would settle it: the interval's
 * half-width shrinks like 1/√n, so n · (h / h*)² samples give the half-width h* that either excludes
 * zero (a change beyond δ) or fits inside ±δ (no relevant change). When the sizes cannot reach
 * alpha / m at all (Holm's first step), that is the reason, with the sizes it takes.
 */
function settle(
  t: ChangeTest,
  delta: number,
  alpha: number,
  m: number
): { reason: string; moreTrials: number } {
  const n = t.samples;
  const logDelta = Math.log(1 + delta);
  const h = (t.interval[1] - t.interval[0]) / 2;
  const est = Math.abs(t.estimate);
  const target = est < logDelta ? logDelta - est : est;
  const needed = Number.isFinite(h) && target > 0 ? Math.ceil(n * (h / target) ** 2) : 2 * n;
  const tooFew = t.minP >= alpha / m;
  const reason = tooFew
    ? `needs ${t.needed(alpha / m).text}`
    : `the ${Math.round(intervalLevel(alpha) * 100)} % interval still reaches ±${(delta * 100).toFixed(0)} %`;
  return {
    reason,
    moreTrials: Math.min(1000, Math.max(1, needed - n, tooFew ? t.needed(alpha / m).count - n : 0))
  };
}

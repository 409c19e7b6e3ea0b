/** How a base-vs-head comparison reads in the markdown renderings (formatting only). */
import type { Comparison } from '../model.js';
import { METRICS } from '../thresholds/metrics.js';
import { formatBytes, formatChange, formatMs, formatNumber, formatPValue } from './format.js';

/** A verdict as every rendering marks it. */
export const VERDICT_MARK: Record<Comparison['verdict'], string> = {
  regressed: '❌ regressed',
  improved: '🚀 improved',
  unchanged: '✅ unchanged',
  inconclusive: '⚠️ inconclusive'
};

/**
 * A comparison's figures, each in its metric's unit. A gated inconclusive comparison's verdict is
 * the mark alone: why it is not settled is said once, in the list the renderings lead with
 * (`settle`); any other comparison's reason (failed requests appearing, an informational one not
 * settled) stays beside its verdict.
 */
export function comparisonView(c: Comparison) {
  const value = (v: number | undefined) => (v === undefined ? '–' : formatCompared(v, c.metric, c.unit));
  const more = c.moreTrials ? `; ~${c.moreTrials} more ${sampleNoun(c.metric)} per side` : '';
  const listed = c.gated && c.verdict === 'inconclusive';
  const why = c.reason && !listed ? ` (${c.reason}${more})` : '';
  return {
    profile: c.profile,
    metric: c.metric,
    gated: c.gated,
    base: value(c.values?.base),
    head: value(c.values?.head),
    change: formatChange(c.estimate),
    // Two single values have no interval (SPEC §4): the change and δ decide.
    interval:
      c.test === 'single-value'
        ? 'one value per side: no interval'
        : `${formatChange(c.interval[0])} … ${formatChange(c.interval[1])}`,
    delta:
      `±${Math.round(c.delta * 100)} %` +
      (c.history ? ` (runs ±${(c.history.limit * 100).toFixed(1)} %, ${c.history.runs} runs)` : ''),
    /** The smallest change it could have called (compare/verdicts.ts `resolution`), before any verdict. */
    resolution: resolutionText(c),
    p: `${formatPValue(c.adjustedPValue)}`,
    verdict: `${VERDICT_MARK[c.verdict]}${why}`,
    /** For an inconclusive comparison: where its change may lie and what would settle it. */
    settle: c.verdict === 'inconclusive' ? settleText(c) : '',
    regressed: c.gated && c.verdict === 'regressed'
  };
}

/**
 * A comparison's resolution as the tables show it: `±2.1 %`; `±5.0 % (δ)` when δ sets it (no
 * smaller change is called, however tight the interval), `(runs)` when the stored runs' spread
 * does; `–` when it has none (two single values, or too few samples to call any change).
 */
export function resolutionText(c: Pick<Comparison, 'resolution' | 'delta' | 'history'>): string {
  const r = c.resolution;
  if (r === undefined || !Number.isFinite(r)) return '–';
  const by = r === c.delta ? ' (δ)' : c.history && r === c.history.limit ? ' (runs)' : '';
  return `±${formatChange(r).slice(1)}${by}`;
}

/**
 * An inconclusive comparison in one line, after its source and metric: where the change may lie and
 * what would settle it — `changed by −5.0 % … +31 % — more trials would settle it (about 12 more
 * per side; the 90 % interval still reaches ±10 %)`; with no interval, `not settled: ` and why.
 */
export function settleText(c: Comparison): string {
  const [lo, hi] = c.interval;
  const range =
    c.test === 'single-value' || !Number.isFinite(c.estimate)
      ? ''
      : Number.isFinite(lo) && Number.isFinite(hi)
        ? `changed by ${formatChange(lo)} … ${formatChange(hi)}`
        : `changed by about ${formatChange(c.estimate)} (its interval is unbounded)`;
  const reason = c.reason ?? 'its interval reaches δ';
  const why = c.moreTrials
    ? `more ${sampleNoun(c.metric)} would settle it (about ${c.moreTrials} more per side; ${reason})`
    : reason;
  return range ? `${range} — ${why}` : `not settled: ${why}`;
}

/**
 * The gated inconclusive comparisons, each to be listed once where the renderings lead (folded
 * under the verdict in the comment): every one for report.html, at most `limits.comment` for the
 * comment and `limits.summary` for summary.md, with how many more.
 */
export function unsettledLists<T extends { gated: boolean; settle: string }>(
  views: T[],
  limits: { comment: number; summary: number }
) {
  const all = views.filter(v => v.gated && v.settle);
  const capped = (limit: number) => ({ rows: all.slice(0, limit), more: Math.max(0, all.length - limit) });
  return { all, comment: capped(limits.comment), summary: capped(limits.summary) };
}

/**
 * A compared value (a median of per-trial or per-run values, or an imported mean) in its unit: the
 * comparison's own (`unit`, from its series) or, in results from before units, its compare key's.
 */
export function formatCompared(v: number, key: string, unit?: string): string {
  const u = unit || compareUnit(key);
  if (u === 'req/s') return `${formatNumber(v, 0)} req/s`;
  if (u === 'ms') return formatMs(v);
  if (u === 'ns') return formatNs(v);
  if (u === 'bytes' || u === 'B') return formatBytes(v);
  if (u === 'B/s') return `${formatBytes(v)}/s`;
  if (u === 'ops/s') return `${formatNumber(v, v < 100 ? 2 : 0)} ops/s`;
  if (u && u !== 'count' && u !== 'ratio') return `${formatSignificant(v)} ${u}`;
  return formatNumber(v, 3);
}

/**
 * A value in a unit perfgate does not scale (a tool's own: `allocs`, `items/s`, `instructions`),
 * with the decimals its size needs and no trailing zeros: 3,879, 12.35, 0.75.
 */
function formatSignificant(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 4;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Nanoseconds with the unit that suits them: 84.2 ns, 4.21 µs, then as formatMs. */
function formatNs(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(2)} µs`;
  return formatMs(ns / 1e6);
}

/** What one sample of a compare key is: a profile's trial, a benchmark's run, an imported measurement. */
export function sampleNoun(key: string): 'trials' | 'runs' | 'measurements' {
  const source = METRICS[metricName(key)]?.source;
  return source === 'benchmark' ? 'runs' : source === 'profile' ? 'trials' : 'measurements';
}

/** `B H H B B H …`: the order the trials ran in, as the report states it. */
export function orderText(order: ReadonlyArray<'head' | 'base'>): string {
  return order.map(s => (s === 'base' ? 'B' : 'H')).join(' ');
}

/** Unit of a compare key's per-trial (or per-run) values, as the charts label their axes. */
export function compareUnit(key: string): 'ms' | 'ratio' | '%' | 'bytes' | 'req/s' | 'count' {
  const unit = METRICS[metricName(key)]?.unit;
  if (unit === 'ms' || unit === 'ratio' || unit === 'bytes') return unit;
  if (unit === 'percent') return '%';
  return /\.rate$/.test(key) ? 'req/s' : 'count';
}

/**
 * The metric a compare key names (`wall_time` of `wall_time.med`, `http_req_duration` of
 * `http_req_duration{request:x}.p(99)`), read without parsing: a benchmark's keys are not a
 * profile's, and a report renders whatever key a results file holds.
 */
function metricName(key: string): string {
  return /^[A-Za-z_][\w]*/.exec(key)?.[0] ?? '';
}

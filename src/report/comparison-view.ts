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

/** A comparison's figures, each in its metric's unit. */
export function comparisonView(c: Comparison) {
  const value = (v: number | undefined) => (v === undefined ? '–' : formatCompared(v, c.metric, c.unit));
  const more = c.moreTrials ? `; ~${c.moreTrials} more ${sampleNoun(c.metric)} per side` : '';
  const settle = c.reason ? ` (${c.reason}${more})` : '';
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
    p: `${formatPValue(c.adjustedPValue)}`,
    verdict: `${VERDICT_MARK[c.verdict]}${settle}`,
    regressed: c.gated && c.verdict === 'regressed'
  };
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

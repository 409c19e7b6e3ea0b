/** How a base-vs-head comparison reads in the markdown renderings (formatting only). */
import type { Comparison } from '../model.js';
import { METRICS } from '../thresholds/metrics.js';
import { formatBytes, formatChange, formatMs, formatNumber, formatPValue } from './format.js';

const VERDICT_MARK: Record<Comparison['verdict'], string> = {
  regressed: '❌ regressed',
  improved: '🚀 improved',
  unchanged: '✅ unchanged',
  inconclusive: '⚠️ inconclusive'
};

/** A comparison's figures, each in its metric's unit. */
export function comparisonView(c: Comparison) {
  const value = (v: number | undefined) => (v === undefined ? '–' : formatCompared(v, c.metric));
  const more = c.moreTrials ? `; ~${c.moreTrials} more ${sampleNoun(c.metric)} per side` : '';
  const settle = c.reason ? ` (${c.reason}${more})` : '';
  return {
    profile: c.profile,
    metric: c.metric,
    gated: c.gated,
    base: value(c.values?.base),
    head: value(c.values?.head),
    change: formatChange(c.estimate),
    interval: `${formatChange(c.interval[0])} … ${formatChange(c.interval[1])}`,
    delta:
      `±${Math.round(c.delta * 100)} %` +
      (c.history ? ` (runs ±${(c.history.limit * 100).toFixed(1)} %, ${c.history.runs} runs)` : ''),
    p: `${formatPValue(c.adjustedPValue)}`,
    verdict: `${VERDICT_MARK[c.verdict]}${settle}`,
    regressed: c.gated && c.verdict === 'regressed'
  };
}

/** A compared value (a median of per-trial or per-run values) in the unit of its compare key. */
export function formatCompared(v: number, key: string): string {
  const unit = compareUnit(key);
  if (unit === 'req/s') return `${formatNumber(v, 0)} req/s`;
  if (unit === 'ms') return formatMs(v);
  if (unit === 'bytes') return formatBytes(v);
  return formatNumber(v, 3);
}

/** What one sample of a compare key is: a profile's trial or a benchmark's run. */
export function sampleNoun(key: string): 'trials' | 'runs' {
  return METRICS[metricName(key)]?.source === 'benchmark' ? 'runs' : 'trials';
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

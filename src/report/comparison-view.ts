/** How a base-vs-head comparison reads in the markdown renderings (formatting only). */
import type { Comparison } from '../model.js';
import { compareMetric } from '../compare/metric-value.js';
import { METRICS } from '../thresholds/metrics.js';
import { formatChange, formatMs, formatNumber, formatPValue } from './format.js';

const VERDICT_MARK: Record<Comparison['verdict'], string> = {
  regressed: '❌ regressed',
  improved: '🚀 improved',
  unchanged: '✅ unchanged',
  inconclusive: '⚠️ inconclusive'
};

export function comparisonView(c: Comparison) {
  const value = (v: number | undefined) => {
    if (v === undefined) return '–';
    if (c.metric.endsWith('.rate') && c.metric.startsWith('http_reqs')) return `${formatNumber(v, 0)} req/s`;
    if (c.metric.startsWith('http_req_duration')) return formatMs(v);
    return formatNumber(v, 3);
  };
  const more = c.moreTrials ? `; ~${c.moreTrials} more trials per side` : '';
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

/** `B H H B B H …`: the order the trials ran in, as the report states it. */
export function orderText(order: ReadonlyArray<'head' | 'base'>): string {
  return order.map(s => (s === 'base' ? 'B' : 'H')).join(' ');
}

/** Unit of a compare key's per-trial values, as the charts label their axes. */
export function compareUnit(key: string): 'ms' | 'ratio' | '%' | 'bytes' | 'req/s' | 'count' {
  const m = compareMetric(key);
  const unit = METRICS[m.metric]?.unit;
  if (unit === 'ms' || unit === 'ratio' || unit === 'bytes') return unit;
  if (unit === 'percent') return '%';
  return m.aggregation.kind === 'rate' ? 'req/s' : 'count';
}

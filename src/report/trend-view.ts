/**
 * The history parts of the report model: a gated metric's trend over the stored runs (a mermaid
 * chart and its table) and the change points found in it, their figures formatted.
 */
import type { ChangePointFinding, Trend } from '../model.js';
import { formatBytes, formatChange, formatMs, formatNumber, formatPercent, formatPValue } from './format.js';
import { compareUnit, formatCompared } from './comparison-view.js';
import { unitScale } from './svg-parts.js';

/**
 * A trend as a mermaid `xychart-beta` (GitHub renders it in comments and summaries) and as table rows
 * (the fallback). Text inside the mermaid block is reduced to characters that cannot end the block
 * or the quoted title.
 */
export function trendView(t: Trend) {
  // A series of its own unit (an import's ns, B, ops/s) in the scale that suits its largest value.
  const own =
    t.unit && t.unit !== 'ms' && t.unit !== 'bytes'
      ? unitScale(t.unit, Math.max(...t.points.map(p => Math.abs(p.value))))
      : undefined;
  const unit = own
    ? own.label
    : t.metric.startsWith('http_reqs')
      ? 'req/s'
      : compareUnit(t.metric) === 'bytes' // service_rss, a benchmark's peak_rss
        ? 'MB'
        : t.metric.startsWith('service_cpu')
          ? '%'
          : 'ms';
  const scale = own ? 1 / own.divisor : unit === 'MB' ? 1 / 1024 ** 2 : 1;
  const label = (p: Trend['points'][number]) => (p.current ? 'this run' : p.createdAt.slice(0, 10));
  const values = t.points.map(p => Number((p.value * scale).toPrecision(4)));
  return {
    profile: t.profile,
    metric: t.metric,
    unit,
    mermaid: [
      'xychart-beta',
      `  title "${mermaidText(`${t.profile} ${t.metric}`)}"`,
      `  x-axis [${t.points.map(p => `"${mermaidText(label(p))}"`).join(', ')}]`,
      `  y-axis "${unit}"`,
      `  line [${values.join(', ')}]`
    ].join('\n'),
    digits: unit === 'req/s' ? 0 : 3,
    rows: t.points.map((p, i) => ({ label: label(p), value: values[i]! }))
  };
}

/**
 * Text for a quoted string inside a mermaid block, reduced to characters that cannot end the quotes
 * or the block. No `%`: `%%` starts a mermaid directive (`%%{init: …}%%`) or comment.
 */
export function mermaidText(s: string): string {
  return s.replace(/[^\w .:{}()/-]/g, '_');
}

/** A change point of the history (analysis/change-points.ts), its figures formatted. */
export function changePointView(c: ChangePointFinding) {
  const unit = compareUnit(c.metric);
  const value = (v: number) =>
    c.unit
      ? formatCompared(v, c.metric, c.unit)
      : unit === 'ms'
        ? formatMs(v)
        : unit === '%'
          ? formatPercent(v / 100)
          : unit === 'ratio'
            ? formatPercent(v)
            : unit === 'bytes'
              ? formatBytes(v)
              : `${formatNumber(v, 1)}${unit === 'req/s' ? ' req/s' : ''}`;
  return {
    profile: c.profile,
    metric: c.metric,
    worse: c.worse,
    direction: c.worse ? 'worse' : 'better',
    since: `run ${c.index + 1} of ${c.points} (${c.createdAt.slice(0, 10)})`,
    before: value(c.before),
    after: value(c.after),
    current: value(c.current),
    change: formatChange(c.change),
    p: formatPValue(c.pValue)
  };
}

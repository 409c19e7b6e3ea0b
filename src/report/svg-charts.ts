/**
 * The HTML report's charts as inline SVG strings (SPEC §7): pure functions of series the report
 * model already holds, each with a viewBox, axes, tick labels, a legend and an accessible name
 * (`role="img"`, `aria-label`, `<title>`). No scripts, no external references; every label is
 * XML-escaped here, so a template inserts the result as is.
 */
import {
  BOX,
  emptyNote,
  frame,
  isNum,
  legend,
  LEGEND_Y,
  linear,
  niceTicks,
  num,
  SIDE_COLOR,
  sideEntry,
  tickLabel,
  unitScale,
  xAxis,
  yAxis,
  type Side
} from './svg-parts.js';

export { escapeXml } from './svg-parts.js';
export { trialComparisonChart, type TrialComparisonSpec } from './svg-comparison-chart.js';
export { runChart, type RunChartSpec, type RunPoint } from './svg-run-chart.js';

export interface LineSeries {
  label: string;
  side: Side;
  dashed?: boolean;
  /** One point per x; a null y leaves a gap in the line. */
  points: Array<{ x: number; y: number | null }>;
}

export interface LineChartSpec {
  /** Names the chart in `data-chart` (e.g. `rate`). */
  kind: string;
  title: string;
  /** Unit of the y values: `req/s`, `ms`, `%`, `bytes` (shown in KB/MB/GB), `ratio` (shown in %). */
  unit: string;
  xLabel?: string;
  series: LineSeries[];
}

/**
 * A line chart over seconds of one to four series (head and base overlaid in paired mode; p50 and
 * p99 of each). A null value breaks the line; a point with no neighbour is drawn as a dot.
 */
export function lineChart(spec: LineChartSpec): string {
  const ys = spec.series.flatMap(s => s.points.flatMap(p => (isNum(p.y) ? [p.y] : [])));
  const xs = spec.series.flatMap(s => s.points.map(p => p.x));
  const key = legend(spec.series.map(sideEntry), BOX.left + BOX.width, LEGEND_Y);
  if (ys.length === 0) return frame(spec.kind, spec.title, key + emptyNote(BOX, 'no data'));
  const u = unitScale(spec.unit, Math.max(...ys.map(Math.abs)));
  const yt = niceTicks(Math.min(0, ...ys) / u.divisor, Math.max(...ys) / u.divisor);
  // x spans the data exactly (a trial's seconds), with round ticks inside it.
  const [x0, x1] = [Math.min(...xs), Math.max(Math.min(...xs) + 1, ...xs)];
  const xt = niceTicks(x0, x1, 6, 1);
  const x = linear(x0, x1, BOX.left, BOX.left + BOX.width);
  const y = linear(yt.lo, yt.hi, BOX.top + BOX.height, BOX.top);
  const lines = drawOrder(spec.series).map(s => {
    const color = SIDE_COLOR[s.side];
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    const segments = runs(s.points).map(run =>
      run.length === 1
        ? `<circle cx="${num(x(run[0]!.x))}" cy="${num(y(run[0]!.y / u.divisor))}" r="2.5" fill="${color}"/>`
        : `<path d="${run.map((p, i) => `${i ? 'L' : 'M'}${num(x(p.x))} ${num(y(p.y / u.divisor))}`).join('')}" fill="none" stroke="${color}"${dash} stroke-width="1.8" stroke-linejoin="round"/>`
    );
    return `<g class="series" data-side="${s.side}">${segments.join('')}</g>`;
  });
  const xTicks = xt.values
    .filter(v => v >= x0 && v <= x1)
    .map(v => ({ value: v, label: tickLabel(v, xt.step) }));
  return frame(
    spec.kind,
    spec.title,
    yAxis(BOX, yt, y, u.label) + xAxis(BOX, xTicks, x, spec.xLabel ?? 'second') + lines.join('') + key
  );
}

export interface DistributionSpec {
  title: string;
  series: Array<{ label: string; side: Side; points: Array<{ p: number; ms: number }> }>;
}

/** Where a percentile sits on the "nines" axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3, 99.99 → 4, 100 → 4.6. */
export function ninesPosition(p: number): number {
  if (p >= 100) return 4.6;
  return Math.min(4.3, -Math.log10(1 - p / 100));
}

const NINES_TICKS = [
  { p: 0, label: 'min' },
  { p: 50, label: '50' },
  { p: 90, label: '90' },
  { p: 99, label: '99' },
  { p: 99.9, label: '99.9' },
  { p: 99.99, label: '99.99' }
];

/** Latency (ms) by percentile on a "nines" scale, so that the tail gets as much room as the median. */
export function distributionChart(spec: DistributionSpec): string {
  const ms = spec.series.flatMap(s => s.points.map(p => p.ms)).filter(isNum);
  const key = legend(spec.series.map(sideEntry), BOX.left + BOX.width, LEGEND_Y);
  if (ms.length === 0) return frame('distribution', spec.title, key + emptyNote(BOX, 'no data'));
  const withMax = spec.series.some(s => s.points.some(p => p.p >= 100));
  const ticks = [...NINES_TICKS, ...(withMax ? [{ p: 100, label: 'max' }] : [])];
  const x = linear(0, ninesPosition(withMax ? 100 : 99.99), BOX.left, BOX.left + BOX.width);
  const yt = niceTicks(0, Math.max(...ms));
  const y = linear(yt.lo, yt.hi, BOX.top + BOX.height, BOX.top);
  const lines = drawOrder(spec.series).map(s => {
    const color = SIDE_COLOR[s.side];
    const pts = s.points.filter(p => isNum(p.ms)).map(p => [num(x(ninesPosition(p.p))), num(y(p.ms))]);
    const path =
      pts.length > 1
        ? `<path d="${pts.map(([px, py], i) => `${i ? 'L' : 'M'}${px} ${py}`).join('')}" fill="none" stroke="${color}" stroke-width="1.8"/>`
        : '';
    const dots = pts.map(([px, py]) => `<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
    return `<g class="series" data-side="${s.side}">${path}${dots.join('')}</g>`;
  });
  const xTicks = ticks.map(t => ({ value: ninesPosition(t.p), label: t.label }));
  return frame(
    'distribution',
    spec.title,
    yAxis(BOX, yt, y, 'ms') + xAxis(BOX, xTicks, x, 'percentile') + lines.join('') + key
  );
}

/** The runs of consecutive non-null points of a series (a null ends a run). */
export function runs(points: Array<{ x: number; y: number | null }>): Array<Array<{ x: number; y: number }>> {
  const out: Array<Array<{ x: number; y: number }>> = [];
  let run: Array<{ x: number; y: number }> = [];
  for (const p of points) {
    if (isNum(p.y)) run.push({ x: p.x, y: p.y });
    else if (run.length > 0) {
      out.push(run);
      run = [];
    }
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** Base under head, so the run being judged stays on top. */
function drawOrder<T extends { side: Side }>(series: T[]): T[] {
  return [...series.filter(s => s.side === 'base'), ...series.filter(s => s.side === 'head')];
}

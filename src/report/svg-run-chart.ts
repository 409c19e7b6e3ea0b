/**
 * A command benchmark's runs as an inline SVG chart (SPEC §7): each run's value by its number, head
 * and base as two series, the runs that count joined by a line, the discarded first pair and killed
 * runs drawn as hollow dots off the line. Pure; every label is XML-escaped (svg-parts.ts).
 */
import {
  BOX,
  emptyNote,
  frame,
  isNum,
  legend,
  LEGEND_Y,
  linear,
  MUTED,
  niceTicks,
  num,
  SIDE_COLOR,
  tickLabel,
  unitScale,
  xAxis,
  yAxis,
  type LegendEntry,
  type Side
} from './svg-parts.js';

export interface RunPoint {
  /** The run's number on its side (the pair's, in paired mode), from 1. */
  x: number;
  y: number | null;
  /** The first pair of a paired run: measured, never compared. */
  discarded?: boolean;
  /** Timed out or killed: not counted. */
  failed?: boolean;
}

export interface RunChartSpec {
  title: string;
  /** `ms` or `bytes` (shown in KB/MB/GB). */
  unit: string;
  /** `pair` or `run`. */
  xLabel: string;
  series: Array<{ label: string; side: Side; points: RunPoint[] }>;
}

/** Per-run values of one or two sides; hollow dots mark the runs that do not count. */
export function runChart(spec: RunChartSpec): string {
  const all = spec.series.flatMap(s => s.points.filter(p => isNum(p.y)));
  const skipped = all.some(p => p.discarded || p.failed);
  const entries: LegendEntry[] = [
    ...spec.series.map(s => ({ label: s.label, color: SIDE_COLOR[s.side] })),
    ...(skipped ? [{ label: '○ not counted', color: MUTED, dashed: true }] : [])
  ];
  const key = legend(entries, BOX.left + BOX.width, LEGEND_Y);
  if (all.length === 0) return frame('runs', spec.title, key + emptyNote(BOX, 'no runs'));
  const ys = all.map(p => p.y!);
  const u = unitScale(spec.unit, Math.max(...ys));
  const yt = niceTicks(0, Math.max(...ys) / u.divisor);
  const xs = all.map(p => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(Math.min(...xs) + 1, ...xs)];
  // Half a run of room at each end, so the first and last dots do not sit on the axes.
  const x = linear(x0 - 0.5, x1 + 0.5, BOX.left, BOX.left + BOX.width);
  const y = linear(yt.lo, yt.hi, BOX.top + BOX.height, BOX.top);
  const groups = [...spec.series]
    .sort((a, b) => (a.side === b.side ? 0 : a.side === 'base' ? -1 : 1))
    .map(s => {
      const color = SIDE_COLOR[s.side];
      const pts = s.points.filter(p => isNum(p.y));
      const at = (p: RunPoint) => `${num(x(p.x))} ${num(y(p.y! / u.divisor))}`;
      const counted = pts.filter(p => !p.discarded && !p.failed);
      const line =
        counted.length > 1
          ? `<path d="${counted.map((p, i) => `${i ? 'L' : 'M'}${at(p)}`).join('')}" fill="none" stroke="${color}" stroke-width="1.5" stroke-opacity="0.7"/>`
          : '';
      const dots = pts.map(p => {
        const [cx, cy] = at(p).split(' ');
        const off = p.discarded || p.failed;
        return off
          ? `<circle cx="${cx}" cy="${cy}" r="3.5" fill="#ffffff" stroke="${color}" stroke-width="1.5" data-counted="false"/>`
          : `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}" data-counted="true"/>`;
      });
      return `<g class="series" data-side="${s.side}">${line}${dots.join('')}</g>`;
    });
  const xt = niceTicks(x0, x1, 8, 1);
  const xTicks = xt.values
    .filter(v => v >= x0 && v <= x1)
    .map(v => ({ value: v, label: tickLabel(v, xt.step) }));
  return frame(
    'runs',
    spec.title,
    yAxis(BOX, yt, y, u.label) + xAxis(BOX, xTicks, x, spec.xLabel) + groups.join('') + key
  );
}

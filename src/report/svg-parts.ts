/**
 * Building blocks of the report's inline SVG charts (svg-charts.ts): XML escaping, "nice" axis
 * ticks, linear scales, the frame with its accessible name, axes and legend. Pure string building,
 * no DOM; every piece of text that reaches the markup goes through `escapeXml`.
 */
import { formatNumber } from './format.js';

/** Size of every chart's viewBox; the page scales it to its column. */
export const WIDTH = 640;
export const HEIGHT = 260;

/** The plotting area inside the viewBox. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Side = 'head' | 'base';

/** The plotting area of the full-width charts (room for tick labels left, the legend above). */
export const BOX: Box = { left: 64, top: 52, width: WIDTH - 64 - 20, height: 168 };
/** The legend's row, between the title and the plotting area. */
export const LEGEND_Y = 36;

export const SIDE_COLOR = { head: '#0969da', base: '#bc4c00' } as const;
export const INK = '#24292f';
export const MUTED = '#57606a';
export const GRID = '#d0d7de';

/** Text safe in XML character data and in double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with one decimal: enough on a 640-wide viewBox, and it keeps the markup short. */
export function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return v => r0 + (v - d0) * k;
}

export interface Ticks {
  lo: number;
  hi: number;
  step: number;
  values: number[];
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max], and the domain
 * they span, the step at least `minStep` (Heckbert's "nice numbers for graph labels", Graphics Gems, 1990).
 */
export function niceTicks(min: number, max: number, count = 5, minStep = 0): Ticks {
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo = lo === 0 ? 0 : lo - pad;
    hi = hi + pad;
  }
  const rough = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const r = rough / magnitude;
  const step = Math.max(minStep, (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude);
  const digits = decimals(step);
  const niceLo = Number((Math.floor(lo / step + 1e-9) * step).toFixed(digits));
  const niceHi = Number((Math.ceil(hi / step - 1e-9) * step).toFixed(digits));
  const values: number[] = [];
  for (let v = niceLo; v <= niceHi + step / 2; v += step) values.push(Number(v.toFixed(digits)));
  return { lo: niceLo, hi: niceHi, step, values };
}

/** Decimals a tick label needs at this step (0.2 → 1, 0.05 → 2, 50 → 0). */
export function decimals(step: number): number {
  return Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
}

/** A tick label at this step: `2,000`, `0.5`. */
export function tickLabel(v: number, step: number): string {
  return formatNumber(v, decimals(step)).replace(/^-/, '−');
}

/**
 * The opening tag with the chart's accessible name (`role="img"`, `aria-label`, `<title>`) and a
 * plain background; `kind` names the chart for styling and tests.
 */
export function frame(kind: string, title: string, body: string, height = HEIGHT): string {
  const t = escapeXml(title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeXml(kind)}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${t}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11" fill="${INK}">` +
    `<title>${t}</title>` +
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>` +
    `<text x="8" y="18" font-size="13" font-weight="600">${escapeXml(truncate(title, 76))}</text>` +
    body +
    `</svg>`
  );
}

/** At most `max` characters, the cut marked with an ellipsis (the full text stays in `<title>`). */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A y axis at the box's left edge: grid lines, tick labels and the unit label above. */
export function yAxis(box: Box, ticks: Ticks, y: (v: number) => number, label: string): string {
  const lines = ticks.values.map(v => {
    const py = num(y(v));
    return (
      `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${py}" y2="${py}" stroke="${GRID}" stroke-width="1"/>` +
      `<text x="${num(box.left - 6)}" y="${py}" text-anchor="end" dominant-baseline="middle" fill="${MUTED}">${escapeXml(tickLabel(v, ticks.step))}</text>`
    );
  });
  return (
    `<g class="y-axis">${lines.join('')}` +
    `<text x="${num(box.left - 6)}" y="${num(box.top - 8)}" text-anchor="end" fill="${MUTED}">${escapeXml(label)}</text></g>`
  );
}

/** An x axis along the box's bottom edge: the baseline, ticks, tick labels and the axis label. */
export function xAxis(
  box: Box,
  ticks: Array<{ value: number; label: string }>,
  x: (v: number) => number,
  label: string
): string {
  const bottom = box.top + box.height;
  const marks = ticks.map(t => {
    const px = num(x(t.value));
    return (
      `<line x1="${px}" x2="${px}" y1="${num(bottom)}" y2="${num(bottom + 4)}" stroke="${MUTED}"/>` +
      `<text x="${px}" y="${num(bottom + 15)}" text-anchor="middle" fill="${MUTED}">${escapeXml(t.label)}</text>`
    );
  });
  return (
    `<g class="x-axis"><line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(bottom)}" y2="${num(bottom)}" stroke="${MUTED}"/>` +
    `${marks.join('')}<text x="${num(box.left + box.width)}" y="${num(bottom + 29)}" text-anchor="end" fill="${MUTED}">${escapeXml(label)}</text></g>`
  );
}

export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
}

/** Swatches and labels in one row, right-aligned at `right`. */
export function legend(entries: LegendEntry[], right: number, y: number): string {
  // Text width is estimated (no DOM to measure): ~6.2 px per character at font-size 11.
  const widths = entries.map(e => 22 + 6.2 * e.label.length + 12);
  let x = right - widths.reduce((a, b) => a + b, 0);
  const items = entries.map((e, i) => {
    const dash = e.dashed ? ' stroke-dasharray="4 3"' : '';
    const item =
      `<line x1="${num(x)}" x2="${num(x + 18)}" y1="${num(y)}" y2="${num(y)}" stroke="${e.color}" stroke-width="2"${dash}/>` +
      `<text x="${num(x + 22)}" y="${num(y)}" dominant-baseline="middle">${escapeXml(e.label)}</text>`;
    x += widths[i]!;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

/** A centred note in an empty plotting area. */
export function emptyNote(box: Box, text: string): string {
  return `<text x="${num(box.left + box.width / 2)}" y="${num(box.top + box.height / 2)}" text-anchor="middle" fill="${MUTED}">${escapeXml(text)}</text>`;
}

/**
 * Display scale of a unit: bytes (`bytes`, an import's `B`) in the binary unit that suits the largest
 * value, an import's nanoseconds in ns, µs, ms or s, ratios in %.
 */
export function unitScale(unit: string, max: number): { divisor: number; label: string } {
  if (unit === 'ns') {
    const [divisor, label] =
      max >= 1e9 ? [1e9, 's'] : max >= 1e6 ? [1e6, 'ms'] : max >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
    return { divisor, label };
  }
  if (unit === 'bytes' || unit === 'B') {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    const i = Math.max(
      0,
      Math.min(units.length - 1, Math.floor(Math.log(Math.max(1, max)) / Math.log(1024)))
    );
    return { divisor: 1024 ** i, label: units[i]! };
  }
  if (unit === 'ratio') return { divisor: 0.01, label: '%' };
  return { divisor: 1, label: unit };
}

/** The legend entry of a series: its side's colour, dashed or not. */
export function sideEntry(s: { label: string; side: Side; dashed?: boolean }): LegendEntry {
  return { label: s.label, color: SIDE_COLOR[s.side], dashed: s.dashed };
}

export function isNum(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

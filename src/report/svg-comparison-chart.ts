/**
 * The per-trial chart of one gated comparison (SPEC §7 "per-trial distributions against the
 * baseline"): each trial's value of base and head side by side, and the change estimate with its
 * interval against the band ±δ. Pure; every label is XML-escaped.
 */
import { formatChange } from './format.js';
import {
  BOX,
  emptyNote,
  escapeXml,
  frame,
  GRID,
  INK,
  isNum,
  legend,
  LEGEND_Y,
  linear,
  MUTED,
  niceTicks,
  num,
  SIDE_COLOR,
  unitScale,
  xAxis,
  yAxis,
  type Box,
  type Side
} from './svg-parts.js';

export interface TrialComparisonSpec {
  title: string;
  /** Unit of the per-trial values: `ms`, `req/s`, `ratio`, `%`, `bytes`, `count`. */
  unit: string;
  better: 'lower' | 'higher';
  verdict: 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
  /** Relative change head vs base and its interval (fractions), and the relevant change δ. */
  estimate: number;
  interval: [number, number];
  delta: number;
  head: number[];
  /** Empty against a stored baseline whose trials are not in the results. */
  base: number[];
  /** Medians of each side's per-trial values, drawn as bars (dashed for a side without dots). */
  medians?: { base: number; head: number };
  /** What one value is: a profile's trial (default) or a benchmark's run. */
  sample?: 'trial' | 'run';
}

export const VERDICT_COLOR = {
  regressed: '#cf222e',
  improved: '#1a7f37',
  unchanged: '#57606a',
  inconclusive: '#9a6700'
} as const;

/**
 * Left: each trial's value, base and head side by side, with each side's median. Right: the change
 * estimate and its interval on a relative scale against the band ±δ, coloured by the verdict.
 */
export function trialComparisonChart(spec: TrialComparisonSpec): string {
  const left: Box = { ...BOX, width: 330 };
  const right: Box = { ...BOX, left: 486, width: 120 };
  const medians = spec.medians ? [spec.medians.base, spec.medians.head] : [];
  const sample = spec.sample ?? 'trial';
  const values = [...spec.head, ...spec.base, ...medians].filter(isNum);
  const u = unitScale(spec.unit, Math.max(0, ...values.map(Math.abs)));
  const yt = niceTicks(Math.min(...values) / u.divisor, Math.max(...values) / u.divisor);
  const y = linear(yt.lo, yt.hi, left.top + left.height, left.top);
  const columns: Array<[Side, number[], number | undefined]> = [
    ['base', spec.base, spec.medians?.base],
    ['head', spec.head, spec.medians?.head]
  ];
  const cx = (i: number) => left.left + left.width * (i === 0 ? 0.3 : 0.7);
  const dots = columns.map(([side, vs, median], i) => {
    const color = SIDE_COLOR[side];
    // Deterministic jitter (golden-ratio sequence) so that equal values do not hide each other.
    const marks = vs.filter(isNum).map((v, k) => {
      const dx = (((k * 0.618034) % 1) - 0.5) * 60;
      return `<circle cx="${num(cx(i) + dx)}" cy="${num(y(v / u.divisor))}" r="3.2" fill="${color}" fill-opacity="0.65"/>`;
    });
    const my = isNum(median) ? num(y(median / u.divisor)) : '';
    const bar = isNum(median)
      ? `<line x1="${num(cx(i) - 44)}" x2="${num(cx(i) + 44)}" y1="${my}" y2="${my}" stroke="${color}" stroke-width="2.5"${vs.length ? '' : ' stroke-dasharray="5 3"'}/>`
      : '';
    return `<g class="series" data-side="${side}">${marks.join('')}${bar}</g>`;
  });
  const columnLabels = columns.map(([side, vs], i) => ({ value: i, label: `${side} (${vs.length})` }));
  return frame(
    'comparison',
    spec.title,
    (values.length > 0 ? yAxis(left, yt, y, u.label) : emptyNote(left, `no valid ${sample}s`)) +
      xAxis(left, columnLabels, cx, `per ${sample}, ${spec.better} is better`) +
      dots.join('') +
      changePanel(spec, right) +
      legend(
        [
          { label: 'base', color: SIDE_COLOR.base },
          { label: 'head', color: SIDE_COLOR.head }
        ],
        left.left + left.width,
        LEGEND_Y
      )
  );
}

/** The change estimate with its interval (in %) against the band ±δ around zero. */
function changePanel(spec: TrialComparisonSpec, box: Box): string {
  const pct = (v: number) => v * 100;
  const d = Math.abs(spec.delta);
  const finite = [spec.estimate, ...spec.interval].filter(isNum);
  const ct = niceTicks(Math.min(-d, 0, ...finite) * 110, Math.max(d, 0, ...finite) * 110, 4);
  const y = linear(ct.lo, ct.hi, box.top + box.height, box.top);
  // An unbounded end of the interval (too few trials) runs to the edge of the panel.
  const at = (v: number) => y(isNum(v) ? Math.min(ct.hi, Math.max(ct.lo, pct(v))) : v > 0 ? ct.hi : ct.lo);
  const mid = box.left + box.width / 2;
  const color = VERDICT_COLOR[spec.verdict];
  const [lo, hi] = [at(spec.interval[0]), at(spec.interval[1])];
  const band =
    `<rect x="${num(box.left)}" y="${num(y(pct(d)))}" width="${num(box.width)}" height="${num(Math.max(0, y(-pct(d)) - y(pct(d))))}" fill="#ddf4ff"/>` +
    `<text x="${num(box.left + 3)}" y="${num(y(pct(d)) + 12)}" fill="${MUTED}">±δ ${escapeXml(formatChange(d).replace('+', ''))}</text>` +
    `<line x1="${num(box.left)}" x2="${num(box.left + box.width)}" y1="${num(y(0))}" y2="${num(y(0))}" stroke="${GRID}" stroke-width="1.5"/>`;
  const caps = [lo, hi].map(
    v =>
      `<line x1="${num(mid - 8)}" x2="${num(mid + 8)}" y1="${num(v)}" y2="${num(v)}" stroke="${color}" stroke-width="2"/>`
  );
  const ey = num(at(spec.estimate));
  const whisker =
    `<line x1="${num(mid)}" x2="${num(mid)}" y1="${num(lo)}" y2="${num(hi)}" stroke="${color}" stroke-width="2.5"/>` +
    caps.join('') +
    `<circle cx="${num(mid)}" cy="${ey}" r="4.5" fill="${color}"/>` +
    `<text x="${num(mid + 12)}" y="${ey}" dominant-baseline="middle" fill="${INK}">${escapeXml(formatChange(spec.estimate))}</text>`;
  return (
    `<g class="change" data-verdict="${spec.verdict}">` +
    yAxis(box, ct, y, 'change %') +
    band +
    whisker +
    xAxis(box, [{ value: 0, label: spec.verdict }], () => mid, 'head vs base') +
    `</g>`
  );
}

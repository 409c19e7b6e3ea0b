/**
 * Flame graphs of a profile's pruned call tree (model-profiling.ts `FlameNode`) as inline SVG for
 * report.html (SPEC §11): self-contained (no script; each frame's `<title>` is its hover text),
 * drawn as an icicle — the root on top, callees below, as DevTools' flame chart reads — with each
 * frame as wide as its total value and children heaviest first. `(idle)` is not drawn: widths are
 * shares of the busy total, like every share of the report (profiling/call-tree.ts).
 *
 * Bounded whatever the profile: the tree comes pruned (nodes under 0.1 % folded), frames narrower
 * than half a pixel are dropped, and at most `maxRects` frames are drawn, the widest — a parent is
 * never narrower than its child, so what is kept is a whole top of the tree. Names are cut to fit
 * and escaped; colours are deterministic, by package (or file), runtime internals grey.
 *
 * The differential graph draws the head's tree, each frame coloured by how its share (its width)
 * changed from the base's frame on the same call path (paired as frames.ts `matchFrames` pairs
 * functions: another checkout's paths and moved lines still match): red grew, blue shrank, the stronger the
 * more points. Frames only the base has are not drawn (the report lists them as shrinkers).
 */
import type { FlameNode } from '../model-profiling.js';
import { isIdle, isRuntimeInternal, matchFrames } from '../profiling/frames.js';
import { formatBytes, formatMs } from './format.js';
import { escapeXml, INK, MUTED, num, truncate } from './svg-parts.js';

/** viewBox width; the page scales the graph to its column. */
export const FLAME_WIDTH = 1200;
/** Height of a frame's row. */
export const FLAME_ROW = 16;
/** Frames drawn at most (about 200 bytes each). */
export const MAX_FRAMES = 1500;
/** Frames narrower than this (viewBox units ≈ px at full width) are not drawn. */
export const MIN_FRAME_WIDTH = 0.5;
/** A share change (points) drawn in full red or blue; smaller ones paler. */
export const FULL_CHANGE_POINTS = 10;

const HEADER = 40;
/** Approximate width of a character at font-size 11 (no DOM to measure). */
const CHAR_WIDTH = 6.4;
const INTERNAL_FILL = '#b4b4b4';
const NODE_FILL = '#d2d2d2';

export interface FlameGraphOptions {
  /** The graph's title and accessible name. */
  title: string;
  /** Unit of the tree's values: `us`, `ns`, `bytes`. */
  unit: string;
  /** How a frame's file is shown (e.g. relative to the repository); as is by default. */
  fileLabel?: (file: string) => string;
  /** At most this many frames (default MAX_FRAMES). */
  maxFrames?: number;
}

/** A profile value in its unit for people: CPU time in ms or s, memory in KB, MB. */
export function profileValue(value: number, unit: string): string {
  if (unit === 'us') return formatMs(value / 1000);
  if (unit === 'ns') return formatMs(value / 1e6);
  if (unit === 'bytes') return formatBytes(value);
  return `${value} ${unit}`;
}

/** Where a frame is: `src/app.js:12`, the file alone when the line is unknown, '' without a file (the runtime's own). */
export function frameWhere(
  f: { name: string; file: string; line: number },
  fileLabel = (s: string) => s
): string {
  if (!f.file) return '';
  return f.line > 0 ? `${fileLabel(f.file)}:${f.line}` : fileLabel(f.file);
}

interface Placed {
  node: FlameNode;
  x: number;
  w: number;
  depth: number;
  /** The base's node on the same call path (differential graphs). */
  base?: FlameNode;
}

/** The busy total: the root's value less its `(idle)` children. */
export function busyValue(root: FlameNode): number {
  return root.v - (root.c ?? []).filter(c => isIdle({ name: c.n, file: c.f })).reduce((s, c) => s + c.v, 0);
}

/** Each of the head's children with the base's child on the same call path (frames.ts `matchFrames`). */
function twinsOf(head: FlameNode[], base: FlameNode[] | undefined): Map<FlameNode, FlameNode> | undefined {
  if (!base) return undefined;
  const twins = new Map<FlameNode, FlameNode>();
  for (const pair of matchFrames(base, head, n => ({ name: n.n, file: n.f, line: n.l })))
    if (pair.base && pair.head) twins.set(pair.head, pair.base);
  return twins;
}

/**
 * Every frame wide enough, parents before children, each with its base twin when `base` is given;
 * then the widest `max` of them (ties: shallower first, so a parent stays before its child).
 */
function layout(root: FlameNode, max: number, base?: FlameNode): { placed: Placed[]; dropped: number } {
  const busy = busyValue(root);
  const scale = busy > 0 ? FLAME_WIDTH / busy : 0;
  const placed: Placed[] = [{ node: root, x: 0, w: busy > 0 ? FLAME_WIDTH : 0, depth: 0, base }];
  let dropped = 0;
  for (let i = 0; i < placed.length; i++) {
    const p = placed[i]!;
    const twins = twinsOf(p.node.c ?? [], p.base?.c);
    let x = p.x;
    for (const child of p.node.c ?? []) {
      if (p.depth === 0 && isIdle({ name: child.n, file: child.f })) continue;
      const w = child.v * scale;
      if (w >= MIN_FRAME_WIDTH)
        placed.push({ node: child, x, w, depth: p.depth + 1, base: twins?.get(child) });
      else dropped++;
      x += w;
    }
  }
  if (placed.length <= max) return { placed, dropped };
  const kept = [...placed].sort((a, b) => b.w - a.w || a.depth - b.depth).slice(0, max);
  return { placed: kept, dropped: dropped + placed.length - kept.length };
}

/** FNV-1a of a string: the same package gets the same colour in every report. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** What a frame is coloured by: its npm package (`node_modules/@scope/name`) or else its file. */
export function colourKey(file: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return m ? m[1]! : file;
}

/** A warm colour per package or file; grey for the runtime's internals and Node's own modules. */
export function frameFill(f: { name: string; file: string }): string {
  if (isRuntimeInternal(f) || !f.file) return INTERNAL_FILL;
  if (f.file.startsWith('node:')) return NODE_FILL;
  const h = hash(colourKey(f.file));
  return `hsl(${h % 50},${70 + ((h >>> 8) % 20)}%,${58 + ((h >>> 16) % 10)}%)`;
}

/** Red for a share that grew, blue for one that shrank, paler the fewer points (√ scale, full at FULL_CHANGE_POINTS). */
export function changeFill(points: number): string {
  const t = Math.min(1, Math.sqrt(Math.abs(points) / FULL_CHANGE_POINTS));
  const to = points > 0 ? [222, 45, 38] : [49, 110, 205];
  const from = [236, 236, 236];
  const c = from.map((v, i) => Math.round(v + (to[i]! - v) * (Math.abs(points) < 0.05 ? 0 : t)));
  return `rgb(${c.join(',')})`;
}

function share(v: number, busy: number): string {
  return busy > 0 ? `${((v / busy) * 100).toFixed(1)} %` : '–';
}

/** One frame: its hover text, its box and the name as much as fits. */
function frameMarkup(p: Placed, fill: string, hover: string): string {
  const y = HEADER + p.depth * FLAME_ROW;
  const chars = Math.floor((p.w - 6) / CHAR_WIDTH);
  const label =
    chars >= 3
      ? `<text x="${num(p.x + 3)}" y="${num(y + 11.5)}">${escapeXml(truncate(p.node.n, chars))}</text>`
      : '';
  return (
    `<g><title>${escapeXml(hover)}</title>` +
    `<rect x="${num(p.x)}" y="${y}" width="${num(Math.max(p.w - 0.5, 0.3))}" height="${FLAME_ROW - 1}" fill="${fill}"/>` +
    `${label}</g>`
  );
}

/** The SVG around `frames` (one per placed frame), as tall as the deepest of them. */
function svg(kind: string, title: string, note: string, placed: readonly Placed[], frames: string[]): string {
  const depth = Math.max(0, ...placed.map(p => p.depth));
  const height = HEADER + (depth + 1) * FLAME_ROW + 4;
  const t = escapeXml(title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="flame" data-chart="${kind}" data-frames="${placed.length}" ` +
    `viewBox="0 0 ${FLAME_WIDTH} ${height}" role="img" aria-label="${t}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11" fill="${INK}">` +
    `<title>${t}</title><rect width="${FLAME_WIDTH}" height="${height}" fill="#ffffff"/>` +
    `<text x="4" y="16" font-size="13" font-weight="600">${escapeXml(truncate(title, 150))}</text>` +
    `<text x="4" y="32" fill="${MUTED}">${escapeXml(note)}</text>` +
    `${frames.join('')}</svg>`
  );
}

/** What a frame's hover text says of it: name, place, total and self with their shares. */
function describe(n: FlameNode, busy: number, opts: FlameGraphOptions): string {
  const where = frameWhere({ name: n.n, file: n.f, line: n.l }, opts.fileLabel);
  const what = isRuntimeInternal({ name: n.n, file: n.f }) ? ' — the runtime' : where ? ` — ${where}` : '';
  return (
    `${n.n}${what}\n` +
    `total ${profileValue(n.v, opts.unit)} (${share(n.v, busy)}), self ${profileValue(n.s, opts.unit)} (${share(n.s, busy)})`
  );
}

/** ` busy` after a time (idle left out), nothing after bytes. */
function busyWord(unit: string): string {
  return unit === 'bytes' ? '' : ' busy';
}

function droppedNote(dropped: number): string {
  return dropped > 0 ? `; ${dropped} narrower frame(s) not drawn` : '';
}

/** The flame graph (icicle) of one profile's pruned tree. */
export function flameGraph(root: FlameNode, opts: FlameGraphOptions): string {
  const busy = busyValue(root);
  const { placed, dropped } = layout(root, opts.maxFrames ?? MAX_FRAMES);
  const idle = root.v - busy;
  const frames = placed.map(p => {
    const hover =
      p.depth === 0
        ? `all: ${profileValue(busy, opts.unit)}${busyWord(opts.unit)}`
        : describe(p.node, busy, opts);
    const fill = p.depth === 0 ? INTERNAL_FILL : frameFill({ name: p.node.n, file: p.node.f });
    return frameMarkup(p.depth === 0 ? { ...p, node: { ...p.node, n: 'all' } } : p, fill, hover);
  });
  const note =
    `width: share of ${profileValue(busy, opts.unit)}${busyWord(opts.unit)}` +
    (idle > 0
      ? ` (idle ${profileValue(idle, opts.unit)}, ${share(idle, root.v)} of the recording, not drawn)`
      : '') +
    droppedNote(dropped);
  return svg('flame', opts.title, note, placed, frames);
}

/**
 * The differential flame graph: the head's tree, each frame coloured by the change of its share
 * (of each side's busy total) from the base's frame on the same call path.
 */
export function diffFlameGraph(base: FlameNode, head: FlameNode, opts: FlameGraphOptions): string {
  const busy = busyValue(head);
  const baseBusy = busyValue(base);
  const { placed, dropped } = layout(head, opts.maxFrames ?? MAX_FRAMES, base);
  const frames = placed.map(p => {
    const now = busy > 0 ? p.node.v / busy : 0;
    const before = p.base && baseBusy > 0 ? p.base.v / baseBusy : 0;
    const points = (now - before) * 100;
    const change = p.base
      ? `base ${share(p.base.v, baseBusy)} → head ${share(p.node.v, busy)} (${signedPoints(points)})`
      : `new in head: ${share(p.node.v, busy)} (${signedPoints(points)})`;
    const hover =
      p.depth === 0
        ? `all: ${profileValue(busy, opts.unit)}${busyWord(opts.unit)} in head, ${profileValue(baseBusy, opts.unit)} in base`
        : `${describe(p.node, busy, opts)}\n${change}`;
    return frameMarkup(
      p.depth === 0 ? { ...p, node: { ...p.node, n: 'all' } } : p,
      p.depth === 0 ? INTERNAL_FILL : changeFill(points),
      hover
    );
  });
  const note =
    `head's frames; red: larger share than in base, blue: smaller (full colour at ±${FULL_CHANGE_POINTS} points)` +
    droppedNote(dropped);
  return svg('flame-diff', opts.title, note, placed, frames);
}

/** `+12.3 pts`, `−4.0 pts`. */
export function signedPoints(points: number): string {
  const rounded = Math.abs(points) < 0.05 ? 0 : points;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(1)} pts`;
}

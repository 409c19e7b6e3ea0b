/**
 * Node's CPU profile (`.cpuprofile`, the inspector's `Profiler.stop` result, what `node --cpu-prof`
 * writes and Chrome DevTools and speedscope open): read with clear errors, merged over a load
 * profile's trials into one artifact, and turned into the source-blind call tree (call-tree.ts).
 *
 * Time per sample follows Chrome DevTools: sample i lasts until sample i + 1 is taken, and the last
 * one as long as the mean interval. A merged profile marks the end of each window with a sample on
 * the `(root)` node — an empty stack, which DevTools and speedscope draw as nothing — so the time
 * between trials is attributed to no function and the merged profile's tree is the trials' trees
 * merged. Node never samples `(root)` itself, so those samples are left out of the tree.
 */
import { type CallFrame, callFrameKey, frameOf, readCallFrame } from './call-frame.js';
import { type CallNode, type CallTree, childFor, emptyTree } from './call-tree.js';
import { JsonReader } from './profile-json.js';

export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  /** Samples whose leaf this node is. */
  hitCount?: number;
  /** Child node ids. */
  children?: number[];
  /** Samples per source line of the function (1-based lines), for DevTools' line view. */
  positionTicks?: Array<{ line: number; ticks: number }>;
  deoptReason?: string;
}

export interface CpuProfile {
  /** The call tree; the node no other node lists as a child is the root, `(root)`. */
  nodes: CpuProfileNode[];
  /** Start and end of the recording, µs on the process's monotonic clock. */
  startTime: number;
  endTime: number;
  /** The leaf node id of each sample, in the order taken. */
  samples?: number[];
  /** µs from the previous sample (the first: from startTime); may be negative (samples out of order). */
  timeDeltas?: number[];
}

const FORMAT = 'Node .cpuprofile';

/** The profile's nodes by id, and every node under the root breadth first (the root first). */
function structure(p: CpuProfile): { byId: Map<number, CpuProfileNode>; order: CpuProfileNode[] } {
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const hasParent = new Set<number>();
  for (const n of p.nodes) for (const c of n.children ?? []) hasParent.add(c);
  const root = p.nodes.find(n => !hasParent.has(n.id));
  if (!root) throw new RangeError('cpu profile: no root node');
  // Breadth first from the root: parents before children.
  const order = [root];
  for (let i = 0; i < order.length; i++)
    for (const c of order[i]!.children ?? []) {
      const child = byId.get(c);
      if (!child) throw new RangeError(`cpu profile: node ${order[i]!.id} lists an unknown child ${c}`);
      order.push(child);
    }
  return { byId, order };
}

/**
 * The samples in time order: each one's node id and time (µs). Without `timeDeltas` the samples are
 * spread evenly over the recording. Undefined when the profile has no `samples` (hit counts only).
 */
function timeline(p: CpuProfile): { ids: number[]; times: number[] } | undefined {
  const samples = p.samples;
  if (!samples) return undefined;
  const n = samples.length;
  const times = new Array<number>(n);
  let sorted = true;
  if (p.timeDeltas) {
    let t = p.startTime;
    for (let i = 0; i < n; i++) {
      const d = p.timeDeltas[i] ?? 0;
      if (d < 0) sorted = false;
      t += d;
      times[i] = t;
    }
  } else {
    const step = n > 0 ? (p.endTime - p.startTime) / n : 0;
    for (let i = 0; i < n; i++) times[i] = p.startTime + i * step;
  }
  if (sorted) return { ids: samples, times };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  return { ids: order.map(i => samples[i]!), times: order.map(i => times[i]!) };
}

/** How long each sample of a timeline lasts (DevTools' rule, see the header), µs. */
function durations(times: readonly number[], endTime: number): number[] {
  const n = times.length;
  const out = new Array<number>(n);
  for (let i = 0; i + 1 < n; i++) out[i] = times[i + 1]! - times[i]!;
  if (n > 0) out[n - 1] = lastDuration(times, endTime);
  return out;
}

/** The last sample lasts the mean interval; a lone sample, until the end of the recording. */
function lastDuration(times: readonly number[], endTime: number): number {
  const n = times.length;
  if (n >= 2) return (times[n - 1]! - times[0]!) / (n - 1);
  return n === 1 ? Math.max(0, endTime - times[0]!) : 0;
}

/**
 * The profile as a call tree, unit `us`: each sample's value its time (see the header); a profile
 * without `samples` gives each node hitCount × the mean interval (recording time ÷ all hits).
 * Frames are keyed by (name, file, 1-based line), so nodes of one function at different columns
 * or in reloaded scripts merge.
 */
export function cpuProfileTree(p: CpuProfile): CallTree {
  const tree = emptyTree('us');
  const { byId, order } = structure(p);
  const rootId = order[0]!.id;
  const nodeOf = new Map<number, CallNode>([[rootId, tree.root]]);
  for (const n of order)
    for (const c of n.children ?? [])
      nodeOf.set(c, childFor(nodeOf.get(n.id)!, frameOf(byId.get(c)!.callFrame)));
  const line = timeline(p);
  if (line) {
    const d = durations(line.times, p.endTime);
    for (let i = 0; i < line.ids.length; i++) {
      const id = line.ids[i]!;
      if (id === rootId) continue;
      const node = nodeOf.get(id);
      if (!node) throw new RangeError(`cpu profile: sample ${i} names an unknown node ${id}`);
      node.self += d[i]!;
      node.samples += 1;
    }
    return tree;
  }
  const hits = p.nodes.reduce((sum, n) => sum + (n.id === rootId ? 0 : (n.hitCount ?? 0)), 0);
  const interval = hits > 0 ? (p.endTime - p.startTime) / hits : 0;
  for (const n of p.nodes) {
    if (n.id === rootId || !n.hitCount) continue;
    const node = nodeOf.get(n.id)!;
    node.self += n.hitCount * interval;
    node.samples += n.hitCount;
  }
  return tree;
}

/**
 * One profile of several recordings of the same process (the trials of a load profile), as
 * DevTools and speedscope open it: nodes merged by call path (call frames equal, column and script
 * included) with fresh ids, samples in time order with their deltas, each window's end marked by a
 * `(root)` sample (see the header) so the gap before the next window is one delta drawn as nothing;
 * the first recording's start and the last one's end. When a recording has no `samples`, the merged
 * profile has hit counts only. A single profile is returned as it is.
 */
export function mergeCpuProfiles(ps: readonly CpuProfile[]): CpuProfile {
  if (ps.length === 0) throw new RangeError('mergeCpuProfiles: no profiles to merge');
  if (ps.length === 1) return ps[0]!;
  const sorted = [...ps].sort((a, b) => a.startTime - b.startTime);
  const timed = sorted.every(p => p.samples !== undefined);
  const nodes: CpuProfileNode[] = [];
  const ticks = new Map<CpuProfileNode, Map<number, number>>();
  // Each merged node's children by call frame (nested maps: no long path strings to hash).
  const childrenOf = new Map<CpuProfileNode | undefined, Map<string, CpuProfileNode>>();
  const ids: number[] = [];
  const times: number[] = [];
  for (const p of sorted) {
    const { order } = structure(p);
    const parentOf = new Map<number, CpuProfileNode>();
    const merged = new Map<number, CpuProfileNode>();
    for (const n of order) {
      const parent = parentOf.get(n.id);
      const key = parent ? callFrameKey(n.callFrame) : '';
      let siblings = childrenOf.get(parent);
      if (!siblings) childrenOf.set(parent, (siblings = new Map()));
      let node = siblings.get(key);
      if (!node) {
        node = { id: nodes.length + 1, callFrame: { ...n.callFrame }, hitCount: 0 };
        if (n.deoptReason) node.deoptReason = n.deoptReason;
        nodes.push(node);
        siblings.set(key, node);
        if (parent) (parent.children ??= []).push(node.id);
      }
      node.hitCount! += n.hitCount ?? 0;
      for (const { line, ticks: t } of n.positionTicks ?? []) {
        const lines = ticks.get(node) ?? new Map<number, number>();
        lines.set(line, (lines.get(line) ?? 0) + t);
        ticks.set(node, lines);
      }
      merged.set(n.id, node);
      for (const c of n.children ?? []) parentOf.set(c, node);
    }
    if (!timed) continue;
    const line = timeline(p)!;
    for (let i = 0; i < line.ids.length; i++) {
      ids.push(merged.get(line.ids[i]!)!.id);
      times.push(line.times[i]!);
    }
    if (line.ids.length > 0) {
      ids.push(1);
      times.push(line.times[line.times.length - 1]! + lastDuration(line.times, p.endTime));
    }
  }
  for (const [node, lines] of ticks)
    node.positionTicks = [...lines].sort((a, b) => a[0] - b[0]).map(([line, t]) => ({ line, ticks: t }));
  const startTime = sorted[0]!.startTime;
  const out: CpuProfile = { nodes, startTime, endTime: Math.max(...sorted.map(p => p.endTime)) };
  if (timed) {
    const timeDeltas = new Array<number>(times.length);
    let previous = startTime;
    for (let i = 0; i < times.length; i++) {
      const t = Math.max(times[i]!, previous);
      timeDeltas[i] = t - previous;
      previous = t;
    }
    out.samples = ids;
    out.timeDeltas = timeDeltas;
  }
  return out;
}

/**
 * A `.cpuprofile`'s text read and checked: JSON, the shape above, ids unique, every child and
 * sample naming a node, one root, every node under it once, `timeDeltas` beside `samples` one for
 * one. A bad input is an ImportError naming `file` and the JSON path (`$.nodes[3].callFrame.url`).
 */
export function parseCpuProfile(text: string, file: string): CpuProfile {
  // Typed, so that a call of `r.fail` (never returns) narrows what follows.
  const r: JsonReader = new JsonReader(file, FORMAT);
  const o = r.object(r.parse(text), []);
  const rawNodes = r.array(o.nodes, ['nodes']);
  if (rawNodes.length === 0) r.fail(['nodes'], 'no nodes: a profile has at least its (root)');
  const at = new Map<number, number>();
  const nodes = rawNodes.map((raw, i): CpuProfileNode => {
    const path = ['nodes', i];
    const n = r.object(raw, path);
    const id = r.integer(n.id, [...path, 'id']);
    if (at.has(id)) r.fail([...path, 'id'], `id ${id} again, already at $.nodes[${at.get(id)!}]`);
    at.set(id, i);
    const node: CpuProfileNode = { id, callFrame: readCallFrame(r, n.callFrame, [...path, 'callFrame']) };
    if (n.hitCount !== undefined) node.hitCount = r.size(n.hitCount, [...path, 'hitCount']);
    if (n.children !== undefined)
      node.children = r
        .array(n.children, [...path, 'children'])
        .map((c, k) => r.integer(c, [...path, 'children', k]));
    if (n.positionTicks !== undefined)
      node.positionTicks = r.array(n.positionTicks, [...path, 'positionTicks']).map((t, k) => {
        const tp = [...path, 'positionTicks', k];
        const tick = r.object(t, tp);
        return { line: r.integer(tick.line, [...tp, 'line']), ticks: r.size(tick.ticks, [...tp, 'ticks']) };
      });
    if (typeof n.deoptReason === 'string') node.deoptReason = n.deoptReason;
    return node;
  });
  const parentAt = new Map<number, number>();
  nodes.forEach((n, i) =>
    n.children?.forEach((c, k) => {
      const path = ['nodes', i, 'children', k];
      if (!at.has(c)) r.fail(path, `no node has id ${c}`);
      if (parentAt.has(c))
        r.fail(path, `node ${c} is already a child of the node at $.nodes[${parentAt.get(c)!}]`);
      parentAt.set(c, i);
    })
  );
  const roots = nodes.filter(n => !parentAt.has(n.id));
  if (roots.length !== 1)
    r.fail(
      ['nodes'],
      roots.length === 0
        ? 'no root: every node is a child (a cycle)'
        : `${roots.length} roots (nodes no other node lists as a child)`
    );
  const reached = structure({ nodes, startTime: 0, endTime: 0 }).order.length;
  if (reached !== nodes.length)
    r.fail(['nodes'], `${nodes.length - reached} node(s) in a cycle, not under the root`);
  const profile: CpuProfile = {
    nodes,
    startTime: r.number(o.startTime, ['startTime']),
    endTime: r.number(o.endTime, ['endTime'])
  };
  if (o.samples !== undefined) {
    // Checked inline first: a long profile has hundreds of thousands of samples.
    profile.samples = r.array(o.samples, ['samples']).map((s, i) => {
      if (typeof s === 'number' && at.has(s)) return s;
      r.fail(
        ['samples', i],
        typeof s === 'number' ? `no node has id ${s}` : `expected a node id, found ${JSON.stringify(s)}`
      );
    });
  }
  if (o.timeDeltas !== undefined) {
    const deltas = r.array(o.timeDeltas, ['timeDeltas']);
    if (!profile.samples) r.fail(['timeDeltas'], 'time deltas without samples');
    if (deltas.length !== profile.samples.length)
      r.fail(['timeDeltas'], `${deltas.length} time deltas for ${profile.samples.length} samples`);
    profile.timeDeltas = deltas.map((d, i) =>
      typeof d === 'number' && Number.isFinite(d) ? d : r.number(d, ['timeDeltas', i])
    );
  }
  return profile;
}

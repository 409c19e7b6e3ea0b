/**
 * The source-blind call tree every profile ends as (SPEC §11): frames on one call path merged, each
 * node with its own (self) value; a Node `.cpuprofile`, a sampling heap profile and a pprof profile
 * all become one (profiling/cpu-profile.ts, heap-profile.ts, pprof-profile.ts), and everything
 * after — top functions, the pruned tree the flame graphs are drawn from, the differential between
 * the sides — is computed here once.
 *
 * Shares leave `(idle)` out: a service idle between requests would otherwise make its hottest
 * function look small (a service at 20 % CPU would show it at a fifth of its share of the work),
 * and a change of load between the sides would move every share. Every share here is over the
 * *busy* total — every value but that of the runtime's `(idle)` frame — and `(idle)` is never a top
 * function nor a grower; how idle a profile was stays readable from its tree (`idleValue`).
 *
 * Every pass is linear in the nodes (children found through a map per node, walks iterative: a deep
 * recursion in the profiled code makes a deep tree), so a 200 k-sample profile summarises in
 * milliseconds (bench/profile-summary.mjs).
 */
import type { FlameNode, FunctionShare, ProfileFrame, ShareChange } from '../model-profiling.js';
import { frameKey, isIdle, matchFrames, ROOT } from './frames.js';

export { frameKey, IDLE, isIdle, isRuntimeInternal, matchFrames, ROOT } from './frames.js';

export interface CallNode extends ProfileFrame {
  /** The node's own value (CPU time, bytes) — not its children's. */
  self: number;
  /** Samples whose leaf is this node. */
  samples: number;
  /** Children, one per distinct frame (name, file, line). */
  children: CallNode[];
}

export interface CallTree {
  /** The root frame `(root)`, file '' and line 0; its self value is normally 0. */
  root: CallNode;
  /** Unit of every value: `us`, `ns`, `bytes`. */
  unit: string;
}

/**
 * Children of a node with many, by frame key, so that adding a stack never scans a long child list;
 * a short one is scanned (most nodes have a few children, and a map each would cost more).
 */
const childIndex = new WeakMap<CallNode, Map<string, CallNode>>();
const SCANNED_CHILDREN = 16;

/** The child of `parent` for `frame`, made when missing. */
export function childFor(parent: CallNode, frame: ProfileFrame): CallNode {
  const children = parent.children;
  let index: Map<string, CallNode> | undefined;
  if (children.length <= SCANNED_CHILDREN) {
    for (const c of children)
      if (c.line === frame.line && c.name === frame.name && c.file === frame.file) return c;
  } else {
    index = childIndex.get(parent);
    if (!index || index.size !== children.length) {
      index = new Map(children.map(c => [frameKey(c), c]));
      childIndex.set(parent, index);
    }
    const found = index.get(frameKey(frame));
    if (found) return found;
  }
  const child: CallNode = {
    name: frame.name,
    file: frame.file,
    line: frame.line,
    self: 0,
    samples: 0,
    children: []
  };
  children.push(child);
  index?.set(frameKey(child), child);
  return child;
}

/** A tree with nothing in it. */
export function emptyTree(unit: string): CallTree {
  return { root: { name: ROOT, file: '', line: 0, self: 0, samples: 0, children: [] }, unit };
}

/**
 * Adds one stack (frames from the outermost caller to the leaf, without `(root)`) with its value
 * and sample count to the leaf; an empty stack adds to the root.
 */
export function addStack(tree: CallTree, frames: readonly ProfileFrame[], value: number, samples = 1): void {
  let node = tree.root;
  for (const frame of frames) node = childFor(node, frame);
  node.self += value;
  node.samples += samples;
}

/** Every tree's nodes merged path by path into a new tree (units must agree; throws otherwise). */
export function mergeTrees(trees: readonly CallTree[]): CallTree {
  const first = trees[0];
  if (!first) throw new RangeError('mergeTrees: no trees to merge');
  const other = trees.find(t => t.unit !== first.unit);
  if (other) throw new RangeError(`mergeTrees: units differ (${first.unit} and ${other.unit})`);
  const out = emptyTree(first.unit);
  for (const tree of trees) {
    const stack: Array<[CallNode, CallNode]> = [[tree.root, out.root]];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [from, to] = top;
      to.self += from.self;
      to.samples += from.samples;
      for (const child of from.children) stack.push([child, childFor(to, child)]);
    }
  }
  return out;
}

/** Sum of every node's self value, and of its samples. */
export function treeTotals(tree: CallTree): { value: number; samples: number } {
  let value = 0;
  let samples = 0;
  for (const node of walk(tree.root)) {
    value += node.self;
    samples += node.samples;
  }
  return { value, samples };
}

/** The value of `(idle)` frames (with anything under them): what the shares leave out. */
export function idleValue(tree: CallTree): number {
  let value = 0;
  const stack = [tree.root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (isIdle(node)) for (const n of walk(node)) value += n.self;
    else for (const child of node.children) stack.push(child);
  }
  return value;
}

/** Every node, parents before children (iterative pre-order). */
export function* walk(root: CallNode): Generator<CallNode> {
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Each node's total (self plus its descendants'), computed children first. */
function subtreeTotals(root: CallNode): Map<CallNode, number> {
  const totals = new Map<CallNode, number>();
  const order = [...walk(root)];
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    let total = node.self;
    for (const child of node.children) total += totals.get(child)!;
    totals.set(node, total);
  }
  return totals;
}

interface FrameValues extends ProfileFrame {
  selfValue: number;
  totalValue: number;
}

/**
 * Self and total value per function (frame key), `(root)` and `(idle)` left out. Total adds a
 * node's subtree only where no ancestor is the same function, so a recursive function's sample is
 * counted once (as pprof's `cum` and DevTools' bottom-up view count it).
 */
function functionValues(tree: CallTree): { functions: Map<string, FrameValues>; busy: number } {
  const totals = subtreeTotals(tree.root);
  const functions = new Map<string, FrameValues>();
  const onPath = new Map<string, number>();
  let busy = 0;
  // Each entry is visited twice: on the way down (enter) and after its subtree (leave).
  const stack: Array<{ node: CallNode; key: string; leave: boolean }> = [];
  for (const child of tree.root.children) stack.push({ node: child, key: frameKey(child), leave: false });
  busy += tree.root.self;
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, key } = top;
    if (top.leave) {
      onPath.set(key, onPath.get(key)! - 1);
      continue;
    }
    if (isIdle(node)) continue;
    busy += node.self;
    let values = functions.get(key);
    if (!values) {
      values = { name: node.name, file: node.file, line: node.line, selfValue: 0, totalValue: 0 };
      functions.set(key, values);
    }
    values.selfValue += node.self;
    const depth = onPath.get(key) ?? 0;
    if (depth === 0) values.totalValue += totals.get(node)!;
    onPath.set(key, depth + 1);
    stack.push({ node, key, leave: true });
    for (const child of node.children) stack.push({ node: child, key: frameKey(child), leave: false });
  }
  return { functions, busy };
}

/** Heaviest first; equal values by name, file, line (deterministic reports). */
function byValue<T extends ProfileFrame>(value: (x: T) => number): (a: T, b: T) => number {
  return (a, b) =>
    value(b) - value(a) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line;
}

/**
 * The `limit` heaviest functions by self and by total value. A function is a frame (name, file,
 * line) wherever it appears in the tree; total counts a sample once even when the function recurses.
 * Shares are over the busy total (everything but `(idle)`, which is never listed; see the header);
 * functions with no value of the kind are not listed.
 */
export function topFunctions(tree: CallTree, limit = 20): { self: FunctionShare[]; total: FunctionShare[] } {
  const { functions, busy } = functionValues(tree);
  const share = (f: FrameValues): FunctionShare => ({
    name: f.name,
    file: f.file,
    line: f.line,
    self: busy > 0 ? f.selfValue / busy : 0,
    total: busy > 0 ? f.totalValue / busy : 0,
    selfValue: f.selfValue,
    totalValue: f.totalValue
  });
  const all = [...functions.values()];
  return {
    self: topBy(all, f => f.selfValue, limit).map(share),
    total: topBy(all, f => f.totalValue, limit).map(share)
  };
}

function topBy<T extends ProfileFrame>(items: T[], value: (x: T) => number, limit: number): T[] {
  return items
    .filter(x => value(x) > 0)
    .sort(byValue(value))
    .slice(0, limit);
}

/**
 * The tree for flame graphs: nodes whose total is under `minShare` of the whole folded into their
 * parent's self value, children heaviest first. The whole is the busy total (see the header), so a
 * mostly idle profile keeps the detail of its work; the `(idle)` node itself stays when heavy
 * enough, and the root's `v` is every value, idle included.
 */
export function pruneTree(tree: CallTree, minShare = 0.001): FlameNode {
  const totals = subtreeTotals(tree.root);
  const limit = (totals.get(tree.root)! - idleValue(tree)) * minShare;
  const flame = (node: CallNode): FlameNode => ({
    n: node.name,
    f: node.file,
    l: node.line,
    v: totals.get(node)!,
    s: node.self
  });
  const out = flame(tree.root);
  const stack: Array<[CallNode, FlameNode]> = [[tree.root, out]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, into] = top;
    const kept: FlameNode[] = [];
    for (const child of node.children) {
      const total = totals.get(child)!;
      if (total >= limit && total > 0) {
        const f = flame(child);
        kept.push(f);
        stack.push([child, f]);
      } else into.s += total;
    }
    if (kept.length > 0) {
      kept.sort(
        (a, b) =>
          b.v - a.v ||
          (a.n < b.n ? -1 : a.n > b.n ? 1 : 0) ||
          (a.f < b.f ? -1 : a.f > b.f ? 1 : 0) ||
          a.l - b.l
      );
      into.c = kept;
    }
  }
  return out;
}

/** A change of share under this many points is rounding, not a change. */
const NO_CHANGE = 1e-6;

/**
 * Functions whose self share grew and shrank most from `base` to `head` (at most `limit` each).
 * Shares are over each side's busy total (see the header); functions are paired across the sides
 * by `matchFrames` (a change is named by the head's frame), one only one side has counts as 0 on
 * the other; changes under a millionth of a point (rounding) are none.
 */
export function shareChanges(
  base: CallTree,
  head: CallTree,
  limit = 20
): { grew: ShareChange[]; shrank: ShareChange[] } {
  const b = functionValues(base);
  const h = functionValues(head);
  const all = matchFrames([...b.functions.values()], [...h.functions.values()], f => f).map(
    (pair): ShareChange => {
      const frame = (pair.head ?? pair.base)!;
      const before = pair.base && b.busy > 0 ? pair.base.selfValue / b.busy : 0;
      const after = pair.head && h.busy > 0 ? pair.head.selfValue / h.busy : 0;
      return {
        name: frame.name,
        file: frame.file,
        line: frame.line,
        base: before,
        head: after,
        points: (after - before) * 100
      };
    }
  );
  return {
    grew: all
      .filter(c => c.points > NO_CHANGE)
      .sort(byValue(c => c.points))
      .slice(0, limit),
    shrank: all
      .filter(c => c.points < -NO_CHANGE)
      .sort(byValue(c => -c.points))
      .slice(0, limit)
  };
}

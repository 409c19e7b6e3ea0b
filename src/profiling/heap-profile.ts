/**
 * Node's sampling heap profile (`.heapprofile`, the inspector's `HeapProfiler.stopSampling` result,
 * which Chrome DevTools opens): read with clear errors, merged over a load profile's trials into one
 * artifact, and turned into the source-blind call tree (call-tree.ts). Its values are what V8's
 * sampler estimates the allocations of each call path to weigh, in bytes, of the allocations the
 * sampler saw that were still reachable when sampling stopped (unless it was told to keep
 * collected ones).
 */
import { type CallFrame, callFrameKey, frameOf, readCallFrame } from './call-frame.js';
import { type CallNode, type CallTree, childFor, emptyTree } from './call-tree.js';
import { JsonReader, type Path } from './profile-json.js';

export interface HeapProfileNode {
  callFrame: CallFrame;
  /** Bytes allocated by this call path itself (an estimate from the samples). */
  selfSize: number;
  id: number;
  children: HeapProfileNode[];
}

/** One sampled allocation. */
export interface HeapProfileSample {
  /** Bytes of the sampled allocation. */
  size: number;
  /** The node that allocated it. */
  nodeId: number;
  /** Order in which the samples were taken. */
  ordinal: number;
}

export interface HeapProfile {
  /** The call tree; the head is `(root)`. */
  head: HeapProfileNode;
  /** Absent in profiles of older Nodes. */
  samples?: HeapProfileSample[];
}

const FORMAT = 'Node .heapprofile';

/** Every node with its parent (undefined for the head), parents first (iterative: trees can be deep). */
function* nodesOf(head: HeapProfileNode): Generator<[HeapProfileNode, HeapProfileNode | undefined]> {
  const stack: Array<[HeapProfileNode, HeapProfileNode | undefined]> = [[head, undefined]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    yield top;
    const node = top[0];
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, node]);
  }
}

/**
 * The profile as a call tree, unit `bytes`: each node's value its selfSize, its samples those of
 * `samples[]` that name it — or, in a profile without them, 1 for each node with a selfSize.
 */
export function heapProfileTree(p: HeapProfile): CallTree {
  const tree = emptyTree('bytes');
  const counts = new Map<number, number>();
  for (const s of p.samples ?? []) counts.set(s.nodeId, (counts.get(s.nodeId) ?? 0) + 1);
  const nodeOf = new Map<HeapProfileNode, CallNode>();
  for (const [n, parent] of nodesOf(p.head)) {
    const node = parent ? childFor(nodeOf.get(parent)!, frameOf(n.callFrame)) : tree.root;
    nodeOf.set(n, node);
    node.self += n.selfSize;
    node.samples += p.samples ? (counts.get(n.id) ?? 0) : n.selfSize > 0 ? 1 : 0;
  }
  return tree;
}

/**
 * One profile of several (the trials of a load profile): nodes merged by call path (call frames
 * equal, column and script included) with fresh ids and their selfSize summed, samples concatenated
 * in the order given with their node ids moved to the merged nodes and ordinals kept increasing.
 * When a profile has no `samples`, the merged one has none. A single profile is returned as it is.
 */
export function mergeHeapProfiles(ps: readonly HeapProfile[]): HeapProfile {
  if (ps.length === 0) throw new RangeError('mergeHeapProfiles: no profiles to merge');
  if (ps.length === 1) return ps[0]!;
  let nextId = 1;
  const head: HeapProfileNode = {
    callFrame: { ...ps[0]!.head.callFrame },
    selfSize: 0,
    id: nextId++,
    children: []
  };
  const byPath = new Map<string, HeapProfileNode>();
  const withSamples = ps.every(p => p.samples !== undefined);
  const samples: HeapProfileSample[] = [];
  let ordinalBase = 0;
  for (const p of ps) {
    const merged = new Map<HeapProfileNode, HeapProfileNode>();
    const idOf = new Map<number, number>();
    for (const [n, parent] of nodesOf(p.head)) {
      let node = head;
      if (parent) {
        const into = merged.get(parent)!;
        const key = `${into.id}\u0000${callFrameKey(n.callFrame)}`;
        let found = byPath.get(key);
        if (!found) {
          found = { callFrame: { ...n.callFrame }, selfSize: 0, id: nextId++, children: [] };
          byPath.set(key, found);
          into.children.push(found);
        }
        node = found;
      }
      node.selfSize += n.selfSize;
      merged.set(n, node);
      idOf.set(n.id, node.id);
    }
    if (!withSamples) continue;
    let last = ordinalBase;
    for (const s of p.samples!) {
      const ordinal = ordinalBase + s.ordinal;
      samples.push({ size: s.size, nodeId: idOf.get(s.nodeId) ?? head.id, ordinal });
      last = Math.max(last, ordinal + 1);
    }
    ordinalBase = last;
  }
  return withSamples ? { head, samples } : { head };
}

/**
 * A `.heapprofile`'s text read and checked: JSON, the shape above, node ids unique, every sample
 * naming a node. A bad input is an ImportError naming `file` and the JSON path
 * (`$.head.children[2].selfSize`).
 */
export function parseHeapProfile(text: string, file: string): HeapProfile {
  // Typed, so that a call of `r.fail` (never returns) narrows what follows.
  const r: JsonReader = new JsonReader(file, FORMAT);
  const o = r.object(r.parse(text), []);
  const ids = new Set<number>();
  const readNode = (value: unknown, path: Path): HeapProfileNode => {
    const n = r.object(value, path);
    const id = r.integer(n.id, [...path, 'id']);
    if (ids.has(id)) r.fail([...path, 'id'], `node id ${id} again`);
    ids.add(id);
    return {
      callFrame: readCallFrame(r, n.callFrame, [...path, 'callFrame']),
      selfSize: r.size(n.selfSize, [...path, 'selfSize']),
      id,
      children: r.array(n.children ?? [], [...path, 'children']) as HeapProfileNode[]
    };
  };
  // Iterative: each node's raw children are replaced by read ones.
  const head = readNode(o.head, ['head']);
  const stack: Array<[HeapProfileNode, Path]> = [[head, ['head']]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, path] = top;
    node.children = node.children.map((raw, i) => {
      const childPath = [...path, 'children', i];
      const child = readNode(raw, childPath);
      stack.push([child, childPath]);
      return child;
    });
  }
  const profile: HeapProfile = { head };
  if (o.samples !== undefined)
    profile.samples = r.array(o.samples, ['samples']).map((raw, i) => {
      const s = r.object(raw, ['samples', i]);
      const nodeId = r.integer(s.nodeId, ['samples', i, 'nodeId']);
      if (!ids.has(nodeId)) r.fail(['samples', i, 'nodeId'], `no node has id ${nodeId}`);
      return {
        size: r.size(s.size, ['samples', i, 'size']),
        nodeId,
        ordinal: r.number(s.ordinal, ['samples', i, 'ordinal'])
      };
    });
  return profile;
}

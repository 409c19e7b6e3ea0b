/** Small call trees written out by hand for the profiling tests, and a flat view to compare trees by. */
import type { ProfileFrame } from '../../../src/model-profiling.js';
import { addStack, type CallNode, type CallTree, emptyTree } from '../../../src/profiling/call-tree.js';

export const fn = (name: string, line = 1, file = 'file:///app/server.js'): ProfileFrame => ({
  name,
  file,
  line
});
export const internal = (name: string): ProfileFrame => ({ name, file: '', line: 0 });

/** A tree of `[stack, value, samples?]` rows (stack: frame names or frames, outermost first). */
export function treeOf(unit: string, rows: Array<[Array<string | ProfileFrame>, number, number?]>): CallTree {
  const tree = emptyTree(unit);
  for (const [stack, value, samples] of rows)
    addStack(
      tree,
      stack.map(f => (typeof f === 'string' ? (f.startsWith('(') ? internal(f) : fn(f)) : f)),
      value,
      samples ?? 1
    );
  return tree;
}

/**
 * Every node as `path → [self, samples]` (path: `name:line` joined by ` > `), nodes with nothing of
 * their own and no children left out: two trees are the same when these are.
 */
export function flat(tree: CallTree): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const visit = (node: CallNode, path: string): void => {
    if (node.self !== 0 || node.samples !== 0) out[path] = [node.self, node.samples];
    for (const c of node.children) visit(c, `${path} > ${c.name}:${c.file.replace(/^.*\//, '')}:${c.line}`);
  };
  visit(tree.root, tree.root.name);
  return out;
}

/** `flat` of both trees equal, values to `digits` decimals. */
export function expectSameTree(actual: CallTree, expected: CallTree, digits = 6): void {
  expect(actual.unit).toBe(expected.unit);
  const a = flat(actual);
  const e = flat(expected);
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  for (const [path, [self, samples]] of Object.entries(e)) {
    expect([path, a[path]![0]]).toEqual([path, expect.closeTo(self, digits)]);
    expect([path, a[path]![1]]).toEqual([path, samples]);
  }
}

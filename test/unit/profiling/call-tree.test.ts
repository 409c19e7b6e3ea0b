/**
 * The call tree on hand-made profiles whose shares are worked out by hand: top functions by self and
 * total (recursion counted once, `(idle)` out of the shares), pruning, merging and the share
 * changes between two sides.
 */
import {
  addStack,
  emptyTree,
  idleValue,
  isRuntimeInternal,
  mergeTrees,
  pruneTree,
  shareChanges,
  topFunctions,
  treeTotals
} from '../../../src/profiling/call-tree.js';
import type { FlameNode } from '../../../src/model-profiling.js';
import { expectSameTree, fn, treeOf } from './tree-fixture.js';

/**
 * Busy total 100: hash 50, parse 30, handle 10 of its own, the collector 5, `(program)` 5; idle 100
 * more. So hash is 50 %, parse 30 %, handle 10 % self and 90 % total (as is main), whatever the idle.
 */
const service = () =>
  treeOf('us', [
    [['main', 'handle', 'hash'], 50, 5],
    [['main', 'handle', 'parse'], 30, 3],
    [['main', 'handle'], 10, 1],
    [['(garbage collector)'], 5],
    [['(program)'], 5],
    [['(idle)'], 100, 10]
  ]);

describe('topFunctions', () => {
  it('shares over the busy total: idle neither listed nor diluting', () => {
    const { self, total } = topFunctions(service());
    expect(self.map(f => [f.name, f.self, f.selfValue])).toEqual([
      ['hash', 0.5, 50],
      ['parse', 0.3, 30],
      ['handle', 0.1, 10],
      ['(garbage collector)', 0.05, 5],
      ['(program)', 0.05, 5]
    ]);
    expect(total.map(f => [f.name, f.total])).toEqual([
      ['handle', 0.9],
      ['main', 0.9],
      ['hash', 0.5],
      ['parse', 0.3],
      ['(garbage collector)', 0.05],
      ['(program)', 0.05]
    ]);
    expect(self[0]).toEqual({ ...fn('hash'), self: 0.5, total: 0.5, selfValue: 50, totalValue: 50 });
    expect(self[3]).toMatchObject({ name: '(garbage collector)', file: '', line: 0 });
  });

  it('the same shares whether the service idled 0 or 10 000 units', () => {
    const busy = treeOf('us', [
      [['main', 'handle', 'hash'], 50],
      [['main', 'handle', 'parse'], 30],
      [['main', 'handle'], 10],
      [['(garbage collector)'], 5],
      [['(program)'], 5]
    ]);
    const idle = service();
    addStack(idle, [{ name: '(idle)', file: '', line: 0 }], 9900);
    expect(topFunctions(idle)).toEqual(topFunctions(busy));
    expect(idleValue(idle)).toBe(10000);
    expect(idleValue(busy)).toBe(0);
  });

  it('a recursive function counts each sample once in its total', () => {
    // f → f → f (10), f → g (10), g → f → g (20): f's total is 40 of 40, not 60 or 70; g's 30.
    const tree = treeOf('us', [
      [['f', 'f', 'f'], 10],
      [['f', 'g'], 10],
      [['g', 'f', 'g'], 20]
    ]);
    const { self, total } = topFunctions(tree);
    expect(total.map(f => [f.name, f.totalValue, f.total])).toEqual([
      ['f', 40, 1],
      ['g', 30, 0.75]
    ]);
    expect(self.map(f => [f.name, f.selfValue])).toEqual([
      ['g', 30],
      ['f', 10]
    ]);
  });

  it('a function is its name, file and line: the same name elsewhere is another function', () => {
    const tree = treeOf('us', [
      [[fn('handler', 3, 'file:///app/a.js')], 60],
      [[fn('handler', 3, 'file:///app/b.js')], 30],
      [[fn('handler', 7, 'file:///app/a.js')], 10]
    ]);
    expect(topFunctions(tree).self.map(f => [f.file, f.line, f.self])).toEqual([
      ['file:///app/a.js', 3, 0.6],
      ['file:///app/b.js', 3, 0.3],
      ['file:///app/a.js', 7, 0.1]
    ]);
  });

  it('at most `limit` each; ties in a stable order; an empty tree has none', () => {
    const tree = treeOf(
      'bytes',
      ['d', 'b', 'c', 'a'].map(n => [[n], 1])
    );
    expect(topFunctions(tree, 3).self.map(f => f.name)).toEqual(['a', 'b', 'c']);
    expect(topFunctions(emptyTree('us'))).toEqual({ self: [], total: [] });
  });
});

describe('building and merging', () => {
  it('addStack adds to the leaf (an empty stack to the root); treeTotals sums every node', () => {
    const tree = emptyTree('us');
    addStack(tree, [fn('a'), fn('b')], 3);
    addStack(tree, [fn('a'), fn('b')], 4, 2);
    addStack(tree, [], 1);
    expect(tree.root).toMatchObject({ name: '(root)', file: '', line: 0, self: 1, samples: 1 });
    expect(tree.root.children).toHaveLength(1);
    expect(tree.root.children[0]!.children[0]).toMatchObject({ name: 'b', self: 7, samples: 3 });
    expect(treeTotals(tree)).toEqual({ value: 8, samples: 4 });
    expect(treeTotals(service())).toEqual({ value: 200, samples: 21 });
  });

  it('mergeTrees equals one tree of every stack, and leaves its inputs alone', () => {
    const a = treeOf('us', [
      [['main', 'x'], 1],
      [['main', 'y'], 2]
    ]);
    const b = treeOf('us', [
      [['main', 'y'], 3],
      [['other'], 4]
    ]);
    const all = treeOf('us', [
      [['main', 'x'], 1],
      [['main', 'y'], 2],
      [['main', 'y'], 3],
      [['other'], 4]
    ]);
    expectSameTree(mergeTrees([a, b]), all);
    expect(treeTotals(a)).toEqual({ value: 3, samples: 2 });
    // Nodes of the merged tree are new: adding to it leaves a as it was.
    addStack(mergeTrees([a]), [fn('main'), fn('x')], 100);
    expect(treeTotals(a).value).toBe(3);
  });

  it('mergeTrees refuses no trees and trees of different units', () => {
    expect(() => mergeTrees([])).toThrow(/no trees/);
    expect(() => mergeTrees([emptyTree('us'), emptyTree('bytes')])).toThrow(/units differ \(us and bytes\)/);
  });

  it('runtime internals: parenthesised names without a file', () => {
    expect(isRuntimeInternal({ name: '(garbage collector)', file: '' })).toBe(true);
    expect(isRuntimeInternal({ name: '(anonymous)', file: 'file:///a.js' })).toBe(false);
    expect(isRuntimeInternal({ name: 'main', file: '' })).toBe(false);
  });
});

describe('pruneTree', () => {
  it('folds nodes under the share into their parent, heaviest children first, idle kept aside', () => {
    const tree = treeOf('us', [
      [['main', 'light'], 300],
      [['main', 'heavy'], 699],
      [['main', 'tiny'], 0.5],
      [['main', 'tiny', 'deeper'], 0.4],
      [['(idle)'], 5000]
    ]);
    // Busy 999.9: the limit is 0.9999; tiny's total 0.9 goes into main's self.
    const pruned = pruneTree(tree, 0.001);
    const shape = (n: FlameNode): unknown => [n.n, n.v, n.s, ...(n.c ?? []).map(shape)];
    expect(pruned.v).toBeCloseTo(5999.9);
    const main = pruned.c!.find(c => c.n === 'main')!;
    expect(shape(main)).toEqual([
      'main',
      expect.closeTo(999.9),
      expect.closeTo(0.9),
      ['heavy', 699, 699],
      ['light', 300, 300]
    ]);
    expect(pruned.c!.map(c => c.n)).toEqual(['(idle)', 'main']);
    expect(main).toMatchObject({ f: 'file:///app/server.js', l: 1 });
  });

  it('keeps everything at share 0 but nodes of no value', () => {
    const tree = treeOf('us', [[['a', 'b'], 1]]);
    addStack(tree, [fn('a'), fn('zero')], 0);
    expect(pruneTree(tree, 0)).toEqual({
      n: '(root)',
      f: '',
      l: 0,
      v: 1,
      s: 0,
      c: [
        {
          n: 'a',
          f: 'file:///app/server.js',
          l: 1,
          v: 1,
          s: 0,
          c: [{ n: 'b', f: 'file:///app/server.js', l: 1, v: 1, s: 1 }]
        }
      ]
    });
  });
});

describe('shareChanges', () => {
  const base = service();
  // The head hashes less (20), parses as much (30), and adds a new hot function (40); more idle.
  const head = treeOf('us', [
    [['main', 'handle', 'hash'], 20],
    [['main', 'handle', 'parse'], 30],
    [['main', 'handle', 'compress'], 40],
    [['main', 'handle'], 10],
    [['(idle)'], 999]
  ]);

  it('points of the busy share: the new function the top grower, the lost work the top shrinker', () => {
    const { grew, shrank } = shareChanges(base, head);
    expect(grew.map(c => [c.name, c.base, c.head, c.points])).toEqual([
      ['compress', 0, 0.4, expect.closeTo(40, 9)]
    ]);
    expect(shrank.map(c => [c.name, c.points])).toEqual([
      ['hash', expect.closeTo(-30, 9)],
      ['(garbage collector)', expect.closeTo(-5, 9)],
      ['(program)', expect.closeTo(-5, 9)]
    ]);
    expect(grew[0]).toMatchObject(fn('compress'));
  });

  it('the same trees change nothing; limit cuts the lists', () => {
    expect(shareChanges(base, service())).toEqual({ grew: [], shrank: [] });
    expect(shareChanges(base, head, 1).shrank).toHaveLength(1);
  });

  it('pairs a function across checkouts and moved lines, not when the pairing is ambiguous', () => {
    const at = (root: string) => (name: string, line: number) =>
      fn(name, line, `file:///w/${root}/app/server.js`);
    const b = at('base');
    const h = at('repo');
    const base = treeOf('us', [
      [[b('hash', 10)], 50],
      [[b('parse', 20)], 30],
      [[b('(anonymous)', 30)], 10],
      [[b('(anonymous)', 40)], 10]
    ]);
    // The head's checkout is elsewhere, and three lines were added above every function.
    const head = treeOf('us', [
      [[h('hash', 13)], 80],
      [[h('parse', 23)], 0],
      [[h('(anonymous)', 33)], 10],
      [[h('(anonymous)', 43)], 10]
    ]);
    const { grew, shrank } = shareChanges(base, head);
    expect(grew.map(c => [c.name, c.file, c.line, c.points])).toEqual([
      ['hash', 'file:///w/repo/app/server.js', 13, expect.closeTo(30, 9)]
    ]);
    expect(shrank.map(c => [c.name, c.points])).toEqual([['parse', expect.closeTo(-30, 9)]]);
    // Two anonymous functions in one file on each side, lines moved: paired in line order.
    const more = treeOf('us', [
      [[h('hash', 13)], 70],
      [[h('(anonymous)', 33)], 20],
      [[h('(anonymous)', 43)], 10]
    ]);
    expect(shareChanges(base, more).grew.map(c => [c.name, c.line, c.points])).toEqual([
      ['hash', 13, expect.closeTo(20, 9)],
      ['(anonymous)', 33, expect.closeTo(10, 9)]
    ]);
    // One more in the head: which is which is unknown, so none is paired.
    const extra = treeOf('us', [
      [[h('(anonymous)', 3)], 1],
      [[h('(anonymous)', 33)], 10],
      [[h('(anonymous)', 43)], 10]
    ]);
    expect(shareChanges(base, extra).grew.map(c => c.line)).toEqual([33, 43, 3]);
  });
});

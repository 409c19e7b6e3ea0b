/**
 * Node's sampling heap profile as a call tree on hand-made profiles; merging the trials' profiles
 * (its tree is the trials' trees merged); errors naming the file and the JSON path.
 */
import { ImportError } from '../../../src/errors.js';
import { mergeTrees, topFunctions } from '../../../src/profiling/call-tree.js';
import {
  type HeapProfile,
  type HeapProfileNode,
  heapProfileTree,
  mergeHeapProfiles,
  parseHeapProfile
} from '../../../src/profiling/heap-profile.js';
import { expectSameTree, flat, fn, treeOf } from './tree-fixture.js';

const heapNode = (
  id: number,
  functionName: string,
  selfSize: number,
  children: HeapProfileNode[] = []
): HeapProfileNode => ({
  callFrame: {
    functionName,
    scriptId: '3',
    url: functionName.startsWith('(') ? '' : 'file:///app/server.js',
    lineNumber: id * 10,
    columnNumber: 2
  },
  selfSize,
  id,
  children
});

/** (root) → main → (alloc 3000 B in 3 samples, other 1000 B in 1). */
const profile = (): HeapProfile => ({
  head: heapNode(1, '(root)', 0, [
    heapNode(2, 'main', 0, [heapNode(3, 'alloc', 3000), heapNode(4, 'other', 1000)])
  ]),
  samples: [
    { size: 1000, nodeId: 3, ordinal: 1 },
    { size: 1000, nodeId: 3, ordinal: 2 },
    { size: 1000, nodeId: 4, ordinal: 3 },
    { size: 1000, nodeId: 3, ordinal: 4 }
  ]
});

describe('heapProfileTree', () => {
  it('selfSize in bytes, samples from samples[]; lines 1-based', () => {
    const tree = heapProfileTree(profile());
    expectSameTree(
      tree,
      treeOf('bytes', [
        [[fn('main', 21), fn('alloc', 31)], 3000, 3],
        [[fn('main', 21), fn('other', 41)], 1000, 1]
      ])
    );
    expect(topFunctions(tree).self.map(f => [f.name, f.self])).toEqual([
      ['alloc', 0.75],
      ['other', 0.25]
    ]);
  });

  it('without samples[]: one sample per node that allocated', () => {
    const p = profile();
    delete p.samples;
    expect(flat(heapProfileTree(p))).toEqual({
      '(root) > main:server.js:21 > alloc:server.js:31': [3000, 1],
      '(root) > main:server.js:21 > other:server.js:41': [1000, 1]
    });
  });
});

describe('mergeHeapProfiles', () => {
  const second = (): HeapProfile => ({
    head: heapNode(1, '(root)', 0, [
      heapNode(2, 'main', 0, [heapNode(3, 'alloc', 500), heapNode(5, 'new', 200)])
    ]),
    samples: [
      { size: 500, nodeId: 3, ordinal: 1 },
      { size: 200, nodeId: 5, ordinal: 2 }
    ]
  });

  it('its tree is the trees merged; fresh ids, ordinals increasing, parses back', () => {
    const merged = mergeHeapProfiles([profile(), second()]);
    expectSameTree(
      heapProfileTree(merged),
      mergeTrees([heapProfileTree(profile()), heapProfileTree(second())])
    );
    const ids: number[] = [];
    const visit = (n: HeapProfileNode): void => {
      ids.push(n.id);
      n.children.forEach(visit);
    };
    visit(merged.head);
    expect(ids.sort()).toEqual([1, 2, 3, 4, 5]);
    const ordinals = merged.samples!.map(s => s.ordinal);
    expect(ordinals).toEqual([...ordinals].sort((a, b) => a - b));
    expect(new Set(ordinals).size).toBe(6);
    expect(parseHeapProfile(JSON.stringify(merged), 'm.heapprofile')).toEqual(merged);
  });

  it('without samples in one, none in the merge; one profile as it is', () => {
    const a = profile();
    delete a.samples;
    expect(mergeHeapProfiles([a, second()]).samples).toBeUndefined();
    expect(mergeHeapProfiles([a])).toBe(a);
    expect(() => mergeHeapProfiles([])).toThrow(/no profiles/);
  });
});

describe('parseHeapProfile', () => {
  const errorOf = (p: unknown): string => {
    try {
      parseHeapProfile(typeof p === 'string' ? p : JSON.stringify(p), 'profiles/api.head.heapprofile');
    } catch (err) {
      if (err instanceof ImportError) return err.message;
      throw err;
    }
    throw new Error('no error');
  };

  it('reads a profile as written', () => {
    expect(parseHeapProfile(JSON.stringify(profile()), 'a.heapprofile')).toEqual(profile());
  });

  it('names the file and the JSON path of a wrong value', () => {
    const p = profile();
    (p.head.children[0]!.children[1] as unknown as Record<string, unknown>).selfSize = -1;
    expect(errorOf(p)).toBe(
      'profiles/api.head.heapprofile: $.head.children[0].children[1].selfSize (Node .heapprofile): expected a number ≥ 0, found -1'
    );
    const q = profile();
    q.samples![2]!.nodeId = 9;
    expect(errorOf(q)).toContain('$.samples[2].nodeId (Node .heapprofile): no node has id 9');
    const r = profile();
    r.head.children[0]!.children[0]!.id = 2;
    expect(errorOf(r)).toContain('$.head.children[0].children[0].id (Node .heapprofile): node id 2 again');
    expect(errorOf({ head: { callFrame: {}, selfSize: 0, id: 1 } })).toContain(
      '$.head.callFrame.functionName (Node .heapprofile): expected a string, found nothing'
    );
    expect(errorOf(JSON.stringify(profile()).slice(0, 50))).toContain('the JSON ends early');
  });
});

/**
 * Node's `.cpuprofile` as a call tree, on hand-made profiles whose times are worked out by hand;
 * merging the trials' profiles (its tree is the trials' trees merged, and it reads back as a valid
 * profile); errors naming the file and the JSON path.
 */
import { ImportError } from '../../../src/errors.js';
import { topFunctions, treeTotals } from '../../../src/profiling/call-tree.js';
import {
  cpuProfileTree,
  type CpuProfile,
  type CpuProfileNode,
  mergeCpuProfiles,
  parseCpuProfile
} from '../../../src/profiling/cpu-profile.js';
import { expectSameTree, flat, treeOf, fn } from './tree-fixture.js';
import { mergeTrees } from '../../../src/profiling/call-tree.js';

const APP = 'file:///app/server.js';
const node = (
  id: number,
  functionName: string,
  lineNumber: number,
  children?: number[],
  url = APP
): CpuProfileNode => ({
  id,
  callFrame: { functionName, scriptId: '7', url, lineNumber, columnNumber: 4 },
  ...(children ? { children } : {})
});
const internalNode = (id: number, functionName: string): CpuProfileNode => ({
  id,
  callFrame: { functionName, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }
});

/** (root) → (idle), main (line 1) → hot (line 10), (program). */
const NODES: CpuProfileNode[] = [
  internalNode(1, '(root)'),
  internalNode(2, '(idle)'),
  node(3, 'main', 0, [5]),
  internalNode(4, '(program)'),
  node(5, 'hot', 9)
];
NODES[0]!.children = [2, 3, 4];

/**
 * Samples at 100, 110, 120, 140, 150, 160 µs: each lasts until the next (10, 10, 20, 10, 10), the
 * last the mean interval (60 / 5 = 12). hot 30, main 20, idle 10, (program) 12.
 */
const profile = (startTime = 0, more: Partial<CpuProfile> = {}): CpuProfile => ({
  nodes: structuredClone(NODES),
  startTime,
  endTime: startTime + 200,
  samples: [5, 5, 3, 2, 5, 4],
  timeDeltas: [100, 10, 10, 20, 10, 10],
  ...more
});

describe('cpuProfileTree', () => {
  it('each sample lasts until the next, the last the mean interval; lines 1-based', () => {
    const tree = cpuProfileTree(profile());
    expectSameTree(
      tree,
      treeOf('us', [
        [[fn('main', 1), fn('hot', 10)], 30, 3],
        [[fn('main', 1)], 20, 1],
        [['(idle)'], 10, 1],
        [['(program)'], 12, 1]
      ])
    );
    // Busy 62 (idle out): hot 30/62.
    const { self, total } = topFunctions(tree);
    expect(self[0]).toEqual({
      name: 'hot',
      file: APP,
      line: 10,
      self: 30 / 62,
      total: 30 / 62,
      selfValue: 30,
      totalValue: 30
    });
    expect(total[0]).toMatchObject({ name: 'main', line: 1, total: 50 / 62 });
  });

  it('samples out of order (negative deltas) are put in time order first', () => {
    // Taken at 100, 120, 110 → in order 100 (5), 110 (2), 120 (3): 10, 10, last the mean 10.
    const tree = cpuProfileTree(profile(0, { samples: [5, 3, 2], timeDeltas: [100, 20, -10] }));
    expect(flat(tree)).toEqual({
      '(root) > main:server.js:1 > hot:server.js:10': [10, 1],
      '(root) > main:server.js:1': [10, 1],
      '(root) > (idle)::0': [10, 1]
    });
  });

  it('without samples: hit counts × the mean interval', () => {
    const nodes = structuredClone(NODES);
    nodes[4]!.hitCount = 3;
    nodes[2]!.hitCount = 1;
    // 200 µs over 4 hits: 50 µs each.
    expect(flat(cpuProfileTree({ nodes, startTime: 0, endTime: 200 }))).toEqual({
      '(root) > main:server.js:1 > hot:server.js:10': [150, 3],
      '(root) > main:server.js:1': [50, 1]
    });
  });

  it('nodes of one function at other columns or scripts merge; an anonymous function is named so', () => {
    const nodes: CpuProfileNode[] = [
      { ...internalNode(1, '(root)'), children: [2, 3] },
      node(2, '', 4),
      {
        ...node(3, '', 4),
        callFrame: { functionName: '', scriptId: '9', url: APP, lineNumber: 4, columnNumber: 30 }
      }
    ];
    const tree = cpuProfileTree({
      nodes,
      startTime: 0,
      endTime: 30,
      samples: [2, 3, 2],
      timeDeltas: [0, 10, 10]
    });
    expect(flat(tree)).toEqual({ '(root) > (anonymous):server.js:5': [30, 3] });
  });
});

describe('mergeCpuProfiles', () => {
  // A second window 1 s later whose main calls another function too.
  const second = (): CpuProfile => {
    const p = profile(1_000_000, { samples: [6, 5, 6, 2], timeDeltas: [50, 5, 5, 5] });
    p.nodes.push(node(6, 'other', 19));
    p.nodes[2]!.children = [5, 6];
    return p;
  };

  it('its tree is the trials’ trees merged: the gap between windows goes to no function', () => {
    const merged = mergeCpuProfiles([second(), profile()]);
    expectSameTree(cpuProfileTree(merged), mergeTrees([cpuProfileTree(profile()), cpuProfileTree(second())]));
    expect(treeTotals(cpuProfileTree(merged)).value).toBeCloseTo(72 + 20);
  });

  it('one valid profile: fresh ids, samples in time order, first start and last end, parses back', () => {
    const merged = mergeCpuProfiles([profile(), second()]);
    expect(merged.nodes.map(n => n.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged.startTime).toBe(0);
    expect(merged.endTime).toBe(1_000_200);
    // 6 + 4 samples, each window's end marked by a (root) sample.
    expect(merged.samples).toHaveLength(12);
    expect(merged.samples![6]).toBe(1);
    expect(merged.samples![11]).toBe(1);
    const times = merged.timeDeltas!.reduce<number[]>((t, d) => [...t, (t.at(-1) ?? 0) + d], []);
    expect(times.slice(0, 7)).toEqual([100, 110, 120, 140, 150, 160, 172]);
    expect(times[7]).toBe(1_000_050);
    expect(merged.timeDeltas!.every(d => d >= 0)).toBe(true);
    expect(parseCpuProfile(JSON.stringify(merged), 'merged.cpuprofile')).toEqual(merged);
  });

  it('hit counts and line ticks are summed; one profile is returned as it is', () => {
    const a = profile();
    a.nodes[4]!.hitCount = 3;
    a.nodes[4]!.positionTicks = [{ line: 11, ticks: 3 }];
    const b = profile(1000);
    b.nodes[4]!.hitCount = 2;
    b.nodes[4]!.positionTicks = [
      { line: 12, ticks: 1 },
      { line: 11, ticks: 1 }
    ];
    const hot = mergeCpuProfiles([a, b]).nodes.find(n => n.callFrame.functionName === 'hot')!;
    expect(hot.hitCount).toBe(5);
    expect(hot.positionTicks).toEqual([
      { line: 11, ticks: 4 },
      { line: 12, ticks: 1 }
    ]);
    expect(mergeCpuProfiles([a])).toBe(a);
    expect(() => mergeCpuProfiles([])).toThrow(/no profiles/);
  });

  it('a profile without samples makes a merge of hit counts only', () => {
    const a = profile();
    delete a.samples;
    delete a.timeDeltas;
    const merged = mergeCpuProfiles([a, profile(1000)]);
    expect(merged.samples).toBeUndefined();
    expect(merged.timeDeltas).toBeUndefined();
  });
});

describe('parseCpuProfile', () => {
  const text = (p: unknown): string => JSON.stringify(p);
  const errorOf = (t: string): ImportError => {
    try {
      parseCpuProfile(t, 'profiles/api.head.cpuprofile');
    } catch (err) {
      if (err instanceof ImportError) return err;
      throw err;
    }
    throw new Error('no error');
  };

  it('reads a profile as written (numeric script ids as text)', () => {
    const p = profile();
    const raw = JSON.parse(text(p)) as { nodes: Array<{ callFrame: { scriptId: unknown } }> };
    raw.nodes[2]!.callFrame.scriptId = 7;
    expect(parseCpuProfile(text(raw), 'a.cpuprofile')).toEqual(p);
  });

  it.each<[string, (p: Record<string, unknown> & CpuProfile) => unknown, string]>([
    ['not an object', () => [], '$: expected an object, found an array'],
    ['no nodes', p => ({ ...p, nodes: undefined }), '$.nodes: expected an array, found nothing'],
    [
      'a url not a string',
      p => (((p.nodes[2]!.callFrame as unknown as Record<string, unknown>).url = 3), p),
      '$.nodes[2].callFrame.url: expected a string, found number 3'
    ],
    [
      'a line not an integer',
      p => ((p.nodes[4]!.callFrame.lineNumber = 1.5), p),
      '$.nodes[4].callFrame.lineNumber: expected an integer, found 1.5'
    ],
    ['an id twice', p => ((p.nodes[3]!.id = 2), p), '$.nodes[3].id: id 2 again, already at $.nodes[1]'],
    [
      'an unknown child',
      p => ((p.nodes[2]!.children = [5, 9]), p),
      '$.nodes[2].children[1]: no node has id 9'
    ],
    [
      'a child of two nodes',
      p => ((p.nodes[4]!.children = [3]), p),
      '$.nodes[4].children[0]: node 3 is already a child'
    ],
    ['a sample of no node', p => ((p.samples![3] = 42), p), '$.samples[3]: no node has id 42'],
    [
      'deltas not one per sample',
      p => ((p.timeDeltas = [1, 2]), p),
      '$.timeDeltas: 2 time deltas for 6 samples'
    ],
    [
      'a delta not a number',
      p => ((p.timeDeltas![1] = null as unknown as number), p),
      '$.timeDeltas[1]: expected a number, found null'
    ],
    ['no end time', p => ({ ...p, endTime: 'late' }), '$.endTime: expected a number, found the string "late"']
  ])('%s: the file and the JSON path', (_, spoil, message) => {
    const err = errorOf(text(spoil(profile() as Record<string, unknown> & CpuProfile)));
    expect(err.message).toContain('profiles/api.head.cpuprofile: ');
    expect(err.message).toContain('(Node .cpuprofile)');
    expect(err.message).toContain(message.replace(/^(\$[^:]*): /, '$1 (Node .cpuprofile): '));
  });

  it('a cycle beside the root, and a truncated file', () => {
    const p = profile();
    p.nodes.push({ ...node(6, 'a', 0, [7]) }, { ...node(7, 'b', 0, [6]) });
    expect(errorOf(text(p)).message).toContain('$.nodes (Node .cpuprofile): 2 node(s) in a cycle');
    const cut = text(profile()).slice(0, 120);
    expect(errorOf(cut).message).toMatch(
      /^profiles\/api\.head\.cpuprofile: line 1, column \d+ \(Node \.cpuprofile\): the JSON ends early/
    );
  });
});

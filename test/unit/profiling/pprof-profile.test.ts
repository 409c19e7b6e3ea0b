/**
 * pprof profiles as call trees and merged artifacts, on real profiles of a real Go service
 * (test/fixtures/pprof: cpu.pb.gz and heap.pb.gz, made by make-fixtures.sh from service/main.go
 * with the go of VERSION). The reference values are `go tool pprof -top`'s (cpu.top.txt,
 * heap.top.txt, written by the same script): every function's self value in the tree is pprof's flat
 * value to the nanosecond and byte. Then bad inputs: every one an ImportError naming the file.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  Function as PprofFunction,
  Location,
  Mapping,
  Profile,
  Sample,
  StringTable,
  ValueType
} from 'pprof-format';
import { ImportError } from '../../../src/errors.js';
import type { CallNode, CallTree } from '../../../src/profiling/call-tree.js';
import { mergePprof, pprofTree } from '../../../src/profiling/pprof-profile.js';
import { readPprof } from '../../../src/profiling/pprof-read.js';
import { seededRandom } from '../../helpers/random.js';
import { expectSameTree } from './tree-fixture.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/pprof/${name}`, import.meta.url)));
const CPU = fixture('cpu.pb.gz');
const HEAP = fixture('heap.pb.gz');
const FILE = 'example.com/pprofservice/main.go';

/** `go tool pprof -top` as function → flat value, and the total it names. */
function pprofTop(name: string): { flat: Map<string, number>; total: number } {
  const text = readFileSync(new URL(`../../fixtures/pprof/${name}`, import.meta.url), 'utf8');
  const total = Number(/ of (\d+)(?:ns|B) total/.exec(text)![1]);
  const flat = new Map<string, number>();
  for (const m of text.matchAll(
    /^\s*(\d+)(?:ns|B)\s+\S+%\s+\S+%\s+\d+(?:ns|B)\s+\S+%\s+(.+?)(?: \(inline\))?$/gm
  )) {
    flat.set(m[2]!, (flat.get(m[2]!) ?? 0) + Number(m[1]));
  }
  return { flat, total };
}

/** Self value per function name over the whole tree, and each name's nodes with their parent's name. */
function byFunction(tree: CallTree): {
  self: Map<string, number>;
  nodes: Map<string, Array<{ node: CallNode; parent?: string }>>;
} {
  const self = new Map<string, number>();
  const nodes = new Map<string, Array<{ node: CallNode; parent?: string }>>();
  const visit = (node: CallNode, parent?: CallNode) => {
    self.set(node.name, (self.get(node.name) ?? 0) + node.self);
    nodes.set(node.name, [...(nodes.get(node.name) ?? []), { node, parent: parent?.name }]);
    for (const child of node.children) visit(child, node);
  };
  visit(tree.root);
  return { self, nodes };
}

const reaches = (node: CallNode, name: string): boolean =>
  node.name === name || node.children.some(c => reaches(c, name));
const heaviest = (self: Map<string, number>) => [...self].sort((a, b) => b[1] - a[1])[0]!;
const total = (self: Map<string, number>) => [...self.values()].reduce((a, b) => a + b, 0);

function importError(run: () => unknown): ImportError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('read without an error');
}

describe('pprofTree on a real Go CPU profile', () => {
  const tree = pprofTree(CPU, 'cpu.pb.gz', 'cpu');
  const { self, nodes } = byFunction(tree);

  it('is in ns, main.hotLoop on top by self with its file (Go 1.19 writes no start line: 0)', () => {
    expect(tree.unit).toBe('ns');
    const [name, value] = heaviest(self);
    expect(name).toBe('main.hotLoop');
    expect(value / total(self)).toBeGreaterThan(0.5);
    expect(nodes.get('main.hotLoop')!.map(({ node }) => [node.file, node.line])).toEqual([[FILE, 0]]);
  });

  it("every function's self value is go tool pprof's flat value, the whole its total", () => {
    const top = pprofTop('cpu.top.txt');
    expect(total(self)).toBe(top.total);
    for (const [name, flat] of top.flat) expect([name, self.get(name)]).toEqual([name, flat]);
  });

  it('an inlined function is a frame of its own under the function it was compiled into', () => {
    const mix = nodes.get('main.mixLoop')!;
    expect(mix.length).toBeGreaterThan(0);
    for (const { parent } of mix) expect(parent).toBe('main.work');
    expect(self.get('main.mixLoop')!).toBeGreaterThan(0);
  });

  it('stacks run from the root down, as go tool pprof -traces shows them leaf first', () => {
    const path: string[] = [];
    for (let node: CallNode | undefined = tree.root; node;) {
      node = node.children.find(c => reaches(c, 'main.hotLoop'));
      if (node) path.push(node.name);
    }
    expect(path).toEqual([
      'net/http.(*conn).serve',
      'net/http.serverHandler.ServeHTTP',
      'net/http.(*ServeMux).ServeHTTP',
      'net/http.HandlerFunc.ServeHTTP',
      'main.work',
      'main.hotLoop'
    ]);
  });

  it('samples are counted from the samples/count values', () => {
    const profile = readPprof(CPU, 'cpu.pb.gz');
    const count = profile.sample.reduce((sum, s) => sum + Number(s.value[0]), 0);
    const samples = (n: CallNode): number => n.children.reduce((sum, c) => sum + samples(c), n.samples);
    expect(samples(tree.root)).toBe(count);
  });
});

describe('pprofTree on a real Go heap profile', () => {
  it('is inuse_space in bytes, main.retain on top; totals are go tool pprof -sample_index=inuse_space', () => {
    const tree = pprofTree(HEAP, 'heap.pb.gz', 'heap');
    const { self } = byFunction(tree);
    expect(tree.unit).toBe('bytes');
    expect(heaviest(self)[0]).toBe('main.retain');
    const top = pprofTop('heap.top.txt');
    expect(total(self)).toBe(top.total);
    for (const [name, flat] of top.flat) expect([name, self.get(name)]).toEqual([name, flat]);
  });

  it('a raw (not gzipped) profile reads the same', () => {
    expectSameTree(pprofTree(gunzipSync(HEAP), 'heap.pb', 'heap'), pprofTree(HEAP, 'heap.pb.gz', 'heap'));
  });
});

/** A small profile written with pprof-format: one sample type, stacks of [mapping file, address] locations without lines. */
function synthetic(types: Array<[string, string]>, values: number[]): Uint8Array {
  const strings = new StringTable();
  const profile = new Profile({
    stringTable: strings,
    sampleType: types.map(
      ([type, unit]) => new ValueType({ type: strings.dedup(type), unit: strings.dedup(unit) })
    ),
    mapping: [new Mapping({ id: 1, filename: strings.dedup('/usr/bin/app'), memoryStart: 0x400000 })],
    function: [
      new PprofFunction({
        id: 1,
        name: strings.dedup('main'),
        filename: strings.dedup('app.c'),
        startLine: 12
      })
    ],
    location: [
      new Location({ id: 1, mappingId: 1, address: 0x401a2b }),
      new Location({ id: 2, mappingId: 1, address: 0x400100, line: [{ functionId: 1, line: 14 }] })
    ],
    sample: [new Sample({ locationId: [1, 2], value: values })]
  });
  return gzipSync(profile.encode());
}

describe('pprofTree: sample types and frames of other producers', () => {
  it('an unsymbolised location is its address in its binary; a start line is kept', () => {
    const tree = pprofTree(synthetic([['cpu', 'nanoseconds']], [5_000_000_000]), 'app.pb.gz', 'cpu');
    const main = tree.root.children[0]!;
    expect([main.name, main.file, main.line]).toEqual(['main', 'app.c', 12]);
    const leaf = main.children[0]!;
    expect([leaf.name, leaf.file, leaf.line, leaf.self, leaf.samples]).toEqual([
      '0x401a2b',
      '/usr/bin/app',
      0,
      5e9,
      1
    ]);
  });

  it('CPU without a cpu type: the last sample type that measures time; heap: alloc_space without inuse_space', () => {
    expect(pprofTree(synthetic([['wall', 'microseconds']], [7]), 'w.pb.gz', 'cpu').unit).toBe('us');
    const heap = pprofTree(
      synthetic(
        [
          ['alloc_objects', 'count'],
          ['alloc_space', 'bytes']
        ],
        [2, 4096]
      ),
      'a',
      'heap'
    );
    expect([heap.unit, heap.root.children[0]!.children[0]!.self]).toEqual(['bytes', 4096]);
  });

  it('a profile without the sample type asked for is an error naming the file and the types it has', () => {
    expect(importError(() => pprofTree(HEAP, 'heap.pb.gz', 'cpu')).message).toMatch(
      /^heap\.pb\.gz \(pprof\): no CPU sample type \(it has alloc_objects\/count, alloc_space\/bytes, inuse_objects\/count, inuse_space\/bytes\)/
    );
    expect(importError(() => pprofTree(CPU, 'cpu.pb.gz', 'heap')).message).toMatch(
      /^cpu\.pb\.gz \(pprof\): no inuse_space or alloc_space sample type \(it has samples\/count, cpu\/nanoseconds\)/
    );
  });
});

describe('pprofTree: bad input names the file', () => {
  const raw = gunzipSync(CPU);
  const random = (seed: number) => {
    const next = seededRandom(seed);
    return Uint8Array.from({ length: 2000 }, () => Math.floor(next() * 256));
  };
  it.each<[string, Uint8Array, RegExp]>([
    ['an empty body', new Uint8Array(0), /empty: no bytes at all/],
    [
      'an HTML page',
      Buffer.from('<!DOCTYPE html>\n<html><body>Not here</body></html>'),
      /an HTML or XML page, not a pprof profile \("<!DOCTYPE html>"\)/
    ],
    ['an HTML page, gzipped', gzipSync('  <html><title>x</title></html>'), /an HTML or XML page/],
    [
      "Go's 404 text",
      Buffer.from('404 page not found\n'),
      /text, not a pprof profile \("404 page not found"\)/
    ],
    [
      'a .pb.gz cut in half',
      CPU.subarray(0, CPU.length >> 1),
      /not a whole gzip stream .*truncated or corrupt/
    ],
    ['a .pb.gz without its last byte', CPU.subarray(0, CPU.length - 1), /not a whole gzip stream/],
    ['an empty gzip stream', gzipSync(Buffer.alloc(0)), /the gzip stream holds no bytes/],
    ['a raw profile cut at a quarter', raw.subarray(0, raw.length >> 2), /./],
    ['a raw profile cut in half', raw.subarray(0, raw.length >> 1), /./],
    ['a raw profile cut at three quarters', raw.subarray(0, (raw.length * 3) >> 2), /./],
    [
      'a profile of no sample types',
      new Profile({ comment: [1], stringTable: withStrings('hello') }).encode(),
      /no sample types/
    ]
  ])('%s', (_what, data, message) => {
    const err = importError(() => pprofTree(data, 'profiles/api.head.pb.gz', 'cpu'));
    expect(err.file).toBe('profiles/api.head.pb.gz');
    expect(err.message.startsWith('profiles/api.head.pb.gz')).toBe(true);
    expect(err.detail).toMatch(message);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('random bytes (seed %i), raw and gzipped', seed => {
    for (const data of [random(seed), gzipSync(random(seed))]) {
      expect(importError(() => pprofTree(data, 'random.pb.gz', 'cpu')).file).toBe('random.pb.gz');
    }
  });
});

function withStrings(...strings: string[]): StringTable {
  const table = new StringTable();
  for (const s of strings) table.dedup(s);
  return table;
}

describe('mergePprof', () => {
  const one = pprofTree(CPU, 'cpu.pb.gz', 'cpu');

  it('one profile merged is the same tree; the header is kept', () => {
    const merged = mergePprof([CPU], 'm.pb.gz');
    expect([merged[0], merged[1]]).toEqual([0x1f, 0x8b]);
    expectSameTree(pprofTree(merged, 'm.pb.gz', 'cpu'), one);
    const [a, b] = [readPprof(CPU, 'a'), readPprof(merged, 'b')];
    expect([b.timeNanos, b.durationNanos, b.period]).toEqual([a.timeNanos, a.durationNanos, a.period]);
  });

  it('three profiles: every value three times, tables not repeated, durations summed, the first start time', () => {
    const merged = mergePprof([CPU, CPU, mergePprof([CPU], 'x')], 'm.pb.gz');
    const { self } = byFunction(pprofTree(merged, 'm.pb.gz', 'cpu'));
    for (const [name, value] of byFunction(one).self)
      expect([name, self.get(name)]).toEqual([name, 3 * value]);
    const [a, m] = [readPprof(CPU, 'a'), readPprof(merged, 'm')];
    expect([m.function.length, m.location.length, m.mapping.length]).toEqual([
      a.function.length,
      a.location.length,
      a.mapping.length
    ]);
    expect(m.sample.length).toBe(3 * a.sample.length);
    expect(BigInt(m.durationNanos)).toBe(3n * BigInt(a.durationNanos));
    expect(m.timeNanos).toEqual(a.timeNanos);
  });

  it('heap profiles merge too, labels and all', () => {
    const merged = mergePprof([HEAP, HEAP], 'h.pb.gz');
    const { self } = byFunction(pprofTree(merged, 'h.pb.gz', 'heap'));
    expect(self.get('main.retain')).toBe(
      2 * byFunction(pprofTree(HEAP, 'h', 'heap')).self.get('main.retain')!
    );
    const labels = readPprof(merged, 'h').sample.flatMap(s => s.label);
    expect(labels.length).toBe(2 * readPprof(HEAP, 'h').sample.flatMap(s => s.label).length);
  });

  it('profiles of different sample types, none, or one that does not read: an error naming the file and which', () => {
    expect(importError(() => mergePprof([CPU, HEAP], 'api.head.pb.gz')).message).toMatch(
      /^api\.head\.pb\.gz: profile 2 of 2 \(pprof\): its sample types \(alloc_objects\/count, .*\) differ from the first profile's \(samples\/count, cpu\/nanoseconds\)/
    );
    expect(importError(() => mergePprof([], 'api.head.pb.gz')).message).toBe(
      'api.head.pb.gz (pprof): no profiles to merge'
    );
    expect(importError(() => mergePprof([CPU, CPU.subarray(0, 100)], 'api.head.pb.gz')).message).toMatch(
      /^api\.head\.pb\.gz: profile 2 of 2 \(pprof\): not a whole gzip stream/
    );
  });
});

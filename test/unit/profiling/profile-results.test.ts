/** Artifact names and the results entries of capture outcomes (profiling/profile-results.ts). */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addStack, emptyTree } from '../../../src/profiling/call-tree.js';
import {
  artifactName,
  capturedProfile,
  profileDiff,
  saveArtifact
} from '../../../src/profiling/profile-results.js';

describe('artifactName', () => {
  it.each([
    ['api-mix', 'head', 'cpu', '.cpuprofile', 'api-mix.head.cpuprofile'],
    ['api-mix', 'base', 'heap', '.heapprofile', 'api-mix.base.heapprofile'],
    ['api-mix', 'head', 'cpu', '.pb.gz', 'api-mix.head.cpu.pb.gz'],
    ['api-mix', 'head', 'heap', '.pb.gz', 'api-mix.head.heap.pb.gz'],
    ['GET /items?id=1', 'head', 'cpu', '.cpuprofile', 'GET_items_id_1.head.cpuprofile'],
    ['../../etc/passwd', 'head', 'cpu', '.cpuprofile', '__.._etc_passwd.head.cpuprofile'],
    ['.hidden', 'head', 'cpu', '.cpuprofile', '_hidden.head.cpuprofile'],
    ['プロファイル', 'head', 'cpu', '.cpuprofile', '_.head.cpuprofile']
  ] as const)('%s %s %s %s → %s', (profile, side, kind, ext, name) => {
    expect(artifactName(profile, side, kind, ext, new Set())).toBe(name);
  });

  it('names two profiles made safe alike apart, whatever their case', () => {
    const taken = new Set<string>();
    expect(artifactName('a b', 'head', 'cpu', '.cpuprofile', taken)).toBe('a_b.head.cpuprofile');
    expect(artifactName('a/b', 'head', 'cpu', '.cpuprofile', taken)).toBe('a_b-2.head.cpuprofile');
    expect(artifactName('A_B', 'head', 'cpu', '.cpuprofile', taken)).toBe('A_B-3.head.cpuprofile');
    expect(artifactName('a b', 'base', 'cpu', '.cpuprofile', taken)).toBe('a_b.base.cpuprofile');
  });
});

describe('saveArtifact', () => {
  it('writes text and bytes under profiles/ and returns the relative path', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-artifacts-'));
    expect(saveArtifact(dir, 'p.head.cpuprofile', { data: '{"nodes":[]}', extension: '.cpuprofile' })).toBe(
      'profiles/p.head.cpuprofile'
    );
    expect(
      saveArtifact(dir, 'p.head.cpu.pb.gz', { data: Uint8Array.of(0x1f, 0x8b), extension: '.pb.gz' })
    ).toBe('profiles/p.head.cpu.pb.gz');
    expect(readFileSync(path.join(dir, 'profiles/p.head.cpuprofile'), 'utf8')).toBe('{"nodes":[]}');
    expect([...readFileSync(path.join(dir, 'profiles/p.head.cpu.pb.gz'))]).toEqual([0x1f, 0x8b]);
  });
});

describe('capturedProfile', () => {
  const frame = (name: string, line: number) => ({ name, file: 'file:///srv/app.js', line });

  it('summarises a tree: totals, top functions, pruned tree', () => {
    const tree = emptyTree('us');
    addStack(tree, [frame('handle', 1), frame('hot', 5)], 700, 7);
    addStack(tree, [frame('handle', 1)], 300, 3);
    const entry = capturedProfile(
      'p',
      'head',
      { kind: 'cpu', source: 'node-inspector', tree, windows: 2, windowMs: 2000.4 },
      'profiles/p.head.cpuprofile',
      undefined
    );
    expect(entry).toMatchObject({
      profile: 'p',
      side: 'head',
      kind: 'cpu',
      source: 'node-inspector',
      file: 'profiles/p.head.cpuprofile',
      unit: 'us',
      totalValue: 1000,
      samples: 10,
      trials: 2,
      windowMs: 2000
    });
    expect(entry.top.self.map(f => [f.name, f.self])).toEqual([
      ['hot', 0.7],
      ['handle', 0.3]
    ]);
    expect(entry.tree).toMatchObject({ n: '(root)', v: 1000, c: [{ n: 'handle', v: 1000, s: 300 }] });
    expect('missing' in entry).toBe(false);
  });

  it('keeps an empty entry, with why, when nothing was captured', () => {
    const entry = capturedProfile(
      'p',
      'base',
      { kind: 'heap', source: 'node-inspector', windows: 0, windowMs: 0 },
      undefined,
      'the service exited during trial 1; 0 of 3 trials captured'
    );
    expect(entry).toEqual({
      profile: 'p',
      side: 'base',
      kind: 'heap',
      source: 'node-inspector',
      unit: 'bytes',
      totalValue: 0,
      samples: 0,
      trials: 0,
      windowMs: 0,
      top: { self: [], total: [] },
      tree: { n: '(root)', f: '', l: 0, v: 0, s: 0 },
      missing: 'the service exited during trial 1; 0 of 3 trials captured'
    });
  });
});

describe('profileDiff', () => {
  it('is the share changes when both sides hold samples, else nothing', () => {
    const base = emptyTree('us');
    addStack(base, [{ name: 'a', file: 'x.js', line: 1 }], 100, 1);
    const head = emptyTree('us');
    addStack(head, [{ name: 'a', file: 'x.js', line: 1 }], 50, 1);
    addStack(head, [{ name: 'b', file: 'x.js', line: 9 }], 50, 1);
    const diff = profileDiff('p', 'cpu', base, head)!;
    expect(diff.grew.map(c => [c.name, c.points])).toEqual([['b', 50]]);
    expect(diff.shrank.map(c => [c.name, c.points])).toEqual([['a', -50]]);
    expect(profileDiff('p', 'cpu', base, undefined)).toBeUndefined();
    expect(profileDiff('p', 'cpu', emptyTree('us'), head)).toBeUndefined();
  });
});

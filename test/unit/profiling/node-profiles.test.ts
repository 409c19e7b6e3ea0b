/**
 * Real profiles written by Node's own profilers (test/fixtures/node-profiles, made by its
 * make-fixtures.sh from hot.js): read, made call trees, summarised. hot() is about 70 % of the busy
 * time by construction; its line is its line in hot.js; the idle between bursts is left out of the
 * shares; the profile merged with itself reads back and doubles every value.
 */
import { readFileSync } from 'node:fs';
import { idleValue, mergeTrees, topFunctions, treeTotals } from '../../../src/profiling/call-tree.js';
import { cpuProfileTree, mergeCpuProfiles, parseCpuProfile } from '../../../src/profiling/cpu-profile.js';
import { heapProfileTree, mergeHeapProfiles, parseHeapProfile } from '../../../src/profiling/heap-profile.js';
import { expectSameTree } from './tree-fixture.js';

const fixture = (name: string) => new URL(`../../fixtures/node-profiles/${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
/** The 1-based line of `function name(` in hot.js. */
const lineOf = (name: string) =>
  read('hot.js')
    .split('\n')
    .findIndex(l => l.startsWith(`function ${name}(`)) + 1;

describe('a real .cpuprofile', () => {
  const profile = parseCpuProfile(read('hot.cpuprofile'), 'hot.cpuprofile');
  const tree = cpuProfileTree(profile);

  it('hot() is the top function by self, at 60–80 % of the busy time, at its line in hot.js', () => {
    const { self } = topFunctions(tree);
    expect(self[0]).toMatchObject({ name: 'hot', line: lineOf('hot') });
    expect(self[0]!.file).toMatch(/^file:\/\/.*\/node-profiles\/hot\.js$/);
    expect(self[0]!.self).toBeGreaterThan(0.6);
    expect(self[0]!.self).toBeLessThan(0.8);
    expect(self.find(f => f.name === 'warm')).toMatchObject({ line: lineOf('warm') });
    expect(self.some(f => f.name === '(idle)')).toBe(false);
  });

  it('the idle between bursts is a good part of the recording; every sample has its time', () => {
    const { value, samples } = treeTotals(tree);
    expect(idleValue(tree) / value).toBeGreaterThan(0.2);
    expect(samples).toBe(
      profile.samples!.length - profile.samples!.filter(id => id === profile.nodes[0]!.id).length
    );
    // The samples' times cover the recording, but for its first moments (before the first sample)
    // and its last (the last sample lasts the mean interval).
    const span = profile.endTime - profile.startTime;
    expect(value).toBeGreaterThan(0.95 * span);
    expect(value).toBeLessThanOrEqual(span + (span / samples) * 2);
  });

  it('merged with a later copy of itself: one valid profile whose tree is both trees', () => {
    const later = {
      ...profile,
      startTime: profile.endTime + 1e6,
      endTime: 2 * profile.endTime - profile.startTime + 1e6
    };
    const merged = mergeCpuProfiles([profile, later]);
    expect(parseCpuProfile(JSON.stringify(merged), 'merged.cpuprofile')).toEqual(merged);
    expectSameTree(cpuProfileTree(merged), mergeTrees([tree, cpuProfileTree(later)]), 3);
    expect(merged.nodes.length).toBeLessThanOrEqual(profile.nodes.length);
  });
});

describe('a real .heapprofile', () => {
  const profile = parseHeapProfile(read('hot.heapprofile'), 'hot.heapprofile');
  const tree = heapProfileTree(profile);

  it('keep() holds the most', () => {
    const { self } = topFunctions(tree);
    expect(self[0]).toMatchObject({ name: 'keep', line: lineOf('keep') });
    expect(tree.unit).toBe('bytes');
    expect(treeTotals(tree).samples).toBe(profile.samples!.length);
  });

  it('merged with itself: the tree doubled', () => {
    const merged = mergeHeapProfiles([profile, profile]);
    expect(parseHeapProfile(JSON.stringify(merged), 'merged.heapprofile')).toEqual(merged);
    expectSameTree(heapProfileTree(merged), mergeTrees([tree, tree]));
  });
});

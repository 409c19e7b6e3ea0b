/**
 * A `profiling` result made the way the capture makes it (profiling/call-tree.ts on hand-made
 * stacks), with shares worked out by hand: the head's CPU busy 100 ms — hash 50 %, compress 30 %
 * (new), handle 10 %, the collector and (program) 5 % each — and idle 100 ms; the base's busy
 * 100 ms — hash 70 %, handle 20 %, 5 % and 5 % — and idle 50 ms; one heap profile of the head.
 * Head files are under the working directory, the base's in another checkout.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CapturedProfile, ProfilingResult } from '../../../src/model-profiling.js';
import {
  addStack,
  type CallTree,
  emptyTree,
  pruneTree,
  shareChanges,
  topFunctions,
  treeTotals
} from '../../../src/profiling/call-tree.js';

export const HEAD_FILE = pathToFileURL(path.join(process.cwd(), 'src', 'server.js')).href;
export const BASE_FILE = 'file:///elsewhere/base/src/server.js';

type Row = [Array<[string, number]>, number];

function tree(unit: string, file: string, rows: Row[]): CallTree {
  const t = emptyTree(unit);
  for (const [stack, value] of rows)
    addStack(
      t,
      stack.map(([name, line]) => ({
        name,
        file: name.startsWith('(') ? '' : file,
        line: name.startsWith('(') ? 0 : line
      })),
      value
    );
  return t;
}

const main: [string, number] = ['main', 3];
const handle: [string, number] = ['handle', 12];

export const headCpu = (name = (s: string) => s, file = HEAD_FILE): CallTree =>
  tree('us', file, [
    [
      [
        [name('main'), 3],
        [name('handle'), 12],
        [name('hash'), 30]
      ],
      50_000
    ],
    [
      [
        [name('main'), 3],
        [name('handle'), 12],
        [name('compress'), 40]
      ],
      30_000
    ],
    [
      [
        [name('main'), 3],
        [name('handle'), 12]
      ],
      10_000
    ],
    [[['(garbage collector)', 0]], 5_000],
    [[['(program)', 0]], 5_000],
    [[['(idle)', 0]], 100_000]
  ]);

export const baseCpu = (): CallTree =>
  tree('us', BASE_FILE, [
    [[main, handle, ['hash', 30]], 70_000],
    [[main, handle], 20_000],
    [[['(garbage collector)', 0]], 5_000],
    [[['(program)', 0]], 5_000],
    [[['(idle)', 0]], 50_000]
  ]);

export const headHeap = (): CallTree =>
  tree('bytes', HEAD_FILE, [
    [[main, ['alloc', 50]], 3 * 1024 * 1024],
    [[main, ['buffer', 60]], 1024 * 1024]
  ]);

export function captured(
  profile: string,
  side: 'head' | 'base',
  kind: 'cpu' | 'heap',
  t: CallTree,
  more: Partial<CapturedProfile> = {}
): CapturedProfile {
  const totals = treeTotals(t);
  return {
    profile,
    side,
    kind,
    source: 'node-inspector',
    file: `profiles/${profile}.${side}.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`,
    unit: t.unit,
    totalValue: totals.value,
    samples: totals.samples,
    trials: 10,
    windowMs: 50_000,
    top: topFunctions(t, 20),
    tree: pruneTree(t, 0.001),
    ...more
  };
}

/** The paired result: both sides' CPU, the head's heap, the CPU diff. */
export function pairedProfiling(profile = 'api'): ProfilingResult {
  const head = headCpu();
  const base = baseCpu();
  return {
    profiles: [
      captured(profile, 'head', 'cpu', head),
      captured(profile, 'base', 'cpu', base),
      captured(profile, 'head', 'heap', headHeap())
    ],
    diffs: [{ profile, kind: 'cpu', ...shareChanges(base, head, 20) }],
    warnings: []
  };
}

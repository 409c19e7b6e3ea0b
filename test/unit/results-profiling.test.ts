/**
 * `profiling` in results.json reads back as written (a real run's results with and without it),
 * and a wrong shape deep in a call tree is named by its JSON path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfilingResult } from '../../src/model-profiling.js';
import { parseResults, ResultsFileError } from '../../src/results-file.js';
import { REPO } from '../helpers/example-config.js';

const REAL = readFileSync(path.join(REPO, 'test/fixtures/results/paired.json'), 'utf8');

const frame = { name: 'hotSpin', file: 'file:///srv/server.mjs', line: 3 };

const PROFILING: ProfilingResult = {
  profiles: [
    {
      profile: 'hello',
      side: 'head',
      kind: 'cpu',
      source: 'node-inspector',
      file: 'profiles/hello.head.cpuprofile',
      unit: 'us',
      totalValue: 1000,
      samples: 10,
      trials: 3,
      windowMs: 3012,
      top: {
        self: [{ ...frame, self: 0.7, total: 0.7, selfValue: 700, totalValue: 700 }],
        total: [{ ...frame, self: 0.7, total: 0.7, selfValue: 700, totalValue: 700 }]
      },
      tree: {
        n: '(root)',
        f: '',
        l: 0,
        v: 1000,
        s: 0,
        c: [
          {
            n: 'handler',
            f: 'file:///srv/server.mjs',
            l: 9,
            v: 1000,
            s: 300,
            c: [{ n: 'hotSpin', f: 'file:///srv/server.mjs', l: 3, v: 700, s: 700 }]
          }
        ]
      }
    },
    {
      profile: 'hello',
      side: 'base',
      kind: 'heap',
      source: 'node-inspector',
      unit: 'bytes',
      totalValue: 0,
      samples: 0,
      trials: 1,
      windowMs: 1000,
      top: { self: [], total: [] },
      tree: { n: '(root)', f: '', l: 0, v: 0, s: 0 },
      missing: 'the service exited during trial 2; 1 of 3 trials captured'
    }
  ],
  diffs: [
    {
      profile: 'hello',
      kind: 'cpu',
      grew: [{ ...frame, base: 0.1, head: 0.7, points: 60 }],
      shrank: [{ name: '(garbage collector)', file: '', line: 0, base: 0.2, head: 0.05, points: -15 }]
    }
  ],
  warnings: ['profiling: the base is not profiled: no Node inspector appeared within 3s']
};

function withProfiling(profiling: unknown): string {
  return JSON.stringify({ ...(JSON.parse(REAL) as object), profiling });
}

describe('results.profiling', () => {
  it('reads back as written, nested call trees and missing entries included', () => {
    const r = parseResults(withProfiling(PROFILING), 'results.json');
    expect(r.profiling).toEqual(PROFILING);
  });

  it('is absent in results without it', () => {
    expect(parseResults(REAL, 'results.json').profiling).toBeUndefined();
  });

  it('keeps keys a newer perfgate adds', () => {
    const newer = { ...PROFILING, flame: 'svg' };
    expect(parseResults(withProfiling(newer), 'results.json').profiling).toMatchObject({ flame: 'svg' });
  });

  it.each([
    [
      'a tree node without its value, deep down',
      (p: ProfilingResult) =>
        delete (p.profiles[0]!.tree.c![0]!.c![0] as Partial<(typeof p.profiles)[0]['tree']>).v,
      'results.json: profiling.profiles[0].tree.c[0].c[0].v: expected a number, got nothing'
    ],
    [
      'an unknown kind',
      (p: ProfilingResult) => ((p.profiles[1] as { kind: string }).kind = 'goroutine'),
      'results.json: profiling.profiles[1].kind: expected one of "cpu", "heap", got "goroutine"'
    ],
    [
      'warnings that are not a list',
      (p: ProfilingResult) => ((p as { warnings: unknown }).warnings = 'none'),
      'results.json: profiling.warnings: expected a list, got "none"'
    ]
  ])('refuses %s, naming the JSON path', (_, edit, message) => {
    const p = structuredClone(PROFILING);
    edit(p);
    let thrown: unknown;
    try {
      parseResults(withProfiling(p), 'results.json');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ResultsFileError);
    expect((thrown as Error).message).toBe(message);
  });
});

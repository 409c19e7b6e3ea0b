/**
 * The resource sampler against a real process tree: a parent that stays idle and a child that holds
 * ~110 MB and keeps one core busy for 1.5 s, then sleeps. Sampled as a tree (from `/proc` on Linux,
 * and through pidusage), and the parent alone, at the same time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import ts from 'typescript';
import { treePids } from '../../src/service/process-tree.js';
import { startResourceSampler, type ResourceSummary } from '../../src/service/resources.js';
import { REPO } from '../helpers/example-config.js';
import { runNode } from '../helpers/run-node.js';

const MB = 1024 * 1024;
const LINUX = process.platform === 'linux';

/** Allocates and touches (fills) 110 MB, busy-loops 1.5 s, then sleeps holding the memory. */
const CHILD = `
const held = Buffer.alloc(110 * 1024 * 1024, 1);
console.log('busy ' + process.pid);
const end = Date.now() + 1500;
while (Date.now() < end) {}
console.log('idle');
setInterval(() => { held[0]++; }, 1000);
`;

/** Says it is up, starts the child a little later (so sampling starts first), then sleeps. */
const PARENT = `
const { spawn } = require('node:child_process');
console.log('up');
setTimeout(() => spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: 'inherit' }), 300);
setInterval(() => {}, 1000);
`;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Resolves with the first stdout line matching `pattern`; rejects after `timeoutMs`. */
function line(stream: Readable, pattern: RegExp, timeoutMs = 5000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${JSON.stringify(text)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (!match) return;
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(match);
    };
    stream.on('data', onData);
  });
}

describe('startResourceSampler on a real process tree', () => {
  let parent: ChildProcess | undefined;

  afterEach(() => {
    if (parent?.pid === undefined) return;
    try {
      process.kill(-parent.pid, 'SIGKILL'); // the group: the parent and its child
    } catch {
      // already gone
    }
    parent = undefined;
  });

  it('sees the busy child and its memory, and the idle parent as idle', async () => {
    parent = spawn(process.execPath, ['-e', PARENT], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit']
    });
    const rootPid = parent.pid ?? Number.NaN;
    const stdout = parent.stdout as Readable;
    const busy = line(stdout, /busy (\d+)\n/);
    const idle = line(stdout, /idle\n/);
    await line(stdout, /up\n/);

    const startedAt = performance.now();
    const tree = startResourceSampler(() => treePids(rootPid), { intervalMs: 250 });
    const parentOnly = startResourceSampler(() => [rootPid], { intervalMs: 250 });
    const viaPidusage = startResourceSampler(() => treePids(rootPid), {
      intervalMs: 250,
      source: 'pidusage'
    });
    const stopAll = () => [tree.stop(), parentOnly.stop(), viaPidusage.stop()];
    let idleAt: number;
    let childPid: number;
    let pidsWhileBusy: number[];
    try {
      childPid = Number((await busy)[1]);
      pidsWhileBusy = await treePids(rootPid);
      await idle;
      idleAt = (performance.now() - startedAt) / 1000;
      await sleep(1100);
    } catch (err) {
      stopAll();
      throw err;
    }
    const [t, p, u] = stopAll() as [ResourceSummary, ResourceSummary, ResourceSummary];
    const show = (s: ResourceSummary) =>
      s.samples
        .map(x => `${x.second.toFixed(2)}s ${x.cpu.toFixed(0)}% ${(x.rss / MB).toFixed(0)}MB`)
        .join(', ');
    console.log(`tree: ${show(t)}\nparent: ${show(p)}\npidusage: ${show(u)}\nidle at ${idleAt.toFixed(2)}s`);

    expect(pidsWhileBusy.sort((a, b) => a - b)).toEqual([rootPid, childPid].sort((a, b) => a - b));
    expect(t.source).toBe(LINUX ? 'proc' : 'pidusage');
    expect(u.source).toBe('pidusage');

    // One core busy: well above half a core, well below two (a units slip would be 10× off).
    for (const s of [t, u]) {
      expect(s.cpu.peak).toBeGreaterThan(50);
      expect(s.cpu.peak).toBeLessThan(160);
      expect(s.rss.peak).toBeGreaterThan(100 * MB);
    }
    // The parent alone: idle all along, and without the child's memory.
    expect(p.cpu.peak).toBeLessThan(20);
    expect(p.rss.peak).toBeLessThan(100 * MB);
    expect(t.rss.peak).toBeGreaterThan((p.rss.peak ?? Infinity) + 100 * MB);

    // Once the child sleeps, the tree is idle.
    const afterIdle = t.samples.filter(s => s.second > idleAt);
    expect(afterIdle.length).toBeGreaterThanOrEqual(2);
    for (const s of afterIdle) expect(s.cpu).toBeLessThan(20);
    expect(t.cpu.mean).toBeLessThan(t.cpu.peak ?? 0);

    for (const s of [t, p, u]) {
      const seconds = s.samples.map(x => x.second);
      expect(seconds[0]).toBe(0);
      seconds.slice(1).forEach((second, i) => expect(second).toBeGreaterThan(seconds[i] ?? Infinity));
    }
  }, 15_000);
});

/** The sampler and its imports as plain ESM (no type check: tsc does that), to run outside jest. */
function transpile(dir: string): void {
  for (const file of ['resources.ts', 'resource-readings.ts', 'process-tree.ts', 'proc-file.ts']) {
    const source = readFileSync(path.join(REPO, 'src/service', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true
      }
    });
    writeFileSync(path.join(dir, 'src', file.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
}

/** One sampler stopped, one left running: the process must still end on its own. */
const SCRIPT = `
import { startResourceSampler } from './src/resources.js';
import { treePids } from './src/process-tree.js';
startResourceSampler(() => treePids(process.pid), { intervalMs: 100 });
startResourceSampler(() => [process.pid], { intervalMs: 100, source: 'pidusage' });
const stopped = startResourceSampler(() => [process.pid], { intervalMs: 100 });
setTimeout(() => console.log(JSON.stringify(stopped.stop())), 550);
`;

describe('a sampler in a plain Node process', () => {
  it('never keeps the process alive, stopped or not', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-resources-'));
    try {
      mkdirSync(path.join(dir, 'src'));
      transpile(dir);
      writeFileSync(path.join(dir, 'script.mjs'), SCRIPT);
      const r = await runNode([path.join(dir, 'script.mjs')], { timeoutMs: 5000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0); // it ended on its own: a hang is killed by runNode's time limit (code null)
      const summary = JSON.parse(r.stdout) as ResourceSummary;
      expect(summary.samples.length).toBeGreaterThanOrEqual(3);
      expect(summary.rss.peak).toBeGreaterThan(10 * MB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

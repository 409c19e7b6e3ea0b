/**
 * `profiling:` of Node services through the real CLI (SPEC §11, issue 16 points 1, 3, 5, 7): a
 * service whose handler spends a known 70 % of its work in `hotSpin` gets it at the top with its
 * file and line and artifacts DevTools opens; in paired mode a head that adds `addedHot` shows it
 * as the top grower; a service that is not Node is a warning and the run goes on; a service that
 * exits while profiled is the crash it always was, its profile kept and marked missing. Each run
 * is a few seconds of load.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import type { CapturedProfile } from '../../src/model-profiling.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode, type RunResult } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');

/**
 * Per request, HOT iterations in hotSpin, COLD in coldWork and ADDED in addedHot, the same loop in
 * each: hotSpin does 70 % of the work when ADDED is 0. CRASH_AFTER_MS: exits that long after the
 * first request. hotSpin starts on line 6.
 */
const SERVER = `import http from 'node:http';
const HOT = Number(process.env.HOT);
const COLD = Number(process.env.COLD);
const ADDED = Number(process.env.ADDED ?? 0);
const CRASH_AFTER_MS = Number(process.env.CRASH_AFTER_MS ?? 0);
function hotSpin(n) { let x = 1; for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0; return x; }
function coldWork(n) { let x = 2; for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0; return x; }
function addedHot(n) { let x = 3; for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0; return x; }
let crashing = false;
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (CRASH_AFTER_MS > 0 && !crashing) {
    crashing = true;
    setTimeout(() => { console.error('fatal: simulated crash'); process.exit(7); }, CRASH_AFTER_MS);
  }
  let x = hotSpin(HOT) ^ coldWork(COLD);
  if (ADDED > 0) x ^= addedHot(ADDED);
  res.end(String(x));
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

const WORK = 'HOT: "1400000", COLD: "600000"';

interface Run extends RunResult {
  dir: string;
  results: Results;
}

/** Service lines (`service:` keys) for the test server on `port` with `env`. */
function node(dir: string, port: number, env: string, indent = '  '): string[] {
  return [
    `${indent}command: node server.mjs`,
    `${indent}cwd: ${dir}`,
    `${indent}env: { PORT: "${port}", ${env} }`,
    `${indent}ready: { url: "http://127.0.0.1:${port}/health", timeout: 10s }`
  ];
}

async function run(name: string, build: (dir: string) => Promise<string[]>): Promise<Run> {
  const { dir, file } = tempConfig(`perfgate-profiling-${name}-`, []);
  writeFileSync(path.join(dir, 'server.mjs'), SERVER);
  writeFileSync(file, [...(await build(dir)), 'report: { dir: report }', ''].join('\n'));
  const r = await runNode([BIN, 'run', '-c', file], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    timeoutMs: 90_000
  });
  const results = JSON.parse(readFileSync(path.join(dir, 'report', 'results.json'), 'utf8')) as Results;
  return { ...r, dir, results };
}

function entry(r: Run, side: 'head' | 'base', kind: 'cpu' | 'heap'): CapturedProfile {
  const found = r.results.profiling?.profiles.filter(p => p.side === side && p.kind === kind) ?? [];
  expect(found).toHaveLength(1);
  return found[0]!;
}

const artifact = (r: Run, p: CapturedProfile) =>
  JSON.parse(readFileSync(path.join(r.dir, 'report', p.file!), 'utf8'));

describe('profiling Node services through the CLI', () => {
  beforeAll(buildLib, 120_000);

  it('finds the function that does 70 % of the work at the top, with its file and line, and saves artifacts', async () => {
    const r = await run('hot', async dir => {
      const port = await freePort();
      return [
        'version: 1',
        'service:',
        ...node(dir, port, WORK),
        `target: http://127.0.0.1:${port}`,
        'defaults: { connections: 2, warmup: 1s, duration: 2s, trials: 1 }',
        'profiles:',
        '  - name: api mix/1',
        '    requests: [{ path: /work }]',
        'profiling: { cpu: true, heap: true }'
      ];
    });
    if (r.code !== 0) throw new Error(`perfgate exited ${r.code}: ${r.stderr}`);
    expect(r.results.profiling!.warnings).toEqual([]);
    const cpu = entry(r, 'head', 'cpu');
    expect(cpu).toMatchObject({
      profile: 'api mix/1',
      source: 'node-inspector',
      file: 'profiles/api_mix_1.head.cpuprofile',
      unit: 'us',
      trials: 1
    });
    expect(cpu.missing).toBeUndefined();
    expect(cpu.windowMs).toBeGreaterThan(1500);
    const top = cpu.top.self[0]!;
    expect(top).toMatchObject({ name: 'hotSpin', line: 6 });
    expect(top.file).toMatch(/server\.mjs$/);
    expect(top.self).toBeGreaterThanOrEqual(0.6);
    expect(top.self).toBeLessThanOrEqual(0.8);
    expect(cpu.top.self.find(f => f.name === 'coldWork')?.self).toBeGreaterThan(0.15);
    expect(cpu.tree.v).toBeGreaterThan(0);
    const cpuprofile = artifact(r, cpu);
    expect(cpuprofile.nodes.length).toBeGreaterThan(3);
    expect(cpuprofile.samples.length).toBe(cpuprofile.timeDeltas.length);
    expect(cpuprofile.samples.length).toBeGreaterThan(100);

    const heap = entry(r, 'head', 'heap');
    expect(heap).toMatchObject({ file: 'profiles/api_mix_1.head.heapprofile', unit: 'bytes', trials: 1 });
    expect(artifact(r, heap).head.callFrame.functionName).toBe('(root)');
    expect(r.stdout + r.stderr).toMatch(
      /\[api mix\/1\] head cpu profile: \d+ samples over 1 trial, top self hotSpin \(server\.mjs:6\)/
    );
  }, 90_000);

  it('paired: the function the head adds is the top grower', async () => {
    const r = await run('paired', async dir => {
      const [head, base] = [await freePort(), await freePort()];
      return [
        'version: 1',
        'service:',
        ...node(dir, head, `${WORK}, ADDED: "1000000"`),
        '  base:',
        ...node(dir, base, WORK, '    '),
        `    target: http://127.0.0.1:${base}`,
        `target: http://127.0.0.1:${head}`,
        'defaults: { connections: 2, warmup: 500ms, duration: 1s, trials: 2 }',
        'profiles:',
        '  - name: work',
        '    requests: [{ path: /work }]',
        'profiling: { cpu: true }'
      ];
    });
    // The head is slower: the gate may fail it (1), but the run completes.
    expect([0, 1]).toContain(r.code);
    expect(r.results.status).toBe('complete');
    expect(entry(r, 'base', 'cpu')).toMatchObject({ trials: 2, file: 'profiles/work.base.cpuprofile' });
    expect(entry(r, 'head', 'cpu').trials).toBe(2);
    expect(entry(r, 'base', 'cpu').top.self.some(f => f.name === 'addedHot')).toBe(false);
    const diff = r.results.profiling!.diffs.find(d => d.kind === 'cpu')!;
    expect(diff.grew[0]).toMatchObject({ name: 'addedHot', base: 0 });
    expect(diff.grew[0]!.points).toBeGreaterThan(15);
    expect(diff.shrank.map(s => s.name)).toContain('hotSpin');
  }, 90_000);

  it('a service that is not Node: one warning, and the run goes on unprofiled', async () => {
    const r = await run('python', async () => {
      const port = await freePort();
      return [
        'version: 1',
        'service:',
        `  command: python3 -m http.server ${port} --bind 127.0.0.1`,
        `target: http://127.0.0.1:${port}`,
        'defaults: { connections: 2, warmup: 0s, duration: 1s, trials: 1 }',
        'profiles:',
        '  - name: files',
        '    requests: [{ path: / }]',
        'profiling: { cpu: true, heap: true }'
      ];
    });
    expect(r.code).toBe(0);
    const warnings = r.results.profiling!.warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^profiling: the head is not profiled: no Node inspector appeared within 3s on the process listening on port \d+ \(pid \d+: \S*python3 -m http\.server/
    );
    expect(r.stderr).toContain('profiling: the head is not profiled');
    expect(r.results.profiling!.profiles).toEqual([]);
    expect(r.results.profiles[0]!.head.trials).toHaveLength(1);
  }, 60_000);

  it('a service that exits while profiled: the crash as always, the profile kept and marked missing', async () => {
    const r = await run('crash', async dir => {
      const port = await freePort();
      return [
        'version: 1',
        'service:',
        ...node(dir, port, `${WORK}, CRASH_AFTER_MS: "2500"`),
        `target: http://127.0.0.1:${port}`,
        'defaults: { connections: 2, warmup: 1s, duration: 1s, trials: 4 }',
        'profiles:',
        '  - name: doomed',
        '    requests: [{ path: /work }]',
        'profiling: { cpu: true }'
      ];
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /profile "doomed", head trial \d: service \(head\) crashed during the run \(exit code 7\)/
    );
    expect(r.results).toMatchObject({ status: 'failed', error: { kind: 'service' } });
    const cpu = entry(r, 'head', 'cpu');
    expect(cpu.missing).toMatch(/^the service exited (during|after) trial \d; [0-3] of 4 trials captured$/);
    expect(cpu.trials).toBeLessThan(4);
    if (cpu.trials > 0) expect(existsSync(path.join(r.dir, 'report', cpu.file!))).toBe(true);
  }, 60_000);
});

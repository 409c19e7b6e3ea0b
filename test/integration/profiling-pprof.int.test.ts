/**
 * pprof captures against real endpoints. The Go test service (test/fixtures/pprof/service, standard
 * library only, built here with Debian's golang-go) profiled over two measured windows while load
 * runs on /work: its merged CPU tree has main.hotLoop on top, its heap tree main.retain, and
 * `go tool pprof` opens both artifacts. Then local Node servers that fail the ways endpoints do —
 * a 404, an HTML page, a hang, a body cut short, bytes that are not a profile, a refused port, and
 * an endpoint that fails only the second trial: warnings name the URL and the fault once per kind,
 * windows are missing, nothing throws, and every case ends within its timeouts. Last, the whole run
 * through the CLI with `profiling: { pprof: URL }` on the Go service perfgate starts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CallNode, CallTree } from '../../src/profiling/call-tree.js';
import { pprofCaptures } from '../../src/profiling/pprof-capture.js';
import { readPprof } from '../../src/profiling/pprof-read.js';
import type { CaptureOutcome, CaptureWindow, ProfileCapture } from '../../src/profiling/types.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runGate } from '../helpers/run-gate.js';

const SERVICE_DIR = path.join(REPO, 'test/fixtures/pprof/service');
const CPU_FIXTURE = readFileSync(path.join(REPO, 'test/fixtures/pprof/cpu.pb.gz'));
const HEAP_FIXTURE = readFileSync(path.join(REPO, 'test/fixtures/pprof/heap.pb.gz'));
const GO_ENV = { ...process.env, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

let dir: string;
let service: ChildProcess | undefined;
let serviceUrl: string;

/** Builds the Go service and starts it on a port of its choosing; fails clearly without go. */
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-pprof-'));
  try {
    execFileSync('go', ['version'], { env: GO_ENV, stdio: 'pipe' });
  } catch {
    throw new Error(
      '`go` is not installed: install golang-go (Debian) — .ci/run does — to build the pprof test service'
    );
  }
  execFileSync('go', ['build', '-trimpath', '-o', path.join(dir, 'service'), '.'], {
    cwd: SERVICE_DIR,
    env: GO_ENV,
    stdio: 'pipe'
  });
  const child = spawn(path.join(dir, 'service'), ['-addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  service = child;
  serviceUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the Go service did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^listening on (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', code => reject(new Error(`the Go service exited (${code}): ${out}`)));
  });
}, 300_000);

afterAll(() => {
  service?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const window = (trial: number, durationMs: number, profile = 'steady'): CaptureWindow => ({
  profile,
  side: 'head',
  trial,
  durationMs
});

/** Runs `windows` measured windows through every capture, `during` running while each lasts. */
async function measure(
  captures: ProfileCapture[],
  windows: CaptureWindow[],
  during: (ms: number) => Promise<void>
): Promise<CaptureOutcome[]> {
  for (const w of windows) {
    for (const c of captures) await c.begin(w);
    await during(w.durationMs);
    for (const c of captures) await c.end(w);
  }
  const outcomes = [];
  for (const c of captures) outcomes.push(await c.take(windows[0]!.profile));
  for (const c of captures) await c.close();
  return outcomes;
}

/** Two request loops on the Go service's /work for `ms`. */
async function load(ms: number): Promise<void> {
  const until = Date.now() + ms;
  const loop = async () => {
    while (Date.now() < until) {
      const res = await fetch(`${serviceUrl}/work`);
      await res.text();
    }
  };
  await Promise.all([loop(), loop()]);
}

/** The function with the most self value, and its share of the tree's total. */
function topBySelf(tree: CallTree): { name: string; file: string; share: number } {
  const self = new Map<string, number>();
  const files = new Map<string, string>();
  const visit = (node: CallNode) => {
    self.set(node.name, (self.get(node.name) ?? 0) + node.self);
    files.set(node.name, node.file);
    node.children.forEach(visit);
  };
  visit(tree.root);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const [name, value] = [...self].sort((a, b) => b[1] - a[1])[0]!;
  return { name, file: files.get(name)!, share: value / total };
}

/** `go tool pprof -top` of an artifact written to the temp dir. */
function pprofTop(data: Uint8Array | string, name: string, ...args: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return execFileSync('go', ['tool', 'pprof', '-top', ...args, file], {
    env: GO_ENV,
    encoding: 'utf8',
    stdio: 'pipe'
  });
}

it('the Go service over two windows: CPU with main.hotLoop on top, heap with main.retain, artifacts go tool pprof opens', async () => {
  const warnings: string[] = [];
  const captures = pprofCaptures({
    url: `${serviceUrl}/debug/pprof/`,
    side: 'head',
    cpu: true,
    heap: true,
    timeoutMs: 10_000,
    warn: m => warnings.push(m)
  });
  expect(captures.map(c => [c.kind, c.source])).toEqual([
    ['cpu', 'pprof'],
    ['heap', 'pprof']
  ]);
  const [cpu, heap] = await measure(captures, [window(0, 2000), window(1, 2000)], load);
  expect(warnings).toEqual([]);

  expect([cpu!.windows, cpu!.windowMs, cpu!.missing, cpu!.tree!.unit]).toEqual([2, 4000, undefined, 'ns']);
  const hot = topBySelf(cpu!.tree!);
  expect([hot.name, hot.file]).toEqual(['main.hotLoop', 'example.com/pprofservice/main.go']);
  expect(hot.share).toBeGreaterThan(0.4);
  expect(cpu!.artifact!.extension).toBe('.pb.gz');
  const merged = readPprof(cpu!.artifact!.data as Uint8Array, 'cpu artifact');
  // Two profiles of 2 s each, their durations summed.
  expect(Number(merged.durationNanos)).toBeGreaterThanOrEqual(4e9);
  expect(pprofTop(cpu!.artifact!.data, 'steady.head.cpu.pb.gz')).toMatch(/\bmain\.hotLoop\b/);

  expect([heap!.windows, heap!.windowMs, heap!.missing, heap!.tree!.unit]).toEqual([
    2,
    4000,
    undefined,
    'bytes'
  ]);
  expect(topBySelf(heap!.tree!).name).toBe('main.retain');
  expect(heap!.artifact!.extension).toBe('.pb.gz');
  expect(pprofTop(heap!.artifact!.data, 'steady.head.heap.pb.gz', '-sample_index=inuse_space')).toMatch(
    /\bmain\.retain\b/
  );

  // take() reset the captures: a second take has nothing.
  expect((await captures[0]!.take('steady')).missing).toBe('no measured trial was profiled');
}, 120_000);

/** A server whose behaviour is the first path segment: /404/…, /html/…, /hang/…, /cut/…, /junk/…, /flaky/…. */
async function faultyServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const flaky = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const [, mode, ...rest] = (req.url ?? '').split('/');
    const what = rest.join('/');
    if (mode === '404') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    } else if (mode === 'html') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html>\n<html><body>Sign in</body></html>');
    } else if (mode === 'hang') {
      // Never answers.
    } else if (mode === 'cut') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': CPU_FIXTURE.length
      });
      res.write(CPU_FIXTURE.subarray(0, 200), () => res.destroy());
    } else if (mode === 'junk') {
      res
        .writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(Buffer.from('\x00\x01\x02 no profile here'));
    } else if (mode === 'flaky') {
      // The stored profiles for the first request of each kind, then 404s.
      const kind = what.startsWith('debug/pprof/heap') ? 'heap' : 'cpu';
      const seen = (flaky.get(kind) ?? 0) + 1;
      flaky.set(kind, seen);
      if (seen > 1) res.writeHead(404).end('gone\n');
      else res.writeHead(200).end(kind === 'heap' ? HEAP_FIXTURE : CPU_FIXTURE);
    } else {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

describe('pprof endpoint faults: warned once per kind naming the URL, windows missing, the run goes on', () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    server = await faultyServer();
  });
  afterAll(() => server.close());

  async function faults(root: string, timeoutMs = 2000) {
    const warnings: string[] = [];
    const captures = pprofCaptures({
      url: root,
      side: 'base',
      cpu: true,
      heap: true,
      timeoutMs,
      warn: m => warnings.push(m)
    });
    const started = Date.now();
    const [cpu, heap] = await measure(
      captures,
      [window(0, 300), window(1, 300)],
      ms => new Promise(r => setTimeout(r, ms))
    );
    return { warnings, cpu: cpu!, heap: heap!, ms: Date.now() - started };
  }

  it.each<[string, RegExp]>([
    ['404', /404 Not Found \("404 page not found"\)/],
    ['html', /an HTML page \("<!doctype html>"\), not a pprof profile/],
    ['cut', /the connection was reset before the profile was whole/],
    ['junk', /no sample types: not a pprof profile/]
  ])('%s', async (mode, why) => {
    const root = `${server.url}/${mode}/debug/pprof`;
    const { warnings, cpu, heap } = await faults(root);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      `pprof CPU profile of the base (profile "steady", trial 1): GET ${root}/profile?seconds=1: `
    );
    expect(warnings[1]).toContain(
      `pprof heap profile of the base (profile "steady", trial 1): GET ${root}/heap?gc=1: `
    );
    for (const w of warnings) expect(w).toMatch(why);
    for (const outcome of [cpu, heap]) {
      expect([outcome.windows, outcome.windowMs, outcome.tree, outcome.artifact]).toEqual([
        0,
        0,
        undefined,
        undefined
      ]);
      expect(outcome.missing).toMatch(/^trials 1, 2: /);
      expect(outcome.missing).toMatch(why);
    }
  });

  it('a hang times out: the CPU profile after its seconds and the timeout, the heap after the timeout', async () => {
    const { warnings, cpu, heap, ms } = await faults(`${server.url}/hang/debug/pprof`, 500);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /GET .*\/hang\/debug\/pprof\/profile\?seconds=1: no answer within 1500 ms \(timed out\)/
    );
    expect(warnings[1]).toMatch(
      /GET .*\/hang\/debug\/pprof\/heap\?gc=1: no answer within 500 ms \(timed out\)/
    );
    expect([cpu.windows, heap.windows]).toEqual([0, 0]);
    // Two windows of 0.3 s, each waiting 1.5 s for the CPU profile and 0.5 s for the heap: about 4 s.
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  it('a refused connection', async () => {
    const root = `http://127.0.0.1:${await freePort()}/debug/pprof`;
    const { warnings, cpu } = await faults(root);
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/: connection refused \(is the pprof endpoint listening\?\)/);
    expect(cpu.missing).toMatch(/^trials 1, 2: connection refused/);
  });

  it('an endpoint that fails the second trial only: one window captured, the other missing and named', async () => {
    const root = `${server.url}/flaky/debug/pprof`;
    const { warnings, cpu, heap } = await faults(root);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      `(profile "steady", trial 2): GET ${root}/profile?seconds=1: 404 Not Found ("gone")`
    );
    expect(warnings[1]).toContain(
      `(profile "steady", trial 2): GET ${root}/heap?gc=1: 404 Not Found ("gone")`
    );
    expect([cpu.windows, cpu.windowMs, topBySelf(cpu.tree!).name]).toEqual([1, 300, 'main.hotLoop']);
    expect(cpu.missing).toBe('trial 2: 404 Not Found ("gone")');
    expect(cpu.artifact!.extension).toBe('.pb.gz');
    expect([heap.windows, topBySelf(heap.tree!).name]).toEqual([1, 'main.retain']);
    expect(heap.missing).toBe('trial 2: 404 Not Found ("gone"); the heap snapshot is the one after trial 1');
  });

  it('a password in the URL is masked in the warnings', async () => {
    const root = `${server.url.replace('//', '//user:s3cret@')}/404/debug/pprof`;
    const { warnings } = await faults(root);
    expect(warnings.join('\n')).not.toContain('s3cret');
    expect(warnings[0]).toContain('//user:***@');
  });
});

it('through the CLI: profiling.pprof on a Go service perfgate starts gives both profiles, their artifacts and no warning', async () => {
  buildLib();
  const port = await freePort();
  const { dir: cfgDir, file } = tempConfig('perfgate-pprof-cli-', [
    'version: 1',
    'service:',
    `  command: ${JSON.stringify(`${path.join(dir, 'service')} -addr 127.0.0.1:${port}`)}`,
    `  ready: { url: "http://127.0.0.1:${port}/debug/pprof/", timeout: 20s }`,
    `target: http://127.0.0.1:${port}`,
    'defaults: { connections: 2, warmup: 500ms, duration: 2s, trials: 2 }',
    'profiles:',
    '  - name: work',
    '    requests: [{ path: /work }]',
    `profiling: { pprof: "http://127.0.0.1:${port}/debug/pprof" }`,
    'report: { dir: report, comment: never }'
  ]);
  const run = await runGate(file, [], 120_000);
  expect([run.code, run.output]).toEqual([0, run.output]);
  const profiling = run.results!.profiling!;
  expect(profiling.warnings).toEqual([]);
  expect(profiling.profiles.map(p => [p.profile, p.side, p.kind, p.source, p.trials, p.missing])).toEqual([
    ['work', 'head', 'cpu', 'pprof', 2, undefined],
    ['work', 'head', 'heap', 'pprof', 2, undefined]
  ]);
  const [cpu, heap] = profiling.profiles;
  expect([cpu!.unit, cpu!.top.self[0]!.name]).toEqual(['ns', 'main.hotLoop']);
  expect([heap!.unit, heap!.top.self[0]!.name]).toEqual(['bytes', 'main.retain']);
  for (const p of [cpu!, heap!]) {
    expect(p.file).toMatch(/\.pb\.gz$/);
    const artifact = readFileSync(path.join(cfgDir, 'report', p.file!));
    expect(pprofTop(artifact, `cli.${p.kind}.pb.gz`)).toMatch(
      p.kind === 'cpu' ? /main\.hotLoop/ : /main\.retain/
    );
  }
  rmSync(cfgDir, { recursive: true, force: true });
}, 180_000);

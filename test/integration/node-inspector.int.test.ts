/**
 * Finding and using a Node service's inspector with real processes: a service whose node parent
 * starts the node child that serves (both open an inspector: the child's is the one), the inspector
 * banner that must not pass for readiness, CPU and heap captures over two windows merged into
 * artifacts DevTools reads, and a service that is not Node.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ProfilingConfig, ServiceConfig } from '../../src/config/types.js';
import { topFunctions } from '../../src/profiling/call-tree.js';
import { parseCpuProfile } from '../../src/profiling/cpu-profile.js';
import { parseHeapProfile } from '../../src/profiling/heap-profile.js';
import { InspectorSession } from '../../src/profiling/inspector.js';
import { nodeCaptures } from '../../src/profiling/node-captures.js';
import { findInspector, INSPECT_FLAG, withInspector } from '../../src/profiling/node-inspector.js';
import { startService } from '../../src/service/start-service.js';
import type { ServiceHandle } from '../../src/service/types.js';
import { freePort } from '../helpers/ports.js';

/** Starts child.mjs and waits; the child listens on PORT a second after its start. */
const PARENT = `
import { spawn } from 'node:child_process';
const child = spawn(process.execPath, [new URL('./child.mjs', import.meta.url).pathname], { stdio: 'inherit' });
child.on('exit', code => process.exit(code ?? 1));
process.on('SIGTERM', () => child.kill('SIGTERM'));
`;

const CHILD = `
import http from 'node:http';
function churn(n) { let x = 1; for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0; return x; }
const kept = [];
const server = http.createServer((req, res) => {
  kept.push(new Array(1000).fill(req.url));
  res.end(String(churn(2_000_000)));
});
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('child listening')), 1000);
`;

const PROFILING: ProfilingConfig = { cpu: true, heap: true, intervalUs: 500, heapIntervalBytes: 4096 };

function serviceConfig(
  dir: string,
  command: string,
  port: number,
  ready: ServiceConfig['ready']
): ServiceConfig {
  return {
    side: 'head',
    command,
    cwd: dir,
    env: { PORT: String(port), NODE_OPTIONS: '--max-old-space-size=200' },
    ready,
    readyTimeoutMs: 15_000,
    stopTimeoutMs: 2000,
    cpus: 'shared'
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function get(port: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(`http://127.0.0.1:${port}/work`)).text();
}

describe('withInspector', () => {
  const service = serviceConfig('/srv', 'node server.js', 3000, {
    kind: 'tcp',
    host: '127.0.0.1',
    port: 3000
  });

  it("appends the flag to the service's NODE_OPTIONS, else to perfgate's own", () => {
    expect(withInspector(service, PROFILING).env.NODE_OPTIONS).toBe(
      `--max-old-space-size=200 ${INSPECT_FLAG}`
    );
    const { NODE_OPTIONS: _, ...env } = service.env;
    expect(
      withInspector({ ...service, env }, PROFILING, { NODE_OPTIONS: '--enable-source-maps' }).env
    ).toEqual({
      PORT: '3000',
      NODE_OPTIONS: `--enable-source-maps ${INSPECT_FLAG}`
    });
    expect(withInspector({ ...service, env }, PROFILING, {}).env.NODE_OPTIONS).toBe(INSPECT_FLAG);
  });

  it('leaves the service alone without profiling and with pprof', () => {
    expect(withInspector(service, undefined)).toBe(service);
    expect(
      withInspector(service, { ...PROFILING, pprof: { head: 'http://127.0.0.1:6060/debug/pprof' } })
    ).toBe(service);
  });
});

describe('a Node service started with an inspector', () => {
  let dir: string;
  let port: number;
  let handle: ServiceHandle;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-inspector-'));
    writeFileSync(path.join(dir, 'parent.mjs'), PARENT);
    writeFileSync(path.join(dir, 'child.mjs'), CHILD);
    port = await freePort();
    const config = serviceConfig(dir, 'node parent.mjs', port, { kind: 'log', pattern: 'listening' });
    handle = await startService(withInspector(config, PROFILING), { logDir: dir });
  }, 30_000);

  afterAll(async () => {
    await handle?.stop();
  });

  it("is ready by its own line, not by the inspectors' banners", async () => {
    expect(handle.logTail(50)).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
    expect(await accepts(port)).toBe(true);
  });

  it("is profiled through the inspector of the process listening on the target's port", async () => {
    const found = await findInspector(handle, `http://127.0.0.1:${port}`, 3000);
    if ('missing' in found) throw new Error(found.missing);
    const session = await InspectorSession.connect(found.webSocketUrl);
    const captures = await nodeCaptures(session, PROFILING);
    try {
      const who = await session.send<{ result: { value: string } }>('Runtime.evaluate', {
        expression: 'process.pid + " " + process.argv[1]'
      });
      expect(who.result.value).toBe(`${found.pid} ${path.join(dir, 'child.mjs')}`);
      expect(captures.map(c => c.kind)).toEqual(['cpu', 'heap']);
      for (const trial of [0, 1]) {
        const window = { profile: 'work', side: 'head' as const, trial, durationMs: 1000 };
        await Promise.all(captures.map(c => c.begin(window)));
        await get(port, 20);
        await Promise.all(captures.map(c => c.end(window)));
      }
      const [cpu, heap] = await Promise.all(captures.map(c => c.take('work')));
      expect(cpu).toMatchObject({ kind: 'cpu', source: 'node-inspector', windows: 2 });
      expect(cpu!.missing).toBeUndefined();
      expect(cpu!.windowMs).toBeGreaterThan(0);
      expect(cpu!.artifact!.extension).toBe('.cpuprofile');
      const profile = parseCpuProfile(String(cpu!.artifact!.data), 'work.cpuprofile');
      expect(profile.samples!.length).toBeGreaterThan(10);
      expect(topFunctions(cpu!.tree!).self[0]).toMatchObject({ name: 'churn', line: 3 });
      expect(heap).toMatchObject({ kind: 'heap', windows: 2 });
      expect(heap!.artifact!.extension).toBe('.heapprofile');
      expect(
        parseHeapProfile(String(heap!.artifact!.data), 'work.heapprofile').head.callFrame.functionName
      ).toBe('(root)');
      // A take resets: nothing recorded since.
      expect(await captures[0]!.take('next')).toMatchObject({ windows: 0, windowMs: 0 });
    } finally {
      await Promise.all(captures.map(c => c.close()));
    }
    expect(session.closed).toBe('the inspector session was closed');
  });
});

describe('a service that is not Node', () => {
  it('has no inspector, and the reason names the process on the port', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-inspector-py-'));
    const port = await freePort();
    const config = serviceConfig(dir, `python3 -m http.server ${port} --bind 127.0.0.1`, port, {
      kind: 'tcp',
      host: '127.0.0.1',
      port
    });
    const handle = await startService(withInspector(config, PROFILING), { logDir: dir });
    try {
      const found = await findInspector(handle, `http://127.0.0.1:${port}`, 1000);
      expect(found).toEqual({ missing: expect.stringContaining('no Node inspector appeared within 1s') });
      expect((found as { missing: string }).missing).toMatch(
        /on the process listening on port \d+ \(pid \d+: \S*python3 -m http\.server/
      );
    } finally {
      await handle.stop();
    }
  }, 30_000);
});

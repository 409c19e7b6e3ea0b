import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ProfileConfig, RequestSpec } from '../../src/config/types.js';
import { testProfile } from '../helpers/profiles.js';
import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import type { TrialResult } from '../../src/model.js';
import { REPO } from '../helpers/example-config.js';

const SERVER = path.join(REPO, 'examples/hello/server.mjs');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts examples/hello/server.mjs on a port of the OS's choosing (PORT=0), as perfgate would. */
function startExample(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start: ${out}`)), 10_000);
    child.stdout!.on('data', d => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, exit });
      }
    });
    child.stderr!.on('data', d => (out += d));
  });
}

function request(r: Partial<RequestSpec> & { path: string }): RequestSpec {
  return { name: r.path, method: 'GET', headers: {}, weight: 1, expectStatus: [], ...r };
}

function profile(requests: RequestSpec[]): ProfileConfig {
  return { ...testProfile([], { name: 'example', connections: 4 }), requests };
}

async function trial(url: string, requests: RequestSpec[]): Promise<TrialResult> {
  // The example runs in its own process, so the saturation check stays on; the trial may still
  // be invalid on a saturated machine, which the assertions below do not depend on.
  return new HttpLoadGenerator().runTrial(
    { profile: profile(requests), target: url, side: 'head', index: 0 },
    new AbortController().signal
  );
}

describe('examples/hello/server.mjs under load', () => {
  let server: Started | undefined;
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exit;
    }
    server = undefined;
  });

  it('serves its routes without errors, /slow measurably slower, and exits 0 on SIGTERM', async () => {
    server = await startExample();
    const t = await trial(server.url, [
      request({ path: '/hello', weight: 3 }),
      request({ path: '/health', expectBody: 'ok' }),
      request({
        name: 'create',
        method: 'POST',
        path: '/items',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"widget"}',
        expectStatus: [201]
      }),
      request({ path: '/slow' })
    ]);
    expect(t.metrics.failed).toBe(0);
    expect(t.metrics.statusCodes).toEqual({ '200': expect.any(Number), '201': t.requests.create!.responses });
    for (const r of Object.values(t.requests)) expect(r.responses).toBeGreaterThan(0);
    expect(t.requests['/slow']!.latency.p50).toBeGreaterThanOrEqual(4);
    expect(t.requests['/hello']!.latency.p50).toBeLessThan(t.requests['/slow']!.latency.p50);

    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(server.output()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n/);
  });

  it('answers 400 to bad JSON and 404 to unknown routes', async () => {
    server = await startExample();
    const bad = await fetch(`${server.url}/items`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    const created = await fetch(`${server.url}/items`, { method: 'POST', body: '{"a":1}' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ a: 1, id: expect.any(Number) });
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/health`)).text()).toBe('ok');
  });

  it('adds DELAY_MS to every request', async () => {
    server = await startExample({ DELAY_MS: '25' });
    const t = await trial(server.url, [request({ path: '/health' })]);
    expect(t.metrics.failed).toBe(0);
    expect(t.metrics.latency.p50).toBeGreaterThanOrEqual(24);
    expect(t.metrics.latency.p50).toBeLessThan(40);
  });
});

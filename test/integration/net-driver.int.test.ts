/**
 * The closed model on node:net (net-driver.ts) against real servers on 127.0.0.1: node:http (the
 * test server), and raw TCP servers that answer in ways node:http never would — chunked bodies
 * dribbled a byte at a time, `Connection: close`, bytes nobody asked for, oversize heads, a close
 * in the middle of a response. The closed-model tests of the generator (load.int.test.ts) run on
 * both clients; the selection itself is checked here.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ProfileConfig } from '../../src/config/types.js';
import { LoadError } from '../../src/errors.js';
import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import { driveNet } from '../../src/load/net-driver.js';
import { TrialRecorder, type RecordedTrial } from '../../src/load/recorder.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { startTestServer, type TestServer } from '../fixtures/load/test-server.js';
import { freePort } from '../helpers/ports.js';
import { testProfile, type TestRequest } from '../helpers/profiles.js';

const never = () => new AbortController().signal;

/** Runs the net driver for `durationMs` and returns the recorded trial with the driver's outcome. */
async function drive(
  target: string,
  requests: TestRequest[],
  { durationMs = 600, connections = 2, timeoutMs = 5000, signal = never() } = {}
) {
  const profile = testProfile(requests, { timeoutMs });
  const recorder = new TrialRecorder(
    profile.requests.map(r => r.name),
    performance.now()
  );
  const outcome = await driveNet({ profile, connections, target, durationMs, signal, recorder });
  const t = recorder.finish(outcome.durationMs);
  expectConsistent(t);
  return { ...t, outcome };
}

function expectConsistent(t: RecordedTrial): void {
  const m = t.metrics;
  expect(t.timeline.reduce((a, p) => a + p.completed, 0)).toBe(m.requests);
  expect(m.requests).toBe(m.responses + m.errors.timeout + m.errors.connection);
  expect(m.failed).toBe(m.errors.timeout + m.errors.connection + m.errors.status + m.errors.body);
  expect(decodeHistogram(m.histogram).totalCount).toBe(m.responses);
}

interface RawServer {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  /** Requests read so far (heads ending in a blank line; the driver's GETs have no body). */
  requests: number;
  close(): Promise<void>;
}

/** A TCP server that calls `answer` for each request head it reads, with the request's number. */
function rawServer(answer: (socket: net.Socket, n: number, head: string) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, requests: 0 };
  const server = net.createServer(socket => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    socket.on('data', d => {
      buf += d.toString('latin1');
      let at: number;
      while ((at = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, at);
        buf = buf.slice(at + 4);
        answer(socket, state.requests++, head);
      }
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        get connections() {
          return state.connections;
        },
        get requests() {
          return state.requests;
        },
        close: () =>
          new Promise<void>(done => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          })
      });
    })
  );
}

/** Writes `text` a byte per `setImmediate`, so the client sees it in many reads. */
function dribble(socket: net.Socket, text: string): void {
  let i = 0;
  const next = () => {
    if (socket.destroyed || i >= text.length) return;
    socket.write(text[i++]!);
    setImmediate(next);
  };
  next();
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: t\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

describe('driveNet against node:http', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(() => server.close());

  it('times a fixed 20 ms delay as p50 ≈ 20 ms over the planned window', async () => {
    const t = await drive(server.url, [{ path: '/delay?ms=20' }], { connections: 4, durationMs: 1000 });
    expect(t.outcome).toEqual({ durationMs: 1000, aborted: false });
    expect(t.metrics.latency.p50).toBeGreaterThanOrEqual(19);
    expect(t.metrics.latency.p50).toBeLessThan(30);
    expect(t.metrics.responses).toBeGreaterThan(80);
    expect(t.metrics.failed).toBe(0);
    // Every response: status line, headers and the 2-byte body.
    expect(t.metrics.bytesReceived).toBeGreaterThan(t.metrics.responses * 60);
  });

  it('keeps each connection alive: two connections for hundreds of requests', async () => {
    const raw = await rawServer(s => s.write(OK));
    try {
      const t = await drive(raw.url, [{ path: '/x' }], { durationMs: 400 });
      expect(t.metrics.responses).toBeGreaterThan(100);
      expect(raw.connections).toBe(2);
    } finally {
      await raw.close();
    }
  });

  it('sends the mix in proportion (1 : 3) and checks status and body per request', async () => {
    const t = await drive(server.url, [
      { path: '/a', name: 'a' },
      { path: '/b', name: 'b', weight: 3 },
      { path: '/fail', name: 'fail' },
      { path: '/body', name: 'right', expectBody: 'hello' },
      { path: '/body', name: 'wrong', expectBody: 'hell' },
      { path: '/body', name: 'longer', expectBody: 'hello, world' }
    ]);
    const r = t.requests;
    expect(r.b!.requests / r.a!.requests).toBeGreaterThan(2.5);
    expect(r.b!.requests / r.a!.requests).toBeLessThan(3.5);
    expect(r.fail!.errors).toEqual({ timeout: 0, connection: 0, status: r.fail!.responses, body: 0 });
    expect(r.right!.failed).toBe(0);
    expect(r.wrong!.errors.body).toBe(r.wrong!.responses);
    expect(r.longer!.errors.body).toBe(r.longer!.responses);
    expect(r.a!.failed + r.b!.failed).toBe(0);
    for (const name of ['a', 'fail', 'right', 'wrong', 'longer'])
      expect(r[name]!.responses).toBeGreaterThan(10);
  });

  it('counts requests unanswered within timeoutMs (300 ms) as timeouts of that request', async () => {
    const t = await drive(server.url, [{ path: '/ok' }, { path: '/hang' }], {
      timeoutMs: 300,
      durationMs: 1500
    });
    const hang = t.requests['/hang']!;
    expect(hang.errors.timeout).toBeGreaterThanOrEqual(6);
    expect(hang.errors.timeout).toBeLessThanOrEqual(12);
    expect(hang).toMatchObject({ responses: 0, failed: hang.errors.timeout });
    expect(t.requests['/ok']!.failed).toBe(0);
  });

  it('counts requests whose connection the server closed as connection errors', async () => {
    const t = await drive(server.url, [{ path: '/ok' }, { path: '/drop' }]);
    const drop = t.requests['/drop']!;
    expect(drop.errors.connection).toBeGreaterThan(10);
    expect(drop).toMatchObject({ responses: 0, failed: drop.errors.connection });
    expect(t.requests['/ok']!.failed).toBe(0);
  });

  it('stops on abort and resolves with the window so far', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t = await drive(server.url, [{ path: '/ok' }], { durationMs: 20_000, signal: ac.signal });
    expect(t.outcome.aborted).toBe(true);
    expect(t.outcome.durationMs).toBeGreaterThan(250);
    expect(t.outcome.durationMs).toBeLessThan(5000);
    expect(t.metrics.responses).toBeGreaterThan(0);
  });

  it('puts a fresh id in the path, a header and the body of each request', async () => {
    const t = await drive(server.url, [
      {
        path: '/record?id=[<id>]',
        method: 'POST',
        headers: { 'x-request-id': 'req-[<id>]' },
        body: '{"id":"[<id>]"}'
      }
    ]);
    expect(t.metrics.failed).toBe(0);
    expect(server.records.length).toBeGreaterThan(20);
    const ids = server.records.map(r => {
      const id = new URL(r.url, 'http://x').searchParams.get('id')!;
      expect(r.header).toBe(`req-${id}`);
      expect(JSON.parse(r.body)).toEqual({ id });
      return id;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects a method it cannot send with a LoadError, sending nothing', async () => {
    await expect(drive(server.url, [{ path: '/ok', method: 'BREW' }])).rejects.toThrow(
      /^load generator failed: BREW HTTP method is not supported$/
    );
    expect(server.hits.size).toBe(0);
  });
});

describe('driveNet against raw HTTP/1.1 servers', () => {
  let raw: RawServer | undefined;
  afterEach(async () => {
    await raw?.close();
    raw = undefined;
  });

  it('reads chunked responses with extensions and trailers dribbled a byte at a time', async () => {
    raw = await rawServer(s => dribble(s, CHUNKED));
    const t = await drive(raw.url, [{ path: '/c', expectBody: 'hello' }], { durationMs: 400 });
    expect(t.metrics.responses).toBeGreaterThan(5);
    expect(t.metrics.failed).toBe(0);
    expect(t.metrics.bytesReceived).toBe(t.metrics.responses * CHUNKED.length);
  });

  it('reconnects after Connection: close and counts every response', async () => {
    raw = await rawServer(s => s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok'));
    const t = await drive(raw.url, [{ path: '/x' }], { durationMs: 400 });
    expect(t.metrics.responses).toBeGreaterThan(20);
    expect(t.metrics.failed).toBe(0);
    expect(raw.connections).toBeGreaterThanOrEqual(t.metrics.responses);
  });

  it('reads a body delimited by the close', async () => {
    raw = await rawServer(s => s.end('HTTP/1.1 200 OK\r\n\r\nhello'));
    const t = await drive(raw.url, [{ path: '/x', expectBody: 'hello' }], { durationMs: 400 });
    expect(t.metrics.responses).toBeGreaterThan(20);
    expect(t.metrics.failed).toBe(0);
  });

  it('counts the response but drops the connection when bytes nobody asked for follow it', async () => {
    raw = await rawServer(s => s.write(`${OK}HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`));
    const t = await drive(raw.url, [{ path: '/x' }], { durationMs: 400 });
    expect(t.metrics.responses).toBeGreaterThan(20);
    expect(t.metrics.failed).toBe(0);
    expect(raw.connections).toBeGreaterThanOrEqual(t.metrics.responses);
  });

  it.each([
    [
      'an oversize head',
      `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`,
      false
    ],
    ['a bad status line', 'HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n', false],
    [
      'both Transfer-Encoding and Content-Length',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n',
      false
    ],
    ['a close in the middle of the body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', true]
  ])(
    'charges %s to the request as a connection error and replaces the connection',
    async (_, text, close) => {
      // Every other request is answered properly, so the driver keeps running.
      raw = await rawServer((s, n) => (n % 2 === 0 ? s.write(OK) : close ? s.end(text) : s.write(text)));
      const t = await drive(raw.url, [{ path: '/x' }], { durationMs: 400 });
      expect(t.metrics.responses).toBeGreaterThan(10);
      expect(t.metrics.errors.connection).toBeGreaterThan(10);
      expect(t.metrics.failed).toBe(t.metrics.errors.connection);
      expect(Math.abs(t.metrics.responses - t.metrics.errors.connection)).toBeLessThanOrEqual(2);
      expect(raw.connections).toBeGreaterThan(10);
    }
  );

  it('reads no body after a HEAD, whatever Content-Length says', async () => {
    raw = await rawServer((s, _n, head) =>
      s.write(
        head.startsWith('HEAD ')
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'
          : 'HTTP/1.1 400 X\r\n\r\n'
      )
    );
    const t = await drive(raw.url, [{ path: '/x', method: 'HEAD' }], { durationMs: 300 });
    expect(t.metrics.responses).toBeGreaterThan(20);
    expect(t.metrics.failed).toBe(0);
    expect(raw.connections).toBe(2);
  });
});

/**
 * A server in a child process that holds the first request of each of N connections (its first
 * argument, default 2), then sends a byte on a control connection (the test blocks its own event
 * loop on it) and 100 ms later answers them all: the answers come in while the driver's loop cannot
 * run, so its next poll finds every socket readable at once. Every later request is answered at
 * once with 200; with a second argument `mixed`, every second held request is answered 503.
 */
const HELD_SERVER = `
const net = require('node:net');
const N = Number(process.argv[1] || 2);
const MIXED = process.argv[2] === 'mixed';
const OK = 'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok';
const BUSY = 'HTTP/1.1 503 Service Unavailable\\r\\nContent-Length: 2\\r\\n\\r\\nok';
const held = [];
let control;
let holding = true;
const release = () => {
  if (!holding || held.length < N || !control) return;
  holding = false;
  control.write('x');
  setTimeout(() => held.forEach((s, i) => s.write(MIXED && i % 2 === 1 ? BUSY : OK)), 100);
};
const ctl = net.createServer(s => { control = s; s.on('error', () => {}); release(); });
const http = net.createServer(s => {
  s.setNoDelay(true);
  s.on('error', () => {});
  let buf = '';
  s.on('data', d => {
    buf += d.toString('latin1');
    let at;
    while ((at = buf.indexOf('\\r\\n\\r\\n')) >= 0) {
      buf = buf.slice(at + 4);
      if (holding) { held.push(s); release(); } else s.write(OK);
    }
  });
});
ctl.listen(0, '127.0.0.1', () => http.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ control: ctl.address().port, http: http.address().port }))));
`;

/**
 * A real TrialRecorder that also keeps each response as the driver gave it (request, status, time,
 * failure, clock), in order.
 */
class StampedRecorder extends TrialRecorder {
  readonly stamps: Array<{
    request: number;
    status: number;
    ms: number;
    failure: string | null;
    now: number;
  }> = [];
  override response(...args: Parameters<TrialRecorder['response']>): void {
    const [request, status, , ms, failure, now] = args;
    this.stamps.push({ request, status, ms, failure, now });
    super.response(...args);
  }
}

/** Starts HELD_SERVER with `args`; blocks this thread for 400 ms when it signals the release. */
async function heldServer(args: string[]) {
  const child = spawn(process.execPath, ['-e', HELD_SERVER, ...args], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  const control = new net.Socket();
  const stop = () => {
    control.destroy();
    child.kill('SIGKILL');
  };
  try {
    const ports = await new Promise<{ control: number; http: number }>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', d => resolve(JSON.parse(String(d)) as { control: number; http: number }));
    });
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.connect(ports.control, '127.0.0.1', resolve);
    });
    // Blocks this thread for 400 ms: the held answers arrive meanwhile (100 ms after the byte).
    control.on('data', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400));
    return { target: `http://127.0.0.1:${ports.http}`, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** The net driver against the held server with `connections`, into a StampedRecorder. */
async function driveHeld(connections: number, args: string[]) {
  const server = await heldServer([String(connections), ...args]);
  try {
    const profile = testProfile([{ path: '/held', expectBody: 'ok' }], { timeoutMs: 5000 });
    const recorder = new StampedRecorder(
      profile.requests.map(r => r.name),
      performance.now()
    );
    const outcome = await driveNet({
      profile,
      connections,
      target: server.target,
      durationMs: 1200,
      signal: never(),
      recorder
    });
    const t = recorder.finish(outcome.durationMs);
    expectConsistent(t);
    return { t, stamps: recorder.stamps };
  } finally {
    server.stop();
  }
}

describe('driveNet: one clock per poll phase', () => {
  it('times responses read in the same poll phase at the phase’s first read, not after the reads before them', async () => {
    const { t, stamps } = await driveHeld(2, []);
    expect(t.metrics.failed).toBe(0);
    const [a, b, ...rest] = stamps;
    // The held pair: both waited out the block, and both were read in the poll after it.
    expect(a!.ms).toBeGreaterThan(300);
    expect(b!.ms).toBeGreaterThan(300);
    expect(b!.now).toBe(a!.now);
    // Every later poll reads the clock anew: the answers after the pair come in over time, in order.
    expect(rest.length).toBeGreaterThan(10);
    expect(rest[0]!.now).toBeGreaterThan(a!.now);
    for (let i = 1; i < rest.length; i++) expect(rest[i]!.now).toBeGreaterThanOrEqual(rest[i - 1]!.now);
    expect(new Set(rest.map(s => s.now)).size).toBeGreaterThan(1);
  });

  it('holds and records every response of a poll that reads 40 at once, each with its status and failure', async () => {
    // 40 answers in one turn: more than the driver's held buffers start with (16), so they grow.
    const { t, stamps } = await driveHeld(40, ['mixed']);
    const burst = stamps.slice(0, 40);
    expect(new Set(burst.map(s => s.now)).size).toBe(1);
    for (const s of burst) expect(s.ms).toBeGreaterThan(300);
    expect(burst.filter(s => s.status === 503)).toHaveLength(20);
    for (const s of stamps) expect(s.failure).toBe(s.status === 503 ? 'status' : null);
    for (const s of stamps) expect(s.request).toBe(0);
    expect(t.metrics.errors.status).toBe(20);
    expect(t.metrics.statusCodes['503']).toBe(20);
    expect(t.metrics.statusCodes['200']).toBe(t.metrics.responses - 20);
    expect(t.metrics.responses).toBeGreaterThan(100);
    // The sends after the burst were recorded too: every second counts what it sent.
    expect(t.timeline.reduce((n, p) => n + p.sent, 0)).toBeGreaterThanOrEqual(t.metrics.requests);
  });
});

describe('driveNet: a target that refuses connections', () => {
  it('stops with a LoadError naming the target and the reason', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(
      drive(`http://127.0.0.1:${port}`, [{ path: '/ok' }], { durationMs: 20_000 })
    ).rejects.toThrow(
      new RegExp(
        `^no response from http://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\) on all \\d+ attempts`
      )
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('PERFGATE_CLOSED_DRIVER', () => {
  const generator = new HttpLoadGenerator({ cpuLimit: Infinity, busyLimit: Infinity });
  const before = process.env.PERFGATE_CLOSED_DRIVER;
  afterEach(() => {
    if (before === undefined) delete process.env.PERFGATE_CLOSED_DRIVER;
    else process.env.PERFGATE_CLOSED_DRIVER = before;
  });

  /** A response only the strict client refuses: both Transfer-Encoding and Content-Length. */
  const smuggling = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n';

  it.each([
    ['unset: the own client', undefined, true],
    ['net', 'net', true],
    ['autocannon', 'autocannon', false]
  ])('selects the client of each stage (%s)', async (_, driver, strict) => {
    if (driver === undefined) delete process.env.PERFGATE_CLOSED_DRIVER;
    else process.env.PERFGATE_CLOSED_DRIVER = driver;
    const raw = await rawServer(s => s.write(smuggling));
    try {
      const p: ProfileConfig = testProfile([{ path: '/x' }], { durationMs: 400 });
      const t = await generator.runTrial({ profile: p, target: raw.url, side: 'head', index: 0 }, never());
      if (strict) {
        expect(t.metrics.responses).toBe(0);
        expect(t.metrics.errors.connection).toBeGreaterThan(10);
      } else {
        expect(t.metrics.responses).toBeGreaterThan(10);
      }
    } finally {
      await raw.close();
    }
  });

  it('refuses a value that names no client, before sending anything', async () => {
    process.env.PERFGATE_CLOSED_DRIVER = 'wrk';
    const raw = await rawServer(s => s.write(smuggling));
    try {
      const p = testProfile([{ path: '/x' }], { durationMs: 400 });
      await expect(
        generator.runTrial({ profile: p, target: raw.url, side: 'head', index: 0 }, never())
      ).rejects.toThrow(
        /^PERFGATE_CLOSED_DRIVER="wrk" is not a closed-model client: use net \(the default\) or autocannon$/
      );
      expect(raw.requests).toBe(0);
    } finally {
      await raw.close();
    }
  });

  it('fails a trial against a refused target with the same LoadError', async () => {
    process.env.PERFGATE_CLOSED_DRIVER = 'net';
    const port = await freePort();
    const p = testProfile([{ path: '/ok' }]);
    await expect(
      generator.runTrial({ profile: p, target: `http://127.0.0.1:${port}`, side: 'head', index: 0 }, never())
    ).rejects.toThrow(LoadError);
  });
});

import type { ProfileConfig } from '../../src/config/types.js';
import { LoadError } from '../../src/errors.js';
import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import { driveLoad } from '../../src/load/drive.js';
import { TrialRecorder } from '../../src/load/recorder.js';
import type { TrialProgress } from '../../src/load/types.js';
import type { TrialResult } from '../../src/model.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { startTestServer, type TestServer } from '../fixtures/load/test-server.js';
import { freePort } from '../helpers/ports.js';
import { testProfile } from '../helpers/profiles.js';

const profile = testProfile;

const never = () => new AbortController().signal;
// The test server shares this process's event loop, so the saturation check is off unless tested.
const generator = new HttpLoadGenerator({ cpuLimit: Infinity, busyLimit: Infinity });

async function trial(server: TestServer, p: ProfileConfig, onProgress?: (p: TrialProgress) => void) {
  const t = await generator.runTrial(
    { profile: p, target: server.url, side: 'head', index: 0 },
    never(),
    onProgress
  );
  expectConsistent(t);
  return t;
}

/** Invariants of every trial: the timeline covers the window and sums to the totals. */
function expectConsistent(t: TrialResult): void {
  const m = t.metrics;
  expect(t.timeline).toHaveLength(Math.ceil(t.durationMs / 1000));
  expect(t.timeline.map(p => p.second)).toEqual(t.timeline.map((_, i) => i));
  expect(t.timeline.reduce((a, p) => a + p.completed, 0)).toBe(m.requests);
  expect(t.timeline.reduce((a, p) => a + p.errors, 0)).toBe(m.failed);
  expect(m.requests).toBe(m.responses + m.errors.timeout + m.errors.connection);
  expect(m.failed).toBe(m.errors.timeout + m.errors.connection + m.errors.status + m.errors.body);
  expect(decodeHistogram(m.histogram).totalCount).toBe(m.responses);
  expect(m.throughput).toBeCloseTo(m.requests / (t.durationMs / 1000), 6);
  const per = Object.values(t.requests);
  expect(per.reduce((a, r) => a + r.requests, 0)).toBe(m.requests);
  expect(per.reduce((a, r) => a + r.failed, 0)).toBe(m.failed);
}

/** Runs `body` with PERFGATE_CLOSED_DRIVER set to `driver` (undefined: unset, the default client). */
function withDriver(driver: string | undefined) {
  const before = process.env.PERFGATE_CLOSED_DRIVER;
  beforeAll(() => {
    if (driver === undefined) delete process.env.PERFGATE_CLOSED_DRIVER;
    else process.env.PERFGATE_CLOSED_DRIVER = driver;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.PERFGATE_CLOSED_DRIVER;
    else process.env.PERFGATE_CLOSED_DRIVER = before;
  });
}

// Every closed-model test runs on both clients: perfgate's own (the default) and autocannon.
describe.each([
  ['its own node:net client (the default)', undefined],
  ['autocannon', 'autocannon']
])('HttpLoadGenerator (closed model on %s) against a real local server', (_, driver) => {
  withDriver(driver);
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(() => server.close());

  it('reports a fixed 20 ms delay as p50 ≈ 20 ms, over the planned window', async () => {
    const progress: TrialProgress[] = [];
    const t = await trial(
      server,
      profile([{ path: '/delay?ms=20' }], { connections: 4, durationMs: 1500 }),
      p => progress.push(p)
    );
    expect(t).toMatchObject({ valid: true, durationMs: 1500, index: 0, side: 'head' });
    expect(t.metrics.latency.p50).toBeGreaterThanOrEqual(19);
    expect(t.metrics.latency.p50).toBeLessThan(30);
    expect(t.metrics.responses).toBeGreaterThan(100); // 4 connections × ~70 per 1.5 s × ~50/s
    expect(t.metrics.failed).toBe(0);
    expect(t.timeline).toHaveLength(2);
    expect(t.timeline[0]!.p50).toBeGreaterThanOrEqual(19);
    expect(new Date(t.startedAt).getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({ totalMs: 1500, errors: 0 });
    expect(progress[0]!.responses).toBeGreaterThan(0);
    expect(t.generatorCpu).toBeGreaterThan(0);
  });

  it('records sub-millisecond latencies as non-zero microseconds', async () => {
    const t = await trial(server, profile([{ path: '/ok' }]));
    const l = t.metrics.latency;
    expect(t.metrics.responses).toBeGreaterThan(500);
    expect(l.min).toBeGreaterThan(0);
    expect(l.min).toBeLessThan(1);
    expect(l.p50).toBeGreaterThan(0);
    expect(t.metrics.bytesReceived).toBeGreaterThan(t.metrics.responses * 50); // headers + body
    expect(t.metrics.statusCodes).toEqual({ '200': t.metrics.responses });
  });

  it('sends the weighted mix in proportion (1 : 3) and reports each request', async () => {
    const t = await trial(
      server,
      profile(
        [
          { path: '/a', name: 'a' },
          { path: '/b', name: 'b', weight: 3 }
        ],
        { connections: 4 }
      )
    );
    const a = t.requests.a!.requests;
    const b = t.requests.b!.requests;
    expect(a + b).toBeGreaterThan(1000);
    expect(b / (a + b)).toBeGreaterThan(0.73);
    expect(b / (a + b)).toBeLessThan(0.77);
    // The server saw each of them (and more: load runs on for a moment after the window closes).
    expect(server.hits.get('/a')).toBeGreaterThanOrEqual(a);
    expect(t.requests.b!.statusCodes).toEqual({ '200': b });
  });

  it('counts unexpected statuses as status errors, keeping their latency; expectStatus overrides', async () => {
    const t = await trial(
      server,
      profile([
        { path: '/ok' },
        { path: '/fail' },
        { path: '/fail', name: 'fail-expected', expectStatus: [500] }
      ])
    );
    const fail = t.requests['/fail']!;
    expect(fail.responses).toBeGreaterThan(0);
    expect(fail).toMatchObject({ failed: fail.responses, statusCodes: { '500': fail.responses } });
    expect(fail.errors).toEqual({ timeout: 0, connection: 0, status: fail.responses, body: 0 });
    expect(decodeHistogram(fail.histogram).totalCount).toBe(fail.responses);
    expect(fail.latency.p50).toBeGreaterThan(0);
    expect(t.requests['fail-expected']).toMatchObject({
      failed: 0,
      statusCodes: { '500': expect.any(Number) }
    });
    expect(t.requests['/ok']!.failed).toBe(0);
    expect(t.metrics.errors.status).toBe(fail.responses);
  });

  it('counts a body other than expectBody as a body error', async () => {
    const t = await trial(
      server,
      profile([
        { path: '/body', name: 'right', expectBody: 'hello' },
        { path: '/body', name: 'wrong', expectBody: 'goodbye' }
      ])
    );
    expect(t.requests.right!.failed).toBe(0);
    expect(t.requests.right!.responses).toBeGreaterThan(0);
    const wrong = t.requests.wrong!;
    expect(wrong.errors).toEqual({ timeout: 0, connection: 0, status: 0, body: wrong.responses });
    expect(t.metrics.errors.body).toBe(wrong.responses);
  });

  it('counts requests unanswered within timeoutMs (300 ms) as timeouts of that request', async () => {
    const t = await trial(
      server,
      profile([{ path: '/ok' }, { path: '/hang' }], { timeoutMs: 300, durationMs: 1500 })
    );
    const hang = t.requests['/hang']!;
    // 2 connections each lose 300 ms per /hang: ~5 timeouts each in 1.5 s (a 1 s timeout gives ≤ 4 in all).
    expect(hang.errors.timeout).toBeGreaterThanOrEqual(6);
    expect(hang.errors.timeout).toBeLessThanOrEqual(12);
    expect(hang).toMatchObject({ responses: 0, failed: hang.errors.timeout, requests: hang.errors.timeout });
    expect(t.requests['/ok']!.failed).toBe(0);
    expect(t.requests['/ok']!.responses).toBeGreaterThanOrEqual(hang.errors.timeout - 2);
    expect(t.metrics.errors.timeout).toBe(hang.errors.timeout);
  });

  it('counts requests whose connection the server closed as connection errors', async () => {
    const t = await trial(server, profile([{ path: '/ok' }, { path: '/drop' }]));
    const drop = t.requests['/drop']!;
    expect(drop.errors.connection).toBeGreaterThan(10);
    expect(drop).toMatchObject({ responses: 0, failed: drop.errors.connection });
    expect(t.requests['/ok']!.errors.connection).toBe(0);
    expect(t.requests['/ok']!.responses).toBeGreaterThan(10);
  });

  it('stops on abort and resolves with the partial measurement, marked invalid', async () => {
    const ac = new AbortController();
    void server.arrival('/ok').then(() => setTimeout(() => ac.abort(), 600));
    const t = await generator.runTrial(
      {
        profile: profile([{ path: '/ok' }], { durationMs: 20_000 }),
        target: server.url,
        side: 'base',
        index: 3
      },
      ac.signal
    );
    expectConsistent(t);
    expect(t).toMatchObject({ valid: false, side: 'base', index: 3 });
    expect(t.invalidReason).toMatch(/^aborted after 0\.\d s of 20\.0 s/);
    expect(t.durationMs).toBeGreaterThan(500);
    expect(t.durationMs).toBeLessThan(5000);
    expect(t.timeline).toHaveLength(1);
    expect(t.metrics.responses).toBeGreaterThan(0);
  });

  it.each([
    ['closed model', 'closed', 2],
    ['idle stage (0 connections)', 'closed', 0],
    ['open model', 'open', 50]
  ] as const)(
    '%s: a window longer than a timer holds (2³¹ ms) is neither cut short nor padded to its length',
    async (_, model, level) => {
      const durationMs = 2 ** 31 + 60_000;
      const stages = [{ name: 'steady', durationMs, from: level, to: level, measured: true }];
      const ac = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = Date.now();
        ac.abort();
      }, 400);
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.name);
      process.on('warning', onWarning);
      const plan = { profile: profile([{ path: '/ok' }], { model, stages }), target: server.url };
      const t = await generator
        .runTrial({ ...plan, side: 'head', index: 0 }, ac.signal)
        .finally(() => process.off('warning', onWarning));
      expect(warnings).not.toContain('TimeoutOverflowWarning');
      expect(t.invalidReason).toMatch(/^aborted after 0\.\d s of /);
      // The window ran until the abort, not less (it starts after the generator's set-up: its
      // probe and its garbage collection, so it is shorter than the 400 ms since the call).
      expect(Math.abs(Date.parse(t.startedAt) + t.durationMs - abortedAt)).toBeLessThan(100);
      expect(t.durationMs).toBeLessThan(5000);
      expect(t.timeline).toHaveLength(1);
      if (level > 0) expectConsistent(t);
    }
  );

  it('sends nothing when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const t = await generator.runTrial(
      { profile: profile([{ path: '/ok' }]), target: server.url, side: 'head', index: 0 },
      ac.signal
    );
    expect(t).toMatchObject({ valid: false, durationMs: 0, timeline: [], metrics: { requests: 0 } });
    expect(server.hits.size).toBe(0);
  });

  it('warms up without measuring, and skips a zero warmup', async () => {
    await generator.warmup(profile([{ path: '/ok' }], { warmupMs: 0 }), server.url, never());
    expect(server.hits.size).toBe(0);
    await generator.warmup(profile([{ path: '/ok' }], { warmupMs: 300 }), server.url, never());
    expect(server.hits.get('/ok')).toBeGreaterThan(10);
  });

  it('marks an open-model trial invalid when it sent more than 5 % fewer requests than scheduled', async () => {
    // 1000 req/s for 1 s; at 0.7 s the generator's thread is blocked past the end of the window, so
    // what falls due in the last 0.3 s is never sent.
    const stages = [{ name: 'steady', durationMs: 1000, from: 1000, to: 1000, measured: true }];
    let block: NodeJS.Timeout | undefined;
    void server.arrival('/ok').then(
      () =>
        (block = setTimeout(() => {
          const until = performance.now() + 400;
          while (performance.now() < until);
        }, 700))
    );
    const t = await generator.runTrial(
      {
        profile: profile([{ path: '/ok' }], { model: 'open', connections: 20, stages }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    clearTimeout(block);
    expect(t.openModel!.scheduled).toBe(1000);
    expect(t.openModel!.sent).toBeLessThan(950);
    expect(t.metrics.requests).toBeGreaterThan(0);
    expect(t.valid).toBe(false);
    expect(t.invalidReason).toMatch(
      /^open model fell \d+\.\d % short of its rate \(sent \d+ of 1000 scheduled; limit 5 %\), so the generator could not keep pace$/
    );
  });

  it('keeps an open-model trial valid when it kept pace', async () => {
    const stages = [{ name: 'steady', durationMs: 1000, from: 200, to: 200, measured: true }];
    const t = await generator.runTrial(
      {
        profile: profile([{ path: '/ok' }], { model: 'open', connections: 4, stages }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    // A tick that lands just past the end on a busy machine may leave the last send or two.
    expect(t.openModel!.scheduled).toBe(200);
    expect(t.openModel!.sent).toBeGreaterThanOrEqual(196);
    expect(t.valid).toBe(true);
    expect(t.metrics.requests).toBeGreaterThanOrEqual(198); // the last sends may still be in flight at the end
  });

  it('puts a fresh id for every [<id>] in the path, a header and the body of each request', async () => {
    const t = await trial(
      server,
      profile([
        {
          path: '/record?id=[<id>]',
          method: 'POST',
          headers: { 'x-request-id': 'req-[<id>]', 'content-type': 'application/json' },
          body: '{"id":"[<id>]","again":"[<id>]"}'
        }
      ])
    );
    const seen = server.records;
    expect(seen.length).toBeGreaterThan(50);
    expect(t.metrics.failed).toBe(0);
    const ids = seen.map(r => {
      const id = new URL(r.url, 'http://x').searchParams.get('id')!;
      expect(r.header).toBe(`req-${id}`);
      expect(JSON.parse(r.body)).toEqual({ id, again: id });
      return id;
    });
    expect(ids.every(id => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails with a LoadError, without hanging, when the client cannot send a request', async () => {
    const p = profile([{ path: '/ok', method: 'BREW' }]);
    await expect(
      generator.runTrial({ profile: p, target: server.url, side: 'head', index: 0 }, never())
    ).rejects.toThrow(/^load generator failed: BREW HTTP method is not supported/);
    expect(server.hits.size).toBe(0);
  });

  it.each([
    ['its thread used more CPU', { cpuLimit: 0, busyLimit: Infinity }],
    ['its event loop was busier', { cpuLimit: Infinity, busyLimit: 0 }]
  ])('marks a trial invalid when the generator was saturated: %s than the limit', async (_, limits) => {
    const strict = new HttpLoadGenerator(limits);
    const t = await strict.runTrial(
      {
        profile: profile([{ path: '/ok' }], { durationMs: 500 }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    expect(t.valid).toBe(false);
    expect(t.invalidReason).toMatch(
      /^load generator saturated: its thread used \d+ % of one core \(limit (0|Infinity) %\), its event loop was busy \d+ % of the window \(limit (0|Infinity) %\), so the trial measured the generator, not the service$/
    );
    expect(t.generatorCpu).toBeGreaterThan(0);
    expect(t.generatorBusy).toBeGreaterThan(0);
  });

  it('marks a trial invalid with the default limits when the generator thread is flat out', async () => {
    // The test server answers /ok on this same thread: the thread, not a remote service, sets the pace.
    const t = await new HttpLoadGenerator().runTrial(
      {
        profile: profile([{ path: '/ok' }], { durationMs: 1000 }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    expect(t.metrics.requests).toBeGreaterThan(100);
    expect(t.valid).toBe(false);
    expect(t.invalidReason).toMatch(/^load generator saturated: /);
    expect(Math.max(t.generatorCpu / 0.9, t.generatorBusy / 0.95)).toBeGreaterThanOrEqual(1);
  });

  it('keeps a trial valid with the default limits when the generator mostly waits on the target', async () => {
    const t = await new HttpLoadGenerator().runTrial(
      {
        profile: profile([{ path: '/delay?ms=20' }], { durationMs: 500 }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    expect(t.valid).toBe(true);
    expect(t.generatorCpu).toBeLessThan(0.5);
    expect(t.generatorBusy).toBeLessThan(0.5);
  });
});

describe('a target that refuses connections', () => {
  it('fails fast with a LoadError naming the target', async () => {
    const port = await freePort();
    const started = Date.now();
    const p = profile([{ path: '/ok' }], { durationMs: 20_000 });
    const run = generator.runTrial(
      { profile: p, target: `http://127.0.0.1:${port}`, side: 'head', index: 0 },
      never()
    );
    await expect(run).rejects.toThrow(LoadError);
    await expect(run).rejects.toThrow(
      new RegExp(`^no response from http://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`)
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(
      generator.warmup({ ...p, warmupMs: 5000 }, `http://127.0.0.1:${port}`, never())
    ).rejects.toThrow(/connection refused \(ECONNREFUSED\)/);
  });

  it('also stops a running load that never gets a response (no pre-flight check)', async () => {
    const port = await freePort();
    const started = Date.now();
    const p = profile([{ path: '/ok' }]);
    const run = driveLoad({
      profile: p,
      connections: 2,
      target: `http://127.0.0.1:${port}`,
      durationMs: 20_000,
      signal: never(),
      recorder: new TrialRecorder(['/ok'], performance.now())
    });
    await expect(run).rejects.toThrow(
      /^no response from http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\) on all \d+ attempts/
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

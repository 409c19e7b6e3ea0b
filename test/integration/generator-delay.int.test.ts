import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import type { TrialResult } from '../../src/model.js';
import { trial as trialSchema } from '../../src/results-schema-profile.js';
import { startTestServer, type TestServer } from '../fixtures/load/test-server.js';
import { forcedMajorGc, observeGc } from '../helpers/gc.js';
import { testProfile } from '../helpers/profiles.js';

// The test server shares this process's event loop, so the saturation check is off.
const generator = new HttpLoadGenerator({ cpuLimit: Infinity, busyLimit: Infinity });
const never = () => new AbortController().signal;

/** One head trial of GET /delay?ms=2 against the test server. */
const headTrial = (url: string, options: Parameters<typeof testProfile>[1]) =>
  generator.runTrial(
    { profile: testProfile([{ path: '/delay?ms=2' }], options), target: url, side: 'head', index: 0 },
    never()
  );

/** Busy-waits `ms` on this event loop `atMs` after the call (both generator and server stall). */
function blockAt(atMs: number, ms: number): NodeJS.Timeout {
  return setTimeout(() => {
    const t0 = performance.now();
    while (performance.now() - t0 < ms);
  }, atMs);
}

function expectDelay(t: TrialResult) {
  const d = t.generatorDelay!;
  expect(d).toBeDefined();
  for (const v of [d.p50, d.p99, d.max]) expect(Number.isFinite(v) && v >= 0).toBe(true);
  expect(d.p50).toBeLessThanOrEqual(d.p99);
  expect(d.p99).toBeLessThanOrEqual(d.max);
  return d;
}

describe('TrialResult.generatorDelay (the generator’s own event-loop delay) on a real local server', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(() => server.close());

  it.each(['closed', 'open'] as const)(
    '%s model: a 150 ms stall of the generator shows as its max',
    async model => {
      const stages = [
        {
          name: 'steady',
          durationMs: 1200,
          from: model === 'open' ? 100 : 2,
          to: model === 'open' ? 100 : 2,
          measured: true
        }
      ];
      const block = blockAt(500, 150);
      const t = await headTrial(server.url, { model, connections: 4, stages });
      clearTimeout(block);
      expect(t.metrics.responses).toBeGreaterThan(0);
      const d = expectDelay(t);
      expect(d.max).toBeGreaterThanOrEqual(145);
      expect(d.max).toBeLessThan(1000);
      // One stalled interval among ~1000 samples of a 1.2 s window moves neither p50 nor p99 to it.
      expect(d.p99).toBeLessThan(145);
      expect(() => trialSchema.parse(t)).not.toThrow();
    }
  );

  it('is measured over the trial only: a stall before the trial does not count', async () => {
    const t0 = performance.now();
    while (performance.now() - t0 < 150);
    const t = await headTrial(server.url, { connections: 2, durationMs: 800 });
    expect(expectDelay(t).max).toBeLessThan(145);
  });
});

describe('a trial’s measured window starts after a full garbage collection', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(() => server.close());

  it('runs a forced major collection before the window and none inside it', async () => {
    const called = performance.timeOrigin + performance.now();
    const { result: t, entries } = await observeGc(() =>
      headTrial(server.url, { connections: 2, durationMs: 500 })
    );
    const forced = entries.filter(forcedMajorGc).map(e => ({
      from: performance.timeOrigin + e.startTime,
      to: performance.timeOrigin + e.startTime + e.duration
    }));
    // startedAt is wall time in whole ms: moved onto the performance clock, within 2 ms.
    const skew = Date.now() - (performance.timeOrigin + performance.now());
    const windowFrom = Date.parse(t.startedAt) - skew;
    const before = forced.filter(g => g.from >= called - 2 && g.to <= windowFrom + 2);
    expect(before).toHaveLength(1);
    expect(forced.filter(g => g.to > windowFrom + 2)).toHaveLength(0);
    expect(t.metrics.responses).toBeGreaterThan(0);
  });
});

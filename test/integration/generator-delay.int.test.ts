import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import type { TrialResult } from '../../src/model.js';
import { trial as trialSchema } from '../../src/results-schema-profile.js';
import { startTestServer, type TestServer } from '../fixtures/load/test-server.js';
import { testProfile } from '../helpers/profiles.js';

// The test server shares this process's event loop, so the saturation check is off.
const generator = new HttpLoadGenerator({ cpuLimit: Infinity, busyLimit: Infinity });
const never = () => new AbortController().signal;

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
      const t = await generator.runTrial(
        {
          profile: testProfile([{ path: '/delay?ms=2' }], { model, connections: 4, stages }),
          target: server.url,
          side: 'head',
          index: 0
        },
        never()
      );
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
    const t = await generator.runTrial(
      {
        profile: testProfile([{ path: '/delay?ms=2' }], { connections: 2, durationMs: 800 }),
        target: server.url,
        side: 'head',
        index: 0
      },
      never()
    );
    expect(expectDelay(t).max).toBeLessThan(145);
  });
});

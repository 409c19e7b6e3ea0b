/**
 * Every load shape against a real local server: the schedule the config asks for is checked in the
 * per-second timeline the trial reports. The closed model shows its connections as throughput
 * (a server answering in a fixed 20 ms serves 50 req/s per connection); the open model shows its
 * rate directly as requests sent per second.
 */
import { parseConfig } from '../../src/config/load-config.js';
import type { ProfileConfig } from '../../src/config/types.js';
import { HttpLoadGenerator } from '../../src/load/http-generator.js';
import type { TrialResult } from '../../src/model.js';
import { brokenInStage } from '../../src/thresholds/evaluate.js';
import { breakingPoint } from '../../src/thresholds/breaking-point.js';
import { startTestServer, type TestServer } from '../fixtures/load/test-server.js';

// The test server runs on this thread: its work must not count as the generator's.
const generator = new HttpLoadGenerator({ cpuLimit: Infinity, busyLimit: Infinity });

function profileOf(lines: string[]): ProfileConfig {
  const text = ['version: 1', 'target: http://127.0.0.1:1', 'profiles:', '  - name: p', ...lines].join('\n');
  return parseConfig(text, 'perfgate.yml', {}).profiles[0]!;
}

async function run(server: TestServer, profile: ProfileConfig): Promise<TrialResult> {
  const judgeStage = profile.stopOnBreak
    ? (_: number, m: TrialResult['metrics'], ms: number) => brokenInStage(profile, m, ms)
    : undefined;
  const t = await generator.runTrial(
    { profile, target: server.url, side: 'head', index: 0, ...(judgeStage && { judgeStage }) },
    new AbortController().signal
  );
  // The timeline accounts for every request of every stage.
  const all = t.stages.reduce((n, s) => n + s.metrics.requests, 0);
  expect(t.timeline.reduce((n, p) => n + p.completed, 0)).toBe(all);
  return t;
}

/** Completed (closed) or sent (open) per second of the timeline. */
const completed = (t: TrialResult) => t.timeline.map(p => p.completed);
const sent = (t: TrialResult) => t.timeline.map(p => p.sent);

/**
 * What a closed model with these connections completes per second, by Little's law: connections ÷
 * the stage's mean latency. A server answering in 20 ms gives 50 req/s per connection on a quiet
 * machine; on a busy one (CI, other jobs) every answer is a few ms late and every second alike
 * lower, so the schedule — which second has how many connections — is checked against the latency
 * measured, not against the 20 ms asked for.
 */
function closedExpected(t: TrialResult): number[] {
  return t.timeline.map(p => {
    const stage = t.stages[p.stage]!;
    return (stage.to * 1000) / stage.metrics.latency.mean;
  });
}

/** Each value within `tolerance` (relative) of the expected one. */
function expectNear(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Math.abs(a - e) > tolerance * e)
      throw new Error(`second ${i}: ${a}, expected ${e} ± ${tolerance * 100} % (all: ${actual.join(', ')})`);
  });
}

describe('load shapes against a real server', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(() => server.close());

  it('steady: the same level every second', async () => {
    const t = await run(
      server,
      profileOf(['    requests: [{ path: "/delay?ms=20" }]', '    connections: 4', '    duration: 3s'])
    );
    expect(t.stages.map(s => s.name)).toEqual(['steady']);
    expect(t.stages[0]!.to).toBe(4);
    expectNear(completed(t), closedExpected(t), 0.2);
    // 4 connections, 20 ms and a little: about 200/s, never more.
    expect(t.metrics.latency.mean).toBeGreaterThanOrEqual(20);
    expectNear(closedExpected(t), [200, 200, 200], 0.4);
  });

  it('rampup: steps up to the level, reported per step, and only the steady part is measured', async () => {
    const p = profileOf([
      '    requests: [{ path: "/delay?ms=20" }]',
      '    shape: rampup',
      '    connections: 8',
      '    duration: 2s',
      '    rampup: { over: 4s, steps: 4 }'
    ]);
    const t = await run(server, p);
    expect(t.stages.map(s => [s.name, s.to, s.measured])).toEqual([
      ['ramp 1/4', 2, false],
      ['ramp 2/4', 4, false],
      ['ramp 3/4', 6, false],
      ['ramp 4/4', 8, false],
      ['steady', 8, true]
    ]);
    // 2, 4, 6, 8 connections a second, then 8: about 100, 200, 300, 400, 400, 400 per second.
    expectNear(completed(t), closedExpected(t), 0.2);
    expectNear(
      t.stages.map(s => s.metrics.throughput),
      t.stages.map(s => (s.to * 1000) / s.metrics.latency.mean),
      0.2
    );
    expectNear(closedExpected(t), [100, 200, 300, 400, 400, 400], 0.4);
    // The trial's metrics are the steady stage's alone.
    expect(t.metrics.requests).toBe(t.stages[4]!.metrics.requests);
  });

  it('spike (open model): the burst is where it was asked for, then the rate recovers', async () => {
    const p = profileOf([
      '    requests: [{ path: /ok }]',
      '    shape: spike',
      '    rate: 100',
      '    duration: 3s',
      '    spike: { to: 400, for: 2s, after: 3s }'
    ]);
    const t = await run(server, p);
    expect(t.stages.map(s => [s.name, s.from, s.measured])).toEqual([
      ['steady', 100, true],
      ['spike', 400, false],
      ['recovery', 100, false]
    ]);
    expectNear(sent(t), [100, 100, 100, 400, 400, 100, 100, 100], 0.05);
    expect(t.openModel!.sent).toBeGreaterThanOrEqual(0.98 * t.openModel!.scheduled);
    expect(t.metrics.requests).toBe(t.stages[0]!.metrics.requests);
  });

  it('wave (open model): peaks and troughs where the sine puts them', async () => {
    // 150 ± 100 req/s over a period of 8 s: each second sends the mean of its ends' rates.
    const p = profileOf([
      '    requests: [{ path: /ok }]',
      '    shape: wave',
      '    rate: 150',
      '    duration: 8s',
      '    wave: { min: 50, max: 250, period: 8s }'
    ]);
    const r = (s: number) => 150 + 100 * Math.sin((2 * Math.PI * s) / 8);
    const expected = Array.from({ length: 8 }, (_, s) => (r(s) + r(s + 1)) / 2);
    const t = await run(server, p);
    expectNear(sent(t), expected, 0.06);
    const s = sent(t);
    expect(Math.max(...s)).toBe(Math.max(s[1]!, s[2]!)); // peak at 2 s (a quarter period)
    expect(Math.min(...s)).toBe(Math.min(s[5]!, s[6]!)); // trough at 6 s (three quarters)
  });

  it('soak: reports the drift of a service that slows down as it runs', async () => {
    const p = profileOf([
      '    requests: [{ path: "/slowing?ms=4" }]',
      '    shape: soak',
      '    connections: 2',
      '    duration: 8s'
    ]);
    const t = await run(server, p);
    expect(t.stages.map(s => s.name)).toEqual(['soak']);
    // ~2 ms in the first quarter, ~26 ms in the last: a ratio far above 1.
    expect(t.drift!.seconds).toBe(2);
    expect(t.drift!.p50).toBeGreaterThan(4);
    expect(t.drift!.throughput).toBeLessThan(0.5);
  });

  it('stress (open model): steps up until the SLO breaks and reports the breaking point', async () => {
    // The server answers 503 once more than 250 requests arrived in the last second.
    const p = profileOf([
      '    requests: [{ path: "/capacity?rps=250" }]',
      '    shape: stress',
      '    rate: 100',
      '    duration: 2s',
      '    stress: { steps: 5 }',
      '    thresholds: { http_req_failed: ["rate<0.01"] }'
    ]);
    expect(p.stopOnBreak).toBe(true);
    const t = await run(server, p);
    // 100 and 200 req/s hold, 300 breaks: the trial stops there, the steps above never run.
    expect(t.stages.map(s => [s.name, s.from, s.broken?.length])).toEqual([
      ['step 1/5', 100, 0],
      ['step 2/5', 200, 0],
      ['step 3/5', 300, 1]
    ]);
    expect(t.stages[2]!.broken![0]).toMatch(/^http_req_failed rate<0\.01 \(observed \d+\.\d+ %\)$/);
    const bp = breakingPoint({ side: 'head', target: server.url, trials: [t] })!;
    expect(bp).toMatchObject({ trials: 1, held: { stage: 1, level: 200 }, broke: { stage: 2, level: 300 } });
    expect(bp.held!.throughput).toBeGreaterThan(180);
    expect(bp.broke!.failed).toBeGreaterThan(0.01);
  });

  it('custom stages: each at its level; only measured stages make the trial metrics', async () => {
    const p = profileOf([
      '    requests: [{ path: "/delay?ms=20" }]',
      '    stages:',
      '      - { duration: 2s, connections: 2 }',
      '      - { name: burst, duration: 2s, connections: 6, measured: false }'
    ]);
    const t = await run(server, p);
    expect(t.stages.map(s => [s.name, s.from, s.measured])).toEqual([
      ['stage 1', 2, true],
      ['burst', 6, false]
    ]);
    expectNear(completed(t), closedExpected(t), 0.2);
    expectNear(closedExpected(t), [100, 100, 300, 300], 0.4);
    expect(t.metrics.requests).toBe(t.stages[0]!.metrics.requests);
    expect(t.metrics.throughput).toBeCloseTo(t.stages[0]!.metrics.throughput, 6);
  });
});

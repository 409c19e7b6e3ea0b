import { responseFailure, statusExpected } from '../../../src/load/expect.js';
import { TrialRecorder } from '../../../src/load/recorder.js';
import { decodeHistogram } from '../../../src/stats/histogram.js';

describe('statusExpected', () => {
  it.each([
    [[], 200, true],
    [[], 204, true],
    [[], 302, true],
    [[], 399, true],
    [[], 400, false],
    [[], 500, false],
    [[], 101, false],
    [[201], 201, true],
    [[201], 200, false],
    [[404, 410], 410, true]
  ])('expect %j, got %p → %p', (expectStatus, status, ok) =>
    expect(statusExpected({ expectStatus }, status)).toBe(ok)
  );
});

describe('responseFailure', () => {
  it.each([
    [{ expectStatus: [] }, 200, 'x', null],
    [{ expectStatus: [] }, 500, 'x', 'status'],
    [{ expectStatus: [], expectBody: 'ok' }, 200, 'ok', null],
    [{ expectStatus: [], expectBody: 'ok' }, 200, 'nope', 'body'],
    [{ expectStatus: [], expectBody: 'ok' }, 500, 'nope', 'status'], // one kind per request
    [{ expectStatus: [], expectBody: 'ok' }, 200, undefined, null] // body not seen: not judged
  ])('%j, %p, %p → %p', (spec, status, body, kind) => expect(responseFailure(spec, status, body)).toBe(kind));
});

describe('TrialRecorder', () => {
  const t0 = 1000;

  function sample(measured = [true, true]) {
    const r = new TrialRecorder(['a', 'b'], t0, measured);
    r.sent(t0);
    r.sent(t0 + 5);
    r.response(0, 200, 100, 0.25, null, t0 + 10); // second 0
    r.response(1, 500, 50, 2, 'status', t0 + 20);
    for (const at of [1400, 1450, 1460]) r.sent(t0 + at);
    r.response(0, 200, 100, 0.5, null, t0 + 1500); // second 1
    r.failure(1, 'timeout', t0 + 1600);
    r.enterStage(1, t0 + 3000);
    r.sent(t0 + 3000);
    r.sent(t0 + 3050);
    r.failure(0, 'connection', t0 + 3100); // second 3; second 2 is empty
    r.response(1, 200, 10, 1, 'body', t0 + 3200);
    return r;
  }

  it('counts requests, responses, failures by kind, bytes and statuses, whole and per request', () => {
    const out = sample().finish(4000);
    expect(out.metrics).toMatchObject({
      requests: 6,
      responses: 4,
      failed: 4,
      throughput: 1.5,
      bytesReceived: 260,
      statusCodes: { '200': 3, '500': 1 },
      errors: { timeout: 1, connection: 1, status: 1, body: 1 }
    });
    expect(out.requests.a).toMatchObject({ requests: 3, responses: 2, failed: 1, errors: { connection: 1 } });
    expect(out.requests.b).toMatchObject({
      requests: 3,
      responses: 2,
      failed: 3,
      statusCodes: { '200': 1, '500': 1 }
    });
  });

  it('records latency of failed responses too, in µs', () => {
    const out = sample().finish(4000);
    expect(decodeHistogram(out.metrics.histogram).totalCount).toBe(4);
    expect(out.metrics.latency.min).toBe(0.25);
    expect(out.metrics.latency.max).toBe(2);
    expect(out.requests.b!.latency.p50).toBe(1);
  });

  it('builds one timeline point per second of the window, summing to the totals', () => {
    const out = sample().finish(4000);
    const kinds = (timeout: number, connection: number, status: number, body: number) => ({
      timeout,
      connection,
      status,
      body
    });
    expect(out.timeline).toEqual([
      {
        second: 0,
        sent: 2,
        completed: 2,
        errors: 1,
        errorsByKind: kinds(0, 0, 1, 0),
        p50: 0.25,
        p99: 2,
        stage: 0
      },
      {
        second: 1,
        sent: 3,
        completed: 2,
        errors: 1,
        errorsByKind: kinds(1, 0, 0, 0),
        p50: 0.5,
        p99: 0.5,
        stage: 0
      },
      {
        second: 2,
        sent: 0,
        completed: 0,
        errors: 0,
        errorsByKind: kinds(0, 0, 0, 0),
        p50: 0,
        p99: 0,
        stage: 0
      },
      {
        second: 3,
        sent: 2,
        completed: 2,
        errors: 2,
        errorsByKind: kinds(0, 1, 0, 1),
        p50: 1,
        p99: 1,
        stage: 1
      }
    ]);
  });

  it('ends the timeline with the partial last second of a shorter window', () => {
    const r = new TrialRecorder(['a'], t0);
    r.response(0, 200, 1, 1, null, t0 + 1200);
    const out = r.finish(1234);
    expect(out.timeline.map(p => p.completed)).toEqual([0, 1]);
    expect(out.metrics.throughput).toBeCloseTo(1 / 1.234, 6);
    expect(new TrialRecorder(['a'], t0).finish(0).timeline).toEqual([]);
  });

  it('keeps per-stage metrics, and the trial metrics over the measured stages only', () => {
    const out = sample([true, false]).finish(4000);
    expect(out.stages.map(s => [s.index, s.startMs, s.durationMs, s.metrics.requests])).toEqual([
      [0, 0, 3000, 4],
      [1, 3000, 1000, 2]
    ]);
    expect(out.stages[1]!.metrics.errors).toEqual({ timeout: 0, connection: 1, status: 0, body: 1 });
    // Stage 0 only: 4 requests in 3 s; its own error kinds.
    expect(out.metrics).toMatchObject({ requests: 4, failed: 2, throughput: 4 / 3 });
    expect(out.metrics.errors).toEqual({ timeout: 1, connection: 0, status: 1, body: 0 });
    expect(out.requests.b).toMatchObject({ requests: 2, failed: 2 });
    // The timeline covers every stage.
    expect(out.timeline.reduce((n, p) => n + p.completed, 0)).toBe(6);
  });

  it('gives the metrics of a stage while the trial runs, and refuses a stage it does not have', () => {
    const r = sample();
    expect(r.stageMetrics(1, 1000)).toMatchObject({ requests: 2, throughput: 2 });
    expect(() => r.enterStage(2, t0 + 3500)).toThrow('no stage #2 in a schedule of 2');
  });

  it('tracks progress counters', () => {
    const r = sample();
    expect([r.responses, r.errors, r.connectionErrors]).toEqual([4, 4, 1]);
  });
});

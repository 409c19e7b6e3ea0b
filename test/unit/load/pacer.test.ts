import { Pacer, RateSchedule, type RateStage } from '../../../src/load/pacer.js';

const stage = (durationMs: number, from: number, to = from): RateStage => ({ durationMs, from, to });

describe('RateSchedule', () => {
  // Intended times by hand: constant r → k·1000/r; a ramp from a to b over D s reaches k where
  // a·t + (b − a)·t²/(2D) = k.
  it.each<[string, RateStage[], number, [number, number][]]>([
    [
      '200 req/s for 5 s',
      [stage(5000, 200)],
      1000,
      [
        [0, 0],
        [1, 5],
        [200, 1000],
        [999, 4995]
      ]
    ],
    [
      '3 req/s for 1.5 s (4.5 requests: 5 start)',
      [stage(1500, 3)],
      5,
      [
        [1, 1000 / 3],
        [4, 4000 / 3]
      ]
    ],
    [
      '0.5 req/s for 3 s',
      [stage(3000, 0.5)],
      2,
      [
        [0, 0],
        [1, 2000]
      ]
    ],
    // 100·t + 25·t² = k: k = 125 at 1 s, 300 at 2 s, 525 at 3 s; k = 1 at 2 / (100 + √10100) s.
    [
      'ramp 100 → 300 req/s over 4 s',
      [stage(4000, 100, 300)],
      800,
      [
        [1, 2000 / (100 + Math.sqrt(10100))],
        [125, 1000],
        [300, 2000],
        [525, 3000],
        [799, 3996.666]
      ]
    ],
    // 25·t² = k.
    [
      'ramp 0 → 100 req/s over 2 s',
      [stage(2000, 0, 100)],
      100,
      [
        [0, 0],
        [1, 200],
        [25, 1000],
        [99, 1989.975]
      ]
    ],
    // 100·t − 25·t² = k: k = 75 at 1 s, 99 at 1.8 s.
    [
      'ramp 100 → 0 req/s over 2 s',
      [stage(2000, 100, 0)],
      100,
      [
        [0, 0],
        [75, 1000],
        [99, 1800]
      ]
    ],
    // A stage at rate 0 sends nothing: the first request leaves when the next stage starts.
    [
      '1 s at 0, then 10 req/s for 1 s',
      [stage(1000, 0), stage(1000, 10)],
      10,
      [
        [0, 1000],
        [9, 1900]
      ]
    ],
    [
      '10 req/s, an empty stage, 20 req/s',
      [stage(1000, 10), stage(0, 50), stage(1000, 20)],
      30,
      [
        [9, 900],
        [10, 1000],
        [11, 1050],
        [29, 1950]
      ]
    ],
    [
      'steps 100 → 200 req/s',
      [stage(1000, 100), stage(1000, 200)],
      300,
      [
        [99, 990],
        [100, 1000],
        [101, 1005]
      ]
    ],
    ['nothing at all', [stage(1000, 0)], 0, []]
  ])('%s: the total and the intended times', (_name, stages, total, times) => {
    const s = new RateSchedule(stages);
    expect(s.total).toBe(total);
    for (const [k, ms] of times) expect(s.at(k)).toBeCloseTo(ms, 2);
    expect(s.at(total)).toBe(Infinity);
    expect(s.countBefore(s.durationMs)).toBe(total);
    expect(s.countBefore(0)).toBe(0);
  });

  it.each<[string, RateStage[]]>([
    ['constant', [stage(5000, 200)]],
    ['ramp up', [stage(4000, 100, 300)]],
    ['ramp from 0', [stage(2000, 0, 100)]],
    ['ramp down to 0', [stage(2000, 100, 0)]],
    ['spike', [stage(1000, 50), stage(500, 50, 400), stage(1000, 400), stage(500, 400, 50), stage(0, 7)]],
    ['fractional rates', [stage(1700, 3.3, 0.7), stage(900, 11.1)]]
  ])('%s: times rise, stay inside the schedule and agree with countBefore', (_name, stages) => {
    const s = new RateSchedule(stages);
    let previous = -1;
    for (let k = 0; k < s.total; k++) {
      const t = s.at(k);
      expect(t).toBeGreaterThanOrEqual(previous);
      expect(t).toBeLessThan(s.durationMs);
      // Request k is the first not due before its own time, and is due just after it.
      expect(s.countBefore(t)).toBeLessThanOrEqual(k);
      expect(s.countBefore(t + 1)).toBeGreaterThanOrEqual(k + 1);
      previous = t;
    }
  });

  it('gives the stages their starts and the schedule its length', () => {
    const s = new RateSchedule([stage(1000, 1), stage(0, 1), stage(2500, 1, 2)]);
    expect(s.stageStarts).toEqual([0, 1000, 1000]);
    expect(s.durationMs).toBe(3500);
  });

  it.each<[string, RateStage[]]>([
    ['no stage', []],
    ['a negative rate', [stage(1000, -1)]],
    ['a negative duration', [stage(-1, 10)]],
    ['an infinite rate', [stage(1000, 10, Infinity)]],
    ['a NaN duration', [stage(NaN, 10)]]
  ])('rejects %s', (_name, stages) => {
    expect(() => new RateSchedule(stages)).toThrow(/rate schedule|rate stage/);
  });
});

describe('Pacer', () => {
  it('hands requests over at or after their intended times, enters each stage once, then ends', async () => {
    const s = new RateSchedule([stage(100, 50), stage(100, 0), stage(100, 100)]);
    const events: string[] = [];
    const early: number[] = [];
    const wrong: number[] = [];
    const t0 = performance.now();
    const endedAt = await new Promise<number>(resolve => {
      new Pacer(s, t0, {
        due(k, intended) {
          if (Math.abs(intended - (t0 + s.at(k))) > 1e-6) wrong.push(k);
          if (performance.now() < intended) early.push(k);
          events.push(`due ${k}`);
        },
        stage: (index, at) => events.push(`stage ${index} at ${Math.round(at - t0)}`),
        end: resolve
      }).start();
    });
    expect(endedAt).toBeCloseTo(t0 + 300, 6);
    expect(early).toEqual([]);
    expect(wrong).toEqual([]);
    // 50 req/s for 0.1 s: 0, 20, …, 80 ms; nothing for 0.1 s; 100 req/s: 200, 210, …, 290 ms.
    expect(events).toEqual([
      'stage 0 at 0',
      ...[0, 1, 2, 3, 4].map(k => `due ${k}`),
      'stage 1 at 100',
      'stage 2 at 200',
      ...Array.from({ length: 10 }, (_, i) => `due ${i + 5}`)
    ]);
  });

  it('does not send after the end what fell due while the thread was blocked past it', async () => {
    const s = new RateSchedule([stage(50, 1000)]); // 50 ms at 1000 req/s: 50 requests due in 0–49 ms
    let due = 0;
    const ended = new Promise<void>(resolve =>
      new Pacer(s, performance.now(), {
        due: () => due++,
        stage: () => undefined,
        end: () => resolve()
      }).start()
    );
    const blockedUntil = performance.now() + 80; // the thread is busy past the end of the schedule
    while (performance.now() < blockedUntil);
    await ended;
    expect(s.total).toBe(50);
    expect(due).toBe(1); // only the request due at once; the rest fell due while blocked: not sent
  });

  it('stops at once on stop(): nothing more, and no end', async () => {
    let due = 0;
    let ended = false;
    const pacer = new Pacer(new RateSchedule([stage(1000, 100)]), performance.now(), {
      due: () => due++,
      stage: () => undefined,
      end: () => (ended = true)
    });
    pacer.start();
    await new Promise(r => setTimeout(r, 50));
    pacer.stop();
    const atStop = due;
    expect(atStop).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, 50));
    expect(due).toBe(atStop);
    expect(pacer.next).toBe(atStop);
    expect(ended).toBe(false);
  });
});

import type { ProcessReading, TreeReading } from '../../../src/service/resource-readings.js';
import {
  intervalCpuPercent,
  sampleOf,
  startResourceSampler,
  summarize,
  treeRssBytes,
  type ResourceSample
} from '../../../src/service/resources.js';

const MB = 1024 * 1024;

/** A reading at `atMs` of processes given as pid → [cpuMs, rssBytes, ageMs]. */
const reading = (atMs: number, processes: Record<number, [number, number, number]>): TreeReading => ({
  atMs,
  processes: new Map(
    Object.entries(processes).map(([pid, [cpuMs, rssBytes, ageMs]]): [number, ProcessReading] => [
      Number(pid),
      { cpuMs, rssBytes, ageMs }
    ])
  )
});

describe('intervalCpuPercent', () => {
  it.each([
    [
      'one process, one core busy',
      reading(0, { 1: [500, 0, 9e6] }),
      reading(1000, { 1: [1500, 0, 9e6] }),
      100
    ],
    ['idle', reading(0, { 1: [500, 0, 9e6] }), reading(1000, { 1: [500, 0, 9e6] }), 0],
    [
      'summed over the tree: 2.5 cores',
      reading(0, { 1: [0, 0, 9e6], 2: [100, 0, 9e6], 3: [0, 0, 9e6] }),
      reading(2000, { 1: [2000, 0, 9e6], 2: [2100, 0, 9e6], 3: [1000, 0, 9e6] }),
      250
    ],
    ['by the measured wall time', reading(100, { 1: [0, 0, 9e6] }), reading(350, { 1: [125, 0, 9e6] }), 50],
    [
      'a process started in the interval counts from its start',
      reading(0, { 1: [0, 0, 9e6] }),
      reading(1000, { 1: [0, 0, 9e6], 2: [300, 0, 400] }),
      30
    ],
    [
      'a recycled pid (younger than the interval) counts as a new process',
      reading(0, { 7: [5000, 0, 9e6] }),
      reading(1000, { 7: [200, 0, 600] }),
      20
    ],
    [
      'an old process seen for the first time counts from its first sight',
      reading(0, { 1: [0, 0, 9e6] }),
      reading(1000, { 1: [100, 0, 9e6], 2: [50_000, 0, 9e6] }),
      10
    ],
    [
      'a process that exited loses its last CPU',
      reading(0, { 1: [0, 0, 9e6], 2: [0, 0, 9e6] }),
      reading(1000, { 1: [100, 0, 9e6] }),
      10
    ],
    ['CPU time never goes back', reading(0, { 1: [900, 0, 9e6] }), reading(1000, { 1: [800, 0, 9e6] }), 0],
    ['an empty tree', reading(0, {}), reading(1000, {}), 0],
    ['no wall time', reading(1000, { 1: [0, 0, 9e6] }), reading(1000, { 1: [10, 0, 9e6] }), 0]
  ])('%s', (_name, previous, current, percent) => {
    expect(intervalCpuPercent(previous, current)).toBeCloseTo(percent, 9);
  });
});

describe('treeRssBytes and sampleOf', () => {
  it.each([
    [{}, 0],
    [{ 1: [0, 40 * MB, 1] as [number, number, number] }, 40 * MB],
    [
      { 1: [0, 40 * MB, 1] as [number, number, number], 2: [0, 110 * MB, 1] as [number, number, number] },
      150 * MB
    ],
    [{ 1: [0, 40 * MB, 1] as [number, number, number], 2: [0, 0, 1] as [number, number, number] }, 40 * MB]
  ])('%j → %d bytes', (processes, bytes) => {
    expect(treeRssBytes(reading(0, processes))).toBe(bytes);
  });

  it('dates a sample by the start of its interval and takes RSS at its end', () => {
    const previous = reading(1250.5, { 1: [0, 10 * MB, 9e6] });
    const current = reading(1500.5, { 1: [250, 30 * MB, 9e6] });
    expect(sampleOf(previous, current, 250.25)).toEqual({ second: 1.00025, cpu: 100, rss: 30 * MB });
  });
});

describe('summarize', () => {
  const sample = (second: number, cpu: number, rss: number): ResourceSample => ({ second, cpu, rss });

  it.each([
    [[], { peak: null, mean: null }, { peak: null, mean: null }],
    [[sample(0, 42, 7)], { peak: 42, mean: 42 }, { peak: 7, mean: 7 }],
    [
      [sample(0, 10, 100), sample(1, 190, 300), sample(2, 100, 200)],
      { peak: 190, mean: 100 },
      { peak: 300, mean: 200 }
    ]
  ])('%j', (samples, cpu, rss) => {
    const summary = summarize(samples, 'proc');
    expect(summary).toEqual({ samples, cpu, rss, source: 'proc' });
    expect(summary.samples).not.toBe(samples);
  });
});

describe('startResourceSampler', () => {
  const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects intervalMs %p', intervalMs => {
    expect(() => startResourceSampler(() => [process.pid], { intervalMs })).toThrow(RangeError);
  });

  it('stopped before the first interval: no samples, null peaks and means', () => {
    const summary = startResourceSampler(() => [process.pid]).stop();
    expect(summary).toMatchObject({ samples: [], cpu: { peak: null, mean: null }, rss: { peak: null } });
  });

  it('samples this process, skips a vanished pid and survives a failing pids()', async () => {
    let calls = 0;
    const sampler = startResourceSampler(
      () => {
        calls += 1;
        if (calls === 3) throw new Error('ps failed');
        return [process.pid, 4_194_303];
      },
      { intervalMs: 50 }
    );
    await sleep(400);
    const summary = sampler.stop();
    expect(summary.samples.length).toBeGreaterThanOrEqual(3);
    for (const s of summary.samples) expect(s.rss).toBeGreaterThan(10 * MB);
    const seconds = summary.samples.map(s => s.second);
    expect(seconds[0]).toBe(0);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(new Set(seconds).size).toBe(seconds.length);
    // The interval whose pids() failed is merged into the next one: one gap of about two intervals.
    const gaps = seconds.slice(1).map((s, i) => s - (seconds[i] ?? 0));
    expect(Math.max(...gaps)).toBeGreaterThan(0.09);

    const callsAtStop = calls;
    await sleep(150);
    expect(calls).toBe(callsAtStop); // the timer is gone
    expect(sampler.stop().samples).toEqual(summary.samples);
  });
});

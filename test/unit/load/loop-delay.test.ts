import { LOOP_DELAY_RESOLUTION_MS, startLoopDelay } from '../../../src/load/loop-delay.js';

const spin = (ms: number) => {
  const t0 = performance.now();
  while (performance.now() - t0 < ms);
};
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('startLoopDelay', () => {
  it('samples at 1 ms, the finest a libuv timer has', () => {
    expect(LOOP_DELAY_RESOLUTION_MS).toBe(1);
  });

  it('reads a blocked loop: a 120 ms busy wait shows as a max of about 120 ms', async () => {
    const m = startLoopDelay();
    await sleep(100);
    spin(120);
    await sleep(100);
    const d = m.stop()!;
    // The spin holds the loop at least 120 ms; the resolution is subtracted, the rest is rounding.
    expect(d.max).toBeGreaterThanOrEqual(118);
    expect(d.max).toBeLessThan(1000);
    expect(d.p50).toBeLessThanOrEqual(d.p99);
    expect(d.p99).toBeLessThanOrEqual(d.max);
    // One blocked interval in ~200 samples moves neither the median nor the 99th percentile to it.
    expect(d.p50).toBeLessThan(50);
  });

  it('subtracts the resolution: an idle loop reads well under the 1 ms interval it samples at', async () => {
    const m = startLoopDelay();
    await sleep(300);
    const d = m.stop()!;
    expect(d.p50).toBeGreaterThanOrEqual(0);
    // A reading that kept the interval in would be ≥ 1 ms (more with the 10 ms default resolution).
    expect(d.p50).toBeLessThan(1);
  });

  it('gives the values in ms to 1 µs', async () => {
    const m = startLoopDelay();
    await sleep(50);
    spin(20);
    await sleep(20);
    const d = m.stop()!;
    for (const v of [d.p50, d.p99, d.max]) expect(Math.round(v * 1000) / 1000).toBe(v);
  });

  it('gives undefined for a window that held no sample', () => {
    const m = startLoopDelay();
    expect(m.stop()).toBeUndefined();
  });

  it('stops sampling at stop(): a later block does not count', async () => {
    const m = startLoopDelay(1);
    await sleep(50);
    const d = m.stop()!;
    spin(80);
    await sleep(20);
    expect(d.max).toBeLessThan(80);
  });
});

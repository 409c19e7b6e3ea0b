import { atTime, MAX_TIMER_MS } from '../../../src/load/deadline.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('atTime', () => {
  it.each([0, 1, 7, 30, 120])('never fires before its time (%i ms ahead)', async ms => {
    const at = performance.now() + ms;
    const firedAt = await new Promise<number>(resolve => atTime(at, () => resolve(performance.now())));
    expect(firedAt).toBeGreaterThanOrEqual(at);
  });

  it('holds a time beyond what a Node timer can (2³¹ − 1 ms) without firing or warning, until cancelled', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      let fired = false;
      const cancel = atTime(performance.now() + MAX_TIMER_MS + 60_000, () => (fired = true));
      await sleep(50);
      cancel();
      expect(fired).toBe(false);
      expect(warnings.map(w => w.name)).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a time already past fires later, never inside the call: the caller may cancel from inside it', async () => {
    const fired = await new Promise<boolean>(resolve => {
      const cancel = atTime(performance.now() - 5, () => {
        cancel();
        resolve(true);
      });
    });
    expect(fired).toBe(true);
  });

  it('a cancelled deadline never fires', async () => {
    let fired = false;
    atTime(performance.now() + 20, () => (fired = true))();
    await sleep(60);
    expect(fired).toBe(false);
  });
});

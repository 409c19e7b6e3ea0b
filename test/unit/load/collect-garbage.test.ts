import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import vm from 'node:vm';
import { collectGarbage } from '../../../src/load/collect-garbage.js';
import { forcedMajorGc } from '../../helpers/gc.js';

const turn = () => new Promise(resolve => setTimeout(resolve, 0));

/** The GC entries this process reports while `body` runs (delivered after a turn). */
async function gcEntries(body: () => void): Promise<PerformanceEntry[]> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver(list => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  body();
  await turn();
  await turn();
  observer.disconnect();
  return seen;
}

describe('collectGarbage (a full collection before a trial’s measured window)', () => {
  it('collects: an object no longer referenced is gone, by a forced major collection', async () => {
    const ref = (() => new WeakRef(new Array(100_000).fill(1)))();
    // A WeakRef keeps its target to the end of the job that made or read it.
    await turn();
    let collected = false;
    const entries = await gcEntries(() => (collected = collectGarbage()));
    expect(collected).toBe(true);
    expect(ref.deref()).toBeUndefined();
    expect(entries.some(forcedMajorGc)).toBe(true);
  });

  it('leaves no `gc` global behind: contexts made after it do not see one', () => {
    expect(collectGarbage()).toBe(true);
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
    expect(collectGarbage()).toBe(true);
  });
});

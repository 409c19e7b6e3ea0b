import vm from 'node:vm';
import { collectGarbage } from '../../../src/load/collect-garbage.js';
import { forcedMajorGc, observeGc } from '../../helpers/gc.js';

const turn = () => new Promise(resolve => setTimeout(resolve, 0));

describe('collectGarbage (a full collection before a trial’s measured window)', () => {
  it('collects: an object no longer referenced is gone, by a forced major collection', async () => {
    const ref = (() => new WeakRef(new Array(100_000).fill(1)))();
    // A WeakRef keeps its target to the end of the job that made or read it.
    await turn();
    const { result: collected, entries } = await observeGc(collectGarbage);
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

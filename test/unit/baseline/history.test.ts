import type { ProfileConfig } from '../../../src/config/types.js';
import { historyEntry, mergeBaseline, nextHistory, profileHistory } from '../../../src/baseline/history.js';
import type { Results } from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

const configs = [{ name: 'p', compare: { 'http_req_duration.med': 0.05 } }] as unknown as ProfileConfig[];

/** A complete run of profile "p" whose trials have these medians (ms); the last trial invalid. */
function run(createdAt: string, medians: number[], connections = 1): Results {
  const trials = [
    ...medians.map((m, i) => syntheticTrial('head', i, m, 1000)),
    syntheticTrial('head', 9, 999, 1, false)
  ];
  return sampleResults({ createdAt, profiles: [{ ...syntheticProfile(trials), connections }] });
}

describe('historyEntry', () => {
  it('keeps per profile the load settings and the median of the valid trials of each compare key', () => {
    const e = historyEntry(run('2026-11-01T00:00:00.000Z', [10, 14, 12]), configs);
    expect(e).toMatchObject({ createdAt: '2026-11-01T00:00:00.000Z', configHash: 'abcdef0123456789' });
    expect(e.profiles.p).toMatchObject({
      shape: 'steady',
      model: 'closed',
      connections: 1,
      durationMs: 1000
    });
    // The configured key and the informational ones; the invalid trial (999 ms) is left out.
    expect(e.profiles.p!.values).toEqual({
      'http_req_duration.med': 12,
      'http_req_duration.avg': 12,
      'http_req_duration.p(90)': 18,
      'http_req_duration.p(95)': 21.6
    });
  });

  it('uses the default compare keys for a profile without `compare:`', () => {
    const e = historyEntry(run('2026-11-01T00:00:00.000Z', [10]), []);
    expect(Object.keys(e.profiles.p!.values)).toEqual(
      expect.arrayContaining(['http_req_duration.med', 'http_req_duration.p(99)', 'http_reqs.rate'])
    );
  });
});

describe('nextHistory', () => {
  const runs = ['01', '02', '03', '04', '05'].map(d => run(`2026-11-${d}T00:00:00.000Z`, [10]));
  /** Saves run after run over one file, as `--save-baseline` does. */
  function saveAll(keep: number): Results {
    let file: Results | null = null;
    for (const r of runs) {
      const history = nextHistory(file, configs, keep);
      file = { ...r, ...(history.length > 0 && { history }) };
    }
    return file!;
  }

  it('appends the replaced baseline as the newest entry, oldest first', () => {
    const file = saveAll(20);
    expect(file.createdAt).toBe('2026-11-05T00:00:00.000Z');
    expect(file.history!.map(h => h.createdAt.slice(8, 10))).toEqual(['01', '02', '03', '04']);
  });

  it('keeps at most `keep` entries, dropping the oldest', () => {
    expect(saveAll(2).history!.map(h => h.createdAt.slice(8, 10))).toEqual(['03', '04']);
  });

  it('keeps none with keep 0, and starts empty without a previous baseline', () => {
    expect(saveAll(0).history).toBeUndefined();
    expect(nextHistory(null, configs, 20)).toEqual([]);
  });
});

describe('mergeBaseline', () => {
  const day = (d: string) => `2026-11-${d}T00:00:00.000Z`;
  const dates = (r: Results | null) =>
    r && [...(r.history ?? []).map(h => h.createdAt.slice(8, 10)), '|', r.createdAt.slice(8, 10)];
  /** The store after run `d` replaced the run of `previous` the ordinary way. */
  function storedAfter(days: string[], keep = 20): Results {
    let stored: Results | null = null;
    for (const d of days) stored = mergeBaseline(stored, run(day(d), [10]), configs, keep)!;
    return stored!;
  }

  it('stores the first run as it is', () => {
    const ours = run(day('01'), [10]);
    expect(mergeBaseline(null, ours, configs, 20)).toBe(ours);
  });

  it('makes a newer run the baseline with the stored one as its newest history entry', () => {
    expect(dates(storedAfter(['01', '02', '03']))).toEqual(['01', '02', '|', '03']);
  });

  it('replaces the history a run carried from an older baseline: a run that pushed first stays in', () => {
    // Run 03 read the store when it held 01; run 02 landed meanwhile.
    const ours = { ...run(day('03'), [10]), history: [historyEntry(run(day('01'), [10]), configs)] };
    expect(dates(mergeBaseline(storedAfter(['01', '02']), ours, configs, 20))).toEqual([
      '01',
      '02',
      '|',
      '03'
    ]);
  });

  it('keeps a newer stored run as the baseline and puts an older one into its history in time order', () => {
    const stored = storedAfter(['01', '03', '04']);
    const merged = mergeBaseline(stored, run(day('02'), [10]), configs, 20);
    expect(dates(merged)).toEqual(['01', '02', '03', '|', '04']);
    expect(merged!.profiles).toBe(stored.profiles);
  });

  it('keeps at most `keep` entries either way, and none with keep 0', () => {
    expect(dates(mergeBaseline(storedAfter(['01', '02', '03']), run(day('04'), [10]), configs, 2))).toEqual([
      '02',
      '03',
      '|',
      '04'
    ]);
    expect(dates(mergeBaseline(storedAfter(['01', '03', '04']), run(day('02'), [10]), configs, 2))).toEqual([
      '02',
      '03',
      '|',
      '04'
    ]);
    expect(
      mergeBaseline(storedAfter(['01', '02']), run(day('03'), [10]), configs, 0)!.history
    ).toBeUndefined();
  });

  it('is null when a newer baseline keeps only runs newer than ours (nothing to write)', () => {
    expect(mergeBaseline(storedAfter(['02', '03', '04'], 2), run(day('01'), [10]), configs, 2)).toBeNull();
    expect(mergeBaseline(storedAfter(['02', '03']), run(day('01'), [10]), configs, 0)).toBeNull();
  });

  it('is null when the store already holds the run: as the baseline, or in its history', () => {
    expect(mergeBaseline(storedAfter(['01', '02']), run(day('02'), [10]), configs, 20)).toBeNull();
    expect(mergeBaseline(storedAfter(['01', '02', '03']), run(day('02'), [10]), configs, 20)).toBeNull();
  });

  it('tells runs apart by commit and config as well as time', () => {
    const other = { ...run(day('02'), [10]), git: { sha: 'f00d' } };
    expect(mergeBaseline(storedAfter(['01', '02']), other, configs, 20)).not.toBeNull();
  });
});

describe('profileHistory', () => {
  it('returns the time and values of entries with the same load settings only', () => {
    const same = historyEntry(run('2026-11-01T00:00:00.000Z', [10]), configs);
    const other = historyEntry(run('2026-11-02T00:00:00.000Z', [50], 8), configs);
    const values = profileHistory([same, other], syntheticProfile([]));
    expect(values).toEqual([{ createdAt: '2026-11-01T00:00:00.000Z', values: same.profiles.p!.values }]);
    expect(profileHistory(undefined, syntheticProfile([]))).toEqual([]);
  });
});

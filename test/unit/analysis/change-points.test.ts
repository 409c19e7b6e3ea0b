import type { ProfileConfig } from '../../../src/config/types.js';
import { driftCheck } from '../../../src/analysis/change-points.js';
import { historyEntry } from '../../../src/baseline/history.js';
import { baselineTrends } from '../../../src/analysis/trends.js';
import type { HistoryEntry, Results } from '../../../src/model.js';
import { gauss, seededRandom } from '../../helpers/random.js';
import { sampleResults } from '../../helpers/results.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

const configs = [{ name: 'p', compare: { 'http_req_duration.med': 0.05 } }] as unknown as ProfileConfig[];

/** A complete run of profile "p" whose three trials have medians around `median` (ms). */
function run(day: number, median: number): Results {
  const createdAt = new Date(Date.UTC(2026, 9, 1 + day)).toISOString();
  const trials = [0.99, 1, 1.01].map((f, i) => syntheticTrial('head', i, median * f, 1000));
  return sampleResults({ createdAt, profiles: [syntheticProfile(trials)] });
}

/** Runs with these medians, oldest first: all but the last as history entries, the last as this run. */
function series(medians: number[]): { history: HistoryEntry[]; current: Results } {
  const runs = medians.map((m, day) => run(day, m));
  return { history: runs.slice(0, -1).map(r => historyEntry(r, configs)), current: runs.at(-1)! };
}

/** `n` values around 10 ms with 1 % noise (seeded). */
function noisy(n: number, level: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => level * (1 + 0.01 * gauss(random)));
}

describe('driftCheck', () => {
  it('finds a +15 % shift in the last runs, at the run where it began', () => {
    const medians = [...noisy(16, 10, 1), ...noisy(4, 11.5, 2)];
    const { history, current } = series(medians);
    const found = driftCheck(history, current, configs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      profile: 'p',
      metric: 'http_req_duration.med',
      index: 16,
      createdAt: history[16]!.createdAt,
      points: 20,
      worse: true
    });
    expect(found[0]!.change).toBeCloseTo(0.15, 1);
    expect(found[0]!.before).toBeCloseTo(10, 0);
    expect(found[0]!.after).toBeCloseTo(11.5, 0);
    expect(found[0]!.current).toBeCloseTo(medians.at(-1)!, 6);
    expect(found[0]!.pValue).toBeLessThan(0.001);
  });

  it('finds nothing in a flat noisy history', () => {
    for (const seed of [3, 4, 5]) {
      const { history, current } = series(noisy(20, 10, seed));
      expect(driftCheck(history, current, configs)).toEqual([]);
    }
  });

  it('drops a shift once this run is back within δ of the level before it', () => {
    const { history, current } = series([...noisy(14, 10, 6), ...noisy(4, 11.5, 7), 10.1]);
    expect(driftCheck(history, current, configs)).toEqual([]);
  });

  it('reports an improvement as not worse, and leaves old shifts alone', () => {
    const better = series([...noisy(16, 10, 8), ...noisy(4, 8, 9)]);
    expect(driftCheck(better.history, better.current, configs)).toMatchObject([{ worse: false, index: 16 }]);
    // Shifted 20 runs ago (history long enough to hold it): no longer recent.
    const old = series([...noisy(5, 10, 10), ...noisy(25, 11.5, 11)]);
    expect(driftCheck(old.history, old.current, configs)).toEqual([]);
  });

  it('follows statistics.changePoints: the minimum magnitude, the p-value and the window', () => {
    const { history, current } = series([...noisy(16, 10, 1), ...noisy(4, 11.5, 2)]);
    const found = driftCheck(history, current, configs)[0]!;
    const settings = { pValue: 0.001, window: 30 };
    // A +15 % shift: found with a 10 % minimum, not with 20 % (the metric's δ is 5 %).
    expect(driftCheck(history, current, configs, { ...settings, minMagnitude: 0.1 })).toHaveLength(1);
    expect(driftCheck(history, current, configs, { ...settings, minMagnitude: 0.2 })).toEqual([]);
    // A split must be more significant than pValue.
    expect(driftCheck(history, current, configs, { ...settings, pValue: found.pValue / 2 })).toEqual([]);
    // With a window of 6 only the last 3 runs are recent: a shift 4 runs back is not reported.
    expect(driftCheck(history, current, configs, { ...settings, window: 6 })).toEqual([]);
  });

  it('needs the same load settings and enough points', () => {
    const { history, current } = series([10, 10, 11.5, 11.5]);
    expect(driftCheck(history, current, configs)).toEqual([]);
    expect(driftCheck([], current, configs)).toEqual([]);
  });
});

describe('baselineTrends', () => {
  it('draws each gated metric over the history and this run, marking this run; three runs at least', () => {
    const { history, current } = series([10, 11, 12]);
    expect(baselineTrends(history, current, configs)).toEqual([
      {
        profile: 'p',
        metric: 'http_req_duration.med',
        points: [
          { createdAt: '2026-10-01T00:00:00.000Z', value: 10 },
          { createdAt: '2026-10-02T00:00:00.000Z', value: 11 },
          { createdAt: '2026-10-03T00:00:00.000Z', value: 12, current: true }
        ]
      }
    ]);
    expect(baselineTrends(history.slice(1), current, configs)).toEqual([]);
  });
});

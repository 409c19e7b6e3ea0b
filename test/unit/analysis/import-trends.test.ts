/**
 * Trends and change points of imported benchmarks (SPEC §6): each gated benchmark's value per run —
 * its single value, the median of its samples — over the stored runs of the same format and this
 * run, in a baseline run (gated by the import's `compare:`) and in a gate run against a stored
 * baseline (the comparisons the history took part in).
 */
import { analyseBaselineRun } from '../../../src/analysis/baseline-run.js';
import { driftCheck } from '../../../src/analysis/change-points.js';
import { gatedSeries, importGates } from '../../../src/analysis/history-series.js';
import { baselineTrends, buildTrends } from '../../../src/analysis/trends.js';
import { historyEntry } from '../../../src/baseline/history.js';
import { changePointView, trendView } from '../../../src/report/trend-view.js';
import { CHANGE_POINT_DEFAULTS } from '../../../src/config/resolve.js';
import type { HistoryEntry, Results } from '../../../src/model.js';
import type { Reporter } from '../../../src/reporter.js';
import { day, genericFile, importRun, savedBaseline, SUITE } from '../../helpers/import-runs.js';
import { gauss, seededRandom } from '../../helpers/random.js';

/** Runs of "parse" (gated), "render" (not gated) and a list of "lex" samples, oldest first. */
function runs(parse: number[], format = 'generic-smaller'): Results[] {
  return parse.map((p, i) =>
    importRun(
      day(i + 1),
      genericFile({ parse: p, render: 2 * p, lex: [p / 2, p / 2 + 1, p / 2 - 1] }, format)
    )
  );
}

/** The history before the last run, and the last run. */
function split(all: Results[]): { history: HistoryEntry[]; current: Results } {
  return { history: all.slice(0, -1).map(r => historyEntry(r, [])), current: all.at(-1)! };
}

/** `n` values around `level` with 1 % noise (seeded). */
function noisy(n: number, level: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => level * (1 + 0.01 * gauss(random)));
}

describe('gatedSeries of an import', () => {
  it("has a point per run for each benchmark the import's compare: gates, with its δ", () => {
    const { history, current } = split(runs([10, 11, 12]));
    const out = gatedSeries(history, current, [], [], importGates([SUITE]));
    expect(out.map(s => [s.profile, s.metric, s.delta, s.better])).toEqual([
      ['suite', 'parse', 0.05, 'lower'],
      ['suite', 'lex', 0.05, 'lower']
    ]);
    expect(out[0]!.points).toEqual([
      { createdAt: day(1), value: 10e6 },
      { createdAt: day(2), value: 11e6 },
      { createdAt: day(3), value: 12e6 }
    ]);
    // A list of samples: the median of each run's.
    expect(out[1]!.points.map(p => p.value)).toEqual([5e6, 5.5e6, 6e6]);
  });

  it('leaves out runs of another format, and imports no config gates', () => {
    const all = [...runs([10, 11], 'generic-bigger'), ...runs([12, 13])];
    const { history, current } = split(all);
    const [parse] = gatedSeries(history, current, [], [], importGates([SUITE]));
    expect(parse!.points.map(p => p.value)).toEqual([12e6, 13e6]);
    expect(gatedSeries(history, current, [])).toEqual([]);
    expect(gatedSeries(history, current, [], [], importGates([{ ...SUITE, name: 'other' }]))).toEqual([]);
  });
});

describe('baselineTrends and driftCheck of an import', () => {
  it('draws the gated benchmarks over the stored runs and this run; three runs at least', () => {
    const { history, current } = split(runs([10, 11, 12]));
    const trends = baselineTrends(history, current, [], [], [SUITE]);
    expect(trends.map(t => t.metric)).toEqual(['parse', 'lex']);
    expect(trends[0]!.points.at(-1)).toEqual({ createdAt: day(3), value: 12e6, current: true });
    expect(baselineTrends(history.slice(1), current, [], [], [SUITE])).toEqual([]);
    // In the series' own unit (ns), which the report scales: 12e6 ns reads as 12 ms, not 12,000,000 ms.
    expect(trends[0]!.unit).toBe('ns');
    const view = trendView(trends[0]!);
    expect(view.unit).toBe('ms');
    expect(view.rows.at(-1)).toEqual({ label: 'this run', value: 12 });
    expect(view.mermaid).toContain('y-axis "ms"');
  });

  it('finds a +15 % shift of single values in the last runs', () => {
    const { history, current } = split(runs([...noisy(16, 10, 1), ...noisy(4, 11.5, 2)]));
    const found = driftCheck(history, current, [], CHANGE_POINT_DEFAULTS, [], [SUITE]);
    expect(found.map(f => [f.profile, f.metric, f.index, f.worse])).toEqual([
      ['suite', 'parse', 16, true],
      ['suite', 'lex', 16, true]
    ]);
    expect(found[0]!.change).toBeCloseTo(0.15, 1);
    expect(found[0]!.unit).toBe('ns');
    expect(changePointView(found[0]!).before).toMatch(/^10\.\d+ ms$/);
    expect(driftCheck(history, current, [], CHANGE_POINT_DEFAULTS)).toEqual([]);
  });

  it('finds nothing in a flat history', () => {
    const { history, current } = split(runs(noisy(20, 10, 3)));
    expect(driftCheck(history, current, [], CHANGE_POINT_DEFAULTS, [], [SUITE])).toEqual([]);
  });

  it('are what the analysis of a baseline run sets from the config', () => {
    const { history, current } = split(runs([...noisy(16, 10, 1), ...noisy(4, 11.5, 2)]));
    const warnings: string[] = [];
    const reporter: Reporter = { info: () => {}, warn: m => warnings.push(m), progress: () => {} };
    const config = { profiles: [], statistics: { changePoints: CHANGE_POINT_DEFAULTS }, imports: [SUITE] };
    analyseBaselineRun(current, history, config as never, reporter);
    expect(current.trends!.map(t => [t.profile, t.metric, t.points.length])).toEqual([
      ['suite', 'parse', 20],
      ['suite', 'lex', 20]
    ]);
    expect(current.changePoints!.map(c => c.metric)).toEqual(['parse', 'lex']);
    expect(warnings).toEqual([]);
  });
});

describe('buildTrends of a gate run against a stored baseline', () => {
  it('draws the gated comparisons the history took part in: the history, the baseline and this run', () => {
    const baseline = savedBaseline(runs([100, 108, 95, 104, 100]));
    const run = importRun(day(9), genericFile({ parse: 160, render: 200, lex: [50, 51, 49] }), { baseline });
    const trends = buildTrends(run, baseline, []);
    expect(trends.map(t => [t.profile, t.metric])).toEqual([
      ['suite', 'parse'],
      ['suite', 'lex']
    ]);
    expect(trends[0]!.points.map(p => p.value / 1e6)).toEqual([100, 108, 95, 104, 100, 160]);
    expect(trends[0]!.points.at(-1)).toMatchObject({ createdAt: day(9), current: true });
  });

  it('draws none without history in the comparisons (fewer than three stored runs)', () => {
    const baseline = savedBaseline(runs([100, 104]));
    const run = importRun(day(9), genericFile({ parse: 160, render: 200, lex: [50, 51, 49] }), { baseline });
    expect(run.comparisons.find(c => c.metric === 'parse')!.history).toBeUndefined();
    expect(buildTrends(run, baseline, [])).toEqual([]);
  });
});

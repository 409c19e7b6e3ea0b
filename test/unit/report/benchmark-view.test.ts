import { benchmarkView } from '../../../src/report/benchmark-view.js';
import { comparisonView } from '../../../src/report/comparison-view.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import type { BenchmarkResult } from '../../../src/model.js';
import {
  benchComparison,
  benchmarkOnlyResults,
  benchThreshold,
  pairedBenchmark,
  run
} from './benchmark-fixture.js';

const HEAD = [112, 110, 114, 111, 113];
const BASE = [101, 100, 104, 102, 103];
const view = (b: BenchmarkResult, comparisons = benchmarkOnlyResults().comparisons, thresholds = []) =>
  benchmarkView(b, comparisons, thresholds, () => 'auto text');

describe('benchmarkView of a paired benchmark', () => {
  const r = benchmarkOnlyResults();
  const v = view(r.benchmarks![0]!, r.comparisons, r.thresholds as never);

  it('names the commands and counts the pairs, the discarded first pair left out', () => {
    expect(v).toMatchObject({
      name: 'build',
      command: 'npm run build',
      baseCommand: 'npm run build --base',
      paired: true,
      warmup: 1,
      counted: { head: 5, base: 5 },
      runsText: '5/5 pairs'
    });
    expect(v.plan).toBe(
      '5 pairs, base and head interleaved in counterbalanced order, after 1 warmup run per side; ' +
        'the first pair is discarded as warmup'
    );
  });

  it('gives median, mean, min and max of each metric per side over the counted runs', () => {
    expect(v.metrics.map(m => m.label)).toEqual(['wall time', 'user CPU', 'system CPU', 'peak RSS']);
    const wall = v.metrics[0]!;
    // 998 and 999 ms (the discarded pair) would be the max of either side were they counted.
    expect(wall.head).toEqual({
      measured: true,
      n: 5,
      median: '112 ms',
      mean: '112 ms',
      min: '110 ms',
      max: '114 ms'
    });
    expect(wall.base).toMatchObject({ median: '102 ms', mean: '102 ms', min: '100 ms', max: '104 ms' });
    expect(v.metrics[1]!.head.median).toBe('89.60 ms'); // 0.8 × 112
    expect(v.metrics[3]!.head).toMatchObject({ median: '63.0 MB', min: '61.0 MB', max: '65.0 MB' });
    expect(v.metrics[3]!.base.median).toBe('53.0 MB');
  });

  it("puts each metric's comparison beside it: change, interval, verdict, gated or not", () => {
    expect(v.metrics[0]!.comparison).toMatchObject({
      change: '+9.8 %',
      interval: '+7.0 % … +13 %',
      verdict: '❌ regressed',
      gated: true,
      regressed: true,
      base: '102 ms',
      head: '112 ms'
    });
    expect(v.metrics[3]!.comparison).toMatchObject({ change: '+20 %', gated: false, regressed: false });
    expect(v.metrics[1]!.comparison).toBeUndefined();
    expect(v.overview).toEqual({
      wallHead: '112 ms',
      wallBase: '102 ms',
      wallChange: '+9.8 % (+7.0 % … +13 %)',
      peakRssHead: '63.0 MB'
    });
  });

  it('keeps its own thresholds and the per-run chart of its gated comparison', () => {
    expect(v.thresholds.map(t => `${t.status} ${t.metric} ${t.expression} ${t.observedText}`)).toEqual([
      '❌ wall_time med<100ms 112 ms',
      '✅ peak_rss max<1GB 63.0 MB'
    ]);
    const charts = v.comparisons.flatMap(c => (c.chart ? [c.chart] : []));
    expect(charts).toHaveLength(1); // peak_rss.med is informational
    expect(charts[0]).toMatchObject({
      metric: 'wall_time.med',
      unit: 'ms',
      head: HEAD,
      verdict: 'regressed'
    });
    expect([...charts[0]!.base].sort()).toEqual([...BASE].sort());
  });

  it('draws every run by its pair number, the discarded pair marked', () => {
    expect(v.chart.xLabel).toBe('pair');
    expect(v.chart.head.map(p => [p.x, p.y, p.discarded])).toEqual([
      [1, 998, true],
      ...HEAD.map((h, i) => [i + 2, h, false])
    ]);
    expect(v.chart.base.map(p => p.y)).toEqual([999, ...BASE]);
    expect(v.runs.filter(x => !x.counted).map(x => `${x.number}: ${x.note}`)).toEqual([
      '1 base: discarded (first pair)',
      '1 head: discarded (first pair)'
    ]);
  });
});

describe('benchmarkView, the other cases', () => {
  it('leaves out killed runs and says so; a metric no run measured is not shown', () => {
    const b = pairedBenchmark('b', HEAD, BASE);
    b.runs.push(run('head', 6, 5000, { timedOut: true, exitCode: null, signal: 'SIGKILL' }));
    for (const x of b.runs) Object.assign(x, { userMs: null, sysMs: null, cpuSource: 'none' });
    const v = view(b, []);
    expect(v.metrics.map(m => m.label)).toEqual(['wall time', 'peak RSS']);
    expect(v.metrics[0]!.head.max).toBe('114 ms');
    expect(v.plan).toMatch(/; 1 run killed \(not counted\)$/);
    expect(v.chart.head.at(-1)).toEqual({ x: 7, y: 5000, discarded: false, failed: true });
    expect(v.runs.at(-1)).toMatchObject({
      number: '7 head',
      exitCode: '–',
      counted: false,
      note: 'timed out'
    });
  });

  it('an unpaired benchmark against a stored baseline takes the base median from the comparison', () => {
    const b: BenchmarkResult = {
      name: 'solo',
      command: 'make',
      warmup: 0,
      runsPlanned: 4,
      runs: [50, 52, 51, 49].map((w, i) => run('head', i, w)),
      auto: { min: 2, batch: 2, max: 10, budgetMs: 1, looks: [], stopped: 'conclusive' },
      error: 'runs stopped: disk full'
    };
    const c = benchComparison('solo', 'wall_time.med', 'improved', -0.2, [-0.3, -0.1], {
      base: 63.5,
      head: 50.5
    });
    const v = benchmarkView(b, [c], [], (_a, paired) => `trials: auto, paired ${paired}`);
    expect(v).toMatchObject({
      paired: false,
      runsText: '4/4 runs',
      plan: '4 runs',
      auto: 'runs: auto, paired false',
      error: 'runs stopped: disk full',
      chart: { xLabel: 'run', base: [] }
    });
    expect(v.metrics[0]!.head.median).toBe('50.50 ms');
    expect(v.metrics[0]!.base.median).toBe('63.50 ms');
    expect(v.metrics[0]!.comparison!.verdict).toBe('🚀 improved');
    expect(v.overview.wallBase).toBe('–');
  });

  it('takes only the comparisons and thresholds of its own name', () => {
    const b = pairedBenchmark('mine', HEAD, BASE);
    const other = benchComparison('other', 'wall_time.med', 'regressed', 0.5, [0.4, 0.6]);
    const v = benchmarkView(b, [other], [benchThreshold('other', 'wall_time', 'med<1', 2, false)], () => '');
    expect(v.comparisons).toEqual([]);
    expect(v.thresholds).toEqual([]);
    expect(v.metrics[0]!.comparison).toBeUndefined();
  });
});

describe('comparisons of benchmark metrics', () => {
  it('format their values in the metric unit and count runs, not trials', () => {
    const c = {
      ...benchComparison('b', 'peak_rss.med', 'inconclusive', 0, [-1, 1], {
        base: 2 ** 30,
        head: 3 * 2 ** 29
      })
    };
    // Gated: the why is said once, in the list the renderings lead with (`settle`), not in the table.
    expect(comparisonView({ ...c, reason: 'wide', moreTrials: 12 })).toMatchObject({
      base: '1.0 GB',
      head: '1.5 GB',
      verdict: '⚠️ inconclusive',
      settle: 'changed by −100 % … +100 % — more runs would settle it (about 12 more per side; wide)'
    });
    // Informational: not in that list, so the table says why.
    expect(comparisonView({ ...c, gated: false, reason: 'wide', moreTrials: 12 }).verdict).toBe(
      '⚠️ inconclusive (wide; ~12 more runs per side)'
    );
    const wall = benchComparison('b', 'wall_time.med', 'unchanged', 0, [-1, 1], { base: 1500, head: 0.5 });
    expect(comparisonView(wall)).toMatchObject({ base: '1.50 s', head: '0.500 ms' });
  });
});

describe('the report model with benchmarks', () => {
  it('says where the regressions are in the headline and what more would settle the rest', () => {
    const r = benchmarkOnlyResults();
    expect(buildReportModel(r).headline).toBe(
      'gate failed (1 threshold broken, 1 regression in benchmark build)'
    );
    r.thresholds = [];
    r.comparisons.push(benchComparison('other', 'wall_time.med', 'regressed', 0.2, [0.1, 0.3]));
    expect(buildReportModel(r).headline).toBe(
      'gate failed (2 regressions in benchmark build and profile other)'
    );
    r.comparisons.push(benchComparison('third', 'wall_time.med', 'regressed', 0.2, [0.1, 0.3]));
    expect(buildReportModel(r).headline).toBe('gate failed (3 regressions in 3 sources)');
    r.comparisons = [benchComparison('build', 'wall_time.med', 'inconclusive', 0.02, [-0.1, 0.1])];
    expect(buildReportModel({ ...r, verdict: 'inconclusive' })).toMatchObject({
      headline: 'inconclusive',
      inconclusive: 1,
      settleWith: 'runs',
      hasProfiles: false
    });
  });
});

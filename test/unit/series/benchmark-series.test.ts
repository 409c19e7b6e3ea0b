/**
 * The benchmark adapter (series/benchmark.ts) and what the stages after it do with its series:
 * samples per counted run, paired by index; thresholds over the runs; and one Holm family with the
 * profiles of the same gate.
 */
import type { BenchmarkConfig, ProfileConfig } from '../../../src/config/types.js';
import { finalComparisons } from '../../../src/compare/final-comparisons.js';
import { compareSeries } from '../../../src/compare/verdicts.js';
import type { BenchmarkResult, BenchmarkRun, TrialResult } from '../../../src/model.js';
import { benchmarkGroup, benchmarkSeries, countedRuns, runSamples } from '../../../src/series/benchmark.js';
import { holm } from '../../../src/stats/adjust.js';
import { evaluateRunThresholds } from '../../../src/thresholds/evaluate-runs.js';
import { parseThreshold } from '../../../src/thresholds/parse-threshold.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

function run(
  side: 'head' | 'base',
  index: number,
  wallMs: number,
  more: Partial<BenchmarkRun> = {}
): BenchmarkRun {
  return {
    side,
    index,
    startedAt: '2026-12-06T00:00:00.000Z',
    wallMs,
    userMs: wallMs * 0.8,
    sysMs: 0,
    cpuSource: 'times',
    peakRssBytes: 50e6 + index,
    exitCode: 0,
    stdoutBytes: 0,
    stderrBytes: 0,
    ...more
  };
}

/** Paired runs: pair 0 kept as warmup; head = base × factor(i) with a small deterministic wobble. */
function paired(pairs: number, factor: (i: number) => number): BenchmarkResult {
  const runs: BenchmarkRun[] = [];
  for (let i = 0; i <= pairs; i++) {
    const base = 100 * (1 + 0.01 * Math.sin(i * 2.3 + 0.5));
    const warm = i === 0 ? { warmupDiscarded: 'first pair, discarded as warmup' } : {};
    runs.push(run('base', i, base, warm), run('head', i, base * factor(i), warm));
  }
  return { name: 'build', command: 'make', base: { command: 'make' }, warmup: 0, runsPlanned: pairs, runs };
}

const config = (compare: Record<string, number> = {}, thresholds: string[] = []): BenchmarkConfig => ({
  name: 'build',
  head: { command: 'make', shell: true, cwd: '/', cwdWhere: 'x:1:1', env: {} },
  base: { command: 'make', shell: true, cwd: '/', cwdWhere: 'x:1:1', env: {} },
  warmup: 0,
  runs: 10,
  timeoutMs: 1000,
  allowFailure: false,
  thresholds: thresholds.map(t => {
    const [metric, source] = t.split(' ') as [string, string];
    const parsed = parseThreshold(metric, source);
    if (!parsed.ok) throw new Error(parsed.message);
    return { metric, source, parsed: parsed.value, severity: 'fail' as const, where: 'x:1:1' };
  }),
  compare
});

describe('benchmark series', () => {
  it('has one sample per counted run: not the discarded first pair, not a killed run; zero CPU is left out', () => {
    const result = paired(4, () => 1.1);
    result.runs.push(run('head', 5, 999, { timedOut: true, exitCode: null, signal: 'SIGKILL' }));
    expect(countedRuns(result, 'head').map(r => r.index)).toEqual([1, 2, 3, 4]);
    const wall = benchmarkSeries(result, 'wall_time.med');
    expect(wall).toMatchObject({ source: 'build', unit: 'ms', better: 'lower', base: 'paired' });
    expect(wall.samples.head.map(s => s.index)).toEqual([1, 2, 3, 4]);
    expect(wall.samples.base.map(s => s.index)).toEqual([1, 2, 3, 4]);
    expect(benchmarkSeries(result, 'peak_rss.med').unit).toBe('bytes');
    // sys_time is 0 in every run: no logarithm, no sample.
    expect(runSamples(result, 'head', 'sys_time')).toEqual([]);
  });

  it('without a base: unpaired with a stored series of the same key, else nothing to compare', () => {
    const result = { ...paired(3, () => 1), base: undefined };
    result.runs = result.runs.filter(r => r.side === 'head');
    expect(benchmarkSeries(result, 'wall_time.med').base).toBe('none');
    const stored = {
      ...benchmarkSeries(result, 'wall_time.med'),
      samples: { head: [{ index: 0, value: 5 }], base: [] }
    };
    expect(benchmarkSeries(result, 'wall_time.med', [stored])).toMatchObject({
      base: 'stored',
      samples: { base: [{ index: 0, value: 5 }] }
    });
    const group = benchmarkGroup({ ...config(), base: undefined }, result);
    expect(group.comparable).toBe(false);
    expect(compareSeries([group], { alpha: 0.05 })).toEqual([]);
  });

  it('a paired 20 % slowdown regresses wall_time.med; the CPU and memory keys are informational', () => {
    const comparisons = compareSeries(
      [
        benchmarkGroup(
          config(),
          paired(10, () => 1.2)
        )
      ],
      { alpha: 0.05 }
    );
    expect(comparisons.map(c => [c.metric, c.gated])).toEqual([
      ['wall_time.med', true],
      ['user_time.med', false],
      ['sys_time.med', false],
      ['peak_rss.med', false]
    ]);
    expect(comparisons[0]).toMatchObject({
      profile: 'build',
      verdict: 'regressed',
      samples: 10,
      test: 'wilcoxon-signed-rank'
    });
    expect(comparisons[0]!.estimate).toBeCloseTo(0.2, 2);
    expect(comparisons[2]).toMatchObject({ verdict: 'inconclusive', samples: 0 });
  });

  it('thresholds aggregate over the head runs that count, in the unit of the metric', () => {
    const result = paired(4, i => 1 + i / 10); // head 110, 120, 130, 140 ms (× wobble)
    const t = evaluateRunThresholds(
      config({}, ['wall_time max<2s', 'exit_code max==0', 'peak_rss med<1MB']),
      result
    );
    expect(t.map(x => [x.metric, x.ok, x.unit])).toEqual([
      ['wall_time', true, 'ms'],
      ['exit_code', true, 'count'],
      ['peak_rss', false, 'bytes']
    ]);
    expect(t[0]!.observed).toBeCloseTo(Math.max(...countedRuns(result, 'head').map(r => r.wallMs)), 9);
    expect(t[1]!.observed).toBe(0);
  });
});

describe('profiles and benchmarks in one gate', () => {
  it('are adjusted by Holm as one family: a benchmark p-value is ranked among the profile p-values', () => {
    const base: TrialResult[] = [];
    const head: TrialResult[] = [];
    for (let i = 0; i < 10; i++) {
      const b = 10 * (1 + 0.01 * Math.sin(i * 1.7));
      base.push(syntheticTrial('base', i, b, 1000));
      head.push(syntheticTrial('head', i, b * (1 + 0.02 * Math.cos(i * 2.1)), 1000));
    }
    const profile = {
      config: { name: 'api', compare: {} } as ProfileConfig,
      result: syntheticProfile(head, base)
    };
    const bench = { config: config(), result: paired(10, i => 1.03 + 0.05 * Math.sin(i)) };
    const all = finalComparisons([profile], [bench], undefined, 0.05);
    const gated = all.filter(c => c.gated && Number.isFinite(c.estimate));
    expect(gated.map(c => c.profile)).toEqual(['api', 'api', 'api', 'build']);
    const adjusted = holm(
      gated.map(c => c.pValue),
      gated.length
    );
    gated.forEach((c, i) => expect(c.adjustedPValue).toBeCloseTo(adjusted[i]!, 12));
    // Alone, the benchmark would be adjusted in a family of one.
    const alone = compareSeries([benchmarkGroup(bench.config, bench.result)], { alpha: 0.05 })[0]!;
    expect(alone.adjustedPValue).toBeCloseTo(alone.pValue, 12);
    expect(gated[3]!.adjustedPValue).toBeGreaterThanOrEqual(alone.adjustedPValue);
  });
});

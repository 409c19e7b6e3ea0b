/** Synthetic command benchmark results for the report's tests: runs as the gate records them. */
import type {
  BenchmarkResult,
  BenchmarkRun,
  Comparison,
  Results,
  ThresholdResult
} from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';

export const WARMUP_REASON = 'first pair, discarded as warmup';

export function run(side: 'head' | 'base', index: number, wallMs: number, more: Partial<BenchmarkRun> = {}) {
  return {
    side,
    index,
    startedAt: '2026-11-23T12:00:00.000Z',
    wallMs,
    userMs: wallMs * 0.8,
    sysMs: wallMs * 0.1,
    cpuSource: 'times',
    peakRssBytes: (side === 'head' ? 60 : 50) * 2 ** 20 + index * 2 ** 20,
    exitCode: 0,
    stdoutBytes: 0,
    stderrBytes: 0,
    ...more
  } satisfies BenchmarkRun;
}

/**
 * A paired benchmark: pair 0 discarded, then `head[i]` and `base[i]` as pairs 1…n (wall ms), in
 * counterbalanced order.
 */
export function pairedBenchmark(
  name: string,
  head: number[],
  base: number[],
  command = 'npm run build'
): BenchmarkResult {
  const runs: BenchmarkRun[] = [
    run('base', 0, 999, { warmupDiscarded: WARMUP_REASON }),
    run('head', 0, 998, { warmupDiscarded: WARMUP_REASON })
  ];
  head.forEach((h, i) => {
    const pair = [run('head', i + 1, h), run('base', i + 1, base[i]!)];
    runs.push(...(i % 2 ? pair.reverse() : pair));
  });
  return {
    name,
    command,
    base: { command: `${command} --base` },
    warmup: 1,
    runsPlanned: head.length,
    runs
  };
}

export function benchComparison(
  name: string,
  metric: string,
  verdict: Comparison['verdict'],
  estimate: number,
  interval: [number, number],
  values?: { base: number; head: number },
  gated = true
): Comparison {
  return {
    profile: name,
    metric,
    better: 'lower',
    delta: 0.05,
    gated,
    alpha: 0.05,
    samples: 5,
    test: 'wilcoxon-signed-rank',
    method: 'exact',
    ...(values && { values }),
    estimate,
    interval,
    pValue: verdict === 'regressed' ? 0.01 : 0.4,
    adjustedPValue: verdict === 'regressed' ? 0.03 : 0.8,
    verdict,
    // What verdicts.ts gives 5 pairs at δ 5 % when their spread is tighter than δ.
    resolution: 0.05
  };
}

export function benchThreshold(
  name: string,
  metric: string,
  expression: string,
  observed: number,
  ok: boolean
) {
  return {
    profile: name,
    metric,
    expression,
    severity: 'fail',
    observed,
    unit: metric === 'peak_rss' ? 'bytes' : 'ms',
    ok,
    where: 'perfgate.yml:5:7'
  } satisfies ThresholdResult;
}

/**
 * Results of a run that measured one paired benchmark `build` and no profile: wall times of head
 * 110…114 ms against base 100…104 ms, the gated `wall_time.med` regressed, a broken threshold.
 */
export function benchmarkOnlyResults(): Results {
  const head = [112, 110, 114, 111, 113];
  const base = [101, 100, 104, 102, 103];
  const r = sampleResults({ verdict: 'fail' });
  r.profiles = [];
  r.benchmarks = [pairedBenchmark('build', head, base)];
  r.comparisons = [
    benchComparison('build', 'wall_time.med', 'regressed', 0.098, [0.07, 0.13], { base: 102, head: 112 }),
    benchComparison('build', 'peak_rss.med', 'unchanged', 0.2, [0.19, 0.21], undefined, false)
  ];
  r.thresholds = [
    benchThreshold('build', 'wall_time', 'med<100ms', 112, false),
    benchThreshold('build', 'peak_rss', 'max<1GB', 63 * 2 ** 20, true)
  ];
  return r;
}

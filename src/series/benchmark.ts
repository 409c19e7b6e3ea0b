/**
 * The command benchmark's adapter to the series model (SPEC §4): one sample per measured run — its
 * wall time, CPU times or peak memory — with the run's index, so that the runs of a pair line up
 * in paired mode. The first pair of a paired run (kept as warmup) and runs that were killed are
 * left out; a run that exited non-zero with `allowFailure` is a run like any other.
 */
import type { BenchmarkConfig } from '../config/types.js';
import type { SeriesGroup } from '../compare/verdicts.js';
import { compareKeys } from '../compare/verdicts.js';
import type { BenchmarkResult, BenchmarkRun } from '../model.js';
import { parseCompareKey } from '../thresholds/compare-key.js';
import { METRICS, metricUnit } from '../thresholds/metrics.js';
import { comparable, type Sample, type Series } from './series.js';

/** The key compared when a benchmark's `compare:` is empty, with its δ (SPEC §5: 5 % for command times). */
export const BENCHMARK_COMPARE: Readonly<Record<string, number>> = { 'wall_time.med': 0.05 };

/** Reported but not gated when not gated already, with their δ. */
export const BENCHMARK_INFORMATIONAL: Readonly<Record<string, number>> = {
  'user_time.med': 0.05,
  'sys_time.med': 0.05,
  'peak_rss.med': 0.05
};

/** A benchmark's gated compare keys with their δ: its `compare:`, else the default. */
export function benchmarkGated(config: Pick<BenchmarkConfig, 'compare'>): Readonly<Record<string, number>> {
  return Object.keys(config.compare).length > 0 ? config.compare : BENCHMARK_COMPARE;
}

/** The runs of a side that count: measured to the end, not the discarded first pair. */
export function countedRuns(result: BenchmarkResult, side: 'head' | 'base'): BenchmarkRun[] {
  return result.runs.filter(
    r => r.side === side && !r.warmupDiscarded && !r.timedOut && r.signal === undefined
  );
}

/** The value of a metric (`wall_time`, `peak_rss`, `exit_code`, …) in one run; null when not measured. */
export function runValue(run: BenchmarkRun, metric: string): number | null {
  switch (metric) {
    case 'wall_time':
      return run.wallMs;
    case 'user_time':
      return run.userMs;
    case 'sys_time':
      return run.sysMs;
    case 'peak_rss':
      return run.peakRssBytes > 0 ? run.peakRssBytes : null;
    case 'exit_code':
      return run.exitCode;
    default:
      throw new Error(`not a metric of a benchmark run: ${metric}`);
  }
}

/** The samples of a compare key over the counted runs of one side. */
export function runSamples(result: BenchmarkResult, side: 'head' | 'base', metric: string): Sample[] {
  return countedRuns(result, side).flatMap(r => {
    const value = runValue(r, metric);
    return comparable(value) ? [{ index: r.index, value }] : [];
  });
}

/**
 * The series of `key` (`wall_time.med`) for a benchmark: paired with its base side when it has one,
 * else unpaired with a stored baseline's series of the same key, else without a base.
 */
export function benchmarkSeries(result: BenchmarkResult, key: string, stored?: readonly Series[]): Series {
  const metric = metricOf(key);
  const paired = result.base !== undefined;
  const storedSeries = stored?.find(s => s.key === key);
  return {
    source: result.name,
    key,
    unit: metricUnit(metric, 'med'),
    better: METRICS[metric]!.better,
    base: paired ? 'paired' : stored ? 'stored' : 'none',
    samples: {
      head: runSamples(result, 'head', metric),
      base: paired ? runSamples(result, 'base', metric) : (storedSeries?.samples.head ?? [])
    }
  };
}

/** A benchmark as the comparison stage sees it. */
export function benchmarkGroup(
  config: BenchmarkConfig,
  result: BenchmarkResult,
  stored?: { series: readonly Series[]; history?: Array<Record<string, number>> }
): SeriesGroup {
  return {
    source: config.name,
    keys: compareKeys(benchmarkGated(config), BENCHMARK_INFORMATIONAL),
    series: key => benchmarkSeries(result, key, stored?.series),
    comparable: result.base !== undefined || stored !== undefined,
    ...(stored?.history && { history: stored.history })
  };
}

/** Every compared key of a benchmark, gated first. */
export function benchmarkKeys(config: Pick<BenchmarkConfig, 'compare'>): string[] {
  return compareKeys(benchmarkGated(config), BENCHMARK_INFORMATIONAL).map(k => k.key);
}

function metricOf(key: string): string {
  const parsed = parseCompareKey(key, 'benchmark');
  if (!parsed.ok) throw new Error(`invalid benchmark compare key reached the comparison: ${key}`);
  return parsed.value.selector.name;
}

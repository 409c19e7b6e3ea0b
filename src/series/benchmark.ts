/**
 * The command benchmark's adapter to the series model (SPEC §4): one sample per measured run — its
 * wall time, CPU times or peak memory — with the run's index, so that the runs of a pair line up
 * in paired mode. The first pair of a paired run (kept as warmup) and runs that were killed are
 * left out; a run that exited non-zero with `allowFailure` is a run like any other. With `format:`,
 * the tool's metrics each run reported (`runs[].values`) are series too, and its benchmarks' primary
 * metrics are the ones gated.
 */
import type { BenchmarkConfig } from '../config/types.js';
import type { SeriesGroup } from '../compare/verdicts.js';
import { compareKeys } from '../compare/verdicts.js';
import { gatedDelta } from '../imports/glob.js';
import type { BenchmarkResult, BenchmarkRun } from '../model.js';
import type { BenchmarkImport } from '../model-benchmark.js';
import { parseCompareKey } from '../thresholds/compare-key.js';
import { METRICS, metricUnit } from '../thresholds/metrics.js';
import { IMPORT_INFORMATIONAL_DELTA, importKey } from './import.js';
import { comparable, type Sample, type Series } from './series.js';

/** The key compared when a benchmark's `compare:` is empty, with its δ (SPEC §5: 5 % for command times). */
export const BENCHMARK_COMPARE: Readonly<Record<string, number>> = { 'wall_time.med': 0.05 };

/** Reported but not gated when not gated already, with their δ. */
export const BENCHMARK_INFORMATIONAL: Readonly<Record<string, number>> = {
  'user_time.med': 0.05,
  'sys_time.med': 0.05,
  'peak_rss.med': 0.05
};

/**
 * A benchmark's gated compare keys of the run's own metrics with their δ: its `compare:`, else the
 * default; none with `format:` (the tool's benchmarks are gated instead: {@link importedKeys}).
 */
export function benchmarkGated(
  config: Pick<BenchmarkConfig, 'compare' | 'imported'>
): Readonly<Record<string, number>> {
  if (config.imported) return {};
  return Object.keys(config.compare).length > 0 ? config.compare : BENCHMARK_COMPARE;
}

/** One key of the tool's metrics a benchmark with `format:` reported. */
export interface ImportedKey {
  key: string;
  /** The tool's benchmark it belongs to. */
  benchmark: string;
  unit: string;
  better: 'lower' | 'higher';
  /** The benchmark's primary metric (what `compare:` patterns gate). */
  primary: boolean;
}

/** Every key of the tool's metrics, benchmark by benchmark in the order first reported. */
export function importedKeys(imported: BenchmarkImport | undefined): ImportedKey[] {
  return (imported?.benchmarks ?? []).flatMap(b =>
    b.metrics.map((m, i) => ({
      key: importKey(b.name, m, i),
      benchmark: b.name,
      unit: m.unit,
      better: m.better,
      primary: i === 0
    }))
  );
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

/** The samples of a key of the tool's metrics (`format:`) over the counted runs of one side. */
function importedSamples(result: BenchmarkResult, side: 'head' | 'base', key: string): Sample[] {
  return countedRuns(result, side).flatMap(r => {
    const value = r.values?.[key];
    return value !== undefined && comparable(value) ? [{ index: r.index, value }] : [];
  });
}

/**
 * The series of `key` (`wall_time.med`, or with `format:` a key of the tool's metrics) for a
 * benchmark: paired with its base side when it has one, else unpaired with a stored baseline's series
 * of the same key, else without a base.
 */
export function benchmarkSeries(result: BenchmarkResult, key: string, stored?: readonly Series[]): Series {
  const paired = result.base !== undefined;
  const storedSeries = stored?.find(s => s.key === key);
  const tool = importedKeys(result.imported).find(k => k.key === key);
  const samples = (side: 'head' | 'base') =>
    tool ? importedSamples(result, side, key) : runSamples(result, side, metricOf(key));
  return {
    source: result.name,
    key,
    unit: tool ? tool.unit : metricUnit(metricOf(key), 'med'),
    better: tool ? tool.better : METRICS[metricOf(key)]!.better,
    base: paired ? 'paired' : stored ? 'stored' : 'none',
    samples: {
      head: samples('head'),
      base: paired ? samples('base') : (storedSeries?.samples.head ?? [])
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
    keys: benchmarkCompareKeys(config, result, stored?.series),
    series: key => benchmarkSeries(result, key, stored?.series),
    comparable: result.base !== undefined || stored !== undefined,
    ...(stored?.history && { history: stored.history })
  };
}

/**
 * The compared keys of a benchmark with their δ. With `format:`: the primary metric of each of the
 * tool's benchmarks that both sides reported, gated with the δ of the most specific `compare:`
 * pattern that matches its name (else reported), its other metrics reported, and the run's own
 * metrics reported.
 */
function benchmarkCompareKeys(
  config: BenchmarkConfig,
  result: BenchmarkResult,
  stored?: readonly Series[]
): SeriesGroup['keys'] {
  const own = compareKeys(benchmarkGated(config), ownInformational(config));
  if (!config.imported) return own;
  const bothSides = (key: string) =>
    result.base !== undefined
      ? importedSamples(result, 'base', key).length > 0
      : (stored?.some(s => s.key === key) ?? true);
  const tool = importedKeys(result.imported)
    .filter(k => bothSides(k.key))
    .map(k => {
      const delta = k.primary ? gatedDelta(config.imported!.compare, k.benchmark) : undefined;
      return { key: k.key, delta: delta ?? IMPORT_INFORMATIONAL_DELTA, gated: delta !== undefined };
    });
  return [...tool.filter(k => k.gated), ...tool.filter(k => !k.gated), ...own];
}

/** The gated keys of a benchmark with their δ: the run's own (`benchmarkGated`), or with `format:` the tool's. */
export function benchmarkGatedKeys(config: BenchmarkConfig, result: BenchmarkResult): Record<string, number> {
  return Object.fromEntries(
    benchmarkCompareKeys(config, result)
      .filter(k => k.gated)
      .map(k => [k.key, k.delta])
  );
}

/** Every key of a benchmark's series, gated first (with `format:`, the tool's as its runs reported them). */
export function benchmarkKeys(
  config: Pick<BenchmarkConfig, 'compare' | 'imported'>,
  result?: Pick<BenchmarkResult, 'imported'>
): string[] {
  const own = compareKeys(benchmarkGated(config), ownInformational(config)).map(k => k.key);
  return [...importedKeys(result?.imported).map(k => k.key), ...own];
}

/** The run's own metrics that are reported: with `format:`, its wall time too (then nothing of its own is gated). */
function ownInformational(config: Pick<BenchmarkConfig, 'imported'>): Readonly<Record<string, number>> {
  return config.imported ? { ...BENCHMARK_COMPARE, ...BENCHMARK_INFORMATIONAL } : BENCHMARK_INFORMATIONAL;
}

function metricOf(key: string): string {
  const parsed = parseCompareKey(key, 'benchmark');
  if (!parsed.ok) throw new Error(`invalid benchmark compare key reached the comparison: ${key}`);
  return parsed.value.selector.name;
}

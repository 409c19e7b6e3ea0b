/**
 * The imported file's adapter to the series model (SPEC §4): one series per metric of each
 * benchmark — the primary metric keyed by the benchmark's name (what `compare:` patterns gate), the
 * others by `name · metric` (reported) — with the richest data the file had: samples, else a
 * summary with spread, else a single value. The base is the base's file when the config names one,
 * else a stored baseline's series of the same import; both are compared unpaired, the latter also
 * with the spread of the baseline's earlier runs (its history).
 */
import type { SeriesGroup } from '../compare/verdicts.js';
import type { ImportConfig } from '../config/types.js';
import type { ImportedBenchmark, ImportedFile, ImportedMetric } from '../importers/types.js';
import { gatedDelta } from '../imports/glob.js';
import type { ImportedBenchmarkRecord, ImportResult, SeriesSummary } from '../model.js';
import { comparable, type Sample, type Series } from './series.js';

/** δ of a metric no `compare:` pattern gates (reported, informational), and of secondary metrics. */
export const IMPORT_INFORMATIONAL_DELTA = 0.05;

/** The key of metric `index` of benchmark `name`: the name itself for the primary metric. */
export function importKey(name: string, metric: ImportedMetric, index: number): string {
  return index === 0 ? name : `${name} · ${metric.name}`;
}

/** A metric's comparable samples, or its summary (a single value as n = 1). */
function sides(metric: ImportedMetric | undefined): { samples: Sample[]; summary?: SeriesSummary } {
  if (!metric) return { samples: [] };
  const samples = (metric.samples ?? [])
    .map((value, index) => ({ index, value }))
    .filter(s => comparable(s.value));
  if (samples.length > 0) return { samples };
  if (metric.summary && comparable(metric.summary.mean)) {
    return { samples: [], summary: { ...metric.summary, stdev: Math.max(0, metric.summary.stdev || 0) } };
  }
  if (metric.value !== undefined && comparable(metric.value)) {
    return { samples: [], summary: { mean: metric.value, stdev: 0, n: 1 } };
  }
  return { samples: [] };
}

/** Every series of an imported file: its own side as the head, the base's file or stored series as the base. */
export function importSeries(
  name: string,
  head: ImportedFile,
  base?: ImportedFile,
  stored?: readonly Series[]
): Series[] {
  return head.benchmarks.flatMap(b =>
    b.metrics.map((m, i) => {
      const key = importKey(b.name, m, i);
      const h = sides(m);
      const other = base?.benchmarks.find(x => x.name === b.name)?.metrics.find(x => x.name === m.name);
      const fromFile = sides(other);
      const storedSeries = base ? undefined : stored?.find(s => s.key === key);
      const baseSamples = storedSeries?.samples.head ?? fromFile.samples;
      const baseSummary = storedSeries ? storedSeries.summaries?.head : fromFile.summary;
      const series: Series = {
        source: name,
        key,
        unit: m.unit,
        better: m.better,
        base: base || storedSeries ? 'stored' : 'none',
        samples: { head: h.samples, base: baseSamples }
      };
      if (h.summary || baseSummary) {
        series.summaries = {
          ...(h.summary && { head: h.summary }),
          ...(baseSummary && { base: baseSummary })
        };
      }
      return series;
    })
  );
}

/**
 * An import as the comparison stage sees it: the primary metric of every benchmark both sides have,
 * gated with the δ of the most specific `compare:` pattern that matches it (else reported), and the
 * other metrics reported. `history`: against a stored baseline, the values of its earlier runs — the
 * spread a single value is judged with (compare/verdicts.ts).
 */
export function importGroup(
  config: ImportConfig,
  series: readonly Series[],
  shared: ReadonlySet<string>,
  history?: Array<Record<string, number>>
): SeriesGroup {
  const keys = series
    .filter(s => shared.has(benchmarkOf(s.key, shared)))
    .map(s => {
      const primary = shared.has(s.key);
      const delta = primary ? gatedDelta(config.compare, s.key) : undefined;
      return { key: s.key, delta: delta ?? IMPORT_INFORMATIONAL_DELTA, gated: delta !== undefined };
    });
  return {
    source: config.name,
    keys,
    series: key => series.find(s => s.key === key)!,
    comparable: series.some(s => s.base !== 'none'),
    ...(history && history.length > 0 && { history })
  };
}

/** The benchmark a key belongs to: the key itself, or the part before ` · metric`. */
function benchmarkOf(key: string, names: ReadonlySet<string>): string {
  if (names.has(key)) return key;
  const i = key.lastIndexOf(' · ');
  return i >= 0 ? key.slice(0, i) : key;
}

/** The record of an import for `results.imports`, with the benchmarks only one side has. */
export function importRecord(
  config: ImportConfig,
  paths: { head: string; base?: string },
  head: ImportedFile,
  baseNames: readonly string[] | undefined,
  baseFormat?: string
): ImportResult {
  const headNames = head.benchmarks.map(b => b.name);
  const benchmarks = head.benchmarks.map(benchmarkRecord);
  return {
    name: config.name,
    format: head.format,
    path: paths.head,
    ...(paths.base !== undefined && baseFormat && { base: { format: baseFormat, path: paths.base } }),
    benchmarks,
    added: baseNames ? headNames.filter(n => !baseNames.includes(n)) : [],
    removed: baseNames ? baseNames.filter(n => !headNames.includes(n)) : []
  };
}

/** What the results keep of an imported benchmark: its metrics and the kind of data each had. */
export function benchmarkRecord(b: ImportedBenchmark): ImportedBenchmarkRecord {
  return {
    name: b.name,
    metrics: b.metrics.map(m => ({
      name: m.name,
      unit: m.unit,
      better: m.better,
      data: m.samples && m.samples.length > 0 ? 'samples' : m.summary ? 'summary' : 'value'
    }))
  };
}

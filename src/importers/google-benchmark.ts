/**
 * Google Benchmark's JSON (`--benchmark_format=json`, `--benchmark_out=FILE`): `context` and a flat
 * `benchmarks` list (google/benchmark `src/json_reporter.cc`). Each entry is one run of one
 * benchmark (`run_type: iteration`) or an aggregate over its repetitions (`run_type: aggregate`,
 * `aggregate_name` mean/median/stddev/cv, named `<name>_mean` …); Complexity() adds `<name>_BigO` and
 * `<name>_RMS` entries. Aggregates, BigO and RMS are not benchmarks.
 *
 * Statistics, richest first: the repetitions of a benchmark (entries sharing its name) are its
 * samples; with `--benchmark_report_aggregates_only` the `_mean` and `_stddev` aggregates give a
 * summary with n = `repetitions`; one run is one value. Metrics: `real_time` (primary), `cpu_time`,
 * `throughput` (items_per_second), `bytes_per_second`, the memory manager's, then user counters.
 * A run with `error_occurred` (SkipWithError) has no valid times: its benchmark is listed with
 * `failed` = `error_message` (and the metrics of its other repetitions, if any ran).
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, nonFinite, readJsonAllowingNonFinite, readShape } from './json.js';
import { valuesMetric, type ImportedBenchmark, type ImportedMetric, type Importer } from './types.js';
import { implausible, timeToNs } from './units.js';

const FORMAT = 'google-benchmark';

/** A number, or the bare NaN / Infinity Google Benchmark writes for one (made strings by `readJsonAllowingNonFinite`). */
const numberish = z.union([z.number(), z.enum(['NaN', '-NaN', 'Infinity', '-Infinity'])]);

const Entry = z.looseObject({
  name: z.string(),
  run_name: z.string().optional(),
  run_type: z.enum(['iteration', 'aggregate']).optional(),
  aggregate_name: z.string().optional(),
  repetitions: z.number().optional(),
  iterations: z.number().optional(),
  time_unit: z.string().optional(),
  error_occurred: z.boolean().optional(),
  error_message: z.string().optional(),
  skipped: z.boolean().optional()
});
type Entry = z.infer<typeof Entry>;

const File = z.object({ context: z.looseObject({}), benchmarks: z.array(Entry) });

/** Keys of an entry that are not counters. */
const NOT_COUNTERS = new Set([
  'name', 'family_index', 'per_family_instance_index', 'run_name', 'run_type', 'repetitions',
  'repetition_index', 'threads', 'aggregate_name', 'aggregate_unit', 'error_occurred',
  'error_message', 'skipped', 'skip_message', 'iterations', 'real_time', 'cpu_time', 'time_unit',
  'cpu_coefficient', 'real_coefficient', 'big_o', 'rms', 'label'
]); // prettier-ignore

/** The metrics every entry may have, in report order: JSON key → metric. */
const KNOWN: ReadonlyArray<{ key: string; name: string; unit: string; better: 'lower' | 'higher' }> = [
  { key: 'real_time', name: 'real_time', unit: 'ns', better: 'lower' },
  { key: 'cpu_time', name: 'cpu_time', unit: 'ns', better: 'lower' },
  { key: 'items_per_second', name: 'throughput', unit: 'ops/s', better: 'higher' },
  { key: 'bytes_per_second', name: 'bytes_per_second', unit: 'B/s', better: 'higher' },
  { key: 'allocs_per_iter', name: 'allocations', unit: 'allocs', better: 'lower' },
  { key: 'max_bytes_used', name: 'max_bytes_used', unit: 'B', better: 'lower' },
  { key: 'total_allocated_bytes', name: 'total_allocated_bytes', unit: 'B', better: 'lower' },
  { key: 'net_heap_growth', name: 'net_heap_growth', unit: 'B', better: 'lower' }
];

/** Suffixes of aggregate entries in outputs older than `run_type` (before 1.5). */
const OLD_AGGREGATE = /_(mean|median|stddev|cv|BigO|RMS)$/;

/** One benchmark's entries: its runs (repetitions) and its aggregates by name, with their indices. */
interface Group {
  name: string;
  runs: Array<[Entry, number]>;
  aggregates: Map<string, [Entry, number]>;
  /** The `error_message` of a run that failed (`error_occurred`). */
  failed?: string;
}

export const googleBenchmarkImporter: Importer = {
  format: FORMAT,
  description: 'Google Benchmark JSON (--benchmark_format=json or --benchmark_out)',
  detect(text) {
    const head = text.slice(0, 65536);
    if (!head.trimStart().startsWith('{') || !head.includes('"benchmarks"')) return 0;
    const timed = head.includes('"real_time"') && head.includes('"cpu_time"');
    const context =
      /"context"\s*:\s*\{/.test(head) && /"(num_cpus|mhz_per_cpu|library_build_type)"/.test(head);
    if (context && (timed || /"benchmarks"\s*:\s*\[\s*\]/.test(head))) return 0.95;
    if (timed && head.includes('"time_unit"')) return 0.7;
    return context ? 0.3 : 0;
  },
  parse(text, file) {
    const data = readShape(File, readJsonAllowingNonFinite(text, file, FORMAT), file, FORMAT);
    const groups = new Map<string, Group>();
    data.benchmarks.forEach((entry, i) => {
      if (entry.skipped === true) return; // SkipWithMessage (1.8+): the benchmark chose not to run
      const aggregate = aggregateOf(entry);
      const key = aggregate ? aggregate.of : entry.name;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { name: key, runs: [], aggregates: new Map() }));
      // SkipWithError: the run's times are meaningless (zero); the benchmark is marked failed.
      if (entry.error_occurred === true) group.failed ??= entry.error_message || 'error_occurred is true';
      else if (aggregate) group.aggregates.set(aggregate.name, [entry, i]);
      else group.runs.push([entry, i]);
    });
    const benchmarks: ImportedBenchmark[] = [];
    for (const group of groups.values()) {
      const metrics = metricsOf(group, file);
      const failed = group.failed !== undefined ? { failed: group.failed } : {};
      // A group of BigO/RMS (or cv) alone is the complexity of a family, not a benchmark.
      if (metrics.length > 0 || group.failed !== undefined) {
        benchmarks.push({ name: group.name, metrics, ...failed });
      }
    }
    if (benchmarks.length === 0) {
      throw new ImportError(
        file,
        '$.benchmarks',
        FORMAT,
        'no benchmarks in the file (every entry is empty, skipped or an aggregate)'
      );
    }
    return benchmarks;
  }
};

/** For an aggregate entry, its statistic and the benchmark it aggregates; undefined for a run. */
function aggregateOf(entry: Entry): { name: string; of: string } | undefined {
  if (entry.run_type === 'iteration') return undefined;
  if (entry.run_type === 'aggregate') {
    const name = entry.aggregate_name ?? entry.name.slice(entry.name.lastIndexOf('_') + 1);
    const of =
      entry.run_name ??
      (entry.name.endsWith(`_${name}`) ? entry.name.slice(0, -name.length - 1) : entry.name);
    return { name, of };
  }
  const old = OLD_AGGREGATE.exec(entry.name);
  return old ? { name: old[1]!, of: entry.name.slice(0, old.index) } : undefined;
}

/** The metrics of one benchmark: from its runs (samples, or one value), else from its aggregates. */
function metricsOf(group: Group, file: string): ImportedMetric[] {
  const metrics: ImportedMetric[] = [];
  const counters = counterKeys(group);
  for (const m of [
    ...KNOWN,
    ...counters.map(key => ({ key, name: key, unit: 'count', better: 'higher' as const }))
  ]) {
    const isCounter = !NOT_COUNTERS.has(m.key) && !KNOWN.some(k => k.key === m.key);
    const read = (entry: Entry, index: number): number | undefined => {
      const raw = entry[m.key];
      if (raw === undefined) return undefined;
      const value = nonFinite(raw);
      // A user counter that is NaN or infinite (a rate over no time) is left out, not an error.
      if (isCounter && typeof value === 'number' && !Number.isFinite(value)) return undefined;
      const path = ['benchmarks', index, m.key];
      const v = measurement(value, path, file, FORMAT);
      if (m.unit !== 'ns') return v;
      const ns = toNs(v, entry, index, file);
      if (implausible(ns)) {
        const detail = `expected a plausible measurement, got ${v} ${entry.time_unit ?? 'ns'}`;
        throw new ImportError(file, jsonPath(path), FORMAT, detail);
      }
      return ns;
    };
    const { name, unit, better } = m;
    if (group.runs.length > 0) {
      const values = group.runs.map(([entry, i]) => read(entry, i));
      if (values.some(v => v === undefined)) continue;
      const samples = values as number[];
      metrics.push(valuesMetric(name, unit, better, samples));
      continue;
    }
    const mean = group.aggregates.get('mean');
    const stddev = group.aggregates.get('stddev');
    const meanValue = mean && read(...mean);
    if (mean === undefined || meanValue === undefined) {
      const median = group.aggregates.get('median');
      const medianValue = median && read(...median);
      if (medianValue !== undefined) metrics.push({ name, unit, better, value: medianValue });
      continue;
    }
    const stdev = stddev && read(...stddev);
    const n = mean[0].repetitions ?? mean[0].iterations ?? 0;
    metrics.push(
      stdev !== undefined && n >= 2
        ? { name, unit, better, summary: { mean: meanValue, stdev, n } }
        : { name, unit, better, value: meanValue }
    );
  }
  return metrics;
}

/** User counters (`state.counters["name"]`): the numeric keys Google Benchmark does not define. */
function counterKeys(group: Group): string[] {
  const keys = new Set<string>();
  const entries = [...group.runs.map(([e]) => e), ...Array.from(group.aggregates.values(), ([e]) => e)];
  for (const entry of entries) {
    for (const [key, value] of Object.entries(entry)) {
      if (NOT_COUNTERS.has(key) || KNOWN.some(k => k.key === key)) continue;
      if (typeof value === 'number' || numberish.safeParse(value).success) keys.add(key);
    }
  }
  return [...keys];
}

function toNs(value: number, entry: Entry, index: number, file: string): number {
  const unit = entry.time_unit ?? 'ns';
  const ns = timeToNs(value, unit);
  if (ns === undefined || !['ns', 'us', 'ms', 's'].includes(unit)) {
    throw new ImportError(
      file,
      jsonPath(['benchmarks', index, 'time_unit']),
      FORMAT,
      `unknown time unit "${unit}"`
    );
  }
  return ns;
}

/**
 * BenchmarkDotNet's JSON exports (`JsonExporterBase` in dotnet/BenchmarkDotNet): `{ Title,
 * HostEnvironmentInfo, Benchmarks: [...] }`, times in nanoseconds. The full export carries every
 * measurement of every stage; the benchmark's result is the Workload Result stage (overhead
 * subtracted, outliers removed), one sample per iteration as `Nanoseconds / Operations`. A brief
 * export has only `Statistics`, whose `OriginalValues` are those same per-operation values (older
 * versions lack them: then mean, standard deviation and N). BenchmarkDotNet writes NaN as "".
 * A benchmark that failed (it threw, or did not build) has `Statistics: null` and no measurements:
 * it is listed with no metrics and `failed` set.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type { ImportedBenchmark, ImportedMetric, Importer } from './types.js';
import { normaliseUnit } from './units.js';

const FORMAT = 'benchmarkdotnet';

/** A number, or "" for NaN or an infinity. */
const bdnNumber = z.union([z.number(), z.literal('')]);

const descriptorSchema = z.object({
  Id: z.string(),
  UnitType: z.union([z.number(), z.string()]).optional(),
  Unit: z.string().optional(),
  TheGreaterTheBetter: z.boolean().optional()
});

const benchmarkSchema = z.object({
  DisplayInfo: z.string().optional(),
  Type: z.string().optional(),
  MethodTitle: z.string().optional(),
  Parameters: z.string().optional(),
  FullName: z.string().min(1),
  Statistics: z
    .object({
      OriginalValues: z.array(bdnNumber).optional(),
      N: z.number(),
      Mean: bdnNumber,
      StandardDeviation: bdnNumber
    })
    .nullable()
    .optional(),
  Memory: z.object({ BytesAllocatedPerOperation: bdnNumber.nullable().optional() }).nullable().optional(),
  Measurements: z
    .array(
      z.object({
        IterationMode: z.string(),
        IterationStage: z.string(),
        Operations: z.number(),
        Nanoseconds: bdnNumber
      })
    )
    .optional(),
  Metrics: z.array(z.object({ Value: bdnNumber, Descriptor: descriptorSchema })).optional()
});

const fileSchema = z.object({
  HostEnvironmentInfo: z.object({}).loose().optional(),
  Benchmarks: z.array(benchmarkSchema)
});

type Benchmark = z.infer<typeof benchmarkSchema>;

/**
 * The run time per operation: samples from the Workload Result measurements (full export) or from
 * `Statistics.OriginalValues` (brief), else a summary; undefined for a benchmark that failed
 * (`Statistics` null: no result).
 */
function timeMetric(b: Benchmark, index: number, file: string): ImportedMetric | undefined {
  const metric = { name: 'time', unit: 'ns', better: 'lower' } as const;
  const path = ['Benchmarks', index];
  const results = (b.Measurements ?? []).flatMap((m, k) =>
    m.IterationMode === 'Workload' && m.IterationStage === 'Result' ? [{ m, k }] : []
  );
  if (results.length) {
    return {
      ...metric,
      samples: results.map(({ m, k }) => {
        const ns = measurement(m.Nanoseconds, [...path, 'Measurements', k, 'Nanoseconds'], file, FORMAT);
        if (!(m.Operations > 0)) {
          throw new ImportError(
            file,
            jsonPath([...path, 'Measurements', k, 'Operations']),
            FORMAT,
            `expected a count of 1 or more, got ${m.Operations}`
          );
        }
        return ns / m.Operations;
      })
    };
  }
  const stats = b.Statistics;
  if (!stats) return undefined;
  const statsPath = [...path, 'Statistics'];
  if (stats.OriginalValues?.length) {
    return {
      ...metric,
      samples: stats.OriginalValues.map((v, k) =>
        measurement(v, [...statsPath, 'OriginalValues', k], file, FORMAT)
      )
    };
  }
  return {
    ...metric,
    summary: {
      mean: measurement(stats.Mean, [...statsPath, 'Mean'], file, FORMAT),
      stdev: measurement(stats.StandardDeviation, [...statsPath, 'StandardDeviation'], file, FORMAT),
      n: stats.N
    }
  };
}

/** Unit types of BenchmarkDotNet's `UnitType` enum, as numbers (how it is written) or names. */
const UNIT_TYPES = ['Dimensionless', 'Time', 'Size', 'CodeSize'];

/**
 * The diagnosers' metrics (`Allocated Memory`, `Gen0Collects`, hardware counters…), one value each,
 * named by their `Id`; a brief export has only `Memory.BytesAllocatedPerOperation`. A value written
 * as "" (NaN) was not measured and is left out.
 */
function otherMetrics(b: Benchmark, index: number, file: string): ImportedMetric[] {
  if (!b.Metrics) {
    const bytes = b.Memory?.BytesAllocatedPerOperation;
    if (bytes === undefined || bytes === null || bytes === '') return [];
    const path = ['Benchmarks', index, 'Memory', 'BytesAllocatedPerOperation'];
    return [
      { name: 'Allocated Memory', unit: 'B', better: 'lower', value: measurement(bytes, path, file, FORMAT) }
    ];
  }
  return b.Metrics.flatMap((m, k): ImportedMetric[] => {
    if (m.Value === '') return [];
    const value = measurement(m.Value, ['Benchmarks', index, 'Metrics', k, 'Value'], file, FORMAT);
    const d = m.Descriptor;
    const kind = typeof d.UnitType === 'number' ? UNIT_TYPES[d.UnitType] : d.UnitType;
    const better = d.TheGreaterTheBetter ? 'higher' : 'lower';
    const unit = d.Unit || (kind === 'Size' || kind === 'CodeSize' ? 'B' : kind === 'Time' ? 'ns' : 'count');
    const n = kind === 'Dimensionless' ? undefined : normaliseUnit(value, unit);
    return [
      n
        ? { name: d.Id, unit: n.unit, better, value: n.value }
        : { name: d.Id, unit: unit.toLowerCase() === 'count' ? 'count' : unit, better, value }
    ];
  });
}

/** The job of a benchmark, from `DisplayInfo` = `Type.MethodTitle: Job [Param=value, …]`. */
function jobOf(b: Benchmark): string {
  const display = b.DisplayInfo ?? '';
  const prefix = `${b.Type}.${b.MethodTitle}: `;
  if (!display.startsWith(prefix)) return display;
  const rest = display.slice(prefix.length);
  const params = b.Parameters ? rest.lastIndexOf(' [') : -1;
  return params >= 0 ? rest.slice(0, params) : rest;
}

/** What a failed benchmark's entry shows: `Statistics` null, no measurements. */
const NO_RESULT = "no result (Statistics null, no measurements); BenchmarkDotNet's log says why";

function parse(text: string, file: string): ImportedBenchmark[] {
  const { Benchmarks: benchmarks } = readShape(fileSchema, readJson(text, file, FORMAT), file, FORMAT);
  if (benchmarks.length === 0) {
    throw new ImportError(file, '$.Benchmarks', FORMAT, 'no benchmarks: the export lists none');
  }
  // Two jobs (runtimes, configurations) run the same method: the job is part of its identity.
  const count = new Map<string, number>();
  for (const b of benchmarks) count.set(b.FullName, (count.get(b.FullName) ?? 0) + 1);
  const seen = new Map<string, number>();
  return benchmarks.map((b, index) => {
    const name = count.get(b.FullName)! > 1 ? `${b.FullName} [${jobOf(b)}]` : b.FullName;
    if (seen.has(name)) {
      throw new ImportError(
        file,
        jsonPath(['Benchmarks', index]),
        FORMAT,
        `"${name}" again, already at ${jsonPath(['Benchmarks', seen.get(name)!])}`
      );
    }
    seen.set(name, index);
    const time = timeMetric(b, index, file);
    if (time) return { name, metrics: [time, ...otherMetrics(b, index, file)] };
    // A benchmark that failed has no result, and the export does not say why (the log does).
    return { name, metrics: [], failed: NO_RESULT };
  });
}

/** BenchmarkDotNet JSON exports (full, brief, compressed). */
export const benchmarkDotNetImporter: Importer = {
  format: FORMAT,
  description: 'BenchmarkDotNet JSON export (JsonExporter full or brief, *-report-full.json)',
  detect(text: string): number {
    const head = text
      .slice(0, 8192)
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (!head.startsWith('{')) return 0;
    if (/"HostEnvironmentInfo"\s*:/.test(head) && /"BenchmarkDotNet(Caption|Version)"\s*:/.test(head))
      return 0.99;
    return /"Benchmarks"\s*:/.test(head) && /"FullName"\s*:/.test(head) && /"Statistics"\s*:/.test(head)
      ? 0.8
      : 0;
  },
  parse
};

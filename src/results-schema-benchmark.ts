/**
 * The results schema of a command benchmark (model-benchmark.ts `BenchmarkResult` and its runs).
 * results-schema.ts checks it agrees with the model.
 */
import {
  bool,
  count,
  dateTime,
  list,
  map,
  num,
  numOrNull,
  object,
  oneOf,
  side,
  text
} from './results-schema-parts.js';
import { autoRecord } from './results-schema-profile.js';

/** One benchmark of another tool's results (model-import.ts `ImportedBenchmarkRecord`). */
export const importedBenchmark = object({
  name: text,
  metrics: list(
    object({
      name: text,
      unit: text,
      better: oneOf(['lower', 'higher']),
      data: oneOf(['samples', 'summary', 'value'])
    })
  )
});

const run = object({
  side,
  index: count,
  startedAt: dateTime,
  wallMs: num,
  userMs: numOrNull,
  sysMs: numOrNull,
  cpuSource: oneOf(['times', 'sampled', 'none']),
  peakRssBytes: num,
  exitCode: numOrNull,
  signal: text.optional(),
  timedOut: bool.optional(),
  warmupDiscarded: text.optional(),
  stdoutBytes: count,
  stderrBytes: count,
  values: map(num).optional(),
  valuesError: text.optional()
});

export const benchmark = object({
  name: text,
  command: text,
  base: object({ command: text }).optional(),
  warmup: count,
  overheadMs: num.optional(),
  runsPlanned: count,
  auto: autoRecord.optional(),
  imported: object({
    format: text,
    from: text,
    benchmarks: list(importedBenchmark),
    added: list(text),
    removed: list(text)
  }).optional(),
  runs: list(run),
  error: text.optional()
});

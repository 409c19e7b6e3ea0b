/**
 * The results schema of a command benchmark (model-benchmark.ts `BenchmarkResult` and its runs).
 * results-schema.ts checks it agrees with the model.
 */
import {
  bool,
  count,
  dateTime,
  list,
  num,
  numOrNull,
  object,
  oneOf,
  side,
  text
} from './results-schema-parts.js';
import { autoRecord } from './results-schema-profile.js';

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
  stderrBytes: count
});

export const benchmark = object({
  name: text,
  command: text,
  base: object({ command: text }).optional(),
  warmup: count,
  overheadMs: num.optional(),
  runsPlanned: count,
  auto: autoRecord.optional(),
  runs: list(run),
  error: text.optional()
});

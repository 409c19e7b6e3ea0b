/**
 * The importers' one small interface (SPEC §4 "imports"): each supported tool's output format is one
 * file in this folder that knows how to recognise its output (`detect`) and how to read it into
 * benchmarks (`parse`), with the richest data the format has — raw samples, else a summary with its
 * spread, else a single value. What comes out is source-blind: `imports/` turns it into series like
 * every other source's.
 */

/** How much a text looks like one format's output: 0 (not at all) to 1 (certainly). */
export type Confidence = number;

/** One metric of one imported benchmark, in a normalised unit (units.ts). */
export interface ImportedMetric {
  /**
   * What is measured, in the tool's own words where it has them: `time` (per operation or
   * iteration), `throughput`, `memory` (bytes per operation), `allocations`, or a custom name
   * (Go's custom units such as `MB/s` keep theirs).
   */
  name: string;
  /** Normalised unit: `ns` for every time, `B` for sizes, `ops/s`, `B/s`, `allocs`, `count`, or the tool's own. */
  unit: string;
  /** `lower` when smaller values are better (times, memory), `higher` when bigger are (throughput). */
  better: 'lower' | 'higher';
  /** Raw samples in `unit` (one per run, repetition, iteration or fork), when the format has them. */
  samples?: number[];
  /** Without samples: the mean, the standard deviation and the number of measurements behind them. */
  summary?: { mean: number; stdev: number; n: number };
  /** Without samples or spread: the one value the tool reports. */
  value?: number;
}

/** One benchmark of an imported file. */
export interface ImportedBenchmark {
  /**
   * The benchmark's name exactly as the tool wrote it (spaces, slashes, unicode kept), made unique
   * within the file by the importer where the tool itself qualifies it (Go's package, JMH's params).
   */
  name: string;
  /** Its metrics, the primary one (what `compare: { '*': 5% }` gates) first. */
  metrics: ImportedMetric[];
  /**
   * Set when the tool reports that the benchmark failed: what it said (Google Benchmark's
   * `error_message`, Catch2's `Benchmark failed (…)`), else how the file shows it. A failed
   * benchmark stays listed — usually with no metrics — so that the report says it failed rather
   * than letting it vanish.
   */
  failed?: string;
}

/** One threshold the tool itself judged (k6's `thresholds`), with its outcome. */
export interface ImportedThreshold {
  /** The metric it is on, as the tool names it (`http_req_duration{expected_response:true}`). */
  metric: string;
  /** The expression as the tool wrote it, e.g. `p(95)<500`. */
  expression: string;
  /** Whether it held, as the tool decided. */
  ok: boolean;
  /** The value it was checked against, in `unit`, where the file has it; else null. */
  observed: number | null;
  /** The unit of `observed` as the tool measures it (k6: `ms`, `ratio`, `count`, `bytes`, …). */
  unit: string;
  /** Where in the file it is: a JSON path. */
  where: string;
}

/** One check the tool counted (k6's `checks`): how often it passed and failed. */
export interface ImportedCheck {
  /** The check's name, exactly as the script wrote it. */
  name: string;
  /** The path of the group it is in (k6: `::checkout flow`), absent at the top level. */
  group?: string;
  passes: number;
  fails: number;
}

/** What a file held: its format and its benchmarks, in the order the file lists them. */
export interface ImportedFile {
  format: string;
  file: string;
  benchmarks: ImportedBenchmark[];
  /** The tool's own thresholds and their outcomes, for formats that have them (k6). */
  thresholds?: ImportedThreshold[];
  /** The tool's checks (k6), for formats that have them. */
  checks?: ImportedCheck[];
}

/** One supported format. */
export interface Importer {
  /** The name `format:` takes, e.g. `go`, `criterion`, `google-benchmark`. */
  readonly format: string;
  /** The tool and output it reads, for messages and the README's table. */
  readonly description: string;
  /** How much `text` looks like this format's output; pure, fast, never throws. */
  detect(text: string): Confidence;
  /**
   * The benchmarks in `text`, read from `file` (for messages only). Throws an {@link ImportError}
   * naming the file, the line or JSON path, and the format, for anything it cannot read.
   */
  parse(text: string, file: string): ImportedBenchmark[];
  /**
   * For formats whose tool judges its own run (k6): the thresholds it checked and the checks it
   * counted, read from the same `text` (which `parse` accepted). Absent for the other formats.
   */
  judged?(text: string, file: string): { thresholds: ImportedThreshold[]; checks: ImportedCheck[] };
}

/** A metric from one value per run of a text format: a single value, or samples when it ran again. */
export function valuesMetric(
  name: string,
  unit: string,
  better: 'lower' | 'higher',
  values: number[]
): ImportedMetric {
  return values.length === 1
    ? { name, unit, better, value: values[0]! }
    : { name, unit, better, samples: values };
}

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
}

/** What a file held: its format and its benchmarks, in the order the file lists them. */
export interface ImportedFile {
  format: string;
  file: string;
  benchmarks: ImportedBenchmark[];
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

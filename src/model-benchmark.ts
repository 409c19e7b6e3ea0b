/**
 * The command benchmark's part of the result model (SPEC §4, §12 `benchmarks[]`): every measured run
 * of each side, as it ran, saved after each run. Its series (`wall_time.med`, …) are made from these
 * runs by series/benchmark.ts and written to `results.series` like every other source's.
 */
import type { AutoRecord } from './model.js';
import type { ImportedBenchmarkRecord } from './model-import.js';

/** One measured run of a benchmark's command. */
export interface BenchmarkRun {
  side: 'head' | 'base';
  /** The run's number on its side, from 0; with a base, runs with the same index form a pair. */
  index: number;
  startedAt: string;
  /**
   * From the spawn to the exit of the root process, less the runner's own cost per run (the
   * benchmark's `overheadMs`), ms.
   */
  wallMs: number;
  /** CPU time of the whole process tree, ms; null when it could not be read (`cpuSource: none`). */
  userMs: number | null;
  sysMs: number | null;
  /** `times`: the shell's count of every process waited for; `sampled`: the last /proc reading. */
  cpuSource: 'times' | 'sampled' | 'none';
  /** Peak resident memory of the whole process tree, bytes (sampled every 10 ms). */
  peakRssBytes: number;
  /** The command's exit code; null when it was killed. */
  exitCode: number | null;
  /** The signal that ended it, when killed (a timeout, a cancellation). */
  signal?: string;
  timedOut?: boolean;
  /** Set on the runs of the first pair in paired mode: kept in the record, never compared. */
  warmupDiscarded?: string;
  /** Bytes written to stdout and stderr. */
  stdoutBytes: number;
  stderrBytes: number;
  /**
   * With `format:`: the tool's metrics this run reported, by series key (the benchmark's name for
   * its primary metric, `name · metric` for the others), in the series' unit — the median of the
   * run's samples of it (`-count 3`), else the tool's own mean, else its single value.
   */
  values?: Record<string, number>;
  /** With `format:`: why this run gave no values (its output could not be read after a non-zero exit). */
  valuesError?: string;
}

/** With `format:`: the other tool's results a benchmark's runs printed or wrote (SPEC §4). */
export interface BenchmarkImport {
  format: string;
  /** `stdout`, or the file (`output:`) each run wrote, as the config names it. */
  from: string;
  /** The benchmarks the head's runs reported, in the order first seen, with the data each run had. */
  benchmarks: ImportedBenchmarkRecord[];
  /** With a base side or a stored baseline: benchmarks only the head reported, and only the base. */
  added: string[];
  removed: string[];
}

export interface BenchmarkResult {
  name: string;
  /** The head's command as written (argv words joined with spaces), secrets masked when written. */
  command: string;
  /** Paired mode: the base's command. */
  base?: { command: string };
  /** Runs per side before the measured ones (not recorded). */
  warmup: number;
  /**
   * The runner's own cost per run — starting `/bin/sh` from Node, the pipes, the sampling — as the
   * lower quartile of the wall times of empty runs, ms: subtracted from every run's wall time, as hyperfine
   * subtracts its shell's start-up. Absent until measured.
   */
  overheadMs?: number;
  /** Measured runs planned per side (with `runs: auto`, raised by each batch added). */
  runsPlanned: number;
  /** With `runs: auto`: the looks taken and why sampling stopped. */
  auto?: AutoRecord;
  /** With `format:`: what the tool reported; its metrics are the benchmark's gated series. */
  imported?: BenchmarkImport;
  /** Every measured run of both sides, in the order they ran. */
  runs: BenchmarkRun[];
  /** Set when the benchmark stopped early; the runs measured before are kept. */
  error?: string;
}

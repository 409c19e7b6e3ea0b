/**
 * A command benchmark with `format:` (SPEC §4): every measured run prints another tool's results
 * (or writes them to its `output:` file), which the importer of that format reads. Each of the
 * tool's metrics gives one value per run — the median of the run's samples (`go test -count 3`),
 * else the tool's own mean, else its single value — so that interleaved runs of base and head give
 * one paired sample per benchmark and run.
 */
import path from 'node:path';
import { median } from 'simple-statistics';
import type { CommandRun } from '../commands/types.js';
import { MAX_RESULTS_BYTES } from '../commands/types.js';
import type { BenchmarkConfig } from '../config/types.js';
import { ImportError } from '../errors.js';
import { decodeOutput, importText } from '../importers/read-import.js';
import type { Importer, ImportedBenchmark, ImportedMetric } from '../importers/types.js';
import type { BenchmarkImport } from '../model-benchmark.js';
import { benchmarkRecord, importKey } from '../series/import.js';
import { comparable } from '../series/series.js';
import { benchmarkKeys } from '../series/benchmark.js';

/** What one run reported: its value per series key, and the benchmarks behind them. */
export interface RunResults {
  values: Record<string, number>;
  benchmarks: ImportedBenchmark[];
}

/** The value of one run of a metric: its samples' median, else its mean, else its value. */
export function runValue(metric: ImportedMetric): number | undefined {
  const samples = (metric.samples ?? []).filter(comparable);
  if (samples.length > 0) return median(samples);
  if (metric.summary && comparable(metric.summary.mean)) return metric.summary.mean;
  if (metric.value !== undefined && comparable(metric.value)) return metric.value;
  return undefined;
}

/** Reads the runs of one benchmark with `format:`; with `auto`, the first run's output fixes the format. */
export class RunResultsReader {
  private importer: Importer | undefined;
  /** Each side's benchmarks in the order first seen. */
  private readonly seen = {
    head: new Map<string, ImportedBenchmark>(),
    base: new Map<string, ImportedBenchmark>()
  };
  /** The tool's benchmarks reported as failed: the first run of each side that said so, and why. */
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly config: BenchmarkConfig,
    private readonly importers: readonly Importer[]
  ) {
    const format = config.imported!.format;
    if (format !== 'auto') this.importer = importers.find(i => i.format === format);
  }

  get format(): string | undefined {
    return this.importer?.format;
  }

  /** What `run` reported. Throws an ImportError naming the run, the place in its output and the format. */
  read(run: CommandRun): RunResults {
    const source = this.sourceName(run);
    const bytes = this.bytes(run, source);
    const imported = importText(
      decodeOutput(bytes, source),
      source,
      this.importer ? [this.importer] : this.importers,
      this.importer?.format
    );
    this.importer ??= this.importers.find(i => i.format === imported.format);
    const values: Record<string, number> = {};
    const reserved = new Set(benchmarkKeys({ compare: {} }));
    for (const b of imported.benchmarks) {
      b.metrics.forEach((m, i) => {
        const key = importKey(b.name, m, i);
        if (reserved.has(key)) {
          throw new ImportError(
            source,
            '',
            imported.format,
            `a benchmark is named "${key}" like a metric of the run itself; rename it`
          );
        }
        const value = runValue(m);
        if (value !== undefined) values[key] = value;
      });
      const seen = this.seen[run.side];
      if (!seen.has(b.name)) seen.set(b.name, b);
      const failedKey = `${run.side} ${b.name}`;
      if (b.failed !== undefined && !this.failed.has(failedKey)) {
        this.failed.set(
          failedKey,
          `Benchmark "${this.config.name}" (${imported.format}): "${b.name}" failed in ${runLabel(this.config, run)}: ${b.failed}`
        );
      }
    }
    return { values, benchmarks: imported.benchmarks };
  }

  /** The record `results.benchmarks[].imported` keeps, given the base's benchmarks (a base side or a stored baseline). */
  record(baseNames: readonly string[] | undefined): BenchmarkImport | undefined {
    if (!this.importer) return undefined;
    const head = [...this.seen.head.keys()];
    const base = baseNames ?? (this.config.base ? [...this.seen.base.keys()] : undefined);
    return {
      format: this.importer.format,
      from: this.config.imported!.output ?? 'stdout',
      benchmarks: [...this.seen.head.values()].map(benchmarkRecord),
      added: base ? head.filter(n => !base.includes(n)) : [],
      removed: base ? base.filter(n => !head.includes(n)) : []
    };
  }

  /** A note per benchmark the tool reported as failed, per side (its first failing run). */
  failureNotes(): string[] {
    return [...this.failed.values()];
  }

  private sourceName(run: CommandRun): string {
    const output = this.config.imported!.output;
    const where = `benchmark "${this.config.name}", ${runLabel(this.config, run)}`;
    return output === undefined ? `stdout of ${where}` : `${output} of ${where}`;
  }

  private bytes(run: CommandRun, source: string): Buffer {
    const format = this.importer?.format ?? '';
    const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
    const limit = `more than the ${mib(MAX_RESULTS_BYTES)} perfgate reads of one run`;
    if (this.config.imported!.output === undefined) {
      if (run.stdoutBytes > MAX_RESULTS_BYTES) {
        throw new ImportError(source, '', format, `${mib(run.stdoutBytes)} on stdout, ${limit}`);
      }
      return run.stdout ?? Buffer.alloc(0);
    }
    const file = run.results;
    if (!file || 'missing' in file) {
      const side = run.side === 'base' ? this.config.base! : this.config.head;
      const at = path.resolve(side.cwd, this.config.imported!.output);
      throw new ImportError(source, '', format, `the run wrote no results file (${at})`);
    }
    if ('tooLarge' in file) throw new ImportError(source, '', format, `${mib(file.tooLarge)}, ${limit}`);
    if ('unreadable' in file)
      throw new ImportError(source, '', format, `cannot be read (${file.unreadable})`);
    return file.bytes;
  }
}

/** `head run 3`, `pair 4 (base)`: as the progress lines and the runner's messages number runs. */
export function runLabel(config: BenchmarkConfig, run: Pick<CommandRun, 'side' | 'index'>): string {
  return config.base ? `pair ${run.index + 1} (${run.side})` : `${run.side} run ${run.index + 1}`;
}

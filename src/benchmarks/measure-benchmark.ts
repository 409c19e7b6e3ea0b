/**
 * Runs one command benchmark of the config (SPEC §4) through the command runner
 * (commands/run-benchmark.ts) and records every measured run into its result as soon as it ends,
 * saving the results after each, so that a failure in run 17 loses none of runs 1–16. With
 * `runs: auto`, batches of runs follow while the looks of `AutoSampling` leave a gated comparison
 * open and the next batch fits the time budget.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeCommand } from '../commands/run-once.js';
import { runBenchmark } from '../commands/run-benchmark.js';
import { MAX_RESULTS_BYTES, type BenchmarkPlan, type CommandRun, type SideSpec } from '../commands/types.js';
import { AutoSampling, lookLine, seriesLooks } from '../compare/sequential.js';
import type { StoredBenchmark } from '../compare/baseline-match.js';
import type { MeasuredBenchmark } from '../compare/final-comparisons.js';
import type { BenchmarkConfig, BenchmarkSide } from '../config/types.js';
import { CommandError, ImportError } from '../errors.js';
import { IMPORTERS } from '../importers/index.js';
import type { BenchmarkResult, BenchmarkRun, MeasurementProblem, Results } from '../model.js';
import { benchmarkGroup, countedRuns } from '../series/benchmark.js';
import { evaluateRunThresholds } from '../thresholds/evaluate-runs.js';
import type { Reporter } from '../reporter.js';
import { formatBytes, formatMs } from '../report/format.js';
import { runLabel, RunResultsReader } from './run-results.js';

export interface BenchmarkContext {
  reporter: Reporter;
  signal: AbortSignal;
  /** Called after every run so results reach the disk before anything else can go wrong. */
  save: () => void;
  /** With `runs: auto`: the looks that decide whether another batch runs. */
  auto?: AutoSampling;
  /** With `format:`: reads the tool's results of each run. */
  reader?: RunResultsReader;
  /** With `format:` and no base side: the benchmarks of the stored baseline, for added / removed. */
  storedBenchmarks?: readonly string[];
}

/** Fresh result record for a benchmark, attached to the results before its first run. */
export function emptyBenchmarkResult(config: BenchmarkConfig): BenchmarkResult {
  return {
    name: config.name,
    command: describeCommand(config.head.command),
    ...(config.base && { base: { command: describeCommand(config.base.command) } }),
    warmup: config.warmup,
    runsPlanned: config.runs,
    runs: []
  };
}

export async function measureBenchmark(
  config: BenchmarkConfig,
  result: BenchmarkResult,
  ctx: BenchmarkContext
): Promise<void> {
  const paired = config.base !== undefined;
  const auto = ctx.auto;
  if (auto) result.auto = auto.record;
  const reader = ctx.reader;
  const started = performance.now();
  const plan: BenchmarkPlan = {
    name: config.name,
    head: sideSpec(config, config.head),
    ...(config.base && { base: sideSpec(config, config.base) }),
    warmup: config.warmup,
    runs: config.runs,
    allowFailure: config.allowFailure
  };
  ctx.reporter.info(
    `[${config.name}] ${paired ? `${config.runs} pairs (base and head interleaved)` : `${config.runs} runs`}` +
      `${auto ? ' before the first look' : ''}, after ${config.warmup} warmup run${config.warmup === 1 ? '' : 's'}` +
      `${paired ? ' per side' : ''}: ` +
      result.command
  );
  try {
    checkCwd(config, 'head', config.head);
    if (config.base) checkCwd(config, 'base', config.base);
    await runBenchmark(plan, {
      signal: ctx.signal,
      onCalibrated: overheadMs => {
        result.overheadMs = overheadMs;
        ctx.reporter.info(
          `[${config.name}] the runner's own cost per run: ${formatMs(overheadMs)} (lower quartile of empty runs), ` +
            'subtracted from each wall time'
        );
      },
      onRun: run => {
        const record = toRun(run);
        result.runs.push(record);
        ctx.reporter.info(runLine(config, run, paired));
        try {
          if (reader) readValues(reader, config, run, record, ctx);
        } finally {
          if (reader) {
            const imported = reader.record(ctx.storedBenchmarks);
            if (imported) result.imported = imported;
          }
          ctx.save();
        }
      },
      ...(auto && {
        more: () => {
          const measured = result.runs.filter(r => r.side === 'head' && !r.warmupDiscarded).length;
          if (auto.look()) return 0;
          const elapsed = performance.now() - started;
          const ran = result.runs.length;
          if (elapsed + (elapsed / ran) * auto.next * (paired ? 2 : 1) > auto.record.budgetMs) {
            auto.outOfTime();
            return 0;
          }
          ctx.reporter.info(benchmarkLookLine(config, auto, paired));
          result.runsPlanned = measured + auto.next;
          return auto.next;
        }
      })
    });
    if (auto) {
      ctx.reporter.info(benchmarkLookLine(config, auto, paired));
    }
    ctx.save();
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    ctx.save();
    throw err;
  }
}

/**
 * With `format:`, the tool's values of a measured run (`record.values`). Output that cannot be read
 * fails the benchmark (an ImportError, exit 2) — unless the run exited non-zero with `allowFailure`,
 * when the run is kept without values and the reason is recorded. A killed run has no values to read.
 */
function readValues(
  reader: RunResultsReader,
  config: BenchmarkConfig,
  run: CommandRun,
  record: BenchmarkRun,
  ctx: BenchmarkContext
): void {
  if (run.timedOut || run.signal !== null) return;
  try {
    record.values = reader.read(run).values;
  } catch (err) {
    if (!(err instanceof ImportError) || run.exitCode === 0) throw err;
    record.valuesError = err.message;
    ctx.reporter.warn(
      `[${config.name}] ${runLabel(config, run)} exited with code ${run.exitCode} and its results could not be read: ${err.message}`
    );
  }
}

/** Notes naming the tool's benchmarks only one side reported: listed, never silently dropped. */
function importedNotes(result: BenchmarkResult): string[] {
  const imported = result.imported;
  if (!imported) return [];
  const label = `Benchmark "${result.name}" (${imported.format})`;
  const names = (list: string[]) => {
    const shown = list
      .slice(0, 5)
      .map(n => JSON.stringify(n))
      .join(', ');
    return list.length > 5 ? `${shown} and ${list.length - 5} more` : shown;
  };
  return [
    ...(imported.added.length > 0
      ? [`${label}: ${names(imported.added)} only in the head (added, not compared).`]
      : []),
    ...(imported.removed.length > 0
      ? [`${label}: ${names(imported.removed)} only in the base (removed).`]
      : [])
  ];
}

/** The runner's spec of a side. */
function sideSpec(config: BenchmarkConfig, side: BenchmarkSide): SideSpec {
  const output = config.imported?.output;
  return {
    command: side.command,
    shell: side.shell,
    cwd: side.cwd,
    env: side.env,
    timeoutMs: config.timeoutMs,
    ...(config.imported &&
      (output === undefined
        ? { keepStdoutBytes: MAX_RESULTS_BYTES }
        : { resultsFile: path.resolve(side.cwd, output) })),
    ...(side.setup !== undefined && { setup: side.setup }),
    ...(side.prepare !== undefined && { prepare: side.prepare }),
    ...(side.cleanup !== undefined && { cleanup: side.cleanup })
  };
}

/**
 * Every benchmark's working directories, checked before anything starts (the gate calls this before
 * the services and profiles), so that a missing base checkout does not cost the run's first minutes.
 */
export function checkBenchmarkDirs(configs: readonly BenchmarkConfig[]): void {
  for (const config of configs) {
    checkCwd(config, 'head', config.head);
    if (config.base) checkCwd(config, 'base', config.base);
  }
}

/**
 * A side's working directory must exist before anything runs (a base checkout that was not made,
 * a typo): said with the place in the config, not as the first run's failure.
 */
function checkCwd(config: BenchmarkConfig, side: 'head' | 'base', spec: BenchmarkSide): void {
  const isDir = existsSync(spec.cwd) && statSync(spec.cwd).isDirectory();
  if (isDir) return;
  const what = existsSync(spec.cwd) ? 'is not a directory' : 'does not exist';
  throw new CommandError(
    `benchmark "${config.name}" (${side}): working directory ${spec.cwd} ${what} (${spec.cwdWhere})` +
      (side === 'base' ? '; check out the base version there before perfgate runs' : '')
  );
}

function toRun(run: CommandRun): BenchmarkRun {
  const cpu = run.cpuSource !== 'none';
  return {
    side: run.side,
    index: run.index,
    startedAt: new Date(Date.now() - run.wallMs).toISOString(),
    wallMs: run.wallMs,
    userMs: cpu ? run.userMs : null,
    sysMs: cpu ? run.sysMs : null,
    cpuSource: run.cpuSource,
    peakRssBytes: run.peakRssBytes,
    exitCode: run.exitCode,
    ...(run.signal && { signal: run.signal }),
    ...(run.timedOut && { timedOut: true }),
    ...(run.warmupDiscarded && { warmupDiscarded: run.warmupDiscarded }),
    stdoutBytes: run.stdoutBytes,
    stderrBytes: run.stderrBytes
  };
}

function runLine(config: BenchmarkConfig, run: CommandRun, paired: boolean): string {
  const label = paired ? `pair ${run.index + 1} ${run.side}` : `run ${run.index + 1}`;
  const cpu = run.cpuSource === 'none' ? '' : `, user ${formatMs(run.userMs)}, sys ${formatMs(run.sysMs)}`;
  const exit = run.exitCode !== 0 && run.exitCode !== null ? `, exit code ${run.exitCode}` : '';
  const note = run.warmupDiscarded ? ` (${run.warmupDiscarded})` : '';
  return (
    `[${config.name}] ${label}: ${formatMs(run.wallMs)} wall${cpu}, peak RSS ${formatBytes(run.peakRssBytes)}` +
    `${exit}${note}`
  );
}

function benchmarkLookLine(config: BenchmarkConfig, auto: AutoSampling, paired: boolean): string {
  return lookLine(config.name, auto, 'runs', paired ? 'pairs' : 'runs', config.runs);
}

/**
 * Every benchmark of the config in turn, each result attached before its first run, its thresholds
 * evaluated when it ends. `stored` gives a benchmark's stored baseline series (for `runs: auto`
 * looks without a base), `family` the gate's Holm family.
 */
export async function measureBenchmarks(
  configs: readonly BenchmarkConfig[],
  results: Results,
  ctx: Omit<BenchmarkContext, 'auto'> & {
    alpha: number;
    family: number;
    stored: (name: string) => StoredBenchmark | undefined;
  }
): Promise<MeasuredBenchmark[]> {
  const measured: MeasuredBenchmark[] = [];
  for (const config of configs) {
    const result = emptyBenchmarkResult(config);
    (results.benchmarks ??= []).push(result);
    const auto =
      config.auto &&
      new AutoSampling(
        seriesLooks(() => benchmarkGroup(config, result, ctx.stored(config.name))),
        config.auto,
        ctx.alpha,
        ctx.family
      );
    const storedBenchmarks = config.base ? undefined : ctx.stored(config.name)?.imported;
    const reader = config.imported && new RunResultsReader(config, IMPORTERS);
    try {
      await measureBenchmark(config, result, {
        ...ctx,
        ...(auto && { auto }),
        ...(reader && { reader }),
        ...(storedBenchmarks && { storedBenchmarks })
      });
    } finally {
      results.notes.push(...importedNotes(result), ...(reader ? reader.failureNotes() : []));
    }
    results.thresholds.push(...evaluateRunThresholds(config, result));
    for (const side of config.base ? (['head', 'base'] as const) : (['head'] as const)) {
      if (countedRuns(result, side).length > 0) continue;
      const problem: MeasurementProblem = {
        profile: config.name,
        side,
        kind: 'nothing-measured',
        message: `nothing was measured: benchmark "${config.name}" (${side}): no run was measured to its end`
      };
      ctx.reporter.warn(problem.message);
      (results.problems ??= []).push(problem);
    }
    measured.push({ config, result, ...(auto && { auto }) });
    ctx.save();
  }
  return measured;
}

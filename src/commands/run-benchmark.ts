/**
 * A whole command benchmark (SPEC §4): setup once per side, warmup runs, then the measured runs —
 * with a base, interleaved run by run in the counterbalanced order of paired HTTP trials (B H, H B,
 * B H, …; `pairOrder`) with the first pair kept but marked as warmup — and cleanup once per side.
 * Every measured run is handed to `onRun` before the next one starts, so a failure in run 17 loses
 * none of runs 1–16.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { pairOrder, WARMUP_PAIR_REASON } from '../measure-profile.js';
import { quantile } from 'simple-statistics';
import { formatDuration } from '../config/durations.js';
import { CommandError } from '../errors.js';
import { lastLines } from './output-tail.js';
import { describeCommand, runOnce } from './run-once.js';
import {
  DEFAULT_HOOK_TIMEOUT_MS,
  MAX_RESULTS_BYTES,
  type BenchmarkHooks,
  type BenchmarkPlan,
  type CommandRun,
  type RunMeasurement,
  type RunResultsFile,
  type Side,
  type SideSpec
} from './types.js';

/** Lines of stderr quoted in an error message. */
const STDERR_LINES = 20;

/**
 * Runs of an empty command that measure the runner's own cost per run — spawning `/bin/sh` from
 * Node, its trap, the pipes and the sampler — which every run's wall time is reduced by, as
 * hyperfine subtracts the start-up of its shell: what is left is the command's own time. Their lower
 * quartile is taken, not the median: on a busy machine the empty runs are slowed by whatever else
 * runs (seen: a median of 8 ms against 2 ms quiet), and subtracting that from runs of 30 ms would
 * inflate every relative change by a third; the lower quartile stays near the quiet cost.
 */
export const CALIBRATION_RUNS = 30;

type HookKind = 'setup' | 'prepare' | 'cleanup';

/**
 * Runs `plan`, calling `hooks.onRun` after every measured run. Throws a {@link CommandError} when a
 * run times out, exits non-zero (unless `plan.allowFailure`), or a `setup`/`prepare`/`cleanup`
 * fails — always after the failing run was handed to `onRun` — and a CancelledError on abort.
 * Cleanup runs after a failure too (not after a cancellation); its own failure is reported only when
 * nothing failed before.
 */
export async function runBenchmark(plan: BenchmarkPlan, hooks: BenchmarkHooks): Promise<void> {
  const paired = plan.base !== undefined;
  const spec = (side: Side): SideSpec => (side === 'base' ? plan.base! : plan.head);
  /** The sides of run (or pair) `i` in order. */
  const order = (i: number): Side[] => (paired ? pairOrder(i) : ['head']);
  const setUp: Side[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for (const side of paired ? (['base', 'head'] as const) : (['head'] as const)) {
      await runHook(plan, side, 'setup', hooks.signal);
      setUp.push(side);
    }
    for (let w = 0; w < plan.warmup; w++) {
      for (const side of order(w)) {
        await runHook(plan, side, 'prepare', hooks.signal);
        removeResultsFile(plan, spec(side));
        const label = `${benchmarkLabel(plan)}, ${side} warmup run ${w + 1} of ${plan.warmup}`;
        check(plan, spec(side), label, await runOnce(spec(side), { label, signal: hooks.signal }));
      }
    }
    const overheadMs = await calibrate(plan, hooks.signal);
    await hooks.onCalibrated?.(overheadMs);
    // In paired mode the first pair is an extra one, kept as warmup.
    let count = paired ? plan.runs + 1 : plan.runs;
    for (let i = 0; i < count; i++) {
      for (const side of order(i)) {
        await runHook(plan, side, 'prepare', hooks.signal);
        removeResultsFile(plan, spec(side));
        const of = hooks.more ? '' : ` of ${count}`;
        // Paired: numbered as the progress lines number them (pair 1 is the discarded warmup pair).
        const label = `${benchmarkLabel(plan)}, ${paired ? `pair ${i + 1}${of} (${side})` : `${side} run ${i + 1}${of}`}`;
        const measured = await runOnce(spec(side), { label, signal: hooks.signal });
        const run: CommandRun = {
          side,
          index: i,
          ...measured,
          wallMs: Math.max(0, measured.wallMs - overheadMs),
          rawWallMs: measured.wallMs,
          ...(paired && i === 0 && { warmupDiscarded: WARMUP_PAIR_REASON }),
          ...(spec(side).resultsFile !== undefined && { results: readResultsFile(spec(side)) })
        };
        await hooks.onRun(run);
        check(plan, spec(side), label, measured);
      }
      if (i === count - 1 && hooks.more) count += await hooks.more();
    }
  } catch (error) {
    failure = { error };
  }
  if (!hooks.signal?.aborted) {
    for (const side of setUp) {
      try {
        await runHook(plan, side, 'cleanup', hooks.signal);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  if (failure) throw failure.error;
}

/**
 * The lower quartile of the wall times of {@link CALIBRATION_RUNS} runs of the empty command `:`
 * through the same runner, shell and working directory as the head's runs (0 when
 * `plan.calibrate` is false).
 */
async function calibrate(plan: BenchmarkPlan, signal?: AbortSignal): Promise<number> {
  if (plan.calibrate === false) return 0;
  const label = `${benchmarkLabel(plan)}, calibration`;
  const walls: number[] = [];
  for (let i = 0; i < CALIBRATION_RUNS; i++) {
    const m = await runOnce({ ...plan.head, command: ':', shell: true }, { label, signal });
    if (m.exitCode === 0) walls.push(m.wallMs);
  }
  return walls.length === 0 ? 0 : quantile(walls, 0.25);
}

/**
 * Removes a side's results file before a run, so that a run that writes none is not credited with
 * the one before it.
 */
function removeResultsFile(plan: BenchmarkPlan, spec: SideSpec): void {
  if (spec.resultsFile === undefined) return;
  try {
    rmSync(spec.resultsFile, { force: true });
  } catch (err) {
    throw new CommandError(
      `${benchmarkLabel(plan)}: cannot remove the results file ${spec.resultsFile} before a run: ${(err as Error).message}`
    );
  }
}

/** The results file a run left (refused past {@link MAX_RESULTS_BYTES}). */
function readResultsFile(spec: SideSpec): RunResultsFile {
  const file = spec.resultsFile!;
  try {
    const size = statSync(file).size;
    if (size > MAX_RESULTS_BYTES) return { tooLarge: size };
    return { bytes: readFileSync(file) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { missing: true } : { unreadable: code ?? String(err) };
  }
}

/** Runs a side's `setup`, `prepare` or `cleanup` (when it has one) through the shell, untimed. */
async function runHook(plan: BenchmarkPlan, side: Side, kind: HookKind, signal?: AbortSignal): Promise<void> {
  const s = side === 'base' ? plan.base! : plan.head;
  const command = s[kind];
  if (command === undefined || command.trim() === '') return;
  const label = `${benchmarkLabel(plan)}, ${side} ${kind} \`${command}\``;
  const timeoutMs = plan.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const m = await runOnce({ command, shell: true, cwd: s.cwd, env: s.env, timeoutMs }, { label, signal });
  if (m.timedOut) {
    throw new CommandError(
      `${label} timed out after ${formatDuration(timeoutMs)}`,
      lastLines(m.stderrTail, STDERR_LINES)
    );
  }
  if (m.exitCode !== 0) {
    throw new CommandError(`${label} failed: ${exitText(m)}`, lastLines(m.stderrTail, STDERR_LINES));
  }
}

/** Throws when a run timed out, or exited non-zero without `allowFailure`. */
function check(plan: BenchmarkPlan, spec: SideSpec, label: string, m: RunMeasurement): void {
  const stderr = lastLines(m.stderrTail, STDERR_LINES);
  if (m.timedOut) {
    const command = describeCommand(spec.command);
    throw new CommandError(
      `${label} timed out after ${formatDuration(spec.timeoutMs)} (\`${command}\`); its process tree was killed`,
      stderr
    );
  }
  if (m.exitCode !== 0 && !plan.allowFailure) {
    throw new CommandError(`${label} failed: ${exitText(m)} (allowFailure is off)`, stderr);
  }
}

function exitText(m: RunMeasurement): string {
  if (m.exitCode === null) return `killed by ${m.signal ?? 'a signal'}`;
  if (m.exitCode === 127) return 'exit code 127 (command not found)';
  if (m.exitCode === 126) return 'exit code 126 (command not executable)';
  // A shell reports a child killed by signal n as 128 + n; 129–255 beyond the signals is a plain exit.
  const killedBy = m.exitCode > 128 ? signalName(m.exitCode - 128) : undefined;
  if (killedBy) return `exit code ${m.exitCode} (killed by ${killedBy})`;
  return `exit code ${m.exitCode}`;
}

/** `SIGKILL` for 9; undefined for a number that is no signal here. */
function signalName(n: number): string | undefined {
  return Object.entries(constants.signals).find(([, value]) => value === n)?.[0];
}

const benchmarkLabel = (plan: BenchmarkPlan) => `benchmark "${plan.name}"`;

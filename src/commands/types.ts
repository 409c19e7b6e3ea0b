/** The records of command benchmarks (SPEC §4): what to run, and what one run measured. */
import type { Side } from '../measure-profile.js';

export type { Side };

/** One command to run and measure. */
export interface CommandSpec {
  /** A command line for `/bin/sh -c`, or (with `shell: false`) an argv run without any parsing. */
  command: string | string[];
  /** True: `command` is a shell command line; false: `command` is an argv (a string is one word). */
  shell: boolean;
  /** Working directory; must exist. */
  cwd: string;
  /** Added to perfgate's own environment. */
  env: Record<string, string>;
  /** The whole tree is killed when a run lasts longer than this. */
  timeoutMs: number;
  /**
   * Keep this many bytes of stdout whole (`RunMeasurement.stdout`), for a benchmark whose runs print
   * another tool's results; absent: only the tail is kept.
   */
  keepStdoutBytes?: number;
}

/** Where the CPU times of a run come from. */
export type CpuSource =
  /** The shell's `times` builtin: every process the command waited for, to the end. */
  | 'times'
  /** `times` could not report (the command replaced the shell with `exec`, or set its own EXIT
   * trap): the last reading of `/proc` before the exit, which misses the final ≤ 10 ms. */
  | 'sampled'
  /** Neither: the run was killed, or there is no `/proc`. */
  | 'none';

/** What one run of a command measured. */
export interface RunMeasurement {
  /** From just before the spawn to the exit of the root process, in milliseconds. */
  wallMs: number;
  /** User CPU time of the process tree, in milliseconds (NaN when `cpuSource` is `none`). */
  userMs: number;
  /** System CPU time of the process tree, in milliseconds (NaN when `cpuSource` is `none`). */
  sysMs: number;
  cpuSource: CpuSource;
  /** Peak resident memory of the process tree, in bytes (a lower bound: see tree-sampler.ts). */
  peakRssBytes: number;
  /** Exit code of the command (the shell's, so 128 + n when the command died of signal n); null when killed. */
  exitCode: number | null;
  /** The signal that ended the shell (a timeout or a cancellation kills it), else null. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The last bytes (at most {@link TAIL_BYTES}) of stdout and stderr as text. */
  stdoutTail: string;
  stderrTail: string;
  /** Everything written to stdout and stderr, in bytes. */
  stdoutBytes: number;
  stderrBytes: number;
  /** With `keepStdoutBytes`: the first that many bytes of stdout (all of it unless `stdoutBytes` is more). */
  stdout?: Buffer;
}

/** The most of another tool's results read from one run (its stdout, or its results file). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** Bytes of each stream kept in memory. */
export const TAIL_BYTES = 64 * 1024;

/** One run of a benchmark, handed to the caller as soon as it finished. */
export interface CommandRun extends RunMeasurement {
  /** From the spawn to the exit, less the runner's own cost per run (run-benchmark.ts `calibrate`). */
  wallMs: number;
  /** From just before the spawn to the exit of the root process, as measured. */
  rawWallMs: number;
  side: Side;
  /**
   * The run's number on its side, from 0. With a base, runs with the same index form a pair, and
   * index 0 is the warmup pair.
   */
  index: number;
  /** Set on the runs of the first pair in paired mode: kept in the record, never compared. */
  warmupDiscarded?: string;
  /** With the side's `resultsFile`: the file as the run left it. */
  results?: RunResultsFile;
}

/** The results file of a run (`SideSpec.resultsFile`): its bytes, or why there are none. */
export type RunResultsFile =
  { bytes: Buffer } | { missing: true } | { tooLarge: number } | { unreadable: string };

/** One side of a benchmark: its command and the commands around it (shell command lines). */
export interface SideSpec extends CommandSpec {
  /** Once before the side's first run. */
  setup?: string;
  /** Before every run, warmup runs included; not timed. */
  prepare?: string;
  /** Once after the side's last run, also after a failure. */
  cleanup?: string;
  /**
   * Absolute path of a file each run writes its results to: removed before every run (warmup runs
   * too) so that no run reads an earlier one's, and read after every measured run (up to
   * {@link MAX_RESULTS_BYTES}).
   */
  resultsFile?: string;
}

/** A whole benchmark: the head, an optional base beside it, and how often to run them. */
export interface BenchmarkPlan {
  name: string;
  head: SideSpec;
  /** Paired mode: the base runs beside the head, interleaved run by run. */
  base?: SideSpec;
  /** Runs per side before the measured ones, not recorded. */
  warmup: number;
  /** Measured runs per side (in paired mode plus the discarded first pair). */
  runs: number;
  /** A non-zero exit is recorded instead of failing the benchmark. */
  allowFailure: boolean;
  /**
   * False: no calibration runs, nothing subtracted from the wall times (default: calibrate, see
   * run-benchmark.ts CALIBRATION_RUNS).
   */
  calibrate?: boolean;
  /** Timeout of `setup`, `prepare` and `cleanup`; default {@link DEFAULT_HOOK_TIMEOUT_MS}. */
  hookTimeoutMs?: number;
}

/** Ten minutes: a `setup` such as `npm ci` may take a while. */
export const DEFAULT_HOOK_TIMEOUT_MS = 10 * 60 * 1000;

/** What the caller hears while a benchmark runs. */
export interface BenchmarkHooks {
  /** Called once the runner's own cost per run is known, before the first measured run (ms). */
  onCalibrated?: (overheadMs: number) => void | Promise<void>;
  /** Called after every measured run, before the next one starts, so its result can be saved. */
  onRun: (run: CommandRun) => void | Promise<void>;
  /** Aborting kills the running tree and rejects with a CancelledError. */
  signal?: AbortSignal;
  /**
   * Asked after the last planned run (or pair): how many more runs (pairs) per side to add, 0 to
   * end — `runs: auto` looks at the runs so far here.
   */
  more?: () => number | Promise<number>;
}

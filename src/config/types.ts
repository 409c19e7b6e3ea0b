/**
 * The resolved configuration every later stage reads: defaults applied, durations in milliseconds,
 * paths absolute, threshold expressions parsed. Produced only by `loadConfig` (config/load-config.ts).
 */
import type { FindingLimits } from '../findings/limits.js';
import type { CpusSetting } from '../service/cpu-placement.js';
import type { TailEstimator } from '../stats/tail-estimate.js';
import type { ThresholdExpression } from '../thresholds/parse-threshold.js';

/** How to tell that a started service is ready to take load. */
export type ReadyCheck =
  | { kind: 'url'; url: string; status: number }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'log'; pattern: string };

/** A service perfgate starts and stops itself. */
export interface ServiceConfig {
  /** `head` is the version under test; `base` is reserved for paired mode. */
  side: 'head' | 'base';
  /** Shell command line, run with `/bin/sh -c` (cmd.exe on Windows). */
  command: string;
  /** Absolute working directory. */
  cwd: string;
  /** Extra environment, merged over perfgate's own. */
  env: Record<string, string>;
  ready: ReadyCheck;
  /** How long to wait for readiness before failing. */
  readyTimeoutMs: number;
  /** Grace period between the stop signal and killing the whole process tree. */
  stopTimeoutMs: number;
  /** Where it runs beside the load generator (`service.cpus` of the head, for both sides). */
  cpus: CpusSetting;
}

/** The base version in paired mode: started by perfgate (`service`) or already running at `target`. */
export interface BaseConfig {
  target: string;
  service?: ServiceConfig;
}

/** One request of a profile's mix. */
export interface RequestSpec {
  /** Unique within the profile; defaults to `METHOD path`. */
  name: string;
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Relative share of the mix (> 0). */
  weight: number;
  /** Statuses that count as success; empty means 200–399 (k6's default for http_req_failed). */
  expectStatus: number[];
  /** Exact body expected, if set; a different body counts as a `body` error. */
  expectBody?: string;
}

/** One threshold expression bound to a metric, as written in `thresholds:`. */
export interface ThresholdSpec {
  /** Metric with optional tag selector, e.g. `http_req_duration` or `http_req_duration{request:create}`. */
  metric: string;
  /** The expression as the user wrote it, e.g. `p(95)<250ms`. */
  source: string;
  parsed: ThresholdExpression;
  /** `fail` fails the gate when broken; `warn` only reports it. */
  severity: 'fail' | 'warn';
  /** `file:line:col` of the expression in the config, for messages and annotations. */
  where: string;
}

/** How baseline runs look for change points in the history (analysis/change-points.ts). */
export interface ChangePointSettings {
  /** Significance level of a split. */
  pValue: number;
  /** Window of the split, in runs per side. */
  window: number;
  /** Smallest relative shift; absent: each metric's δ. */
  minMagnitude?: number;
}

/** How `trials: auto` samples (SPEC §5): looks after `min`, `min + batch`, … up to `max` trials. */
export interface AutoTrials {
  /** Trials per side before the first look. */
  min: number;
  /** Trials per side added after a look that left a gated comparison inconclusive. */
  batch: number;
  /** Most trials per side. */
  max: number;
  /** Time for the profile's trials; a batch that would overrun it does not start. */
  budgetMs: number;
}

/** How load is offered: connections that wait for answers, or requests at a rate whatever happens. */
export type LoadModel = 'closed' | 'open';

/**
 * One stage of a trial's schedule (SPEC §3): a level — connections in the closed model, requests
 * per second in the open model — held, or moved linearly from `from` to `to` over the stage.
 */
export interface Stage {
  name: string;
  durationMs: number;
  from: number;
  to: number;
  /** Gated stages: thresholds and comparisons use their requests only. */
  measured: boolean;
}

export type Shape = 'steady' | 'rampup' | 'spike' | 'soak' | 'stress' | 'wave' | 'stages';

export interface ProfileConfig {
  name: string;
  /** `stages` for a custom schedule. */
  shape: Shape;
  model: LoadModel;
  /**
   * Closed model: concurrent connections, each sending its next request when the previous answered
   * (the steady level). Open model: the most connections the generator opens.
   */
  connections: number;
  /** Open model: the steady level in requests per second. */
  rate?: number;
  /** The schedule of one trial; their total is `durationMs`. */
  stages: Stage[];
  /** Shape `stress`: the stages are steps, and the first one that breaks a threshold ends the trial. */
  stopOnBreak?: boolean;
  warmupMs: number;
  /** Length of one trial: the sum of its stages. */
  durationMs: number;
  /** Trials per side; with `auto`, the trials before the first look (`auto.min`). */
  trials: number;
  /** Present with `trials: auto`: batches are added until the gated comparisons are conclusive. */
  auto?: AutoTrials;
  /** Per-request timeout. */
  timeoutMs: number;
  requests: RequestSpec[];
  thresholds: ThresholdSpec[];
  /** Metric → minimum relevant change δ as a fraction (0.05 for `5%`). Used when a base exists. */
  compare: Record<string, number>;
  /**
   * `statistics.tail`, copied here (as `auto` is) so that whatever makes this profile's series has
   * it: the per-trial estimator of latency percentiles in comparisons. Absent: the default
   * (`DEFAULT_TAIL_ESTIMATOR`, Harrell–Davis).
   */
  tail?: TailEstimator;
}

/** One side of a command benchmark: what runs, where, and the commands around it. */
export interface BenchmarkSide {
  /** A command line for `/bin/sh -c`, or (with `shell: false`) an argv run without any parsing. */
  command: string | string[];
  shell: boolean;
  /** Absolute working directory (checked when the benchmark starts). */
  cwd: string;
  /** `file:line:col` of `cwd` (or of the command when `cwd` is not set), for messages. */
  cwdWhere: string;
  env: Record<string, string>;
  /** Shell command lines: once before the first run, before every run, once after the last. */
  setup?: string;
  prepare?: string;
  cleanup?: string;
}

/** A command benchmark (SPEC §4): runs of a command, timed, hyperfine-style. */
export interface BenchmarkConfig {
  name: string;
  head: BenchmarkSide;
  /** Paired mode: the base runs beside the head, interleaved run by run. */
  base?: BenchmarkSide;
  /** Runs per side before the measured ones, not recorded. */
  warmup: number;
  /** Measured runs per side; with `auto`, the runs before the first look (`auto.min`). */
  runs: number;
  /** Present with `runs: auto`: batches are added until the gated comparisons are conclusive. */
  auto?: AutoTrials;
  /** Longest one run may take. */
  timeoutMs: number;
  /** A run that exits non-zero is recorded, not a failure. */
  allowFailure: boolean;
  thresholds: ThresholdSpec[];
  /**
   * Without `format:`: `wall_time.med` … → δ; empty: the defaults (series/benchmark.ts). With
   * `format:`: empty (the run's own metrics are reported, not gated).
   */
  compare: Record<string, number>;
  /**
   * Present with `format:`: each run's output is another tool's results (SPEC §4), read by the
   * importer of `format` (`auto`: detected from the first run's output), and its benchmarks are the
   * gated series, one sample per run.
   */
  imported?: BenchmarkImportConfig;
}

/** How a benchmark's runs report their results in another tool's format (`benchmarks[].format`). */
export interface BenchmarkImportConfig {
  /** An importer's format, or `auto`. */
  format: string;
  /** `file:line:col` of `format`, for messages. */
  formatWhere: string;
  /**
   * The file each run writes its results to, relative to its side's `cwd` (removed before each run);
   * absent: the run's stdout.
   */
  output?: string;
  /** Benchmark name or glob → δ of its primary metric, as `imports[].compare`. */
  compare: Array<{ pattern: string; delta: number }>;
}

/** An imported file and how its benchmarks are gated (SPEC §4 `imports:`). */
export interface ImportConfig {
  name: string;
  /** The importer's format; absent: detected from the content. */
  format?: string;
  /** Absolute path of the head's file, and where the config names it (`file:line:col`). */
  path: string;
  pathWhere: string;
  /** The base's file, when given. */
  base?: { path: string; where: string };
  /**
   * Benchmark name or glob → δ of its primary metric, in the order written; the most specific match
   * decides (an exact name, else the longest glob).
   */
  compare: Array<{ pattern: string; delta: number }>;
}

/**
 * Where the stored baseline lives (SPEC §6). `history`: earlier runs a saved baseline keeps (0: none);
 * `required`: no usable baseline is an error rather than a run without comparison.
 */
export type BaselineConfig =
  | { store: 'file'; path: string; history: number; required: boolean }
  /** `name` absent: the Action's `artifact-name` input. */
  | { store: 'artifact'; name?: string; history: number; required: boolean }
  /** `path` absent: derived from the config file's path in the repository (github/data-branch.ts). */
  | { store: 'branch'; branch: string; path?: string; history: number; required: boolean };

/**
 * `profiling:` (SPEC §11): CPU and heap profiles of the service over the measured trials, through
 * Node's inspector (perfgate starts the service with one on a loopback port) or a pprof endpoint.
 */
export interface ProfilingConfig {
  cpu: boolean;
  heap: boolean;
  /** pprof endpoint base URLs (`…/debug/pprof`, no trailing `/`) per side; absent: Node's inspector. */
  pprof?: { head: string; base?: string };
  /** CPU sampling interval of the inspector, µs. */
  intervalUs: number;
  /** Mean bytes between two heap samples of the inspector. */
  heapIntervalBytes: number;
}

export interface ResolvedConfig {
  version: 1;
  /** Absolute path of the config file. */
  file: string;
  /** Base URL of the service under test (scheme, host, port; no path); present with profiles or a service. */
  target?: string;
  /** Present when perfgate starts the service itself; absent in target-only mode. */
  service?: ServiceConfig;
  /** Paired mode: the base version, compared with the head trial by trial. */
  base?: BaseConfig;
  profiles: ProfileConfig[];
  /** Command benchmarks, run after the profiles. */
  benchmarks: BenchmarkConfig[];
  /** Other tools' results, read before anything runs. */
  imports: ImportConfig[];
  /**
   * `tail`: the per-trial estimator of latency percentiles in comparisons; absent for `hdr` (the
   * default), so that configs which do not set it keep their hash.
   */
  statistics: { alpha: number; auto: AutoTrials; changePoints: ChangePointSettings; tail?: TailEstimator };
  baseline?: BaselineConfig;
  report: { dir: string; comment: 'always' | 'on-change' | 'never' };
  /** What to profile during the measured trials; absent when nothing is. */
  profiling?: ProfilingConfig;
  /** `findings:` — the limits findings are judged by, or false for none; absent: the defaults. */
  findings?: FindingLimits | false;
  /**
   * Values substituted from environment variables into text, and URL passwords; masked in every log
   * and report (config/secrets.ts says which values are not).
   */
  secrets: string[];
  /** What the user should know about a valid config (`file:line:col path: message`), e.g. a value too short to mask. */
  warnings: string[];
  /** SHA-256 of the normalised config, so results from different configs are never compared blindly. */
  hash: string;
}

/**
 * The one result model (SPEC §12): every stage reads and writes it, the renderers format it, and it
 * is saved as `results.json` after each trial so that a later failure loses nothing.
 * Bump `SCHEMA_VERSION` on any incompatible change.
 */

export const SCHEMA_VERSION = 2;

import type { BenchmarkResult } from './model-benchmark.js';
import type { ImportResult } from './model-import.js';
import type { ProfilingResult } from './model-profiling.js';
export type { BenchmarkResult, BenchmarkRun } from './model-benchmark.js';
export type { ImportResult, ImportedBenchmarkRecord } from './model-import.js';

/**
 * The versions this perfgate reads: 1 (before `series`; its HTTP profiles still compare, their
 * series made from the trials it stores) and 2.
 */
export type SchemaVersion = 1 | typeof SCHEMA_VERSION;

/** Where the run happened: results from different fingerprints are not compared blindly. */
export interface EnvironmentFingerprint {
  os: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  /** `RUNNER_NAME` on GitHub runners, the host name elsewhere. */
  runner: string;
  ci: boolean;
  /**
   * The CPU lists ("0-2") the service and the load generator ran on, apart (`service.cpus`); absent
   * when they shared every CPU.
   */
  cpus?: { service: string; generator: string };
}

export interface GitInfo {
  sha?: string;
  ref?: string;
  repository?: string;
  event?: string;
}

/** Latency summary of a histogram, in milliseconds (recorded in microseconds). */
export interface LatencySummary {
  min: number;
  mean: number;
  stdev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Errors by kind (SPEC §3). `status` counts unexpected statuses, `body` unexpected bodies. */
export interface ErrorCounts {
  timeout: number;
  connection: number;
  status: number;
  body: number;
}

/** The measurements of one set of requests (a whole trial, or one request of the mix). */
export interface RequestMetrics {
  /** Responses received plus requests that failed without a response. */
  requests: number;
  /** Responses received. */
  responses: number;
  /** Requests counted as failed (any error kind). */
  failed: number;
  /** Requests per second over the measured duration. */
  throughput: number;
  bytesReceived: number;
  /** Status code → count. */
  statusCodes: Record<string, number>;
  errors: ErrorCounts;
  latency: LatencySummary;
  /** HDR histogram of response times in microseconds, compressed base64 (mergeable exactly). */
  histogram: string;
}

/** One second of a trial. */
export interface TimelinePoint {
  /** Seconds since the trial started (0-based). */
  second: number;
  /** Requests sent in this second (open model: at their intended times). */
  sent: number;
  /** Requests that ended in this second (response or failure): the rate, per second. */
  completed: number;
  /** Failed requests that ended in this second, any kind. */
  errors: number;
  /** The same by kind. */
  errorsByKind: ErrorCounts;
  p50: number;
  p99: number;
  /** Index into the trial's stages of the stage this second belongs to. */
  stage: number;
  /** CPU (% of one core) and RSS (bytes) of the service's process tree sampled in this second. */
  serviceCpu?: number;
  serviceRss?: number;
}

/** CPU and memory of the service's whole process tree over a trial, sampled about once a second. */
export interface ServiceResources {
  /** `proc`: Linux's /proc; `pidusage`: elsewhere. */
  source: 'proc' | 'pidusage';
  /** % of one core (250: two and a half cores busy); null when nothing was sampled. */
  cpu: { peak: number | null; mean: number | null };
  /** Bytes, summed over the tree. */
  rss: { peak: number | null; mean: number | null };
  samples: Array<{ second: number; cpu: number; rss: number }>;
}

/** One stage of a trial as it ran (SPEC §3). */
export interface StageResult {
  name: string;
  /** Level at the start and the end: connections (closed model) or req/s (open model). */
  from: number;
  to: number;
  measured: boolean;
  /** When it began, ms after the trial's start, and how long it ran. */
  startMs: number;
  durationMs: number;
  metrics: RequestMetrics;
  /** Shape `stress`: the thresholds this stage broke (empty: it met them all). */
  broken?: string[];
}

export interface TrialResult {
  index: number;
  side: 'head' | 'base';
  startedAt: string;
  /** Measured duration in milliseconds (wall clock of the measured window). */
  durationMs: number;
  /** False when the measurement cannot be trusted (e.g. the generator was the bottleneck). */
  valid: boolean;
  invalidReason?: string;
  /**
   * Time the measured stages took, ms: what rates are taken over (equal to `durationMs` for a
   * one-stage trial; absent in results written before stages existed).
   */
  measuredMs?: number;
  /** Over the measured stages of the trial. */
  metrics: RequestMetrics;
  /** Every stage that ran, measured or not. */
  stages: StageResult[];
  /** The service's resources during the trial, when perfgate started that side's service. */
  resources?: ServiceResources;
  /** Shape `soak`: last quarter ÷ first quarter of the timeline (load/drift.ts). */
  drift?: { p50: number | null; p99: number | null; throughput: number | null; seconds: number };
  /**
   * Open model: requests the schedule asked for and requests sent in the trial; a trial that sent
   * more than 5 % fewer is invalid (the generator could not keep pace).
   */
  openModel?: { scheduled: number; sent: number; lateness: { p50: number; p99: number; max: number } };
  /** Per request of the mix, by request name. */
  requests: Record<string, RequestMetrics>;
  timeline: TimelinePoint[];
  /** CPU time of the load generator's thread in the measured window, as a share of one core. */
  generatorCpu: number;
  /** Share of the measured window the generator's event loop was busy. */
  generatorBusy: number;
  /**
   * The generator's own event-loop delay in the measured window, ms (perf_hooks
   * monitorEventLoopDelay): how late its callbacks ran — the part of a response time that is the
   * client's, not the service's. Absent in results written before it was measured.
   */
  generatorDelay?: { p50: number; p99: number; max: number };
}

/** The valid trials of one side pooled: histograms merged exactly, counts summed. */
export interface PooledSummary {
  validTrials: number;
  invalidTrials: number;
  /** Requests per second over the summed measured time. */
  throughput: number;
  requests: number;
  failed: number;
  errors: ErrorCounts;
  latency: LatencySummary | null;
  /** Per request of the mix, by request name. */
  perRequest: Record<
    string,
    { requests: number; failed: number; throughput: number; latency: LatencySummary | null }
  >;
}

export interface SideResult {
  side: 'head' | 'base';
  target: string;
  trials: TrialResult[];
  /** Pooled over the valid trials; refreshed after every trial. */
  summary?: PooledSummary;
}

export interface ProfileResult {
  name: string;
  shape: string;
  model: 'closed' | 'open';
  /** Open model: the steady rate, req/s. */
  rate?: number;
  /** The request mix, as configured (names key the per-request metrics). */
  mix?: Array<{ name: string; method: string; path: string; weight: number }>;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Trials planned per side (with `trials: auto`, raised by each batch added). */
  trialsPlanned: number;
  /** Shape `stress`: the breaking point of each side (thresholds/breaking-point.ts). */
  stress?: { head?: BreakingPoint; base?: BreakingPoint };
  /** With `trials: auto`: the looks taken and why sampling stopped. */
  auto?: AutoRecord;
  /** Order in which trials ran, e.g. `["head"]` or `["base","head","head","base"]`. */
  order: Array<'head' | 'base'>;
  head: SideResult;
  base?: SideResult;
  /** Set when the profile stopped early; trials measured before are kept. */
  error?: string;
}

/** How `trials: auto` went for a profile (compare/sequential.ts). */
export interface AutoRecord {
  min: number;
  batch: number;
  max: number;
  budgetMs: number;
  /** Each look: trials per side measured, its level, and the gated metrics still inconclusive. */
  looks: Array<{ trials: number; alpha: number; open: string[] }>;
  /**
   * `conclusive`: every gated comparison settled; `max`: `max` trials reached; `budget`: the next
   * batch would have overrun the time budget; `nothing-to-compare`: no base side or baseline.
   */
  stopped?: 'conclusive' | 'max' | 'budget' | 'nothing-to-compare';
}

/** Shape `stress`: one step and its numbers. */
export interface StressStep {
  /** Index of the step in the schedule, and its name. */
  stage: number;
  name: string;
  /** Connections (closed model) or req/s (open model). */
  level: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Share of requests that failed. */
  failed: number;
}

export interface BreakingPoint {
  /** The highest step that met the SLO in every trial; absent when even the first step broke. */
  held?: StressStep;
  /** The step that broke it first (with the thresholds it broke); absent when no step broke. */
  broke?: StressStep & { broken: string[] };
  /** Trials the point was found over. */
  trials: number;
}

/** A base-vs-head comparison of one metric of one profile (SPEC §5). */
export interface Comparison {
  /** The profile or benchmark (the series' source; names are unique over both). */
  profile: string;
  /** Compare key, e.g. `http_req_duration.p(99)` or `http_reqs{request:create}.rate`. */
  metric: string;
  /** `lower` when smaller values are better (latency), `higher` when bigger are (throughput). */
  better: 'lower' | 'higher';
  /** The unit of `values` (the series' unit; absent in results written before it). */
  unit?: string;
  /** Minimum relevant change δ as a fraction (0.05 for 5 %). */
  delta: number;
  /** Gated metrics decide the verdict (Holm-adjusted); the others are informational (BH q-values). */
  gated: boolean;
  /**
   * Significance level it was decided at: the gate's alpha, or with `trials: auto` the share of it
   * spent at the profile's last look (the interval's level is 1 − 2·alpha).
   */
  alpha: number;
  /** Pairs (paired mode) or per-side samples compared. */
  samples: number;
  /**
   * Signed-rank on pairs (paired mode), Mann–Whitney U on samples (against a stored baseline),
   * Welch's t from summaries (an imported file with a mean and spread only), or none: `single-value`
   * (decided by δ and the stored history's spread alone).
   */
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u' | 'welch-t' | 'single-value';
  method: 'exact' | 'normal';
  /** Medians of the compared per-trial values of each side, in the metric's unit. */
  values?: { base: number; head: number };
  /** Relative change head vs base (Hodges–Lehmann on log ratios), e.g. 0.031 for +3.1 %. */
  estimate: number;
  /**
   * Confidence interval of the relative change at level 1 − 2·alpha (90 % at alpha 0.05): its ends
   * are the one-sided 1 − alpha bounds, so it excludes 0 where the uncorrected one-sided test is
   * significant, and inside ±δ it is the equivalence test at alpha (`unchanged`).
   */
  interval: [number, number];
  /** One-sided p-value in the regression direction (in the improvement direction when improved). */
  pValue: number;
  /** Holm-adjusted (gated) or Benjamini–Hochberg q-value (informational). */
  adjustedPValue: number;
  verdict: 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
  /**
   * Against a stored baseline with history: how many runs' values (the history's and the baseline's
   * own) set the limit, and the limit — the run-to-run prediction bound as a relative change. A
   * change must exceed both δ and this limit to count as regressed or improved.
   */
  history?: { runs: number; limit: number };
  /** For inconclusive verdicts: why, and about how many more trial pairs would likely settle it. */
  reason?: string;
  moreTrials?: number;
  /**
   * The smallest relative change this comparison could have called, at its samples and their
   * spread: a change of at least this size would have come out regressed or improved. Absent for
   * single values and in results written before it.
   */
  resolution?: number;
}

export interface ThresholdResult {
  /** The profile or benchmark. */
  profile: string;
  /** Metric selector as written, e.g. `http_req_duration{request:create}`. */
  metric: string;
  expression: string;
  severity: 'fail' | 'warn';
  /** Observed value in the metric's unit; null when nothing was measured. */
  observed: number | null;
  unit: string;
  ok: boolean;
  where: string;
}

/** One sample of a series: the value of one trial or run, and its index (the pair it belongs to). */
export interface Sample {
  index: number;
  value: number;
}

/**
 * One metric of one source (SPEC §4) — an HTTP profile, a command benchmark, an imported file —
 * with its direction and per side its samples (series/series.ts). Every stage after the sources
 * works on series and never asks where they came from.
 */
export interface Series {
  /** The profile, benchmark or import the metric belongs to. */
  source: string;
  /** The metric and its aggregation, as `compare:` writes it: `http_req_duration.p(99)`, `wall_time.med`. */
  key: string;
  /** Unit of the values: `ms`, `req/s`, `bytes`, `%`, `ratio`, `count` (empty in files written before units). */
  unit: string;
  /** `lower` when smaller values are better (latency, time), `higher` when bigger are (throughput). */
  better: 'lower' | 'higher';
  /**
   * `paired`: the base side was measured in the same run, interleaved, and its samples pair with the
   * head's by index; `stored`: the base is a stored baseline, compared unpaired; `none`: no base.
   */
  base: 'paired' | 'stored' | 'none';
  /** Samples of each side; only values that can be compared (finite and positive: logs are taken). */
  samples: { head: Sample[]; base: Sample[] };
  /**
   * A side a source gives no samples for (an imported file with only a summary): its mean with the
   * spread and the count behind it, or a single value (`n` 1, `stdev` 0). Compared by Welch's t-test
   * from the summaries, or — single values — by δ and the stored history's spread alone.
   */
  summaries?: { head?: SeriesSummary; base?: SeriesSummary };
}

/** A side of a series known by its summary: mean and standard deviation (ddof = 1) of `n` values. */
export interface SeriesSummary {
  mean: number;
  stdev: number;
  n: number;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/**
 * A side of a profile whose numbers cannot be trusted to say anything, so the gate fails on it
 * whatever the thresholds and comparisons say (a run is never green on nothing):
 * `nothing-measured` — no valid trial; `failed-requests` — more than half of the requests failed
 * and no `http_req_failed` threshold says that is expected (thresholds/measurement-problems.ts).
 */
export interface MeasurementProblem {
  /** The profile or benchmark. */
  profile: string;
  side: 'head' | 'base';
  kind: 'nothing-measured' | 'failed-requests';
  /** The whole finding with its numbers, for every report. */
  message: string;
}

/**
 * What a finding is about (SPEC §11): `saturation-knee` — throughput stopped rising with the load
 * while p99 climbed; `error-onset` — where failed requests began; `tail-ratio` — p99 far above p50;
 * `memory-growth` — the service's RSS kept growing through a soak; `cpu-bound` — the service used
 * about all of its cores where throughput plateaued; `generator-bound` — trials the load generator
 * limited (measured the client, not the service).
 */
export type FindingKind =
  'saturation-knee' | 'error-onset' | 'tail-ratio' | 'memory-growth' | 'cpu-bound' | 'generator-bound';

/**
 * One finding of one side of one profile, read from its measured results only (no measurement of
 * its own). Never without its numbers: `numbers` holds every figure the finding rests on, by name,
 * the unit in the name where there is one (`p99Ms`, `throughputRps`, `slopeMbPerMin`, `cpuPercent`:
 * % of one core, `level`: connections or req/s as the profile's model counts them); `message` says
 * the same in a sentence, with those figures formatted.
 */
export interface Finding {
  /** One of {@link FindingKind} here; a kind a newer perfgate of this schema found is kept and shown as it is. */
  kind: string;
  /** The profile. */
  profile: string;
  side: 'head' | 'base';
  /** `warn`: worth a reviewer's look (the PR comment lists these); `info`: for the full report. */
  severity: 'info' | 'warn';
  /** One short line, e.g. `saturation knee at 4 connections`. */
  title: string;
  numbers: Record<string, number | string>;
  message: string;
}

export interface Results {
  schemaVersion: SchemaVersion;
  tool: { name: 'perfgate'; version: string };
  createdAt: string;
  /** `running` while trials are being written, then `complete` or `failed`. */
  status: 'running' | 'complete' | 'failed';
  git: GitInfo;
  environment: EnvironmentFingerprint;
  /** Config path as given, relative to the working directory where possible. */
  config: string;
  configHash: string;
  profiles: ProfileResult[];
  /** Command benchmarks (absent in results written before them). */
  benchmarks?: BenchmarkResult[];
  /** Other tools' results that were imported (absent without `imports:`). */
  imports?: ImportResult[];
  comparisons: Comparison[];
  thresholds: ThresholdResult[];
  /** Sides that measured nothing usable (absent in results written before these checks). */
  problems?: MeasurementProblem[];
  /**
   * What the measurements say about the service beyond the verdict (findings/index.ts), each with
   * the numbers behind it. Absent in results written before findings and in runs that failed before
   * measuring ended; empty when nothing was found.
   */
  findings?: Finding[];
  /**
   * `profiling:`: the CPU and heap profiles of the services over the measured trials, per load
   * profile and side, their artifacts' files, top functions and call trees, and what could not be
   * profiled. Absent without `profiling:` and in results written before it.
   */
  profiling?: ProfilingResult;
  /**
   * Every compared metric of every source as a series (SPEC §4), written when the run's measuring
   * ends: what a later run compares with and what history keeps, whatever the source. Absent in
   * results of schema version 1 and in runs that failed before measuring ended.
   */
  series?: Series[];
  /** Set once the run ends; absent while running or when it failed before deciding. */
  verdict?: Verdict;
  /** The runtime failure that ended the run early, if any. */
  error?: { kind: string; message: string };
  /** Notes for the reader (e.g. why a comparison was skipped). */
  notes: string[];
  /**
   * In a stored baseline: the runs saved before it, oldest first and bounded (`baseline.history`),
   * whose spread widens the unpaired comparison's limit (SPEC §5).
   */
  history?: HistoryEntry[];
  /** Against a stored baseline with history: each gated metric's trend over the runs. */
  trends?: Trend[];
  /**
   * A baseline run (scheduled, pushed or dispatched): the change points of each gated metric's
   * history that are recent and still hold at this run (analysis/change-points.ts).
   */
  changePoints?: ChangePointFinding[];
  /** The last lines of each started service's log (secrets masked when written), for the reports. */
  serviceLogs?: Array<{ side: 'head' | 'base'; file: string; tail: string[] }>;
}

/** A gated metric over the stored runs and this one, oldest first (analysis/trends.ts). */
export interface Trend {
  profile: string;
  metric: string;
  /** The values' unit when the series has its own (a benchmark's or an import's): `ns`, `B`, `ops/s`, … */
  unit?: string;
  /** One value per run: the median of its per-trial values; `current` marks this run. */
  points: Array<{ createdAt: string; value: number; current?: boolean }>;
}

/** A shift in a gated metric's history, found by `changePoints` (analysis/change-points.ts). */
export interface ChangePointFinding {
  profile: string;
  /** Compare key, e.g. `http_req_duration.p(99)`. */
  metric: string;
  /** The values' unit when the series has its own (a benchmark's or an import's). */
  unit?: string;
  /** Index in the series (the history, oldest first, then this run) of the first point after the shift. */
  index: number;
  /** When that run was made. */
  createdAt: string;
  /** Means of the segments before and after, in the metric's unit, and the relative change. */
  before: number;
  after: number;
  change: number;
  /** Two-sided p-value of the t-test of the segment before against the segment after. */
  pValue: number;
  /** This run's value, and the length of the series. */
  current: number;
  points: number;
  /** Whether the shift is in the bad direction (latency up, throughput down). */
  worse: boolean;
}

/** One earlier baseline run, reduced to what the history needs. */
export interface HistoryEntry {
  createdAt: string;
  git: { sha?: string; ref?: string };
  configHash: string;
  profiles: Record<string, HistoryProfile>;
  /** Per benchmark (absent in entries written before benchmarks). */
  benchmarks?: Record<string, HistoryBenchmark>;
  /** Per import (absent in entries written before imports were kept, and in runs without imports). */
  imports?: Record<string, HistoryImport>;
}

export interface HistoryImport {
  /** The importer's format: another tool's output measured something else and is not used. */
  format: string;
  /**
   * Series key (`name`, `name · metric`) → the run's value in the metric's unit: the median of its
   * samples, else the tool's mean, else its single value.
   */
  values: Record<string, number>;
}

export interface HistoryBenchmark {
  /** The command measured: a run of another command measured something else and is not used. */
  command: string;
  /** Compare key → the median of the run's counted runs, in the metric's unit. */
  values: Record<string, number>;
}

export interface HistoryProfile {
  /** Load settings: a run with other settings measured something else and is not used. */
  shape: string;
  model: 'closed' | 'open';
  connections: number;
  durationMs: number;
  /** Compare key → the median of the run's per-trial values (valid trials), in the metric's unit. */
  values: Record<string, number>;
}

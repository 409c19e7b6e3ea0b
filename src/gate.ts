/**
 * The orchestrator (SPEC pipeline): service → load → thresholds → verdict, writing the report after
 * every trial. Entries hand it their implementations; it never decides an exit status.
 */
import path from 'node:path';
import type { ProfileConfig, ResolvedConfig, ServiceConfig } from './config/types.js';
import { analyseBaselineRun } from './analysis/baseline-run.js';
import { buildTrends } from './analysis/trends.js';
import { matchBaseline } from './compare/baseline-match.js';
import {
  baselineLabel,
  carryHistory,
  loadBaseline,
  saveBaseline,
  type BaselineSource
} from './baseline/gate-baseline.js';
import { finalComparisons, gateFamily } from './compare/final-comparisons.js';
import { checkBenchmarkDirs, measureBenchmarks } from './benchmarks/measure-benchmark.js';
import { findings } from './findings/index.js';
import { IMPORTERS } from './importers/index.js';
import { importSources } from './imports/import-sources.js';
import { importThresholds } from './imports/import-thresholds.js';
import { readImports } from './imports/read-imports.js';
import { benchmarkKeys, benchmarkSeries } from './series/benchmark.js';
import { firstLookMs, HISTORY_DEFAULT } from './config/resolve.js';
import { fingerprint, gitInfo } from './environment.js';
import { describeError, toPerfgateError, UsageError, type PerfgateError } from './errors.js';
import { decideVerdict, gatedWith } from './verdict.js';
import type { LoadGenerator } from './load/types.js';
import { measureProfiles } from './measure-profiles.js';
import { withInspector } from './profiling/node-inspector.js';
import { Profiler } from './profiling/profiler.js';
import { SCHEMA_VERSION, type Results } from './model.js';
import { runSeries } from './series/http-profile.js';
import { checkReportDir } from './report/report-dir.js';
import { sourceKind } from './report/report-model.js';
import { ReportWriter, type ReportFiles } from './report/report-writer.js';
import { maskResults, maskSecrets, type Reporter } from './reporter.js';
import { formatCpuList, onGeneratorCpus, planPlacement } from './service/cpu-placement.js';
import { logTail } from './service/log-tail.js';
import { stopServices } from './service/stop-services.js';
import type { ServiceHandle } from './service/types.js';
import { VERSION } from './version.js';

export type StartService = (
  config: ServiceConfig,
  opts: { logDir: string; signal?: AbortSignal; secrets?: string[]; target?: string }
) => Promise<ServiceHandle>;

export interface GateDeps {
  load: LoadGenerator;
  startService: StartService;
  reporter: Reporter;
}

export interface GateOptions {
  /** Report directory; overrides `report.dir` of the config. */
  outDir?: string;
  /** Write the report into a non-empty directory that holds no perfgate results (`--force`). */
  force?: boolean;
  /** Trials per profile, or `auto`; overrides the config. */
  trials?: number | 'auto';
  /** Stored baseline to compare with when there is no base side: a file to read, or one already read. */
  baseline?: BaselineSource;
  /** Save this run as the baseline when it completes (`--save-baseline`). */
  saveBaseline?: string;
  /**
   * This run is a baseline run (the Action's `baseline` mode): if it completes with a verdict other
   * than fail, its results carry the history of `previous` (the baseline it replaces) on.
   */
  asBaseline?: { previous: Results | null };
  /** Notes for the report known before the run (e.g. why no stored baseline was found). */
  notes?: string[];
  signal: AbortSignal;
  /** The config path as the user gave it (for the report). */
  configLabel: string;
  env?: NodeJS.ProcessEnv;
}

export interface GateOutcome {
  results: Results;
  reportDir: string;
  files: ReportFiles;
  /** The runtime failure that ended the run early; the results hold everything measured before it. */
  error?: PerfgateError;
}

export async function runGate(
  config: ResolvedConfig,
  deps: GateDeps,
  opts: GateOptions
): Promise<GateOutcome> {
  const reportDir = path.resolve(opts.outDir ?? config.report.dir);
  checkReportDir(reportDir, {
    force: opts.force,
    option: opts.outDir !== undefined ? '--out' : `report.dir in ${config.file}`
  });
  const mask = maskSecrets(config.secrets);
  const writer = new ReportWriter(reportDir, mask);
  const results = newResults(config, opts.configLabel, opts.env ?? process.env);
  results.notes.push(...(opts.notes ?? []));
  writer.write(results);
  const save = () => writer.saveAfterTrial(results, m => deps.reporter.warn(m));
  const services: ServiceHandle[] = [];
  let profiler: Profiler | undefined;
  let error: PerfgateError | undefined;
  try {
    const profiles = config.profiles.map(p => withTrials(p, opts.trials, config));
    const baseline = loadBaseline(config, opts.baseline, results);
    const label = opts.baseline ? baselineLabel(opts.baseline) : '';
    const matchWith = baseline && ((r: Results) => matchBaseline(r, baseline, label));
    // Other tools' files first: a file that cannot be read stops the run before anything runs.
    const read = readImports(config.imports, IMPORTERS, config.file);
    const imports = importSources(read, name => matchWith?.(results).imports.get(name));
    const judged = importThresholds(read);
    results.thresholds.push(...judged.thresholds);
    results.notes.push(...judged.notes);
    if (imports.records.length > 0) results.imports = imports.records;
    checkBenchmarkDirs(config.benchmarks);
    const placed = placeService(config, deps.reporter, results);
    await startServices(config, deps, opts, reportDir, services, placed?.placement.service);
    profiler = await Profiler.start({ config, services, reportDir, results, reporter: deps.reporter });
    const family =
      gateFamily(profiles, config.benchmarks) +
      imports.groups.reduce((n, g) => n + (g.comparable ? g.keys.filter(k => k.gated).length : 0), 0);
    const measure = () =>
      measureProfiles(profiles, config, {
        load: deps.load,
        reporter: deps.reporter,
        signal: opts.signal,
        services,
        results,
        matchWith,
        save,
        family,
        ...(profiler && { profiler })
      });
    // Apart from the service, the profiles' load runs on the generator's CPUs; the benchmarks after
    // it have every CPU again.
    const measured =
      placed && profiles.length > 0
        ? await onGeneratorCpus(placed, m => deps.reporter.warn(m), measure)
        : await measure();
    const benchmarks = await measureBenchmarks(config.benchmarks, results, {
      reporter: deps.reporter,
      signal: opts.signal,
      save,
      alpha: config.statistics.alpha,
      family,
      stored: name => matchWith?.(results).benchmarks.get(name)
    });
    const match = matchWith?.(results);
    results.notes.push(...(match?.notes ?? []), ...imports.notes);
    results.comparisons = finalComparisons(
      measured,
      benchmarks,
      match,
      config.statistics.alpha,
      imports.groups
    );
    results.series = [
      ...runSeries(results.profiles, config.profiles),
      ...benchmarks.flatMap(b =>
        benchmarkKeys(b.config, b.result).map(key => benchmarkSeries(b.result, key))
      ),
      ...imports.series
    ];
    results.findings = config.findings === false ? [] : findings(results, config.findings);
    // Trends of the comparisons the stored history took part in (paired ones have none).
    const trends = baseline ? buildTrends(results, baseline, config.profiles, config.benchmarks) : [];
    if (trends.length > 0) results.trends = trends;
    warnInconclusive(results, deps.reporter);
  } catch (err) {
    error = toPerfgateError(err);
  } finally {
    await profiler?.close();
    await stopServices(services, config, deps.reporter, results);
    results.serviceLogs = services.map(s => ({
      side: s.side,
      file: path.basename(s.logFile),
      tail: logTail(s.logFile)
    }));
  }
  const keep = config.baseline?.history ?? HISTORY_DEFAULT;
  if (!error && opts.saveBaseline) {
    error = saveBaseline(opts.saveBaseline, maskResults(results, mask), deps.reporter, {
      configs: config.profiles,
      keep
    });
  }
  results.status = error ? 'failed' : 'complete';
  if (error) results.error = { kind: error.kind, message: error.message };
  else results.verdict = decideVerdict(results);
  if (opts.asBaseline) {
    const history = carryHistory(results, opts.asBaseline.previous, deps.reporter, { ...config, keep });
    if (history) analyseBaselineRun(results, history, config, deps.reporter);
  }
  // What leaves the gate (the Action's summary, comment and stores) has its secrets masked.
  return finalWrite(writer, maskResults(results, mask), error, deps.reporter);
}

/**
 * The last write of the report. When it fails (the disk filled up, the directory went away) the
 * results are still whole in memory for the terminal, and the last complete results.json stays on
 * disk (each file is replaced whole); the run becomes a failed one unless it had failed already.
 */
function finalWrite(
  writer: ReportWriter,
  results: Results,
  error: PerfgateError | undefined,
  reporter: Reporter
): GateOutcome {
  const reportDir = writer.dir;
  try {
    return { results, reportDir, files: writer.write(results), error };
  } catch (err) {
    if (error) {
      reporter.warn(describeError(err));
      return { results, reportDir, files: writer.files, error };
    }
    const failure = toPerfgateError(err);
    results.status = 'failed';
    results.error = { kind: failure.kind, message: failure.message };
    return { results, reportDir, files: writer.files, error: failure };
  }
}

/**
 * `service.cpus` on this machine: the CPUs of the service and of the load generator, recorded in the
 * results' environment; undefined when they share every CPU (asked for, or a warning says why).
 */
function placeService(config: ResolvedConfig, reporter: Reporter, results: Results) {
  if (!config.service) return undefined;
  const plan = planPlacement(config.service.cpus, `service.cpus in ${results.config}`);
  if (!plan) return undefined;
  if ('shared' in plan) {
    reporter.warn(plan.shared);
    results.notes.push(`${plan.shared}.`);
    return undefined;
  }
  const cpus = {
    service: formatCpuList(plan.placement.service),
    generator: formatCpuList(plan.placement.generator)
  };
  results.environment.cpus = cpus;
  reporter.info(`CPUs: the service on ${cpus.service}, the load generator on ${cpus.generator}`);
  return plan;
}

/**
 * Starts the head, then the base, both on `cpus` when given; each handle joins `into` at once so a
 * later failure stops it.
 */
async function startServices(
  config: ResolvedConfig,
  deps: GateDeps,
  opts: GateOptions,
  logDir: string,
  into: ServiceHandle[],
  cpus: readonly number[] | undefined
): Promise<void> {
  for (const service of [config.service, config.base?.service]) {
    if (!service) continue;
    deps.reporter.info(`starting service (${service.side}): ${service.command}`);
    const target = service.side === 'base' ? config.base?.target : config.target;
    const handle = await deps.startService(withInspector(service, config.profiling), {
      logDir,
      signal: opts.signal,
      secrets: config.secrets,
      target,
      ...(cpus && { cpus })
    });
    into.push(handle);
    deps.reporter.info(`service (${service.side}) ready (pid ${handle.pid}); log: ${handle.logFile}`);
  }
  if (config.base) deps.reporter.info(`paired mode: base ${config.base.target}, head ${config.target}`);
}

/**
 * A profile with the trials of `--trials` (a number, or `auto` with the config's `statistics.auto`);
 * `--trials auto` must fit each profile's first look into the budget, as the config check does.
 */
function withTrials(
  profile: ProfileConfig,
  trials: GateOptions['trials'],
  config: ResolvedConfig
): ProfileConfig {
  if (trials === undefined) return profile;
  if (trials !== 'auto') {
    const { auto: _, ...fixed } = profile;
    return { ...fixed, trials };
  }
  const auto = config.statistics.auto;
  const needed = firstLookMs(auto, profile.durationMs, config.base !== undefined);
  if (needed > auto.budgetMs) {
    throw new UsageError(
      `--trials auto: profile "${profile.name}" needs ${needed / 1000}s of trials before its first look, ` +
        `more than the budget of ${auto.budgetMs / 1000}s (statistics.auto.budget in ${config.file})`
    );
  }
  return { ...profile, trials: auto.min, auto };
}

function warnInconclusive(results: Results, reporter: Reporter): void {
  for (const c of gatedWith(results, 'inconclusive')) {
    const kind = sourceKind(results, c.profile);
    const unit = kind === 'benchmark' ? 'runs' : kind === 'import' ? 'measurements' : 'trials';
    reporter.warn(
      `[${c.profile}] ${c.metric}: inconclusive (${c.reason})` +
        (c.moreTrials ? `; about ${c.moreTrials} more ${unit} per side would likely settle it` : '')
    );
  }
}

function newResults(config: ResolvedConfig, configLabel: string, env: NodeJS.ProcessEnv): Results {
  const notes: string[] = [];
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'perfgate', version: VERSION },
    createdAt: new Date().toISOString(),
    status: 'running',
    git: gitInfo(path.dirname(config.file), env),
    environment: fingerprint(env),
    config: configLabel,
    configHash: config.hash,
    profiles: [],
    comparisons: [],
    thresholds: [],
    notes
  };
}

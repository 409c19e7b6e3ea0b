/**
 * The orchestrator (SPEC pipeline): service → load → thresholds → verdict, writing the report after
 * every trial. Entries hand it their implementations; it never decides an exit status.
 */
import path from 'node:path';
import type { ProfileConfig, ResolvedConfig, ServiceConfig } from './config/types.js';
import { matchBaseline } from './baseline/match.js';
import { readBaseline, writeBaseline } from './baseline/file-store.js';
import { compareProfiles } from './compare/verdicts.js';
import { fingerprint, gitInfo } from './environment.js';
import { CancelledError, PerfgateError, RuntimeError, UsageError } from './errors.js';
import type { LoadGenerator } from './load/types.js';
import { emptyProfileResult, measureProfile } from './measure-profile.js';
import { SCHEMA_VERSION, type ProfileResult, type Results, type Verdict } from './model.js';
import { ReportWriter, type ReportFiles } from './report/report-writer.js';
import { maskSecrets, type Reporter } from './reporter.js';
import type { ServiceHandle } from './service/types.js';
import { evaluateThresholds } from './thresholds/evaluate.js';
import { VERSION } from './version.js';

export type StartService = (
  config: ServiceConfig,
  opts: { logDir: string; signal?: AbortSignal; secrets?: string[] }
) => Promise<ServiceHandle>;

export interface GateDeps {
  load: LoadGenerator;
  startService: StartService;
  reporter: Reporter;
}

export interface GateOptions {
  /** Report directory; overrides `report.dir` of the config. */
  outDir?: string;
  /** Trials per profile; overrides the config. */
  trials?: number;
  /** Stored baseline to compare with when there is no base side (`--baseline`, or `baseline.path`). */
  baseline?: { file: string; required: boolean };
  /** Save this run as the baseline when it completes (`--save-baseline`). */
  saveBaseline?: string;
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
  const env = opts.env ?? process.env;
  const reportDir = path.resolve(opts.outDir ?? config.report.dir);
  const writer = new ReportWriter(reportDir, maskSecrets(config.secrets));
  const results = newResults(config, opts.configLabel, env);
  writer.write(results);
  const services: ServiceHandle[] = [];
  const targets = { head: config.target, ...(config.base && { base: config.base.target }) };
  const measured: Array<{ config: ProfileConfig; result: ProfileResult }> = [];
  let error: PerfgateError | undefined;
  try {
    const baseline = loadBaseline(config, opts, results);
    for (const service of [config.service, config.base?.service]) {
      if (!service) continue;
      deps.reporter.info(`starting service (${service.side}): ${service.command}`);
      const handle = await deps.startService(service, {
        logDir: reportDir,
        signal: opts.signal,
        secrets: config.secrets
      });
      services.push(handle);
      deps.reporter.info(`service (${service.side}) ready (pid ${handle.pid}); log: ${handle.logFile}`);
    }
    if (config.base) deps.reporter.info(`paired mode: base ${config.base.target}, head ${config.target}`);
    for (const profile of config.profiles) {
      const p = opts.trials ? { ...profile, trials: opts.trials } : profile;
      const result = emptyProfileResult(p, targets);
      results.profiles.push(result);
      const save = () => writer.write(results);
      await measureProfile(p, result, {
        load: deps.load,
        reporter: deps.reporter,
        targets,
        services,
        signal: opts.signal,
        save
      });
      results.thresholds.push(...evaluateThresholds(p, result));
      measured.push({ config: p, result });
      writer.write(results);
    }
    const match = baseline && matchBaseline(results, baseline, opts.baseline!.file);
    results.notes.push(...(match?.notes ?? []));
    results.comparisons = compareProfiles(
      measured.map(m => ({ ...m, baseline: match?.trials.get(m.config.name) })),
      config.statistics.alpha
    );
    for (const c of results.comparisons.filter(x => x.gated && x.verdict === 'inconclusive')) {
      deps.reporter.warn(
        `[${c.profile}] ${c.metric}: inconclusive (${c.reason}); about ${c.moreTrials} more trials per side would likely settle it`
      );
    }
  } catch (err) {
    error = toPerfgateError(err);
  } finally {
    for (const handle of services.reverse()) {
      if ((await handle.stop()).forced) {
        const grace = (handle.side === 'base' ? config.base?.service : config.service)?.stopTimeoutMs ?? 0;
        const note = `The service (${handle.side}) did not stop within ${grace / 1000}s of SIGTERM; its process tree was killed.`;
        deps.reporter.warn(note);
        results.notes.push(note);
      }
    }
  }
  if (error) {
    results.status = 'failed';
    results.error = { kind: error.kind, message: error.message };
  } else {
    results.status = 'complete';
    results.verdict = decideVerdict(results);
  }
  if (opts.saveBaseline && !error) {
    try {
      writeBaseline(opts.saveBaseline, results);
      deps.reporter.info(`saved as the baseline: ${opts.saveBaseline}`);
    } catch (err) {
      error = toPerfgateError(err);
    }
  }
  const files = writer.write(results);
  return { results, reportDir, files, error };
}

/** `fail` when a threshold with severity `fail` is broken or a metric regressed. */
export function decideVerdict(results: Results): Verdict {
  const gated = results.comparisons.filter(c => c.gated);
  if (results.thresholds.some(t => !t.ok && t.severity === 'fail')) return 'fail';
  if (gated.some(c => c.verdict === 'regressed')) return 'fail';
  if (gated.some(c => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
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

function toPerfgateError(err: unknown): PerfgateError {
  if (err instanceof PerfgateError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new CancelledError();
  return new RuntimeError(err instanceof Error ? (err.stack ?? err.message) : String(err));
}

/** Which findings fail the job (Action input `fail-on`, CLI `--fail-on`). */
export const FAIL_ON = ['any', 'regression', 'threshold', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Does this (complete) result fail the job under the policy? */
export function gateFails(results: Results, failOn: FailOn): boolean {
  const thresholds = results.thresholds.some(t => !t.ok && t.severity === 'fail');
  const regressions = results.comparisons.some(c => c.gated && c.verdict === 'regressed');
  switch (failOn) {
    case 'any':
      return thresholds || regressions;
    case 'threshold':
      return thresholds;
    case 'regression':
      return regressions;
    case 'never':
      return false;
  }
}

/**
 * The stored baseline to compare with, read before any load is sent so that a bad file fails fast.
 * Paired mode needs none; a missing file is an error only when it was asked for explicitly.
 */
function loadBaseline(config: ResolvedConfig, opts: GateOptions, results: Results): Results | null {
  if (!opts.baseline) {
    if (!config.base) results.notes.push('No base to compare against: only thresholds were gated.');
    return null;
  }
  if (config.base) {
    results.notes.push(`Paired mode: the stored baseline ${opts.baseline.file} was not used.`);
    return null;
  }
  const baseline = readBaseline(opts.baseline.file);
  if (!baseline && opts.baseline.required) {
    throw new UsageError(`the baseline ${opts.baseline.file} does not exist`);
  }
  if (!baseline) {
    results.notes.push(
      `No baseline at ${opts.baseline.file} yet (save one with \`perfgate run --save-baseline ${opts.baseline.file}\`): only thresholds were gated.`
    );
  }
  return baseline;
}

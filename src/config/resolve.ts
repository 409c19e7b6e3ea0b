/**
 * From the validated config to `ResolvedConfig`: defaults applied, paths made absolute against the
 * config file's directory, the readiness check chosen, profile names checked for uniqueness.
 */
import path from 'node:path';
import type {
  AutoTrials,
  BaseConfig,
  BaselineConfig,
  ImportConfig,
  ProfileConfig,
  ReadyCheck,
  ResolvedConfig,
  ServiceConfig
} from './types.js';
import { formatDuration } from './durations.js';
import type { PathIssue } from './format-issues.js';
import { resolveBenchmark } from './resolve-benchmark.js';
import { resolveProfile, type LoadDefaults, type Locator } from './resolve-profile.js';
import { resolveFindings } from './findings-schema.js';
import { resolveProfiling } from './profiling-schema.js';
import type { PathSegment } from './yaml-positions.js';
import type { ParsedConfig } from './schema.js';
import { unbracket, urlHostPort } from '../url-host-port.js';
import { DEFAULT_TAIL_ESTIMATOR } from '../stats/tail-estimate.js';

/** The settings a profile gets when neither `defaults:` nor the profile sets them. */
export const BUILT_IN_DEFAULTS: LoadDefaults = {
  connections: 10,
  warmupMs: 2_000,
  // 12 pairs of 2 s trials: a paired gate of one profile in about 58 s. Measured against 5 s
  // trials, other pair counts and `trials: auto` on the same gates (bench/gate-candidates.mjs,
  // issue 15, README "How long a paired gate takes"): A/A false fails 0 in 564 gates at 12 pairs
  // (upper 95 % bound 0.53 %), 1 in 688 at 10; on the 282 + 282 gates of 12 or more pairs, p99
  // conclusive in A/A 90.8 % quiet and 91.5 % beside a busy core (39 of 40 each since the service
  // sampler stopped making garbage during trials; at 10 pairs 81 % and 91 % of 140 + 140); 16 pairs
  // and auto (8…16) settled no more of 44 gates, 6 pairs of 4 s no more of 264; every 2δ change of
  // the median and rate caught, p99's in 23 of 24 at 10 pairs and 4 of 4 at 12.
  durationMs: 2_000,
  // Enough pairs for the exact paired test to reach alpha 0.05 over three gated metrics (≥ 6).
  trials: 12,
  timeoutMs: 10_000
};

/** `trials: auto` unless `statistics.auto` says otherwise. */
export const AUTO_DEFAULTS: AutoTrials = { min: 10, batch: 5, max: 30, budgetMs: 600_000 };

/** Change points: Apache Otava's significance level, and the window analysis/change-points.ts uses. */
export const CHANGE_POINT_DEFAULTS = { pValue: 0.001, window: 30 };

/** The significance level unless `statistics.alpha` says otherwise. */
export const DEFAULT_ALPHA = 0.05;

/** Earlier runs a saved baseline keeps unless `baseline.history` says otherwise. */
export const HISTORY_DEFAULT = 20;
/** The data branch of `baseline.store: branch`. */
export const DATA_BRANCH_DEFAULT = 'perfgate-data';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const READY_STATUS = 200;

/** Everything of `ResolvedConfig` but what depends on the environment substitution. */
export type UnhashedConfig = Omit<ResolvedConfig, 'secrets' | 'warnings' | 'hash'>;

/** Resolves a validated config read from `file` (absolute). */
export function resolveConfig(
  parsed: ParsedConfig,
  file: string,
  locator: Locator
): { config: UnhashedConfig; issues: PathIssue[] } {
  const dir = path.dirname(file);
  const issues: PathIssue[] = [];
  const defaults: LoadDefaults = {
    connections: parsed.defaults?.connections ?? BUILT_IN_DEFAULTS.connections,
    warmupMs: parsed.defaults?.warmup ?? BUILT_IN_DEFAULTS.warmupMs,
    durationMs: parsed.defaults?.duration ?? BUILT_IN_DEFAULTS.durationMs,
    trials: parsed.defaults?.trials ?? BUILT_IN_DEFAULTS.trials,
    timeoutMs: parsed.defaults?.timeout ?? BUILT_IN_DEFAULTS.timeoutMs
  };

  const auto: AutoTrials = {
    min: parsed.statistics?.auto?.min ?? AUTO_DEFAULTS.min,
    batch: parsed.statistics?.auto?.batch ?? AUTO_DEFAULTS.batch,
    max: parsed.statistics?.auto?.max ?? AUTO_DEFAULTS.max,
    budgetMs: parsed.statistics?.auto?.budget ?? AUTO_DEFAULTS.budgetMs
  };

  // Profiles and benchmarks share one namespace: results, comparisons and history are keyed by name.
  const names = new Map<string, string>();
  const unique = (name: string, kind: 'profile' | 'benchmark' | 'import', at: PathSegment[]) => {
    const earlier = names.get(name);
    if (earlier !== undefined) {
      issues.push({
        path: at,
        message: `expected a name unique among profiles, benchmarks and imports, got "${name}" again (${earlier})`
      });
    }
    names.set(name, `the ${kind} at ${locator.where(at)}`);
  };
  // Left out when it is the default, so that configs which do not change it keep their hash.
  const tail = parsed.statistics?.tail;
  const tailSetting = tail !== undefined && tail !== DEFAULT_TAIL_ESTIMATOR ? { tail } : {};
  const profiles = (parsed.profiles ?? []).map((p, i) => {
    unique(p.name, 'profile', ['profiles', i, 'name']);
    const resolved = resolveProfile(p, i, defaults, auto, locator);
    issues.push(...resolved.issues);
    return { ...resolved.profile, ...tailSetting };
  });
  const benchmarks = (parsed.benchmarks ?? []).map((b, i) => {
    unique(b.name, 'benchmark', ['benchmarks', i, 'name']);
    const resolved = resolveBenchmark(b, i, dir, auto, locator);
    issues.push(...resolved.issues);
    return resolved.benchmark;
  });
  const imports = (parsed.imports ?? []).map((entry, i): ImportConfig => {
    unique(entry.name, 'import', ['imports', i, 'name']);
    const at = ['imports', i];
    return {
      name: entry.name,
      ...(entry.format !== undefined && { format: entry.format }),
      path: path.resolve(dir, entry.path),
      pathWhere: locator.where([...at, 'path']),
      ...(entry.base !== undefined && {
        base: { path: path.resolve(dir, entry.base), where: locator.where([...at, 'base']) }
      }),
      compare: Object.entries(entry.compare ?? { '*': 0.05 }).map(([pattern, delta]) => ({ pattern, delta }))
    };
  });

  issues.push(...sourceIssues(parsed), ...baseIssues(parsed), ...autoIssues(parsed, auto, profiles));
  const profiling = resolveProfiling(parsed.profiling, parsed.service?.base !== undefined);
  issues.push(...profiling.issues);

  const findingLimits = resolveFindings(parsed.findings);
  const target = parsed.target;
  const config: UnhashedConfig = {
    version: 1,
    file,
    ...(target !== undefined && { target }),
    ...(parsed.service && target && { service: resolveService(parsed.service, target, dir, 'head') }),
    ...(parsed.service?.base && { base: resolveBase(parsed.service.base, parsed.service.cpus, dir) }),
    profiles,
    benchmarks,
    imports,
    statistics: {
      alpha: parsed.statistics?.alpha ?? DEFAULT_ALPHA,
      auto,
      changePoints: {
        pValue: parsed.statistics?.changePoints?.pValue ?? CHANGE_POINT_DEFAULTS.pValue,
        window: parsed.statistics?.changePoints?.window ?? CHANGE_POINT_DEFAULTS.window,
        ...(parsed.statistics?.changePoints?.minMagnitude !== undefined && {
          minMagnitude: parsed.statistics.changePoints.minMagnitude
        })
      },
      ...tailSetting
    },
    ...(parsed.baseline && { baseline: resolveBaseline(parsed.baseline, dir) }),
    report: {
      dir: path.resolve(dir, parsed.report?.dir ?? 'perfgate-report'),
      comment: parsed.report?.comment ?? 'on-change'
    },
    ...(profiling.profiling && { profiling: profiling.profiling }),
    ...(findingLimits !== undefined && { findings: findingLimits })
  };
  return { config, issues };
}

function resolveBaseline(parsed: NonNullable<ParsedConfig['baseline']>, dir: string): BaselineConfig {
  const common = {
    history: parsed.history ?? HISTORY_DEFAULT,
    required: parsed.required ?? false
  };
  if (parsed.store === 'branch') {
    return {
      store: 'branch',
      branch: parsed.branch ?? DATA_BRANCH_DEFAULT,
      ...(parsed.path !== undefined && { path: parsed.path }),
      ...common
    };
  }
  if (parsed.store === 'artifact') {
    return { store: 'artifact', ...(parsed.name !== undefined && { name: parsed.name }), ...common };
  }
  return { store: 'file', path: path.resolve(dir, parsed.path ?? 'perfgate-baseline.json'), ...common };
}

type ParsedService = Omit<NonNullable<ParsedConfig['service']>, 'base'>;

/** The base, placed as the head is (`service.cpus` is one setting for both sides). */
function resolveBase(
  base: NonNullable<NonNullable<ParsedConfig['service']>['base']>,
  cpus: ParsedService['cpus'],
  dir: string
): BaseConfig {
  const { command, target } = base;
  return {
    target,
    ...(command !== undefined && {
      service: resolveService({ ...base, command, cpus }, target, dir, 'base')
    })
  };
}

function resolveService(
  service: ParsedService,
  target: string,
  dir: string,
  side: 'head' | 'base'
): ServiceConfig {
  return {
    side,
    command: service.command,
    cwd: path.resolve(dir, service.cwd ?? '.'),
    env: service.env ?? {},
    ready: readyCheck(service.ready, target),
    readyTimeoutMs: service.ready?.timeout ?? READY_TIMEOUT_MS,
    stopTimeoutMs: service.stopTimeout ?? STOP_TIMEOUT_MS,
    cpus: service.cpus ?? 'shared'
  };
}

type ParsedReady = NonNullable<ParsedConfig['service']>['ready'];

/** The configured check, or by default a TCP connect to the target's host and port. */
function readyCheck(ready: ParsedReady, target: string): ReadyCheck {
  if (ready?.url !== undefined) return { kind: 'url', url: ready.url, status: ready.status ?? READY_STATUS };
  if (ready?.log !== undefined) return { kind: 'log', pattern: ready.log };
  if (ready?.tcp !== undefined) {
    const colon = ready.tcp.lastIndexOf(':');
    return {
      kind: 'tcp',
      host: unbracket(ready.tcp.slice(0, colon)),
      port: Number(ready.tcp.slice(colon + 1))
    };
  }
  return { kind: 'tcp', ...urlHostPort(new URL(target)) };
}

/**
 * A config measures something (profiles, benchmarks or both), and profiles and a service need the
 * target they load.
 */
function sourceIssues(parsed: ParsedConfig): PathIssue[] {
  if (!parsed.profiles && !parsed.benchmarks && !parsed.imports) {
    return [
      {
        path: ['profiles'],
        message: 'expected a non-empty list of profiles (or of benchmarks, or of imports), got nothing'
      }
    ];
  }
  if (parsed.target !== undefined || (!parsed.profiles && !parsed.service)) return [];
  const needs = parsed.profiles ? 'profiles load it' : 'the service is checked at it';
  return [
    {
      path: ['target'],
      message: `expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000" (${needs}), got nothing`
    }
  ];
}

/** A base must differ from the head, and a base perfgate does not start takes no start-up keys. */
function baseIssues(parsed: ParsedConfig): PathIssue[] {
  const base = parsed.service?.base;
  if (!base) return [];
  const issues: PathIssue[] = [];
  if (parsed.target !== undefined && new URL(base.target).origin === new URL(parsed.target).origin) {
    issues.push({
      path: ['service', 'base', 'target'],
      message: `expected a target different from the head's (${parsed.target}), got the same`
    });
  }
  const startKeys = (['cwd', 'env', 'ready', 'stopTimeout'] as const).filter(k => base[k] !== undefined);
  if (base.command === undefined && startKeys.length > 0) {
    issues.push({
      path: ['service', 'base'],
      message: `expected a command with ${startKeys.join(', ')}, got none (omit them when the base already runs at its target)`
    });
  }
  return issues;
}

/**
 * `statistics.auto` must allow a first look, and each profile with `trials: auto` must fit its first
 * look into the budget (a run never exceeds its time budget, SPEC §3).
 */
function autoIssues(parsed: ParsedConfig, auto: AutoTrials, profiles: ProfileConfig[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const at = ['statistics', 'auto'];
  if (auto.max < auto.min) {
    const key = parsed.statistics?.auto?.max !== undefined ? 'max' : 'min';
    issues.push({
      path: [...at, key],
      message: `expected max (${auto.max}) to be at least min (${auto.min})`
    });
    return issues;
  }
  // The looks of `auto` spend alpha over the gate's Holm family, whose size must be known before
  // the first look: a benchmark with `format:` knows its gated benchmarks only once it ran.
  const benchmarks = parsed.benchmarks ?? [];
  const formatAt = benchmarks.findIndex(b => b.format !== undefined);
  const autoBenchmark = benchmarks.findIndex(b => b.runs === 'auto');
  const autoProfile = (parsed.profiles ?? []).findIndex(p => p.trials === 'auto');
  const autoAt =
    autoBenchmark >= 0
      ? ['benchmarks', autoBenchmark, 'runs']
      : autoProfile >= 0
        ? ['profiles', autoProfile, 'trials']
        : parsed.defaults?.trials === 'auto' && profiles.some(p => p.auto)
          ? ['defaults', 'trials']
          : undefined;
  if (formatAt >= 0 && autoAt) {
    issues.push({
      path: autoAt,
      message:
        `expected a number, not "auto", beside a benchmark with format: (benchmarks[${formatAt}]): ` +
        "the sequential looks need the size of the gate's family of gated metrics before the first " +
        'look, and that benchmark names its benchmarks only once it ran'
    });
  }
  const paired = parsed.service?.base !== undefined;
  for (const [i, p] of profiles.entries()) {
    if (!p.auto) continue;
    const needed = firstLookMs(auto, p.durationMs, paired);
    if (needed <= auto.budgetMs) continue;
    const trials = needed / p.durationMs;
    const written =
      parsed.profiles?.[i]?.trials === 'auto' ? ['profiles', i, 'trials'] : ['defaults', 'trials'];
    issues.push({
      path: parsed.statistics?.auto?.budget !== undefined ? [...at, 'budget'] : written,
      message:
        `expected a budget (statistics.auto.budget, ${formatDuration(auto.budgetMs)}) of at least ` +
        `${formatDuration(needed)} for profile "${p.name}": ${trials} trials of ` +
        `${formatDuration(p.durationMs)} come before the first look`
    });
  }
  return issues;
}

/** Measured time before the first look of `trials: auto` (paired mode runs an extra warmup pair). */
export function firstLookMs(auto: AutoTrials, durationMs: number, paired: boolean): number {
  return (auto.min + (paired ? 1 : 0)) * (paired ? 2 : 1) * durationMs;
}

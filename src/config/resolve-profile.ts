/**
 * One profile of the config, resolved: inherited settings applied, requests named, thresholds and
 * compare keys parsed, and the cross-references the schema cannot see checked (unique request
 * names, `{request:NAME}` naming a request of this profile).
 */
import { parseMetricSelector, parseThreshold, type MetricSelector } from '../thresholds/parse-threshold.js';
import type { PathIssue } from './format-issues.js';
import { selectorText } from '../thresholds/parse-threshold.js';
import { parseCompareKey } from '../thresholds/compare-key.js';
import { thresholdSource, type ThresholdItem } from './metric-checks.js';
import type { SourceKind } from '../thresholds/metrics.js';
import { resolveSchedule } from './schedule.js';
import type { ParsedConfig } from './schema.js';
import type { AutoTrials, ProfileConfig, RequestSpec, ThresholdSpec } from './types.js';
import type { PathSegment, Position } from './yaml-positions.js';

type ParsedProfile = NonNullable<ParsedConfig['profiles']>[number];
type ParsedRequest = NonNullable<ParsedProfile['requests']>[number];

/** The settings a profile inherits: built-in defaults overridden by `defaults:`. */
export type LoadDefaults = Pick<ProfileConfig, 'connections' | 'warmupMs' | 'durationMs' | 'timeoutMs'> & {
  trials: number | 'auto';
};

/** Where nodes of the config file are. */
export interface Locator {
  /** `file:line:col` of the value at a key path. */
  where(path: PathSegment[]): string;
  /** Line and column of the value (or the key) at a key path. */
  position(path: PathSegment[], at?: 'key' | 'value'): Position;
}

/** What the parts of a profile's resolution share. */
interface Context {
  profile: ParsedProfile;
  /** Path of the profile: `['profiles', index]`. */
  at: PathSegment[];
  /** Names of the profile's requests. */
  requests: Set<string>;
  locator: Locator;
  issues: PathIssue[];
}

/** Resolves `profiles[index]`; problems are returned, not thrown, so all of them are reported at once. */
export function resolveProfile(
  profile: ParsedProfile,
  index: number,
  defaults: LoadDefaults,
  auto: AutoTrials,
  locator: Locator
): { profile: ProfileConfig; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const at = ['profiles', index];
  const trials = profile.trials ?? defaults.trials;
  const requests = resolveRequests(profile, at, issues);
  const ctx: Context = { profile, at, requests: new Set(requests.map(r => r.name)), locator, issues };
  const connections = profile.connections ?? defaults.connections;
  const { schedule, issues: scheduleIssues } = resolveSchedule(
    profile,
    connections,
    profile.duration ?? defaults.durationMs,
    at
  );
  issues.push(...scheduleIssues);
  return {
    profile: {
      name: profile.name,
      ...schedule,
      connections,
      warmupMs: profile.warmup ?? defaults.warmupMs,
      ...(trials === 'auto' ? { trials: auto.min, auto } : { trials }),
      timeoutMs: profile.timeout ?? defaults.timeoutMs,
      requests,
      thresholds: resolveThresholds(ctx),
      compare: resolveCompare(ctx)
    },
    issues
  };
}

function resolveRequests(profile: ParsedProfile, at: PathSegment[], issues: PathIssue[]): RequestSpec[] {
  const requests = (profile.requests ?? [{ path: '/' }]).map(toRequestSpec);
  const seen = new Set<string>();
  requests.forEach((request, j) => {
    if (seen.has(request.name)) {
      const named = profile.requests?.[j]?.name !== undefined;
      issues.push({
        path: named ? [...at, 'requests', j, 'name'] : [...at, 'requests', j],
        message:
          `expected a request name unique within the profile, got "${request.name}" again` +
          (named ? '' : ' (a request without a name is called "METHOD path"; give it a name)')
      });
    }
    seen.add(request.name);
  });
  return requests;
}

function toRequestSpec(request: ParsedRequest): RequestSpec {
  const method = request.method ?? 'GET';
  return {
    name: request.name ?? `${method} ${request.path}`,
    method,
    path: request.path,
    headers: request.headers ?? {},
    ...(request.body !== undefined && { body: request.body }),
    weight: request.weight ?? 1,
    expectStatus: request.expect?.status ?? [],
    ...(request.expect?.body !== undefined && { expectBody: request.expect.body })
  };
}

function resolveThresholds(ctx: Context): ThresholdSpec[] {
  return resolveThresholdMap(ctx.profile.thresholds ?? {}, [...ctx.at, 'thresholds'], ctx.locator, {
    source: 'profile',
    accept: (selector, path) => requestTagExists(ctx, selector, path)
  });
}

/**
 * A `thresholds:` map (at `base`) resolved, in the order written: each expression parsed, with its
 * place in the file. Selectors `accept` refuses (it adds the issue) are left out, as are those the
 * schema already reported.
 */
export function resolveThresholdMap(
  map: Record<string, readonly ThresholdItem[] | undefined>,
  base: PathSegment[],
  locator: Locator,
  opts: { source: SourceKind; accept?: (selector: MetricSelector, path: PathSegment[]) => boolean }
): ThresholdSpec[] {
  // The schema lists known metrics before tagged ones; the evaluator wants them in written order.
  const keys = Object.keys(map)
    .map(key => ({ key, pos: locator.position([...base, key], 'key') }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
    .map(({ key }) => key);
  return keys.flatMap(key => {
    const selector = parseMetricSelector(key, opts.source);
    const path = [...base, key];
    if (!selector.ok || (opts.accept && !opts.accept(selector.value, path))) return [];
    return (map[key] ?? []).flatMap((item, i): ThresholdSpec[] => {
      const { source, subPath } = thresholdSource(item);
      const parsed = parseThreshold(selector.value.name, source);
      if (!parsed.ok) return []; // the schema reported it
      return [
        {
          metric: selectorText(selector.value),
          source,
          parsed: parsed.value,
          severity: typeof item === 'string' ? 'fail' : (item.severity ?? 'fail'),
          where: locator.where([...path, i, ...subPath])
        }
      ];
    });
  });
}

function resolveCompare(ctx: Context): Record<string, number> {
  const compare: Record<string, number> = {};
  for (const [key, delta] of Object.entries(ctx.profile.compare ?? {})) {
    const parsed = parseCompareKey(key);
    const path = [...ctx.at, 'compare', key];
    if (!parsed.ok || !requestTagExists(ctx, parsed.value.selector, path)) continue;
    if (parsed.value.key in compare) {
      ctx.issues.push({
        path,
        at: 'key',
        message: `expected each compare key once, got "${parsed.value.key}" again`
      });
    }
    compare[parsed.value.key] = delta;
  }
  return compare;
}

/** A selector narrowed to a request must name one of this profile's requests. */
function requestTagExists(ctx: Context, selector: MetricSelector, path: PathSegment[]): boolean {
  const tag = selector.tags.request;
  if (tag === undefined || ctx.requests.has(tag)) return true;
  const names = [...ctx.requests].map(n => `"${n}"`).join(', ');
  ctx.issues.push({
    path,
    at: 'key',
    message: `expected a request of profile "${ctx.profile.name}" (${names}), got "${tag}"`
  });
  return false;
}

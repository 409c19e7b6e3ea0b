/**
 * k6's end-of-test summaries (grafana/k6): the `data` a script's `handleSummary(data)` receives and
 * writes as JSON (`metrics[name] = { type, contains, values, thresholds: { expr: { ok } } }`), and
 * `--summary-export`, the same passed through `oldJSONSummary` (internal/js/summary-wrapper.js):
 * each metric's `values` flattened, without `type` or `contains`, a Rate's `rate` renamed `value`,
 * and `thresholds: { expr: !ok }` — `true` means FAILED. Each k6 metric (submetrics included, named
 * exactly, `http_req_duration{expected_response:true}`) is one benchmark whose aggregations are
 * single values; each check of `root_group` is one more, `checks{check:NAME}`. What k6 judged itself
 * — each threshold's outcome and the value its expression reads, each check's passes and fails —
 * comes from `judged` (the gate's use: imports/import-thresholds.ts).
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type {
  ImportedBenchmark,
  ImportedCheck,
  ImportedMetric,
  ImportedThreshold,
  Importer
} from './types.js';

const FORMAT = 'k6';

type Kind = 'trend' | 'counter' | 'rate' | 'gauge';
type Contains = 'time' | 'data' | 'default';

const handleSummaryMetric = z.object({
  type: z.enum(['trend', 'counter', 'rate', 'gauge']),
  contains: z.enum(['time', 'data', 'default']),
  values: z.record(z.string(), z.unknown()),
  thresholds: z.record(z.string(), z.object({ ok: z.boolean() })).optional()
});
const exportMetric = z.looseObject({ thresholds: z.record(z.string(), z.boolean()).optional() });

interface Check {
  name: string;
  passes: number;
  fails: number;
}
const checkSchema = z.object({ name: z.string(), passes: z.number(), fails: z.number() });
/** A group: checks and sub-groups as arrays (handleSummary) or objects keyed by name (export). */
interface Group {
  path?: string;
  groups?: Group[] | Record<string, Group>;
  checks?: Check[] | Record<string, Check>;
}
const groupSchema: z.ZodType<Group> = z.lazy(() =>
  z.object({
    path: z.string().optional(),
    groups: z.union([z.array(groupSchema), z.record(z.string(), groupSchema)]).optional(),
    checks: z.union([z.array(checkSchema), z.record(z.string(), checkSchema)]).optional()
  })
);

const fileSchema = z.object({
  root_group: groupSchema.optional(),
  metrics: z.record(z.string(), z.union([handleSummaryMetric, exportMetric]))
});

/** A metric read from either shape: what it is, its values, and its thresholds with their outcome. */
interface K6Metric {
  kind: Kind;
  contains: Contains;
  values: Record<string, unknown>;
  thresholds: Record<string, boolean>;
}

/** Built-in metrics whose unit `--summary-export` no longer says (k6's `contains`). */
const BUILTIN_CONTAINS: Readonly<Record<string, Contains>> = Object.fromEntries([
  ...['data_received', 'data_sent', 'browser_data_received', 'browser_data_sent'].map(n => [n, 'data']),
  ...[
    'http_req_duration',
    'http_req_blocked',
    'http_req_connecting',
    'http_req_tls_handshaking',
    'http_req_sending',
    'http_req_waiting',
    'http_req_receiving',
    'iteration_duration',
    'group_duration',
    'ws_connecting',
    'ws_session_duration',
    'ws_ping',
    'grpc_req_duration',
    'browser_http_req_duration',
    'browser_web_vital_fcp',
    'browser_web_vital_lcp',
    'browser_web_vital_ttfb',
    'browser_web_vital_inp',
    'browser_web_vital_fid'
  ].map(n => [n, 'time'])
]) as Record<string, Contains>;

/** Counters and rates that count what went wrong: fewer is better (k6 does not say). */
const BAD = /fail|error|drop|timeout|reject/i;

function readMetric(name: string, raw: Record<string, unknown>, file: string): K6Metric {
  const parsed = handleSummaryMetric.safeParse(raw);
  if (parsed.success) {
    const { type, contains, values, thresholds = {} } = parsed.data;
    return { kind: type, contains, values, thresholds: mapValues(thresholds, t => t.ok) };
  }
  const { thresholds = {}, ...values } = raw as { thresholds?: Record<string, boolean> } & Record<
    string,
    unknown
  >;
  const has = (...keys: string[]): boolean => keys.every(k => k in values);
  const base = name.replace(/\{.*$/, '');
  const contains = BUILTIN_CONTAINS[base] ?? 'default';
  const ok = mapValues(thresholds, failed => !failed);
  if (has('passes', 'fails', 'value')) {
    const { value, ...rest } = values;
    return { kind: 'rate', contains, values: { rate: value, ...rest }, thresholds: ok };
  }
  if (has('count', 'rate')) return { kind: 'counter', contains, values, thresholds: ok };
  if (
    Object.keys(values).some(k => ['avg', 'med', 'min', 'max'].includes(k) || /^p\(/.test(k)) &&
    !has('value')
  ) {
    return { kind: 'trend', contains, values, thresholds: ok };
  }
  if (has('value', 'min', 'max')) return { kind: 'gauge', contains, values, thresholds: ok };
  throw new ImportError(
    file,
    jsonPath(['metrics', name]),
    FORMAT,
    'not a k6 metric: expected the values of a trend (avg, med, p(95)…), a counter (count, rate), a rate (value, passes, fails) or a gauge (value, min, max)'
  );
}

function mapValues<T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** The unit of a value that `contains` `time` (ms → ns), `data` (B) or nothing in particular. */
function scaled(value: number, contains: Contains, perSecond: boolean): { value: number; unit: string } {
  if (contains === 'time') return { value: value * 1e6, unit: perSecond ? 'ns/s' : 'ns' };
  if (contains === 'data') return { value, unit: perSecond ? 'B/s' : 'B' };
  return { value, unit: perSecond ? 'ops/s' : 'count' };
}

/** Which aggregation comes first: what `compare: { '*': … }` gates. */
const PRIMARY: Readonly<Record<Kind, string[]>> = {
  trend: ['med', 'avg'],
  counter: ['rate', 'count'],
  rate: ['rate'],
  gauge: ['value']
};

function metricsOf(name: string, m: K6Metric, file: string): ImportedMetric[] {
  const base = name.replace(/\{.*$/, '');
  const bad = base === 'http_req_failed' || BAD.test(base);
  const keys = Object.keys(m.values);
  const first = PRIMARY[m.kind].find(k => keys.includes(k));
  const ordered = first ? [first, ...keys.filter(k => k !== first)] : keys;
  return ordered.map(key => {
    const raw = measurement(m.values[key], ['metrics', name, key], file, FORMAT);
    if (m.kind === 'rate') {
      // `passes` counts the non-zero samples: in http_req_failed, the failed requests.
      if (key === 'rate') return { name: key, unit: 'ratio', better: bad ? 'lower' : 'higher', value: raw };
      const worse = key === 'passes' ? bad : !bad;
      return { name: key, unit: 'count', better: worse ? 'lower' : 'higher', value: raw };
    }
    if (m.kind === 'trend') {
      if (key === 'count') return { name: key, unit: 'count', better: 'higher', value: raw };
      const { value, unit } = scaled(raw, m.contains, false);
      return { name: key, unit: unit === 'count' ? 'unitless' : unit, better: 'lower', value };
    }
    const { value, unit } = scaled(raw, m.contains, m.kind === 'counter' && key === 'rate');
    const better =
      m.kind === 'counter' ? (bad ? 'lower' : 'higher') : base.startsWith('vus') ? 'higher' : 'lower';
    return { name: key, unit: m.kind === 'gauge' && unit === 'count' ? 'unitless' : unit, better, value };
  });
}

/** Every check of a group and its sub-groups, with the k6 tags that select it and its group's path. */
function checksOf(
  group: Group | undefined,
  out: Array<{ name: string; check: Check; group?: string }> = []
): typeof out {
  if (!group) return out;
  const list = <T>(x: T[] | Record<string, T> | undefined): T[] =>
    Array.isArray(x) ? x : Object.values(x ?? {});
  for (const check of list(group.checks)) {
    const tags = group.path ? `group:${group.path},check:${check.name}` : `check:${check.name}`;
    out.push({ name: `checks{${tags}}`, check, ...(group.path && { group: group.path }) });
  }
  for (const sub of list(group.groups)) checksOf(sub, out);
  return out;
}

function read(
  text: string,
  file: string
): { metrics: Array<{ name: string; metric: K6Metric }>; root?: Group } {
  const { metrics, root_group } = readShape(fileSchema, readJson(text, file, FORMAT), file, FORMAT);
  const names = Object.keys(metrics);
  if (names.length === 0)
    throw new ImportError(file, '$.metrics', FORMAT, 'no metrics: the summary lists none');
  return {
    metrics: names.map(name => ({
      name,
      metric: readMetric(name, metrics[name] as Record<string, unknown>, file)
    })),
    root: root_group
  };
}

function parse(text: string, file: string): ImportedBenchmark[] {
  const { metrics, root } = read(text, file);
  const benchmarks = metrics.map(({ name, metric }) => ({ name, metrics: metricsOf(name, metric, file) }));
  const known = new Set(benchmarks.map(b => b.name));
  for (const { name, check } of checksOf(root)) {
    if (known.has(name)) continue; // a threshold on it made k6 write it as a submetric already
    const total = check.passes + check.fails;
    benchmarks.push({
      name,
      metrics: [
        ...(total > 0
          ? [{ name: 'rate', unit: 'ratio', better: 'higher' as const, value: check.passes / total }]
          : []),
        { name: 'passes', unit: 'count', better: 'higher', value: check.passes },
        { name: 'fails', unit: 'count', better: 'lower', value: check.fails }
      ]
    });
  }
  return benchmarks;
}

/**
 * The thresholds of a k6 summary (either shape) as k6 judged them, each with the value its
 * expression reads where the summary has it (`p(99)` is not in a default `--summary-export`), in
 * k6's own units (milliseconds for times), and the checks of every group with their counts.
 */
export function k6Judged(
  text: string,
  file: string
): { thresholds: ImportedThreshold[]; checks: ImportedCheck[] } {
  const { metrics, root } = read(text, file);
  const thresholds = metrics.flatMap(({ name, metric }) =>
    Object.entries(metric.thresholds).map(([expression, ok]): ImportedThreshold => {
      const aggregation = aggregationOf(expression);
      const observed = aggregation === undefined ? undefined : valueOf(metric.values, aggregation);
      return {
        metric: name,
        expression,
        ok,
        observed: observed ?? null,
        unit: aggregation === undefined ? '' : unitOf(name, metric, aggregation),
        where: jsonPath(['metrics', name, 'thresholds', expression])
      };
    })
  );
  const checks = checksOf(root).map(({ check, group }) => ({
    name: check.name,
    ...(group && { group }),
    passes: check.passes,
    fails: check.fails
  }));
  return { thresholds, checks };
}

/** The aggregation a k6 threshold expression reads: `p(95)` of `p(95) < 500`, `rate` of `rate<0.01`. */
function aggregationOf(expression: string): string | undefined {
  const m = /^\s*(.+?)\s*(?:<=|>=|===|==|!=|<|>)/.exec(expression);
  return m ? m[1]!.replace(/\s+/g, '') : undefined;
}

/** The value of `aggregation` in a metric's values (`p(95.0)` found as `p(95)`), if it is a number. */
function valueOf(values: Record<string, unknown>, aggregation: string): number | undefined {
  const pct = /^p\(([\d.]+)\)$/.exec(aggregation);
  const raw = values[aggregation] ?? (pct ? values[`p(${Number(pct[1])})`] : undefined);
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
}

/** The unit k6 measures `aggregation` of a metric in, as the reports format it. */
function unitOf(name: string, m: K6Metric, aggregation: string): string {
  const data = m.contains === 'data';
  if (m.kind === 'rate') return aggregation === 'rate' ? 'ratio' : 'count';
  if (m.kind === 'counter' && aggregation === 'rate') {
    return data ? 'B/s' : name.replace(/\{.*$/, '') === 'http_reqs' ? 'req/s' : '/s';
  }
  if (m.kind === 'counter' || (m.kind === 'trend' && aggregation === 'count'))
    return data ? 'bytes' : 'count';
  return m.contains === 'time' ? 'ms' : data ? 'bytes' : '';
}

/** k6 summaries: `--summary-export` and `handleSummary(data)` JSON. */
export const k6Importer: Importer = {
  format: FORMAT,
  description: 'k6 end-of-test summary JSON (--summary-export, or handleSummary data)',
  detect(text: string): number {
    const head = text
      .slice(0, 65536)
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (!head.startsWith('{') || !/"metrics"\s*:\s*\{/.test(head)) return 0;
    if (/"root_group"\s*:/.test(head)) return 0.95;
    return /"(http_req_duration|iteration_duration|vus_max|data_received|iterations)"\s*:\s*\{/.test(head)
      ? 0.9
      : 0;
  },
  parse,
  judged: k6Judged
};

/**
 * Parser for k6's threshold grammar: `<aggregation> <operator> <value>`, e.g. `p(95)<250`,
 * `avg<=100ms`, `rate<0.01`, `count>0`, `max<2s`. Values of duration metrics accept the units
 * `us`/`µs`, `ms`, `s`, `m` (a bare number is milliseconds, as in k6); rates accept `%`.
 * Pure: returns a parsed expression or a message saying what was expected and what was found.
 */
import {
  AGGREGATIONS,
  METRIC_TAGS,
  METRICS,
  metricsOf,
  type MetricInfo,
  type SourceKind
} from './metrics.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Aggregation =
  { kind: 'avg' | 'min' | 'med' | 'max' | 'rate' | 'count' } | { kind: 'percentile'; p: number };

export interface ThresholdExpression {
  aggregation: Aggregation;
  operator: Operator;
  /** Threshold value in the metric's unit (ms for durations, a 0–1 ratio for rates). */
  value: number;
}

export interface MetricSelector {
  /** Base metric name, e.g. `http_req_duration`. */
  name: string;
  /** Tag filter, e.g. `{ request: 'create-item' }`. */
  tags: Record<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const EXPRESSION = /^\s*([a-z][a-z0-9]*(?:\(\s*[^)]*\))?)\s*(<=|>=|===|==|!==|!=|<|>)\s*(.*?)\s*$/;
const SELECTOR = /^([a-z_][a-z0-9_]*)(?:\{([^}]*)\})?$/;
const DURATION_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000 };
/** Sizes are binary, as `ps` and `top` count memory: 1 MB = 1 MiB = 1024² bytes. */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3
};

/**
 * Parses `http_req_duration` or `http_req_duration{request:create-item}` — a metric of `source`'s
 * kind (a profile's thresholds name HTTP and service metrics, a benchmark's its runs' metrics).
 */
export function parseMetricSelector(text: string, source: SourceKind = 'profile'): Parsed<MetricSelector> {
  const m = SELECTOR.exec(text.trim());
  const known = metricsOf(source);
  const example =
    source === 'profile' ? '"http_req_duration" or "http_req_duration{request:NAME}"' : '"wall_time"';
  if (!m) return fail(`expected a metric name like ${example}, got "${text}"`);
  const name = m[1]!;
  if (!known[name]) {
    const elsewhere = METRICS[name] ? ` (${name} is a metric of ${METRICS[name].source}s)` : '';
    return fail(`expected one of ${Object.keys(known).join(', ')}, got "${name}"${elsewhere}`);
  }
  const tags: Record<string, string> = {};
  if (m[2] !== undefined) {
    if (source === 'benchmark') return fail(`expected ${name} without tags, got "{${m[2]}}"`);
    for (const part of m[2].split(',')) {
      const idx = part.indexOf(':');
      const key = part.slice(0, idx).trim();
      const value = part.slice(idx + 1).trim();
      if (idx < 0 || !key || !value) return fail(`expected tags as {request:NAME}, got "{${m[2]}}"`);
      if (!(METRIC_TAGS as readonly string[]).includes(key)) {
        return fail(`expected a tag among ${METRIC_TAGS.join(', ')}, got "${key}"`);
      }
      if (!known[name]!.perRequest) {
        return fail(
          `expected ${name} without tags (it is measured on the service, not per request), got "{${m[2]}}"`
        );
      }
      tags[key] = value;
    }
  }
  return { ok: true, value: { name, tags } };
}

/** Parses one threshold expression for the given metric. */
export function parseThreshold(metricName: string, text: string): Parsed<ThresholdExpression> {
  const info = METRICS[metricName];
  if (!info) return fail(`unknown metric "${metricName}"`);
  const allowed = AGGREGATIONS[info.type].join(', ');
  const m = EXPRESSION.exec(text);
  if (!m) {
    return fail(
      `expected an expression like "${example(info)}" (aggregation, operator, value), got "${text}"`
    );
  }
  const aggregation = parseAggregation(m[1]!);
  if (!aggregation.ok) return fail(`${aggregation.message} in "${text}"; ${metricName} allows ${allowed}`);
  if (!aggregationAllowed(metricName, aggregation.value)) {
    return fail(`${metricName} allows ${allowed}, got "${m[1]}" in "${text}"`);
  }
  const operator = normaliseOperator(m[2]!);
  const value = parseValue(info, aggregation.value, m[3]!);
  if (!value.ok) return fail(`${value.message} in "${text}"`);
  return { ok: true, value: { aggregation: aggregation.value, operator, value: value.value } };
}

/** Parses `avg`, `min`, `med`, `max`, `rate`, `count` or `p(N)` (N from 0 to 100). */
export function parseAggregation(text: string): Parsed<Aggregation> {
  const compact = text.replace(/\s+/g, '');
  const p = /^p\((.*)\)$/.exec(compact);
  if (p) {
    const n = Number(p[1]);
    if (p[1] === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      return fail(`expected a percentile p(N) with N from 0 to 100, got "${text}"`);
    }
    return { ok: true, value: { kind: 'percentile', p: n } };
  }
  if (['avg', 'min', 'med', 'max', 'rate', 'count'].includes(compact)) {
    return { ok: true, value: { kind: compact as 'avg' } };
  }
  return fail(`unknown aggregation "${text}"`);
}

/** Does the metric's type allow this aggregation (k6: Trend, Rate, Counter)? */
export function aggregationAllowed(metricName: string, agg: Aggregation): boolean {
  const info = METRICS[metricName];
  return (
    info !== undefined && AGGREGATIONS[info.type].includes(agg.kind === 'percentile' ? 'p(N)' : agg.kind)
  );
}

/** Canonical text of an aggregation: `p(99)`, `med`. */
export function aggregationText(agg: Aggregation): string {
  return agg.kind === 'percentile' ? `p(${agg.p})` : agg.kind;
}

/** Canonical text of a selector: `http_req_duration{request:create}`. */
export function selectorText(selector: MetricSelector): string {
  const tags = Object.entries(selector.tags).map(([k, v]) => `${k}:${v}`);
  return tags.length ? `${selector.name}{${tags.join(',')}}` : selector.name;
}

function normaliseOperator(op: string): Operator {
  if (op === '===') return '==';
  if (op === '!==') return '!=';
  return op as Operator;
}

function parseValue(info: MetricInfo, agg: Aggregation, text: string): Parsed<number> {
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zµ%/]*)$/i.exec(text);
  if (!m) return fail(`expected a number${unitHint(info, agg)}, got "${text}"`);
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (n < 0) return fail(`expected a value of 0 or more, got "${text}"`);
  if (info.unit === 'percent') {
    return unit === '' || unit === '%'
      ? { ok: true, value: n }
      : fail(`expected a percentage like 80 or 80%, got "${text}"`);
  }
  if (info.unit === 'bytes') {
    const factor = unit === '' ? 1 : SIZE_UNITS[unit];
    if (factor === undefined) return fail(`expected a size unit (B, KB, MB, GB), got "${m[2]}"`);
    return { ok: true, value: n * factor };
  }
  if (info.type === 'trend') {
    if (unit === '') return { ok: true, value: n };
    const factor = DURATION_UNITS[unit];
    if (factor === undefined) return fail(`expected a duration unit (us, ms, s, m), got "${m[2]}"`);
    return { ok: true, value: n * factor };
  }
  if (agg.kind === 'rate' && info.type === 'rate') {
    if (unit === '%')
      return n <= 100 ? { ok: true, value: n / 100 } : fail(`expected at most 100%, got "${text}"`);
    if (unit !== '') return fail(`expected a ratio like 0.01 or 1%, got "${text}"`);
    return n <= 1
      ? { ok: true, value: n }
      : fail(`expected a ratio from 0 to 1 (or a percentage like 1%), got "${text}"`);
  }
  if (agg.kind === 'rate') {
    return unit === '' || unit === '/s'
      ? { ok: true, value: n }
      : fail(`expected requests per second like 100 or 100/s, got "${text}"`);
  }
  return unit === '' ? { ok: true, value: n } : fail(`expected a plain count, got "${text}"`);
}

function unitHint(info: MetricInfo, agg: Aggregation): string {
  if (info.unit === 'percent') return ' (a percentage, 80 or 80%)';
  if (info.unit === 'bytes') return ' with an optional size unit (300MB, 1.5GB)';
  if (info.type === 'trend') return ' with an optional unit (250, 250ms, 2s)';
  if (info.type === 'rate') return ' from 0 to 1 or a percentage (0.01, 1%)';
  return agg.kind === 'rate' ? ' of requests per second (100 or 100/s)' : '';
}

function example(info: MetricInfo): string {
  if (info.unit === 'percent') return 'avg<80';
  if (info.unit === 'bytes') return 'max<300MB';
  if (info.type === 'trend') return 'p(95)<250';
  if (info.type === 'rate') return 'rate<0.01';
  return 'rate>100';
}

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}

/** Applies the operator: is the observed value within the threshold? */
export function holds(observed: number, expr: ThresholdExpression): boolean {
  switch (expr.operator) {
    case '<':
      return observed < expr.value;
    case '<=':
      return observed <= expr.value;
    case '>':
      return observed > expr.value;
    case '>=':
      return observed >= expr.value;
    case '==':
      return observed === expr.value;
    case '!=':
      return observed !== expr.value;
  }
}

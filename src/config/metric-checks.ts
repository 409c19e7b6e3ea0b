/**
 * Checks of the metric-related keys of a profile: threshold selectors and expressions, and compare
 * keys. They go through the threshold parser (thresholds/parse-threshold.ts) and its metric table,
 * so the config accepts exactly what the evaluator understands.
 */
import { AGGREGATIONS, METRICS } from '../thresholds/metrics.js';
import {
  parseMetricSelector,
  parseThreshold,
  type MetricSelector,
  type Parsed
} from '../thresholds/parse-threshold.js';

/** A threshold as written: an expression, or an expression with a severity. */
export type ThresholdItem = string | { threshold: string; severity?: 'warn' | 'fail' | undefined };

/** A problem found by a refinement, relative to the checked map. `at: 'key'` points at the key. */
export interface KeyedIssue {
  path: Array<string | number>;
  message: string;
  params?: { at: 'key' };
}

/** Canonical text of a selector, as the evaluator parses it: `http_req_duration{request:create}`. */
export function selectorText(selector: MetricSelector): string {
  const tags = Object.entries(selector.tags).map(([k, v]) => `${k}:${v}`);
  return tags.length ? `${selector.name}{${tags.join(',')}}` : selector.name;
}

/** The expression of a threshold item, and where it sits relative to the item. */
export function thresholdSource(item: ThresholdItem): { source: string; subPath: string[] } {
  return typeof item === 'string'
    ? { source: item, subPath: [] }
    : { source: item.threshold, subPath: ['threshold'] };
}

/** Issues of a `thresholds:` map: unknown metrics or tags (at the key), bad expressions (at the item). */
export function thresholdIssues(
  thresholds: Record<string, readonly ThresholdItem[] | undefined>
): KeyedIssue[] {
  const issues: KeyedIssue[] = [];
  for (const [key, items] of Object.entries(thresholds)) {
    const selector = parseMetricSelector(key);
    if (!selector.ok) {
      issues.push({ path: [key], message: selector.message, params: { at: 'key' } });
      continue;
    }
    (items ?? []).forEach((item, i) => {
      const { source, subPath } = thresholdSource(item);
      const parsed = parseThreshold(selector.value.name, source);
      if (!parsed.ok) issues.push({ path: [key, i, ...subPath], message: parsed.message });
    });
  }
  return issues;
}

/** A parsed compare key `<selector>.<aggregation>`. */
export interface CompareKey {
  selector: MetricSelector;
  /** Canonical key, e.g. `http_req_duration{request:create}.p(99)`. */
  key: string;
}

const COMPARE_KEY = /^\s*([a-z_][a-z0-9_]*(?:\{[^}]*\})?)\.(.*?)\s*$/;

/** Parses `http_req_duration.p(99)`, `http_reqs.rate`, `http_req_duration{request:hello}.med`. */
export function parseCompareKey(text: string): Parsed<CompareKey> {
  const m = COMPARE_KEY.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `expected "metric.aggregation" like "http_req_duration.p(95)" or "http_reqs.rate", got "${text}"`
    };
  }
  const selector = parseMetricSelector(m[1]!);
  if (!selector.ok) return selector;
  const aggregation = parseAggregation(selector.value.name, m[2]!);
  if (!aggregation.ok) return aggregation;
  return {
    ok: true,
    value: { selector: selector.value, key: `${selectorText(selector.value)}.${aggregation.value}` }
  };
}

/** The aggregation rules of the threshold parser: the metric type's list, percentiles 0–100. */
function parseAggregation(metric: string, text: string): Parsed<string> {
  const type = METRICS[metric]!.type;
  const allowed = AGGREGATIONS[type];
  const compact = text.replace(/\s+/g, '');
  const p = /^p\((.*)\)$/.exec(compact);
  if (p) {
    const n = Number(p[1]);
    if (p[1] === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      return { ok: false, message: `expected a percentile p(N) with N from 0 to 100, got "${text}"` };
    }
    if (allowed.includes('p(N)')) return { ok: true, value: `p(${n})` };
  } else if (allowed.includes(compact)) {
    return { ok: true, value: compact };
  }
  return {
    ok: false,
    message: `expected an aggregation of ${metric} (${allowed.join(', ')}), got "${text}"`
  };
}

/** Issues of a `compare:` map: keys that are not `metric.aggregation` (at the key). */
export function compareIssues(compare: Record<string, unknown>): KeyedIssue[] {
  return Object.keys(compare).flatMap(key => {
    const parsed = parseCompareKey(key);
    return parsed.ok ? [] : [{ path: [key], message: parsed.message, params: { at: 'key' as const } }];
  });
}

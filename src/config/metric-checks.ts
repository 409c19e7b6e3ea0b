/**
 * Checks of the metric-related keys of a profile: threshold selectors and expressions, and compare
 * keys. They go through the threshold parser (thresholds/parse-threshold.ts) and its metric table,
 * so the config accepts exactly what the evaluator understands.
 */
import { AGGREGATIONS, METRICS } from '../thresholds/metrics.js';
import {
  aggregationAllowed,
  aggregationText,
  parseAggregation,
  parseMetricSelector,
  parseThreshold,
  selectorText,
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
  const aggregation = compareAggregation(selector.value.name, m[2]!);
  if (!aggregation.ok) return aggregation;
  return {
    ok: true,
    value: { selector: selector.value, key: `${selectorText(selector.value)}.${aggregation.value}` }
  };
}

/** A compare key's aggregation, by the threshold parser's rules, in canonical form (`p(99)`). */
function compareAggregation(metric: string, text: string): Parsed<string> {
  const parsed = parseAggregation(text);
  if (parsed.ok && aggregationAllowed(metric, parsed.value))
    return { ok: true, value: aggregationText(parsed.value) };
  if (!parsed.ok && /^p\(/.test(text.replace(/\s+/g, ''))) return parsed; // a malformed percentile says so
  const allowed = AGGREGATIONS[METRICS[metric]!.type];
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

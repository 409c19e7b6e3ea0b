/**
 * Checks of the metric-related keys of a profile: threshold selectors and expressions, and compare
 * keys. They go through the threshold parser (thresholds/parse-threshold.ts) and its metric table,
 * so the config accepts exactly what the evaluator understands.
 */
import { parseCompareKey } from '../thresholds/compare-key.js';
import type { SourceKind } from '../thresholds/metrics.js';
import { parseMetricSelector, parseThreshold } from '../thresholds/parse-threshold.js';

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
  thresholds: Record<string, readonly ThresholdItem[] | undefined>,
  source: SourceKind = 'profile'
): KeyedIssue[] {
  const issues: KeyedIssue[] = [];
  for (const [key, items] of Object.entries(thresholds)) {
    const selector = parseMetricSelector(key, source);
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

/** Issues of a `compare:` map: keys that are not `metric.aggregation` (at the key). */
export function compareIssues(
  compare: Record<string, unknown>,
  source: SourceKind = 'profile'
): KeyedIssue[] {
  return Object.keys(compare).flatMap(key => {
    const parsed = parseCompareKey(key, source);
    return parsed.ok ? [] : [{ path: [key], message: parsed.message, params: { at: 'key' as const } }];
  });
}

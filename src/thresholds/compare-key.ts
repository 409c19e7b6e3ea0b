/**
 * Compare keys, `<metric selector>.<aggregation>` (`http_req_duration.p(99)`, `http_reqs.rate`,
 * `http_req_duration{request:create}.med`): one parser for the config stage, which validates them,
 * and the comparison stage, which reads them. Aggregations follow the threshold grammar's rules.
 */
import { AGGREGATIONS, METRICS, type SourceKind } from './metrics.js';
import {
  aggregationAllowed,
  aggregationText,
  parseAggregation,
  parseMetricSelector,
  selectorText,
  type Aggregation,
  type MetricSelector,
  type Parsed
} from './parse-threshold.js';

/** A parsed compare key `<selector>.<aggregation>`. */
export interface CompareKey {
  selector: MetricSelector;
  aggregation: Aggregation;
  /** Canonical key, e.g. `http_req_duration{request:create}.p(99)`. */
  key: string;
}

const COMPARE_KEY = /^\s*([a-z_][a-z0-9_]*(?:\{[^}]*\})?)\.(.*?)\s*$/;

/**
 * Parses `http_req_duration.p(99)`, `http_reqs.rate`, `http_req_duration{request:hello}.med` — or,
 * for a benchmark, `wall_time.med`.
 */
export function parseCompareKey(text: string, source: SourceKind = 'profile'): Parsed<CompareKey> {
  const m = COMPARE_KEY.exec(text);
  if (!m) {
    const like = source === 'profile' ? '"http_req_duration.p(95)" or "http_reqs.rate"' : '"wall_time.med"';
    return { ok: false, message: `expected "metric.aggregation" like ${like}, got "${text}"` };
  }
  const selector = parseMetricSelector(m[1]!, source);
  if (!selector.ok) return selector;
  const aggregation = compareAggregation(selector.value.name, m[2]!);
  if (!aggregation.ok) return aggregation;
  return {
    ok: true,
    value: {
      selector: selector.value,
      aggregation: aggregation.value,
      key: `${selectorText(selector.value)}.${aggregationText(aggregation.value)}`
    }
  };
}

/** A compare key's aggregation, by the threshold parser's rules. */
function compareAggregation(metric: string, text: string): Parsed<Aggregation> {
  const parsed = parseAggregation(text);
  const info = METRICS[metric]!;
  const allowed = info.compare ?? AGGREGATIONS[info.type];
  if (allowed.length === 0) {
    return {
      ok: false,
      message: `expected a metric that is compared, got ${metric} (a threshold checks it)`
    };
  }
  const allows = (agg: Aggregation) => allowed.includes(agg.kind === 'percentile' ? 'p(N)' : agg.kind);
  if (parsed.ok && aggregationAllowed(metric, parsed.value) && allows(parsed.value)) return parsed;
  if (!parsed.ok && /^p\(/.test(text.replace(/\s+/g, ''))) return parsed; // a malformed percentile says so
  return {
    ok: false,
    message: `expected an aggregation of ${metric} (${allowed.join(', ')}), got "${text}"`
  };
}

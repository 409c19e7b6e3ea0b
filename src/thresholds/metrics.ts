/**
 * The metrics thresholds can name, with the aggregations each allows (k6's metric types:
 * Trend, Rate, Counter) and the unit its values are written in.
 */

export type MetricType = 'trend' | 'rate' | 'counter';

export interface MetricInfo {
  type: MetricType;
  /** Unit of trend values and of unit-less numbers in expressions. */
  unit: 'ms' | 'ratio' | 'count' | 'percent' | 'bytes';
  description: string;
  /** perfgate's service metrics are sampled per second from the service, not per request: no tags. */
  perRequest: boolean;
}

/** The metric names perfgate knows (k6 names where k6 has one). */
export const METRICS: Readonly<Record<string, MetricInfo>> = {
  http_req_duration: {
    type: 'trend',
    unit: 'ms',
    description: 'time from sending a request to its full response, ms',
    perRequest: true
  },
  http_req_failed: {
    type: 'rate',
    unit: 'ratio',
    description: 'share of requests that failed (status, body, timeout, connection)',
    perRequest: true
  },
  http_reqs: {
    type: 'counter',
    unit: 'count',
    description: 'requests completed (count) and per second (rate)',
    perRequest: true
  },
  service_cpu: {
    type: 'trend',
    unit: 'percent',
    description: "CPU of the service's process tree, % of one core, sampled every second",
    perRequest: false
  },
  service_rss: {
    type: 'trend',
    unit: 'bytes',
    description: "resident memory of the service's process tree, bytes (300MB, 1.5GB), sampled every second",
    perRequest: false
  }
};

/** Aggregations allowed per metric type (k6's threshold grammar). */
export const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'med', 'max', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate']
};

/** Tags a metric may be narrowed by, k6-style: `metric{tag:value}`. */
export const METRIC_TAGS = ['request'] as const;

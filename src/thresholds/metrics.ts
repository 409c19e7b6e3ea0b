/**
 * The metrics thresholds and compare keys can name, with the kind of source that measures each
 * (an HTTP profile or a command benchmark), the aggregations each allows (k6's metric types:
 * Trend, Rate, Counter), the unit its values are written in and its direction.
 */

export type MetricType = 'trend' | 'rate' | 'counter';

/** The kinds of source a config names metrics of (SPEC §4). */
export type SourceKind = 'profile' | 'benchmark';

export interface MetricInfo {
  source: SourceKind;
  type: MetricType;
  /** Unit of trend values and of unit-less numbers in expressions. */
  unit: 'ms' | 'ratio' | 'count' | 'percent' | 'bytes';
  description: string;
  /** perfgate's service metrics are sampled per second from the service, not per request: no tags. */
  perRequest: boolean;
  /** `higher` when bigger values are better (throughput), else `lower`. */
  better: 'lower' | 'higher';
  /**
   * Aggregations a compare key may use, when narrower than the thresholds': a benchmark's sample is
   * one run, so its comparison is of the runs' median (`wall_time.med`).
   */
  compare?: readonly string[];
}

/** The metric names perfgate knows (k6 names where k6 has one). */
export const METRICS: Readonly<Record<string, MetricInfo>> = {
  http_req_duration: {
    source: 'profile',
    better: 'lower',
    type: 'trend',
    unit: 'ms',
    description: 'time from sending a request to its full response, ms',
    perRequest: true
  },
  http_req_failed: {
    source: 'profile',
    better: 'lower',
    type: 'rate',
    unit: 'ratio',
    description: 'share of requests that failed (status, body, timeout, connection)',
    perRequest: true
  },
  http_reqs: {
    source: 'profile',
    better: 'higher',
    type: 'counter',
    unit: 'count',
    description: 'requests completed (count) and per second (rate)',
    perRequest: true
  },
  service_cpu: {
    source: 'profile',
    better: 'lower',
    type: 'trend',
    unit: 'percent',
    description: "CPU of the service's process tree, % of one core, sampled every second",
    perRequest: false
  },
  service_rss: {
    source: 'profile',
    better: 'lower',
    type: 'trend',
    unit: 'bytes',
    description: "resident memory of the service's process tree, bytes (300MB, 1.5GB), sampled every second",
    perRequest: false
  },
  wall_time: benchmarkMetric('ms', 'wall-clock time of one run, from the spawn to the exit, ms'),
  user_time: benchmarkMetric('ms', "user CPU time of one run's whole process tree, ms"),
  sys_time: benchmarkMetric('ms', "system CPU time of one run's whole process tree, ms"),
  peak_rss: benchmarkMetric(
    'bytes',
    "peak resident memory of one run's whole process tree, bytes (300MB, 1.5GB)"
  ),
  exit_code: { ...benchmarkMetric('count', 'exit code of one run (with allowFailure)'), compare: [] }
};

function benchmarkMetric(unit: 'ms' | 'bytes' | 'count', description: string): MetricInfo {
  return {
    source: 'benchmark',
    better: 'lower',
    type: 'trend',
    unit,
    description,
    perRequest: false,
    compare: ['med']
  };
}

/** The metrics of one kind of source, by name. */
export function metricsOf(source: SourceKind): Readonly<Record<string, MetricInfo>> {
  return Object.fromEntries(Object.entries(METRICS).filter(([, info]) => info.source === source));
}

/** Aggregations allowed per metric type (k6's threshold grammar). */
export const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'med', 'max', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate']
};

/** Tags a metric may be narrowed by, k6-style: `metric{tag:value}`. */
export const METRIC_TAGS = ['request'] as const;

/**
 * The unit a metric's values are in under an aggregation, as results and reports write it: `ms`,
 * `bytes`, `%` (of one core), `ratio` (0–1), `req/s` (a rate of requests) or `count`.
 */
export function metricUnit(name: string, aggregation: string): string {
  const info = METRICS[name];
  if (info?.unit === 'ms') return 'ms';
  if (info?.unit === 'percent') return '%';
  if (info?.unit === 'bytes') return 'bytes';
  if (info?.unit === 'ratio') return 'ratio';
  return aggregation === 'rate' ? 'req/s' : 'count';
}

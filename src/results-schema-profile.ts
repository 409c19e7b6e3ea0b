/**
 * The results schema of a profile (model.ts `ProfileResult` and what it holds: sides, trials,
 * stages, metrics, timeline, resources). results-schema.ts checks it agrees with model.ts.
 */
import {
  bool,
  count,
  dateTime,
  list,
  map,
  num,
  numOrNull,
  object,
  oneOf,
  side,
  stat,
  text
} from './results-schema-parts.js';

const latency = object({
  min: num,
  mean: num,
  stdev: num,
  p50: num,
  p90: num,
  p95: num,
  p99: num,
  p999: num,
  max: num
});

const errorCounts = object({ timeout: count, connection: count, status: count, body: count });

/** model.ts `RequestMetrics`. */
export const requestMetrics = object({
  requests: count,
  responses: count,
  failed: count,
  throughput: num,
  bytesReceived: count,
  statusCodes: map(count),
  errors: errorCounts,
  latency,
  histogram: text
});

const timelinePoint = object({
  second: count,
  sent: count,
  completed: count,
  errors: count,
  errorsByKind: errorCounts,
  p50: num,
  p99: num,
  stage: count,
  serviceCpu: num.optional(),
  serviceRss: num.optional()
});

const resourceStat = object({ peak: numOrNull, mean: numOrNull });

const resources = object({
  source: oneOf(['proc', 'pidusage']),
  cpu: resourceStat,
  rss: resourceStat,
  samples: list(object({ second: num, cpu: num, rss: num }))
});

const stage = object({
  name: text,
  from: num,
  to: num,
  measured: bool,
  startMs: num,
  durationMs: num,
  metrics: requestMetrics,
  broken: list(text).optional()
});

/** model.ts `TrialResult`. */
export const trial = object({
  index: count,
  side,
  startedAt: dateTime,
  durationMs: num,
  valid: bool,
  invalidReason: text.optional(),
  measuredMs: num.optional(),
  metrics: requestMetrics,
  stages: list(stage),
  resources: resources.optional(),
  drift: object({ p50: numOrNull, p99: numOrNull, throughput: numOrNull, seconds: num }).optional(),
  openModel: object({
    scheduled: count,
    sent: count,
    lateness: object({ p50: num, p99: num, max: num })
  }).optional(),
  requests: map(requestMetrics),
  timeline: list(timelinePoint),
  // A CPU clock that could not be read gives NaN, written as null.
  generatorCpu: stat,
  generatorBusy: stat,
  generatorDelay: object({ p50: stat, p99: stat, max: stat }).optional()
});

const pooled = object({
  validTrials: count,
  invalidTrials: count,
  throughput: num,
  requests: count,
  failed: count,
  errors: errorCounts,
  latency: latency.nullable(),
  perRequest: map(object({ requests: count, failed: count, throughput: num, latency: latency.nullable() }))
});

const sideResult = object({ side, target: text, trials: list(trial), summary: pooled.optional() });

const stressStep = object({
  stage: count,
  name: text,
  level: num,
  throughput: num,
  p50: num,
  p99: num,
  failed: num
});

const breakingPoint = object({
  held: stressStep.optional(),
  broke: stressStep.extend({ broken: list(text) }).optional(),
  trials: count
});

export const autoRecord = object({
  min: count,
  batch: count,
  max: count,
  budgetMs: num,
  looks: list(object({ trials: count, alpha: num, open: list(text) })),
  stopped: oneOf(['conclusive', 'max', 'budget', 'nothing-to-compare']).optional()
});

/** model.ts `ProfileResult`. */
export const profile = object({
  name: text,
  shape: text,
  model: oneOf(['closed', 'open']),
  rate: num.optional(),
  mix: list(object({ name: text, method: text, path: text, weight: num })).optional(),
  connections: count,
  durationMs: num,
  warmupMs: num,
  trialsPlanned: count,
  stress: object({ head: breakingPoint.optional(), base: breakingPoint.optional() }).optional(),
  auto: autoRecord.optional(),
  order: list(side),
  head: sideResult,
  base: sideResult.optional(),
  error: text.optional()
});

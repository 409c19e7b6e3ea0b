/**
 * The schema of one load profile: its settings (shared with `defaults:`), request mix, thresholds
 * and compare keys. Part of the config schema in `schema.ts`.
 */
import { z } from 'zod';
import { AGGREGATIONS, metricsOf, type MetricInfo } from '../thresholds/metrics.js';
import * as d from './duration-fields.js';
import * as f from './fields.js';
import { expected, strictMap } from './messages.js';
import { compareIssues, thresholdIssues, type KeyedIssue } from './metric-checks.js';

/** Adds refinement issues (relative paths) to the zod context. */
export function addIssues(ctx: z.RefinementCtx, issues: KeyedIssue[]): void {
  for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}

const TRIALS = 'an integer from 1 to 1000, or "auto"';

/** Settings a profile inherits from `defaults:` (the shape of both). */
export const loadSettings = {
  connections: f.integer(1, 10000).optional().describe('Concurrent connections (closed model). Default: 10.'),
  warmup: d.optionalDuration.optional().describe('Unmeasured load before the trials. Default: 2s.'),
  duration: d.loadDuration.optional().describe('Length of one trial. Default: 2s.'),
  trials: z
    .union([f.integer(1, 1000), z.literal('auto', expected(TRIALS))], expected(TRIALS))
    .optional()
    .describe(
      'Trials per profile (per side in paired mode), or "auto": batches until every gated comparison is conclusive (see statistics.auto). Default: 10.'
    ),
  timeout: d.requestTimeout.optional().describe('Per-request timeout. Default: 10s.')
};

const request = strictMap(
  {
    name: f
      .nonEmptyString('a request name')
      .optional()
      .describe('Unique within the profile. Default: "METHOD path".'),
    method: f.method.optional().describe('HTTP method. Default: GET.'),
    path: f.requestPath.describe('Path and query, starting with "/".'),
    headers: z
      .record(f.headerName, f.headerValue, expected('a map of header names to values'))
      .optional()
      .describe('Request headers.'),
    body: z.string(expected('a string')).optional().describe('Request body.'),
    weight: z
      .number(expected('a number greater than 0'))
      .positive()
      .optional()
      .describe('Relative share of the mix. Default: 1.'),
    expect: strictMap(
      {
        status: f.statusList
          .optional()
          .describe('Status (or list) that counts as success. Default: any 2xx or 3xx.'),
        body: z.string(expected('a string')).optional().describe('Exact body expected.')
      },
      'a map with status, body'
    )
      .optional()
      .describe('What counts as a successful response.')
  },
  'a map with path and optionally name, method, headers, body, weight, expect'
);

const THRESHOLD_EXAMPLE = 'a threshold expression like "p(95)<250"';

const thresholdItem = z.union(
  [
    z.string(expected(THRESHOLD_EXAMPLE)),
    strictMap(
      {
        threshold: z.string(expected(THRESHOLD_EXAMPLE)).describe('k6 threshold expression.'),
        severity: z
          .enum(['warn', 'fail'], expected('one of warn, fail'))
          .optional()
          .describe('"fail" fails the gate when broken; "warn" only reports it. Default: fail.')
      },
      'a map with threshold, severity'
    )
  ],
  expected(`${THRESHOLD_EXAMPLE} or { threshold, severity }`)
);

export const thresholdList = z.array(
  thresholdItem,
  expected('a list of threshold expressions like ["p(95)<250"]')
);

const METRICS = metricsOf('profile');
const METRIC_NAMES = Object.keys(METRICS).join('|');

/**
 * A `thresholds:` map with the metrics of one kind of source as properties (editors complete them);
 * `over` says what the aggregations are taken over. Other keys go to the caller's catch-all.
 */
export function thresholdProperties(metrics: Readonly<Record<string, MetricInfo>>, over = '') {
  return z.object(
    Object.fromEntries(
      Object.entries(metrics).map(([name, info]) => [
        name,
        thresholdList
          .optional()
          .describe(`${info.description}. Aggregations${over}: ${AGGREGATIONS[info.type].join(', ')}.`)
      ])
    ),
    expected('a map of metric names to lists of threshold expressions')
  );
}

// Tagged selectors go to the catch-all.
const thresholds = thresholdProperties(METRICS)
  .catchall(thresholdList)
  .superRefine((value, ctx) => addIssues(ctx, thresholdIssues(value)))
  .meta({ propertyNames: { pattern: `^(?:${METRIC_NAMES})(?:\\{[^}]*\\})?$` } });

/** A `compare:` map: keys checked by `issues`, described to editors by `pattern`. */
export function compareMap(issues: (value: Record<string, number>) => KeyedIssue[], pattern: string) {
  return z
    .record(
      z.string(),
      f.relevantChange,
      expected('a map of "metric.aggregation" to a minimum relevant change')
    )
    .superRefine((value, ctx) => addIssues(ctx, issues(value)))
    .meta({ propertyNames: { pattern } });
}

const compare = compareMap(
  value => compareIssues(value),
  `^(?:${METRIC_NAMES})(?:\\{[^}]*\\})?\\.(?:avg|min|med|max|rate|count|p\\([0-9.]+\\))$`
);

const LEVEL = 'a number of connections (closed model) or requests per second (open model)';
const level = z.number(expected(`${LEVEL}, greater than 0`)).positive();

const stage = strictMap(
  {
    name: f.nonEmptyString('a stage name').optional().describe('Name in the report. Default: "stage N".'),
    duration: d.loadDuration.describe('Length of the stage.'),
    connections: f.connections.optional().describe('Closed model: concurrent connections in this stage.'),
    rate: f.rate.optional().describe('Open model: requests per second in this stage.'),
    measured: z
      .boolean(expected('true or false'))
      .optional()
      .describe('Whether the stage is gated (thresholds and comparisons). Default: true.')
  },
  'a map with duration and connections or rate (and optionally name, measured)'
);

/** Parameters of the shapes (each only with its shape). */
const shapeSettings = {
  rampup: strictMap(
    {
      from: z
        .number(expected(`${LEVEL}, 0 or more`))
        .min(0)
        .optional()
        .describe('Level to start from. Default: 0.'),
      over: d.loadDuration.optional().describe('Length of the ramp. Default: the profile duration.'),
      steps: f.integer(1, 100).optional().describe('Steps of the ramp, each reported. Default: 5.')
    },
    'a map with from, over, steps'
  ).describe('shape: rampup — steps from `from` to the profile level, then holds it for `duration` (gated).'),
  spike: strictMap(
    {
      to: level.optional().describe('Level at the peak. Default: 5 × the profile level.'),
      for: d.loadDuration.optional().describe('Length of the spike. Default: 5s.'),
      after: d.loadDuration
        .optional()
        .describe('Recovery at the profile level. Default: the profile duration.')
    },
    'a map with to, for, after'
  ).describe('shape: spike — the profile level for `duration` (gated), a burst, then recovery.'),
  stress: strictMap(
    {
      from: level.optional().describe('First step. Default: the profile level.'),
      step: level.optional().describe('Added at each step. Default: the profile level.'),
      steps: f.integer(1, 100).optional().describe('Most steps. Default: 10.'),
      stepDuration: d.loadDuration.optional().describe('Length of each step. Default: the profile duration.')
    },
    'a map with from, step, steps, stepDuration'
  ).describe('shape: stress — steps up until the thresholds (the SLO) break; reports the breaking point.'),
  wave: strictMap(
    {
      min: z
        .number(expected(`${LEVEL}, 0 or more`))
        .min(0)
        .optional()
        .describe('Trough. Default: 0.'),
      max: level.optional().describe('Peak. Default: 2 × the profile level.'),
      period: d.loadDuration.optional().describe('Length of one wave. Default: the profile duration.')
    },
    'a map with min, max, period'
  ).describe('shape: wave — a sine between min and max over `duration` (gated).')
};

export const SHAPES = ['steady', 'rampup', 'spike', 'soak', 'stress', 'wave'] as const;

/** One entry of `profiles:`. */
export const profile = strictMap(
  {
    name: f.nonEmptyString('a profile name').describe('Unique name of the profile.'),
    shape: z
      .enum(SHAPES, expected(`one of ${SHAPES.join(', ')}`))
      .optional()
      .describe('Load shape. Default: steady (or the custom `stages`).'),
    ...loadSettings,
    rate: f.rate
      .optional()
      .describe('Open model: requests per second at evenly spaced intended times (else the closed model).'),
    stages: z
      .array(stage, expected('a non-empty list of at most 1000 stages'))
      .min(1)
      .max(1000)
      .optional()
      .describe('A custom schedule of stages, instead of a shape.'),
    rampup: shapeSettings.rampup.optional(),
    spike: shapeSettings.spike.optional(),
    stress: shapeSettings.stress.optional(),
    wave: shapeSettings.wave.optional(),
    requests: z
      .array(request, expected('a non-empty list of at most 1000 requests'))
      .min(1)
      .max(1000)
      .optional()
      .describe('The request mix. Default: [{ path: / }].'),
    thresholds: thresholds
      .optional()
      .describe('Metric (k6 name, optionally {request:NAME}) → list of expressions.'),
    compare: compare
      .optional()
      .describe(
        '"metric.aggregation" → minimum relevant change ("5%" or 0.05), used when a base is compared.'
      )
  },
  'a map describing a profile'
);

/**
 * The schema of one command benchmark (SPEC §4, §12 `benchmarks:`): the command of the head and
 * optionally of a base run beside it, the commands around it, how often it runs, and its
 * thresholds and compare keys over the metrics of a run. Part of the config schema in `schema.ts`.
 */
import { z } from 'zod';
import { IMPORTERS } from '../importers/index.js';
import { metricsOf } from '../thresholds/metrics.js';
import * as d from './duration-fields.js';
import * as f from './fields.js';
import { expected, strictMap } from './messages.js';
import { compareIssues, thresholdIssues } from './metric-checks.js';
import { addIssues, thresholdList, thresholdProperties } from './profile-schema.js';

const METRICS = metricsOf('benchmark');
const RUNS = 'an integer from 1 to 10000, or "auto"';

const command = z
  .union(
    [
      f.nonEmptyString('a shell command'),
      z
        .array(f.nonEmptyString('a word of the command'), expected('a non-empty list of words'))
        .min(1, expected('a non-empty list of words'))
    ],
    expected('a shell command, or (with shell: false) a list of words like ["node", "bench.js"]')
  )
  .describe(
    'The command to measure: a command line run with /bin/sh -c, or with `shell: false` an argv list run without a shell.'
  );

const hookCommand = (what: string) => f.nonEmptyString('a shell command').optional().describe(what);

/** The keys of a side: the head's at the top of the benchmark, the base's under `base:`. */
const sideKeys = {
  command,
  shell: z
    .boolean(expected('true or false'))
    .optional()
    .describe('false: `command` is an argv run without shell parsing. Default: true.'),
  cwd: f
    .nonEmptyString('a directory')
    .optional()
    .describe("Working directory, relative to the config file's directory. Default: that directory."),
  env: z
    .record(z.string(), f.scalarString('a string'), expected('a map of variable names to values'))
    .optional()
    .describe('Extra environment variables. ${NAME} and ${{ env.NAME }} are substituted.'),
  setup: hookCommand('Shell command run once before the first run of this side (not timed), e.g. "npm ci".'),
  prepare: hookCommand('Shell command run before every run, warmup runs included (not timed).'),
  cleanup: hookCommand('Shell command run once after the last run of this side, also after a failure.')
};

const thresholds = thresholdProperties(METRICS, ' over the runs')
  .catchall(thresholdList)
  .superRefine((value, ctx) => addIssues(ctx, thresholdIssues(value, 'benchmark')))
  .meta({ propertyNames: { enum: Object.keys(METRICS) } });

const compared = Object.entries(METRICS).filter(([, info]) => info.compare?.length);

/** Without `format:`, compare keys are the run's own metrics (`wall_time.med`). */
const METRIC_KEY = `^(?:${compared.map(([name]) => name).join('|')})\\.med$`;

/** With `format:`, compare keys are the tool's benchmark names or globs, as in `imports[].compare`. */
const compare = z.record(
  z.string().min(1, expected('a metric or benchmark name')),
  f.relevantChange,
  expected('a map of "metric.med" (or, with format:, benchmark names or globs) to a minimum relevant change')
);

const FORMATS = [...IMPORTERS.map(i => i.format), 'auto'];

/** One entry of `benchmarks:`. */
export const benchmark = strictMap(
  {
    name: f
      .nonEmptyString('a benchmark name')
      .describe('Unique name of the benchmark (among profiles and benchmarks).'),
    ...sideKeys,
    base: strictMap(sideKeys, 'a map with command and optionally shell, cwd, env, setup, prepare, cleanup')
      .optional()
      .describe(
        'Paired mode: the base version, run beside the head interleaved run by run (B H, H B, …) and compared pair by pair.'
      ),
    warmup: f
      .integer(0, 1000)
      .optional()
      .describe('Runs per side before the measured ones, not recorded. Default: 1.'),
    runs: z
      .union([f.integer(1, 10000), z.literal('auto', expected(RUNS))], expected(RUNS))
      .optional()
      .describe(
        'Measured runs per side, or "auto": batches until every gated comparison is conclusive (see statistics.auto). Default: 10.'
      ),
    timeout: d.requestTimeout
      .optional()
      .describe('Longest one run may take; its whole process tree is killed after it. Default: 10m.'),
    allowFailure: z
      .boolean(expected('true or false'))
      .optional()
      .describe('Record a run that exits non-zero instead of failing the benchmark. Default: false.'),
    format: z
      .string(expected(`one of ${FORMATS.join(', ')}`))
      .refine(v => FORMATS.includes(v), expected(`one of ${FORMATS.join(', ')}`))
      .optional()
      .meta({ enum: FORMATS })
      .describe(
        'Each run prints (or writes to `output`) another tool\'s results in this format, e.g. go, google-benchmark, pytest-benchmark; "auto": detected from the first run. Its benchmarks become the gated series, one sample per run.'
      ),
    output: f
      .nonEmptyString('a file path')
      .optional()
      .describe(
        "With format: the file each run writes its results to, relative to the side's cwd; removed before every run. Default: the run's stdout."
      ),
    thresholds: thresholds
      .optional()
      .describe(
        'Metric (wall_time, user_time, sys_time, peak_rss, exit_code) → list of expressions over the runs.'
      ),
    compare: compare
      .optional()
      .describe(
        '"metric.med" → minimum relevant change ("5%" or 0.05), used when a base is compared. Default: wall_time.med: 5%. With format: benchmark name or glob → minimum relevant change of its primary metric (the run\'s own metrics are then reported, not gated). Default: { "*": 5% }.'
      )
  },
  'a map describing a benchmark'
)
  .meta({
    if: { required: ['format'] },
    else: { properties: { compare: { propertyNames: { pattern: METRIC_KEY } } } }
  })
  .superRefine((value, ctx) => {
    if (value.format === undefined) {
      addIssues(
        ctx,
        compareIssues(value.compare ?? {}, 'benchmark').map(issue => ({
          ...issue,
          path: ['compare', ...issue.path]
        }))
      );
      if (value.output !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['output'],
          message: "expected output: only with format: (the file a run writes another tool's results to)"
        });
      }
    }
    for (const [at, side] of [
      [[], value],
      [['base'], value.base]
    ] as const) {
      if (side && side.shell !== false && Array.isArray(side.command)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'command'],
          message:
            'expected a command line (a string), got a list of words; set `shell: false` to run an argv without a shell'
        });
      }
    }
  });

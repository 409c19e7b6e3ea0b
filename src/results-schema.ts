/**
 * The schema of a results file (SPEC §6, §12), in zod: what results-file.ts checks every results
 * file read back against, in depth. model.ts stays the hand-written source of the types; the
 * compile-time check at the end fails the typecheck when this schema and model.ts disagree in
 * either direction, so the two cannot drift apart. Strict on types and shapes, loose on keys this
 * perfgate does not know (a newer perfgate of the same schema version may add some).
 */
import { z } from 'zod';
import { SCHEMA_VERSION, type Results } from './model.js';
import {
  bool,
  count,
  dateTime,
  exactly,
  expected,
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
import { benchmark, importedBenchmark } from './results-schema-benchmark.js';
import { profile } from './results-schema-profile.js';
import { profilingResult } from './results-schema-profiling.js';

/** An end of an interval the data cannot bound is ±Infinity, written as null. */
const lowerEnd = numOrNull.transform(v => v ?? -Infinity);
const upperEnd = numOrNull.transform(v => v ?? Infinity);

const comparison = object({
  profile: text,
  metric: text,
  better: oneOf(['lower', 'higher']),
  unit: text.optional(),
  delta: num,
  gated: bool,
  alpha: num,
  samples: count,
  test: oneOf(['wilcoxon-signed-rank', 'mann-whitney-u', 'welch-t', 'single-value']),
  method: oneOf(['exact', 'normal']),
  values: object({ base: stat, head: stat }).optional(),
  estimate: stat,
  interval: z.tuple([lowerEnd, upperEnd], expected('a list of two numbers')),
  pValue: stat,
  adjustedPValue: stat,
  verdict: oneOf(['regressed', 'improved', 'unchanged', 'inconclusive']),
  history: object({ runs: count, limit: stat }).optional(),
  reason: text.optional(),
  moreTrials: stat.optional(),
  resolution: stat.optional()
});

const threshold = object({
  profile: text,
  metric: text,
  expression: text,
  severity: oneOf(['fail', 'warn']),
  observed: numOrNull,
  unit: text,
  ok: bool,
  where: text
});

const historyEntry = object({
  createdAt: dateTime,
  git: object({ sha: text.optional(), ref: text.optional() }),
  configHash: text,
  profiles: map(
    object({
      shape: text,
      model: oneOf(['closed', 'open']),
      connections: count,
      durationMs: num,
      values: map(stat)
    })
  ),
  benchmarks: map(object({ command: text, values: map(stat) })).optional(),
  imports: map(object({ format: text, values: map(stat) })).optional()
});

const trend = object({
  profile: text,
  metric: text,
  unit: text.optional(),
  points: list(object({ createdAt: dateTime, value: stat, current: bool.optional() }))
});

const changePoint = object({
  profile: text,
  metric: text,
  unit: text.optional(),
  index: count,
  createdAt: dateTime,
  before: stat,
  after: stat,
  change: stat,
  pValue: stat,
  current: stat,
  points: count,
  worse: bool
});

const environment = object({
  os: text,
  arch: text,
  cpuModel: text,
  cores: count,
  memoryBytes: count,
  node: text,
  runner: text,
  ci: bool,
  cpus: object({ service: text, generator: text }).optional()
});

/** A positive, finite number: a series holds only values a comparison can take the logarithm of. */
const positive = num.refine(v => Number.isFinite(v) && v > 0, expected('a positive number'));

const summary = object({ mean: positive, stdev: num.refine(v => Number.isFinite(v) && v >= 0), n: count });

/** model.ts `Series`. */
const series = object({
  source: text,
  key: text,
  // Series written before units had none.
  unit: text.default(''),
  better: oneOf(['lower', 'higher']),
  base: oneOf(['paired', 'stored', 'none']),
  samples: object({
    head: list(object({ index: count, value: positive })),
    base: list(object({ index: count, value: positive }))
  }),
  summaries: object({ head: summary.optional(), base: summary.optional() }).optional()
});

/** model.ts `Finding`: a number of `numbers` is finite (JSON has no other); a kind not known here is kept. */
const finding = object({
  // Any kind: one a newer perfgate of this schema finds is shown by its title, message and numbers.
  kind: text,
  profile: text,
  side,
  severity: oneOf(['info', 'warn']),
  title: text,
  numbers: map(z.union([num, text], expected('a number or a string'))),
  message: text
});

/** model.ts `Results`, checked in depth. */
export const resultsSchema = object({
  // Version 1 (before series) is read too: its profiles still hold the trials series are made of.
  schemaVersion: z.union([exactly(1), exactly(SCHEMA_VERSION)]),
  tool: object({ name: exactly('perfgate'), version: text }),
  createdAt: dateTime,
  status: oneOf(['running', 'complete', 'failed']),
  git: object({
    sha: text.optional(),
    ref: text.optional(),
    repository: text.optional(),
    event: text.optional()
  }),
  environment,
  config: text,
  configHash: text,
  profiles: list(profile),
  benchmarks: list(benchmark).optional(),
  imports: list(
    object({
      name: text,
      format: text,
      path: text,
      base: object({ format: text, path: text }).optional(),
      benchmarks: list(importedBenchmark),
      added: list(text),
      removed: list(text)
    })
  ).optional(),
  comparisons: list(comparison),
  thresholds: list(threshold),
  problems: list(
    object({ profile: text, side, kind: oneOf(['nothing-measured', 'failed-requests']), message: text })
  ).optional(),
  findings: list(finding).optional(),
  profiling: profilingResult.optional(),
  verdict: oneOf(['pass', 'fail', 'inconclusive']).optional(),
  error: object({ kind: text, message: text }).optional(),
  notes: list(text),
  history: list(historyEntry).optional(),
  trends: list(trend).optional(),
  changePoints: list(changePoint).optional(),
  serviceLogs: list(object({ side, file: text, tail: list(text) })).optional(),
  series: list(series).optional()
});

/**
 * A type without the `[key: string]: unknown` that loose objects add (maps, whose values are
 * typed, keep theirs), so the parsed type can be compared with model.ts key by key.
 */
type Known<T> = T extends readonly unknown[]
  ? { [I in keyof T]: Known<T[I]> }
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<T[K]> }
    : T;

type Parsed = Known<z.output<typeof resultsSchema>>;

/** Compiles only when `From` is assignable to `To`; the error names the first field that is not. */
type Assignable<From extends To, To> = From;

/** `true` when X and Y are the same type, key for key (optional keys included), at every depth. */
type Identical<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`. */
type IsTrue<T extends true> = T;

/**
 * Compile-time only: parsed data is a `Results` and a `Results` passes the schema's types (the
 * first two, whose errors name the field), and the two have the same keys at every depth, optional
 * ones too (the third: when only it fails, a key optional in model.ts is missing here, or the
 * reverse). `Known<Results>` flattens model.ts's intersections as the parsed type is flattened.
 */
export type SchemaAgreesWithModel = [
  Assignable<Parsed, Results>,
  Assignable<Results, Parsed>,
  IsTrue<Identical<Parsed, Known<Results>>>
];

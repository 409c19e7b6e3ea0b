/**
 * JMH's JSON results (`-rf json`, written by `JSONResultFormat` in openjdk/jmh): an array with one
 * entry per benchmark × mode × parameter combination. The primary metric's `rawData` holds one score
 * per fork × measurement iteration — the samples; sample mode (`SampleTime`) writes a histogram per
 * iteration instead (`rawDataHistogram`, `[value, count]` pairs), whose per-iteration means are the
 * samples. JMH writes NaN and infinities as the strings "NaN", "+INF", "-INF".
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type { ImportedBenchmark, ImportedMetric, Importer } from './types.js';
import { implausible, normaliseUnit, type Normalised } from './units.js';

const FORMAT = 'jmh';

/** A number, or JMH's spelling of a value that is not one. */
const jmhNumber = z.union([z.number(), z.enum(['NaN', '+INF', '-INF'])]);

const metricSchema = z.object({
  score: jmhNumber,
  scoreError: jmhNumber.optional(),
  scoreUnit: z.string(),
  rawData: z.array(z.array(jmhNumber)).optional(),
  rawDataHistogram: z.array(z.array(z.array(z.tuple([jmhNumber, z.number()])))).optional()
});

const entrySchema = z.object({
  benchmark: z.string().min(1),
  mode: z.enum(['thrpt', 'avgt', 'sample', 'ss']),
  forks: z.number().optional(),
  measurementIterations: z.number().optional(),
  params: z.record(z.string(), z.string()).optional(),
  primaryMetric: metricSchema,
  secondaryMetrics: z.record(z.string(), metricSchema).optional()
});

type Metric = z.infer<typeof metricSchema>;
type Entry = z.infer<typeof entrySchema>;

/** JMH's own abbreviations (`TimeValue`) that units.ts spells otherwise. */
function jmhUnit(value: number, unit: string): Normalised | undefined {
  const u = unit.replace(/\bhr\b/, 'h');
  if (/\bday\b/.test(u)) {
    return u.startsWith('day')
      ? normaliseUnit(value * 24, u.replace('day', 'h'))
      : normaliseUnit(value / 24, u.replace('day', 'h'));
  }
  return normaliseUnit(value, u);
}

/** `benchmark (a=1, b=x)`: the parameters in the order JMH wrote them make the name unique. */
function baseName(entry: Entry): string {
  const params = Object.entries(entry.params ?? {});
  return params.length
    ? `${entry.benchmark} (${params.map(([k, v]) => `${k}=${v}`).join(', ')})`
    : entry.benchmark;
}

/** One value of `metric` in the normalised unit, checked; `path` names it in messages. */
function normalised(value: unknown, unit: string, path: PropertyKey[], file: string): Normalised {
  const raw = measurement(value, path, file, FORMAT);
  const n = jmhUnit(raw, unit);
  return n ?? { value: raw, unit, better: 'lower' };
}

/**
 * The samples of the primary metric: one per fork × iteration, from `rawData` or, in sample mode,
 * the mean of each iteration's histogram.
 */
function primarySamples(m: Metric, path: PropertyKey[], file: string): number[] {
  if (m.rawDataHistogram?.length) {
    return m.rawDataHistogram.flatMap((fork, f) =>
      fork.map((iteration, i) => {
        let sum = 0;
        let count = 0;
        iteration.forEach(([value, n], k) => {
          sum += measurement(value, [...path, 'rawDataHistogram', f, i, k, 0], file, FORMAT) * n;
          count += n;
        });
        if (count === 0) {
          throw new ImportError(
            file,
            jsonPath([...path, 'rawDataHistogram', f, i]),
            FORMAT,
            'an empty histogram'
          );
        }
        return normalised(sum / count, m.scoreUnit, [...path, 'rawDataHistogram', f, i], file).value;
      })
    );
  }
  return (m.rawData ?? []).flatMap((fork, f) =>
    fork.map((v, i) => normalised(v, m.scoreUnit, [...path, 'rawData', f, i], file).value)
  );
}

/**
 * Without raw data (`-Djmh.json.rawData=false`): the spread recovered from `scoreError`, JMH's
 * 99.9 % Student-t interval half-width over forks × iterations (`AbstractStatistics.getMeanErrorAt`).
 */
function summaryFromError(entry: Entry, mean: number): ImportedMetric['summary'] {
  const n = (entry.forks ?? 0) * (entry.measurementIterations ?? 0);
  const error = entry.primaryMetric.scoreError;
  if (entry.mode === 'sample' || n < 2 || typeof error !== 'number' || implausible(error)) return undefined;
  const halfWidth = jmhUnit(error, entry.primaryMetric.scoreUnit)?.value ?? error;
  return { mean, stdev: (halfWidth * Math.sqrt(n)) / tQuantile(1 - 0.001 / 2, n - 1), n };
}

function primaryMetric(entry: Entry, index: number, file: string): ImportedMetric {
  const path = [index, 'primaryMetric'];
  const m = entry.primaryMetric;
  const score = normalised(m.score, m.scoreUnit, [...path, 'score'], file);
  const better = entry.mode === 'thrpt' ? 'higher' : 'lower';
  const metric = { name: entry.mode === 'thrpt' ? 'throughput' : 'time', unit: score.unit, better } as const;
  const samples = primarySamples(m, path, file);
  if (samples.length) return { ...metric, samples };
  const summary = summaryFromError(entry, score.value);
  return summary ? { ...metric, summary } : { ...metric, value: score.value };
}

/**
 * A secondary metric (a profiler's, such as `gc.alloc.rate`, or sample mode's percentiles `p0.99`),
 * or undefined when JMH wrote "NaN" for it: the profiler had nothing to measure.
 */
function secondaryMetric(name: string, m: Metric, index: number, file: string): ImportedMetric | undefined {
  if (typeof m.score !== 'number') return undefined;
  const path = [index, 'secondaryMetrics', name];
  const score = normalised(m.score, m.scoreUnit, [...path, 'score'], file);
  // GC figures are costs whatever their unit (gc.alloc.rate is MB/sec); JMH's `·gc.` is the old prefix.
  const better = /^·?gc\./.test(name) ? 'lower' : score.better;
  const unit = score.unit === 'counts' ? 'count' : score.unit;
  const samples = (m.rawData ?? []).flatMap((fork, f) =>
    fork.flatMap((v, i) =>
      typeof v === 'number' ? [normalised(v, m.scoreUnit, [...path, 'rawData', f, i], file).value] : []
    )
  );
  return samples.length ? { name, unit, better, samples } : { name, unit, better, value: score.value };
}

function parse(text: string, file: string): ImportedBenchmark[] {
  const entries = readShape(z.array(entrySchema), readJson(text, file, FORMAT), file, FORMAT);
  if (entries.length === 0) {
    throw new ImportError(
      file,
      '$',
      FORMAT,
      'no benchmarks: an empty list, which JMH writes when every benchmark failed (their errors are in its console output)'
    );
  }
  // The same benchmark and parameters in several modes (`-bm thrpt,avgt`) are told apart by the mode.
  const modes = new Map<string, Set<string>>();
  for (const e of entries) modes.set(baseName(e), (modes.get(baseName(e)) ?? new Set()).add(e.mode));
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const base = baseName(entry);
    const name = modes.get(base)!.size > 1 ? `${base} [${entry.mode}]` : base;
    if (seen.has(name)) {
      throw new ImportError(
        file,
        jsonPath([index]),
        FORMAT,
        `"${name}" again, already at ${jsonPath([seen.get(name)!])} (two JMH runs in one file?)`
      );
    }
    seen.set(name, index);
    const secondary = Object.entries(entry.secondaryMetrics ?? {}).flatMap(([metricName, m]) => {
      const metric = secondaryMetric(metricName, m, index, file);
      return metric ? [metric] : [];
    });
    return { name, metrics: [primaryMetric(entry, index, file), ...secondary] };
  });
}

/** JMH JSON results (`-rf json`). */
export const jmhImporter: Importer = {
  format: FORMAT,
  description: 'JMH JSON results (java -jar benchmarks.jar -rf json)',
  detect(text: string): number {
    const head = text
      .slice(0, 8192)
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (!head.startsWith('[')) return 0;
    if (/^\[\s*\{\s*"jmhVersion"\s*:/.test(head)) return 0.99;
    return /"primaryMetric"\s*:/.test(head) && /"mode"\s*:/.test(head) && /"benchmark"\s*:/.test(head)
      ? 0.9
      : 0;
  },
  parse
};

/**
 * github-action-benchmark's generic JSON (its `customSmallerIsBetter` and `customBiggerIsBetter`
 * tools): a list of `{ name, unit, value, range?, extra? }`, one entry a benchmark.
 *
 * Which way is better is not in the file: github-action-benchmark takes it from the tool the user
 * names, and so does perfgate, with two formats, `generic-smaller` and `generic-bigger`. The unit
 * cannot decide it: the README's own examples are `Percent`, `Megabytes` of memory used (smaller is
 * better) and `Megabytes` of free memory (bigger), and real files hold `instructions`, `avg tps` or
 * `B/s` of traffic either way. Both formats detect the same content equally, so a file without
 * `format:` is ambiguous and the reader says so, naming both.
 *
 * Statistics: `range` is free text (`± 3`, `5%`, `stddev: 0.1`) with no sample size behind it, so each
 * entry is a single value; the same name listed again with the same unit gives one sample per entry
 * (repeated runs of one benchmark). Known units are normalised (times to ns, sizes to B, rates to
 * ops/s or B/s, also spelt out: `Seconds`, `msec`, `Megabytes`); a unit of no dimension is named by
 * what it is (`''` → `unitless` metric `value`, `x` → `factor`, `%`/`Percent` → `percent` in `%`);
 * another unit is kept as written and names the metric.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type { ImportedBenchmark, ImportedMetric, Importer } from './types.js';
import { dimensionless, implausible, normaliseUnit } from './units.js';

const Entry = z.object({
  name: z.string().min(1, 'expected a non-empty name'),
  unit: z.string(),
  value: z.unknown(),
  range: z.union([z.string(), z.number()]).optional(),
  extra: z.unknown().optional()
});
const List = z.array(Entry);

/** The metric's name by what its normalised unit measures. */
const KIND: Readonly<Record<string, string>> = {
  ns: 'time',
  B: 'size',
  'ops/s': 'throughput',
  'B/s': 'throughput',
  allocs: 'allocations'
};

const HEAD = 64 * 1024;

function genericImporter(format: string, better: 'lower' | 'higher', tool: string): Importer {
  return {
    format,
    description: `github-action-benchmark ${tool} JSON ([{ name, unit, value, range? }], ${better === 'lower' ? 'smaller' : 'bigger'} is better)`,
    detect(text) {
      const head = text.slice(0, HEAD);
      if (!/^\uFEFF?\s*\[\s*\{/.test(head)) return 0;
      return ['name', 'unit', 'value'].every(k => new RegExp(`"${k}"\\s*:`).test(head)) ? 0.7 : 0;
    },
    parse(text, file) {
      const entries = readShape(List, readJson(text, file, format), file, format);
      if (entries.length === 0) throw new ImportError(file, '$', format, 'no benchmarks: the list is empty');
      const byName = new Map<string, { first: number; unit: string; metric: ImportedMetric }>();
      entries.forEach((entry, i) => {
        const raw = measurement(entry.value, [i, 'value'], file, format);
        const { value, unit, name } = normalise(raw, entry.unit, [i, 'value'], file, format);
        const seen = byName.get(entry.name);
        if (seen === undefined) {
          byName.set(entry.name, { first: i, unit: entry.unit, metric: { name, unit, better, value } });
        } else if (seen.unit !== entry.unit) {
          throw new ImportError(
            file,
            jsonPath([i, 'unit']),
            format,
            `"${entry.name}" is listed at ${jsonPath([seen.first])} in ${JSON.stringify(seen.unit)} and here in ${JSON.stringify(entry.unit)}; one name, one unit`
          );
        } else {
          // The same benchmark again: its entries become samples.
          const { metric } = seen;
          if (metric.samples) metric.samples.push(value);
          else metric.samples = [metric.value!, value];
          delete metric.value;
        }
      });
      return [...byName].map(([benchmark, { metric }]): ImportedBenchmark => ({
        name: benchmark,
        metrics: [metric]
      }));
    }
  };
}

/** `value` in `unit`, normalised where the unit is known (spelt-out words too), else as written. */
function normalise(
  value: number,
  unit: string,
  path: PropertyKey[],
  file: string,
  format: string
): { value: number; unit: string; name: string } {
  const known = normaliseUnit(value, unit);
  if (known === undefined) {
    const plain = dimensionless(unit);
    return plain ? { value, ...plain } : { value, unit: unit.trim(), name: unit.trim() };
  }
  const problem = implausible(known.value);
  if (problem)
    throw new ImportError(file, jsonPath(path), format, `${problem} ${known.unit} (${value} ${unit})`);
  return { value: known.value, unit: known.unit, name: KIND[known.unit] ?? known.unit };
}

/** github-action-benchmark's `customSmallerIsBetter`: times, sizes, anything where less is better. */
export const genericSmallerImporter: Importer = genericImporter(
  'generic-smaller',
  'lower',
  'customSmallerIsBetter'
);
/** github-action-benchmark's `customBiggerIsBetter`: throughputs, scores, anything where more is better. */
export const genericBiggerImporter: Importer = genericImporter(
  'generic-bigger',
  'higher',
  'customBiggerIsBetter'
);

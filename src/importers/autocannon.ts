/**
 * autocannon `--json` (mcollina/autocannon `lib/aggregateResult.js`; histograms as objects by
 * hdr-histogram-percentiles-obj): one load test, one benchmark. Latency is in milliseconds;
 * `requests` and `throughput` are histograms of the counts per sample interval (`sampleInt` ms,
 * 1000 by default), so their mean is req/s (B/s) only when the interval is a second.
 *
 * Statistics, primary first:
 * - `requests` (ops/s, higher): the per-interval counts' mean and stddev scaled to a second, n =
 *   `samples` (the number of intervals): a summary. autocannon < 7.7 has no `samples`; the intervals
 *   were then seconds, so n = the duration rounded. With fewer than 2 intervals, a single value.
 * - `latency` (ns, lower): the mean and stddev over every response, n = `latency.totalCount` (or,
 *   before it existed, `requests.total`, the completed requests): a summary.
 * - `latency.p50` … `latency.p99_9` (ns, lower): single values. autocannon ≤ 2 keyed them `p999`
 *   for 99.9; they are read under today's names so that old and new results compare.
 * - `throughput` (B/s, higher): like `requests`.
 * - `errors` and `non2xx` (count, lower; `errors` includes timeouts): single values.
 * No response at all (every request failed): no latency metrics, since there is no latency.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type { ImportedMetric, Importer } from './types.js';
import { implausible } from './units.js';

const FORMAT = 'autocannon';

const Histogram = z
  .object({ average: z.number().optional(), mean: z.number().optional(), stddev: z.number().optional() })
  .catchall(z.unknown());
const Result = z.object({
  title: z.string().optional(),
  url: z.union([z.string(), z.array(z.string())]).optional(),
  socketPath: z.string().optional(),
  latency: Histogram,
  requests: Histogram,
  throughput: Histogram,
  duration: z.number().optional(),
  samples: z.number().int().optional(),
  sampleInt: z.number().positive().optional(),
  errors: z.unknown().optional(),
  non2xx: z.unknown().optional()
});
type Result = z.output<typeof Result>;
type Path = PropertyKey[];

/** The latency percentiles read, by today's key, with the key autocannon ≤ 2 used. */
const PERCENTILES: ReadonlyArray<[key: string, old: string]> = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p97_5', 'p97_5'],
  ['p99', 'p99'],
  ['p99_9', 'p999']
];

const HEAD = 64 * 1024;

export const autocannonImporter: Importer = {
  format: FORMAT,
  description: 'autocannon --json',
  detect(text) {
    const head = text.slice(0, HEAD);
    if (!/^\s*\{/.test(head)) return 0;
    const has = (key: string): boolean => new RegExp(`"${key}"\\s*:`).test(head);
    const histograms = ['latency', 'requests', 'throughput'].every(k =>
      new RegExp(`"${k}"\\s*:\\s*\\{`).test(head)
    );
    if (!histograms) return 0;
    return has('connections') && has('pipelining') ? 0.95 : 0.6;
  },
  parse(text, file) {
    const result = readShape(Result, readJson(text, file, FORMAT), file, FORMAT);
    return [{ name: benchmarkName(result), metrics: metrics(result, file) }];
  }
};

/**
 * The title given with `--title`, else the URL's path and query: not its host and port, which differ
 * between a base and a head run beside each other.
 */
function benchmarkName(result: Result): string {
  if (result.title) return result.title;
  const urls = typeof result.url === 'string' ? [result.url] : (result.url ?? []);
  if (urls.length > 0) {
    return urls
      .map(u => {
        try {
          const url = new URL(u);
          return url.pathname + url.search;
        } catch {
          return u;
        }
      })
      .join(', ');
  }
  return result.socketPath ?? 'autocannon';
}

function metrics(result: Result, file: string): ImportedMetric[] {
  const num = (value: unknown, ...path: Path): number => measurement(value, path, file, FORMAT);
  const interval = result.sampleInt ?? 1000;
  const perSecond = 1000 / interval;
  const intervals =
    result.samples !== undefined
      ? num(result.samples, 'samples')
      : Math.round((num(result.duration ?? 0, 'duration') * 1000) / interval);

  const out: ImportedMetric[] = [
    rate('requests', 'ops/s', result.requests, 'requests', perSecond, intervals, file)
  ];
  const latency = result.latency;
  const total = latency.totalCount ?? result.requests.total;
  const responses =
    total === undefined
      ? undefined
      : num(total, ...(latency.totalCount !== undefined ? ['latency', 'totalCount'] : ['requests', 'total']));
  if (responses === undefined || responses > 0) {
    const [mean, meanPath] = meanOf(latency, 'latency');
    const ns = (value: unknown, path: Path): number => msToNs(value, path, file);
    const stdev = latency.stddev;
    out.push(
      spread(
        { name: 'latency', unit: 'ns', better: 'lower' },
        ns(mean, meanPath),
        stdev === undefined ? undefined : ns(stdev, ['latency', 'stddev']),
        responses ?? 0
      )
    );
    for (const [key, old] of PERCENTILES) {
      const value = latency[key] ?? latency[old];
      if (value === undefined) continue;
      const path = ['latency', latency[key] === undefined ? old : key];
      out.push({ name: `latency.${key}`, unit: 'ns', better: 'lower', value: ns(value, path) });
    }
  }
  out.push(rate('throughput', 'B/s', result.throughput, 'throughput', perSecond, intervals, file));
  for (const key of ['errors', 'non2xx'] as const) {
    if (result[key] !== undefined) {
      out.push({ name: key, unit: 'count', better: 'lower', value: num(result[key], key) });
    }
  }
  return out;
}

/** A histogram of counts per interval as a rate per second: a summary over the intervals. */
function rate(
  name: string,
  unit: string,
  histogram: z.output<typeof Histogram>,
  key: string,
  perSecond: number,
  intervals: number,
  file: string
): ImportedMetric {
  const [mean, meanPath] = meanOf(histogram, key);
  const m = measurement(mean, meanPath, file, FORMAT) * perSecond;
  const sd =
    histogram.stddev === undefined
      ? undefined
      : measurement(histogram.stddev, [key, 'stddev'], file, FORMAT) * perSecond;
  return spread({ name, unit, better: 'higher' }, m, sd, intervals);
}

/** A summary when there is a spread over at least 2 measurements, else the mean alone. */
function spread(
  metric: Pick<ImportedMetric, 'name' | 'unit' | 'better'>,
  mean: number,
  stdev: number | undefined,
  n: number
): ImportedMetric {
  return stdev === undefined || n < 2
    ? { ...metric, value: mean }
    : { ...metric, summary: { mean, stdev, n } };
}

/** `mean`, or `average` (the wrk-compatible name every version also writes), with its path. */
function meanOf(histogram: z.output<typeof Histogram>, key: string): [unknown, Path] {
  return histogram.mean !== undefined
    ? [histogram.mean, [key, 'mean']]
    : [histogram.average, [key, 'average']];
}

function msToNs(ms: unknown, path: Path, file: string): number {
  const value = measurement(ms, path, file, FORMAT) * 1e6;
  const problem = implausible(value);
  if (problem) throw new ImportError(file, jsonPath(path), FORMAT, `${problem} ns (${String(ms)} ms)`);
  return value;
}

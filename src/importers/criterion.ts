/**
 * Rust criterion.rs results: the console text `cargo bench` prints, and the files criterion keeps per
 * benchmark, `target/criterion/<id>/new/estimates.json` and `sample.json` (criterion 0.3–0.5,
 * `src/report.rs` `CliReport::measurement_complete`, `src/estimate.rs`, `src/analysis/mod.rs`).
 *
 * - Text: `ID  time:   [LOW ESTIMATE HIGH]`, each value with its own unit (ps, ns, µs or us, ms, s);
 *   an id longer than 23 bytes is printed alone and its `time:` line follows, indented; a `thrpt:`
 *   line may follow (B/s … GiB/s, elem/s … Gelem/s); `change:` blocks (percentages), outlier notes
 *   and `--verbose` statistics are not results. The estimate is criterion's "typical" time (the slope
 *   of a linear sampling, else the mean) and [LOW HIGH] its bootstrap interval: the text gives
 *   neither the spread of the samples nor their number, so one result is a single `value`; an id
 *   printed again (several runs in one file) gives samples, one estimate per run.
 * - `estimates.json`: a summary, mean ± standard deviation of the per-iteration sample times. The
 *   file does not hold the number of samples; it is recovered from the bootstrap standard error of
 *   the mean, SE = s·√(n−1)/n, so (s/SE)² = n²/(n−1) (exact up to bootstrap noise; checked against
 *   sample.json). The benchmark's name comes from the path (`…/criterion/<id>/<baseline>/…`): the
 *   directory criterion made of the id (`sum/vec` becomes `sum_vec`).
 * - `sample.json`: raw samples, `times[i] / iters[i]` ns per iteration.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import { valuesMetric, type ImportedBenchmark, type ImportedMetric, type Importer } from './types.js';
import { implausible, normaliseUnit, timeToNs } from './units.js';

const FORMAT = 'criterion';

const TIME_MARK = 'time:   [';
const UNITS = new Set(['ps', 'ns', 'µs', 'μs', 'us', 'ms', 's']);
const TIME_ANYWHERE = /time: {3}\[\S+ (?:ps|ns|µs|μs|us|ms|s) \S+ (?:ps|ns|µs|μs|us|ms|s) \S+ /u;
// Criterion colours its output on a terminal (CliReport::green, bold, faint).
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Reads criterion's console text, `estimates.json` or `sample.json`. */
export const criterionImporter: Importer = {
  format: FORMAT,
  description:
    'Rust criterion.rs: `cargo bench` console text, estimates.json (summary), sample.json (samples)',
  detect,
  parse
};

function detect(text: string): number {
  const head = text.slice(0, 4096);
  if (/^\s*[[{]/.test(head)) {
    if (/"(?:mean|Mean)"\s*:\s*\{/.test(head) && /"point_estimate"/.test(head)) return 0.95;
    if (/"iters"\s*:\s*\[/.test(head) && /"times"\s*:\s*\[/.test(text)) {
      return /"sampling_mode"/.test(head) ? 0.95 : 0.7;
    }
    return 0;
  }
  return TIME_ANYWHERE.test(text) ? 0.95 : 0;
}

function parse(text: string, file: string): ImportedBenchmark[] {
  if (/^\s*[[{]/.test(text)) {
    const json = readJson(text, file, FORMAT);
    if (Array.isArray(json) || (typeof json === 'object' && json !== null && 'iters' in json)) {
      return [{ name: idFromPath(file), metrics: [sampleMetric(json, file)] }];
    }
    return [{ name: idFromPath(file), metrics: [estimatesMetric(json, file)] }];
  }
  return parseText(text, file);
}

interface Result {
  name: string;
  time: number;
  throughput?: { value: number; unit: string };
}

function parseText(text: string, file: string): ImportedBenchmark[] {
  const lines = text.split('\n').map(clean);
  const results: Result[] = [];
  let lastTime = -1;
  lines.forEach((line, i) => {
    const number = i + 1;
    const at = line.lastIndexOf(TIME_MARK);
    const thrpt = /^\s+thrpt:\s+\[(.*)\]\s*$/.exec(line);
    // `change:` blocks hold percentages, not measurements.
    if ((at < 0 && !thrpt) || (thrpt ? thrpt[1]! : line.slice(at)).includes('%')) return;
    if (i === lines.length - 1) {
      throw new ImportError(file, `line ${number}`, FORMAT, 'the file ends mid-line (a truncated file?)');
    }
    if (thrpt) {
      if (lastTime === i - 1) results.at(-1)!.throughput = throughputOf(thrpt[1]!, number, file);
      return;
    }
    const values = estimates(line.slice(at + TIME_MARK.length), number, file, line);
    // An id longer than 23 bytes is printed alone, on the line before.
    let name = line.slice(0, at).trimEnd();
    if (name === '') name = i > 0 ? lines[i - 1]!.trimEnd() : '';
    if (name === '') {
      throw new ImportError(file, `line ${number}`, FORMAT, 'a time: line without a benchmark id before it');
    }
    results.push({ name, time: values[1]! });
    lastTime = i;
  });
  if (results.length === 0) {
    throw new ImportError(
      file,
      '',
      FORMAT,
      'no criterion results (lines "ID  time:   [LOW ESTIMATE HIGH]"); did the benchmarks run?'
    );
  }
  return group(results);
}

/** A line as criterion meant it: colours removed, and what a terminal's `\r` overwrote dropped. */
function clean(raw: string): string {
  const line = raw.replace(ANSI, '');
  const cr = line.replace(/\r+$/, '').lastIndexOf('\r');
  return (cr >= 0 ? line.slice(cr + 1) : line).replace(/\r+$/, '');
}

/** `135.53 ns 185.91 ns 233.60 ns]` → the three times in ns. */
function estimates(rest: string, line: number, file: string, text: string): number[] {
  const m = /^\s*(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]\s*$/u.exec(rest);
  if (!m) throw new ImportError(file, `line ${line}`, FORMAT, `not a criterion time line: "${text.trim()}"`);
  return [0, 1, 2].map(k => {
    const token = m[1 + 2 * k]!;
    const unit = m[2 + 2 * k]!;
    const ns = UNITS.has(unit) ? timeToNs(number(token, line, file), unit) : undefined;
    if (ns === undefined)
      throw new ImportError(file, `line ${line}`, FORMAT, `"${unit}" is not a unit of time`);
    return plausible(ns, `${token} ${unit}`, line, file);
  });
}

const ELEMENTS: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9 };

/** `44.393 GiB/s 46.920 GiB/s 51.171 GiB/s` → the middle one, in B/s or (elements) ops/s. */
function throughputOf(inner: string, line: number, file: string): { value: number; unit: string } {
  const pairs = [...inner.matchAll(/(\S+)\s+([A-Za-z]*\/s)/g)];
  if (pairs.length !== 3) {
    throw new ImportError(file, `line ${line}`, FORMAT, `not a criterion thrpt line: "thrpt: [${inner}]"`);
  }
  const [, token, unit] = pairs[1]!;
  const value = number(token!, line, file);
  const elements = /^([KMG]?)elem\/s$/.exec(unit!);
  const normalised = elements
    ? { value: value * ELEMENTS[elements[1]!]!, unit: 'ops/s' }
    : normaliseUnit(value, unit!);
  if (normalised === undefined || (!elements && normalised.unit !== 'B/s')) {
    throw new ImportError(file, `line ${line}`, FORMAT, `"${unit}" is not a criterion throughput unit`);
  }
  return { value: plausible(normalised.value, `${token} ${unit}`, line, file), unit: normalised.unit };
}

function number(token: string, line: number, file: string): number {
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(token)) return Number(token);
  if (/^[+-]?NaN$/i.test(token)) return NaN;
  if (/^[+-]?inf$/i.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  throw new ImportError(file, `line ${line}`, FORMAT, `"${token}" is not a number`);
}

function plausible(value: number, what: string, line: number, file: string): number {
  const problem = implausible(value);
  if (problem) throw new ImportError(file, `line ${line}`, FORMAT, `${what}: ${problem}`);
  return value;
}

/** One benchmark per id; an id printed again is another run of it: one sample per run. */
function group(results: Result[]): ImportedBenchmark[] {
  const byName = new Map<string, Result[]>();
  for (const r of results) {
    const runs = byName.get(r.name);
    if (runs) runs.push(r);
    else byName.set(r.name, [r]);
  }
  return [...byName].map(([name, runs]) => {
    const metrics: ImportedMetric[] = [
      valuesMetric(
        'time',
        'ns',
        'lower',
        runs.map(r => r.time)
      )
    ];
    const thrpt = runs.flatMap(r => (r.throughput ? [r.throughput] : []));
    if (thrpt.length > 0) {
      metrics.push(
        valuesMetric(
          'throughput',
          thrpt[0]!.unit,
          'higher',
          thrpt.map(t => t.value)
        )
      );
    }
    return { name, metrics };
  });
}

const estimate = z.object({ point_estimate: z.number(), standard_error: z.number() });
const estimatesFile = z.object({ mean: estimate, std_dev: estimate });
/** Before criterion 0.3 the statistics were keyed by their enum names. */
const oldEstimatesFile = z.object({ Mean: estimate, StdDev: estimate });

/** `estimates.json` → mean, standard deviation and (recovered) number of samples, in ns. */
function estimatesMetric(json: unknown, file: string): ImportedMetric {
  if (typeof json === 'object' && json !== null && 'mean' in json && !('std_dev' in json)) {
    throw new ImportError(
      file,
      '$',
      FORMAT,
      'a change/estimates.json (relative changes between two runs), not measurements: import <id>/new/estimates.json'
    );
  }
  const old = typeof json === 'object' && json !== null && 'Mean' in json;
  readShape(old ? oldEstimatesFile : estimatesFile, json, file, FORMAT);
  const [meanKey, sdKey] = old ? ['Mean', 'StdDev'] : ['mean', 'std_dev'];
  const read = (key: string, field: string): number =>
    measurement((json as Record<string, Record<string, unknown>>)[key]![field], [key, field], file, FORMAT);
  const mean = read(meanKey, 'point_estimate');
  const stdev = read(sdKey, 'point_estimate');
  const se = read(meanKey, 'standard_error');
  const n = samplesBehind(stdev, se);
  const metric = { name: 'time', unit: 'ns', better: 'lower' as const };
  return n === undefined ? { ...metric, value: mean } : { ...metric, summary: { mean, stdev, n } };
}

/**
 * The number of samples n behind a standard deviation s whose mean has the bootstrap standard error
 * se: the bootstrap SE of a mean is s·√(n−1)/n, so r = (s/se)² = n²/(n−1) and n = (r + √(r² − 4r))/2.
 * Undefined when the samples do not vary (s or se is 0): there is no spread to test with.
 */
function samplesBehind(s: number, se: number): number | undefined {
  if (!(s > 0 && se > 0)) return undefined;
  const r = (s / se) ** 2;
  if (r < 4) return 2;
  return Math.round((r + Math.sqrt(r * r - 4 * r)) / 2);
}

const sampleFile = z.object({ iters: z.array(z.number()), times: z.array(z.number()) });
/** Before criterion 0.3.4 sample.json was the tuple `[iters, times]`. */
const oldSampleFile = z.tuple([z.array(z.number()), z.array(z.number())]);

/** `sample.json` → one sample per measurement, times[i] / iters[i] ns per iteration. */
function sampleMetric(json: unknown, file: string): ImportedMetric {
  const old = Array.isArray(json);
  let iters: number[];
  let times: number[];
  if (old) [iters, times] = readShape(oldSampleFile, json, file, FORMAT);
  else ({ iters, times } = readShape(sampleFile, json, file, FORMAT));
  const [itersKey, timesKey] = old ? [0, 1] : ['iters', 'times'];
  if (iters.length !== times.length) {
    throw new ImportError(
      file,
      jsonPath([timesKey]),
      FORMAT,
      `${times.length} times for ${iters.length} iteration counts`
    );
  }
  if (iters.length === 0) throw new ImportError(file, '$', FORMAT, 'no samples (empty iters and times)');
  const samples = iters.map((count, i) => {
    const n = measurement(count, [itersKey, i], file, FORMAT);
    if (n === 0) throw new ImportError(file, jsonPath([itersKey, i]), FORMAT, 'zero iterations');
    return measurement(times[i], [timesKey, i], file, FORMAT) / n;
  });
  return { name: 'time', unit: 'ns', better: 'lower', samples };
}

/**
 * The benchmark id of a criterion file from its path: `…/criterion/<id…>/<baseline>/estimates.json`
 * → `<id…>`; `<dir>/<baseline>/x.json` → `<dir>`; a bare `x.json` → `x`.
 */
function idFromPath(file: string): string {
  const parts = file
    .replace(/\\/g, '/')
    .split('/')
    .filter(p => p !== '' && p !== '.');
  const root = parts.lastIndexOf('criterion');
  if (root >= 0 && parts.length - root > 3) return parts.slice(root + 1, -2).join('/');
  if (parts.length >= 3) return parts.at(-3)!;
  return parts.at(-1)!.replace(/\.json$/i, '');
}

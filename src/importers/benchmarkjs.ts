/**
 * benchmark.js console output: one line per benchmark, `String(bench)` as benchmark.js 2.1.4 writes it
 * (`toStringBench`): `name x 1,234 ops/sec ±1.23% (89 runs sampled)`, the rate with thousands
 * separators (two decimals below 100 ops/s), the relative margin of error at 95 % and the sample
 * size. Other lines (`Fastest is …`, an errored benchmark's `name: Error`, npm's banner) are skipped.
 *
 * Statistics: benchmark.js samples the time per operation (period) and prints hz = 1 / mean period
 * and rme = t(0.975, n−1) · sd / √n / mean · 100, with t from its own table (df ≤ 30; 1.96 beyond).
 * So the periods' coefficient of variation is cv = rme / 100 · √n / t, and the metric is a summary of
 * the rate: { mean: hz, stdev: hz · cv, n } — the stdev whose standard error hz · cv / √n is the delta
 * method's for 1 / mean period, exact to first order in cv. One run sampled: a single value.
 * The same name on several lines (a suite run again and appended) gives one sample of hz per line,
 * as Go's `-count` repeats do; the spread between runs is then the spread that counts.
 */
import { ImportError } from '../errors.js';
import type { ImportedBenchmark, ImportedMetric, Importer } from './types.js';
import { implausible } from './units.js';

const FORMAT = 'benchmarkjs';

/** Everything after the name: the last ` x ` of the line starts it (a name may hold ` x `). */
const RESULT =
  /^ x (-?[\d,]+(?:\.\d+)?|NaN|-?Infinity) ops\/sec (?:±|\+-|\+\/-) ?(\d+(?:\.\d+)?)% \((\d+) runs? sampled\)\s*$/;
/** The start of a result: a line that has it but not the rest was cut or garbled. */
const STARTED = / x (?:-?[\d,]+(?:\.\d*)?|NaN|-?Infinity)(?: o.*)?\s*$/;

/** The suite's closing lines, which may end in a name that itself ends like `x 2`. */
const SUMMARY = /^\s*(?:Fastest|Slowest) is /;

/** benchmark.js's two-tailed t critical values at 95 % by degrees of freedom (`tTable`). */
const T_TABLE: readonly number[] = [
  12.706, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
];
/** The critical value benchmark.js used for `n` samples (df = n − 1; df 0 reads as 1). */
export function benchmarkjsCritical(n: number): number {
  return T_TABLE[Math.max(1, n - 1)] ?? 1.96;
}

interface Line {
  name: string;
  hz: number;
  rme: number;
  runs: number;
}

export const benchmarkjsImporter: Importer = {
  format: FORMAT,
  description: 'benchmark.js console output (name x 1,234 ops/sec ±1.23% (89 runs sampled))',
  detect(text) {
    const lines = text.split('\n', 5000);
    return lines.some(l => matchLine(l.replace(/\r$/, '')) !== undefined) ? 0.95 : 0;
  },
  parse(text, file) {
    const lines = text.split('\n');
    const lastText = lines.findLastIndex(l => l.trim() !== '');
    const byName = new Map<string, Line[]>();
    lines.forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      const where = `line ${i + 1}`;
      const m = matchLine(line);
      if (m === undefined) {
        if (STARTED.test(line) && !SUMMARY.test(line) && (line.includes(' ops/sec') || i === lastText)) {
          throw new ImportError(
            file,
            where,
            FORMAT,
            `a result cut short or garbled: ${JSON.stringify(line)}`
          );
        }
        return;
      }
      const parsed = read(m, file, where);
      const runs = byName.get(parsed.name);
      if (runs) runs.push(parsed);
      else byName.set(parsed.name, [parsed]);
    });
    if (byName.size === 0) {
      throw new ImportError(
        file,
        '',
        FORMAT,
        'no benchmarks: no line like "name x 1,234 ops/sec ±1.23% (89 runs sampled)"'
      );
    }
    return [...byName].map(([name, runs]): ImportedBenchmark => ({ name, metrics: [throughput(runs)] }));
  }
};

function matchLine(line: string): [name: string, hz: string, rme: string, runs: string] | undefined {
  const at = line.lastIndexOf(' x ');
  if (at <= 0) return undefined;
  const m = RESULT.exec(line.slice(at));
  const name = line.slice(0, at).trim();
  return m && name ? [name, m[1]!, m[2]!, m[3]!] : undefined;
}

function read([name, hz, rme, runs]: [string, string, string, string], file: string, where: string): Line {
  const line = { name, hz: Number(hz.replaceAll(',', '')), rme: Number(rme), runs: Number(runs) };
  for (const [what, value] of [
    ['the rate', line.hz],
    ['the margin of error', line.rme]
  ] as const) {
    const problem = implausible(value);
    if (problem) throw new ImportError(file, where, FORMAT, `${what}: ${problem}`);
  }
  if (line.runs < 1)
    throw new ImportError(file, where, FORMAT, `the sample size: expected 1 or more, got ${runs}`);
  return line;
}

function throughput(lines: readonly Line[]): ImportedMetric {
  const metric = { name: 'throughput', unit: 'ops/s', better: 'higher' } as const;
  if (lines.length > 1) return { ...metric, samples: lines.map(l => l.hz) };
  const { hz, rme, runs } = lines[0]!;
  if (runs < 2) return { ...metric, value: hz };
  const cv = ((rme / 100) * Math.sqrt(runs)) / benchmarkjsCritical(runs);
  return { ...metric, summary: { mean: hz, stdev: hz * cv, n: runs } };
}

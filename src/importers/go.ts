/**
 * Go's `go test -bench` text output (the benchmark format of golang.org/design/14313): result
 * lines `BenchmarkName-8  2000  123.4 ns/op  45 B/op  2 allocs/op  [value unit]…` under `pkg:`,
 * `goos:`… context lines, with test output, `=== RUN` lines and name-only lines (`-v`) around them.
 *
 * - Names: `pkg.BenchmarkName/sub` — qualified by the `pkg:` line in force (two packages may both
 *   have `BenchmarkParse`), and without the `-N` GOMAXPROCS suffix when every result line of the
 *   file carries the same one (one `-cpu` value: the suffix is the machine, not the benchmark, as in
 *   benchstat, so runs on machines of different sizes compare). With several `-cpu` values (go test
 *   prints no suffix for 1, `-2` for 2…) names are kept as printed, which keeps them unique; a
 *   sub-benchmark whose own name ends in `-N` is also kept whole then. Go already wrote spaces in
 *   names as `_`; unicode and `/` are kept.
 * - Statistics: lines repeating a name (`-count N`, or several runs in one file) are that
 *   benchmark's samples, one per line; a name on one line only gives its single value.
 * - Metrics: `ns/op` → `time` (ns, primary), `MB/s` → `throughput` (B/s, higher), `B/op` → `memory`
 *   (B), `allocs/op` → `allocations`; any other unit (`b.ReportMetric`) keeps its name, normalised
 *   when units.ts knows it, else as Go wrote it, better higher when it is per unit of time (`items/s`)
 *   and lower otherwise (`hits/op`).
 */
import { ImportError } from '../errors.js';
import { valuesMetric, type ImportedBenchmark, type ImportedMetric, type Importer } from './types.js';
import { implausible, normaliseUnit, timeToNs } from './units.js';

const FORMAT = 'go';

/** A result line: `Benchmark` then nothing or a non-lowercase letter (so not `Benchmarking …`). */
const RESULT_LINE = /^Benchmark(?!\p{Ll})\S*\s+\d+(?:\s|$)/u;
const NS_LINE = /^Benchmark(?!\p{Ll})\S*\s+\d+\s+[-+\d.eE]+\s+ns\/op\b/mu;
const ANY_RESULT = /^Benchmark(?!\p{Ll})\S*\s+\d+(?:\s+\S+\s+\S+)+\s*$/mu;
const GOMAXPROCS = /-(\d+)$/;
const STANDARD: Readonly<Record<string, string>> = {
  'ns/op': 'time',
  'MB/s': 'throughput',
  'B/op': 'memory',
  'allocs/op': 'allocations'
};

/** Reads `go test -bench` output. */
export const goImporter: Importer = {
  format: FORMAT,
  description: 'Go `go test -bench` output (-benchmem, -count N, several packages)',
  detect,
  parse
};

function detect(text: string): number {
  if (/^\s*[[{]/.test(text)) return 0;
  if (NS_LINE.test(text)) return 0.95;
  if (ANY_RESULT.test(text)) return 0.8;
  // The header go test prints before a package's benchmarks, with no result under it.
  if (/^goos: \S+$/m.test(text) && /^goarch: \S+$/m.test(text) && /^pkg: \S+$/m.test(text)) return 0.6;
  return 0;
}

interface Line {
  /** 1-based line number. */
  number: number;
  pkg: string;
  name: string;
  /** `[raw token, unit]` pairs after the iteration count. */
  pairs: Array<[string, string]>;
}

/** A `--- FAIL: BenchmarkX` line: the package it is in, the name as printed, and why. */
interface Failure {
  pkg: string;
  name: string;
  why: string;
}

function parse(text: string, file: string): ImportedBenchmark[] {
  const lines = text.split('\n');
  const results: Line[] = [];
  const failed: Failure[] = [];
  let pkg = '';
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const number = i + 1;
    if (line.startsWith('pkg: ')) {
      pkg = line.slice('pkg: '.length).trim();
      return;
    }
    const fail = /^\s*--- FAIL: (Benchmark\S*)/.exec(line);
    if (fail) {
      // Its log follows, indented: the first line says why (`x_test.go:53: message`).
      const why = /^\s+(?!--- )(\S.*?)\r?$/.exec(lines[i + 1] ?? '')?.[1];
      failed.push({ pkg, name: fail[1]!, why: why ?? `--- FAIL at line ${number}` });
    }
    if (!RESULT_LINE.test(line)) {
      if (i === lines.length - 1 && /^Benchmark(?!\p{Ll})/u.test(line)) throw cutMidLine(file, number);
      return;
    }
    // The last line with no newline after it was cut: go test always ends with `ok`/`FAIL`.
    if (i === lines.length - 1) throw cutMidLine(file, number);
    const fields = line.trim().split(/\s+/);
    const rest = fields.slice(2);
    if (rest.length === 0 || rest.length % 2 !== 0) {
      throw new ImportError(
        file,
        `line ${number}`,
        FORMAT,
        rest.length === 0
          ? `no measurements after the iteration count in "${line.trim()}"`
          : `a value without its unit in "${line.trim()}"`
      );
    }
    const pairs: Array<[string, string]> = [];
    for (let k = 0; k < rest.length; k += 2) pairs.push([rest[k]!, rest[k + 1]!]);
    results.push({ number, pkg, name: fields[0]!, pairs });
  });
  if (results.length === 0)
    throw noResults(
      file,
      failed.map(f => f.name)
    );
  const suffix = commonSuffix(results);
  return markFailed(group(results, suffix, file), failed, suffix);
}

/**
 * The benchmarks go test reported `--- FAIL` for, marked failed: listed with no metrics when no run
 * of theirs printed a result. The parent of a failed sub-benchmark fails with it and is not listed.
 */
function markFailed(
  benchmarks: ImportedBenchmark[],
  failed: Failure[],
  suffix: string | undefined
): ImportedBenchmark[] {
  const names = failed.map(f => {
    const bare = suffix && f.name.endsWith(suffix) ? f.name.slice(0, -suffix.length) : f.name;
    return { name: f.pkg ? `${f.pkg}.${bare}` : bare, why: f.why };
  });
  const all = [...benchmarks.map(b => b.name), ...names.map(n => n.name)];
  const byName = new Map(benchmarks.map(b => [b.name, b]));
  for (const { name, why } of names) {
    if (all.some(other => other.startsWith(`${name}/`))) continue;
    const known = byName.get(name);
    if (known) known.failed ??= why;
    else {
      const b: ImportedBenchmark = { name, metrics: [], failed: why };
      byName.set(name, b);
      benchmarks.push(b);
    }
  }
  return benchmarks;
}

function cutMidLine(file: string, number: number): ImportError {
  return new ImportError(file, `line ${number}`, FORMAT, 'the file ends mid-line (a truncated file?)');
}

function noResults(file: string, failed: string[]): ImportError {
  const why =
    failed.length > 0
      ? `every benchmark failed (--- FAIL: ${failed.join(', ')})`
      : 'was go test run with -bench?';
  return new ImportError(
    file,
    '',
    FORMAT,
    `no benchmark results (lines "BenchmarkName  N  value unit …"); ${why}`
  );
}

/** The `-N` every result line ends with, when they all end with the same one. */
function commonSuffix(results: Line[]): string | undefined {
  const first = GOMAXPROCS.exec(results[0]!.name)?.[0];
  if (first === undefined) return undefined;
  return results.every(r => GOMAXPROCS.exec(r.name)?.[0] === first) ? first : undefined;
}

function group(results: Line[], suffix: string | undefined, file: string): ImportedBenchmark[] {
  const byName = new Map<string, Map<string, ImportedMetric & { samples: number[] }>>();
  for (const r of results) {
    const bare = suffix ? r.name.slice(0, -suffix.length) : r.name;
    const name = r.pkg ? `${r.pkg}.${bare}` : bare;
    let metrics = byName.get(name);
    if (!metrics) byName.set(name, (metrics = new Map()));
    for (const [token, unit] of r.pairs) {
      const m = metric(token, unit, r.number, file);
      const known = metrics.get(m.name);
      if (known) known.samples.push(m.value);
      else metrics.set(m.name, { name: m.name, unit: m.unit, better: m.better, samples: [m.value] });
    }
  }
  return [...byName].map(([name, metrics]) => {
    const all = [...metrics.values()].map(m => valuesMetric(m.name, m.unit, m.better, m.samples));
    const time = all.findIndex(m => m.name === 'time');
    if (time > 0) all.unshift(...all.splice(time, 1));
    return { name, metrics: all };
  });
}

function metric(
  token: string,
  unit: string,
  line: number,
  file: string
): { name: string; unit: string; better: 'lower' | 'higher'; value: number } {
  const raw = goNumber(token);
  if (raw === undefined) {
    throw new ImportError(file, `line ${line}`, FORMAT, `"${token}" before ${unit} is not a number`);
  }
  const normalised = normaliseUnit(raw, unit);
  const value = normalised?.value ?? raw;
  const problem = implausible(raw) ?? implausible(value);
  if (problem) throw new ImportError(file, `line ${line}`, FORMAT, `${token} ${unit}: ${problem}`);
  const name = STANDARD[unit] ?? unit;
  if (normalised) return { name, unit: normalised.unit, better: normalised.better, value };
  const per = unit.includes('/') ? unit.slice(unit.lastIndexOf('/') + 1) : undefined;
  const rate = per !== undefined && timeToNs(1, per) !== undefined;
  return { name, unit, better: rate ? 'higher' : 'lower', value };
}

/** A number as Go prints one (`12`, `1.036`, `1e+06`, `NaN`, `+Inf`); undefined for anything else. */
function goNumber(token: string): number | undefined {
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(token)) return Number(token);
  if (token === 'NaN') return NaN;
  if (/^[-+]?Inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

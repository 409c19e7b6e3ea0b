/**
 * Rust's libtest bench output (`cargo bench` with `#[bench]`, nightly): result lines
 * `test NAME ... bench:   1,234 ns/iter (+/- 56)[ = 12 MB/s]` (rust-lang/rust
 * `library/test/src/bench.rs` `fmt_bench_samples`), integers with thousands separators in older
 * toolchains and two decimals (`0.25`, `1,234.50`) in newer ones; `ignored` lines are not results;
 * a bench that panicked (`FAILED`) is listed with no metrics and `failed` = its panic message (from
 * the `---- NAME stdout ----` section); cargo's `Running …` lines (stderr) separate the test binaries.
 *
 * - Statistic: the number printed is the median of libtest's 50 winsorized per-iteration timings, and
 *   `(+/- R)` is their range (max − min), not a standard deviation and not about a mean; those 50 are
 *   iterations inside one process, not independent runs. Turned into a standard deviation
 *   (range / ≈4 for 50 normal values) it would give Welch's test 50 "independent" measurements of one
 *   run and overstate significance, so one result gives a single `value` (the median) and the range
 *   is dropped. A name repeated in the same binary (several runs in one file) gives samples, one
 *   median per run — as Go's `-count` does.
 * - Names: as libtest prints them (`tests::bench_split`), padding removed. A name in two different
 *   binaries (told apart by cargo's `Running` lines) is two benchmarks, each named
 *   `NAME (TARGET)` (`bench_noop (benches/parse.rs)`); without `Running` lines (stdout only) a
 *   repeated name is taken for a repeated run.
 * - Metrics: `time` (ns, lower, primary) and, when the bench set `b.bytes`, `throughput` (MB/s → B/s,
 *   higher).
 */
import { ImportError } from '../errors.js';
import { valuesMetric, type ImportedBenchmark, type ImportedMetric, type Importer } from './types.js';
import { implausible, normaliseUnit } from './units.js';

const FORMAT = 'libtest';

const BENCH =
  /^test (.+?)\s+\.\.\. bench:\s+(\S+) ns\/iter \(\+\/- (\S+)\)(?: = (\S+) MB\/s)?(?: <[^>]*>)?\s*$/;
const BENCH_ANYWHERE = /^test \S.*? \.\.\. bench:\s+[\d,.]+ ns\/iter \(\+\/- [\d,.]+\)/m;
const RUNNING = /^\s*Running (.+?)\s*$/;

/** Reads libtest's `cargo bench` output. */
export const libtestImporter: Importer = {
  format: FORMAT,
  description: 'Rust `cargo bench` (libtest `#[bench]`) output',
  detect,
  parse
};

function detect(text: string): number {
  if (/^\s*[[{]/.test(text)) return 0;
  return BENCH_ANYWHERE.test(text) ? 0.95 : 0;
}

interface Result {
  line: number;
  target: string;
  name: string;
  median: number;
  mbs?: number;
}

function parse(text: string, file: string): ImportedBenchmark[] {
  const lines = text.split('\n');
  const results: Result[] = [];
  const failed: Array<{ target: string; name: string }> = [];
  let target = '';
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const number = i + 1;
    const running = RUNNING.exec(line);
    if (running) {
      target = targetLabel(running[1]!);
      return;
    }
    if (!line.startsWith('test ') || line.startsWith('test result:')) return;
    // libtest ends every result with a newline: a last line without one was cut.
    if (i === lines.length - 1) {
      throw new ImportError(file, `line ${number}`, FORMAT, 'the file ends mid-line (a truncated file?)');
    }
    const m = BENCH.exec(line);
    if (!m) {
      if (line.includes(' ... bench:')) {
        throw new ImportError(file, `line ${number}`, FORMAT, `not a libtest bench result: "${line.trim()}"`);
      }
      const failure = /^test (.+?)\s+\.\.\. FAILED\b/.exec(line);
      if (failure) failed.push({ target, name: failure[1]! });
      return;
    }
    const median = measure(m[2]!, 'ns/iter', number, file);
    measure(m[3]!, 'ns/iter (the range)', number, file);
    const mbs = m[4] === undefined ? undefined : measure(m[4], 'MB/s', number, file);
    results.push({ line: number, target, name: m[1]!, median, mbs });
  });
  if (results.length === 0) {
    throw new ImportError(
      file,
      '',
      FORMAT,
      'no bench results (lines "test NAME ... bench: N ns/iter (+/- R)"); ' +
        (failed.length > 0
          ? `FAILED: ${failed.map(f => f.name).join(', ')}`
          : 'was it cargo bench output (#[bench] needs nightly)?')
    );
  }
  return group(results, failed, lines);
}

/** Why a bench failed: the first lines of its `---- NAME stdout ----` section (its panic). */
function panicOf(lines: string[], name: string, from: number): string {
  const header = lines.indexOf(`---- ${name} stdout ----`, from);
  if (header < 0) return 'FAILED';
  const rest = lines.slice(header + 1).map(l => l.replace(/\r$/, '').trim());
  const first = rest.findIndex(l => l !== '');
  if (first < 0 || rest[first]!.startsWith('---- ')) return 'FAILED';
  // `thread 'main' panicked at src/x.rs:40:9:` then the message (Rust 1.73+), or all on one line.
  const line = rest[first]!;
  const next = rest[first + 1];
  return line.endsWith(':') && next ? `${line} ${next}` : line;
}

/** `unittests src/lib.rs (target/…/x-hash)` → `unittests src/lib.rs`; old `target/…/x-hash` → `target/…/x`. */
function targetLabel(running: string): string {
  const paren = /^(.*?) \(.*\)$/.exec(running);
  if (paren) return paren[1]!;
  return running.replace(/-[0-9a-f]{8,}(\.exe)?$/, '');
}

/** A libtest number (`1,234`, `0.25`, `1,234,567.89`, `NaN`, `inf`), checked to be a measurement. */
function measure(token: string, what: string, line: number, file: string): number {
  const value = /^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$/.test(token)
    ? Number(token.replace(/,/g, ''))
    : token === 'NaN'
      ? NaN
      : /^-?inf$/.test(token)
        ? token.startsWith('-')
          ? -Infinity
          : Infinity
        : undefined;
  if (value === undefined) {
    throw new ImportError(file, `line ${line}`, FORMAT, `"${token}" before ${what} is not a number`);
  }
  const problem = implausible(value);
  if (problem) throw new ImportError(file, `line ${line}`, FORMAT, `${token} ${what}: ${problem}`);
  return value;
}

function group(
  results: Result[],
  failed: Array<{ target: string; name: string }>,
  lines: string[]
): ImportedBenchmark[] {
  const targets = new Map<string, Set<string>>();
  for (const r of [...results, ...failed]) {
    const set = targets.get(r.name) ?? new Set<string>();
    set.add(r.target);
    targets.set(r.name, set);
  }
  const qualified = (r: { name: string; target: string }): string =>
    targets.get(r.name)!.size > 1 && r.target ? `${r.name} (${r.target})` : r.name;
  const byName = new Map<string, Result[]>();
  for (const r of results) {
    const name = qualified(r);
    const list = byName.get(name);
    if (list) list.push(r);
    else byName.set(name, [r]);
  }
  const benchmarks = [...byName].map(([name, runs]): ImportedBenchmark => {
    const metrics: ImportedMetric[] = [
      valuesMetric(
        'time',
        'ns',
        'lower',
        runs.map(r => r.median)
      )
    ];
    const mbs = runs.flatMap(r => (r.mbs === undefined ? [] : [normaliseUnit(r.mbs, 'MB/s')!.value]));
    if (mbs.length > 0) metrics.push(valuesMetric('throughput', 'B/s', 'higher', mbs));
    return { name, metrics };
  });
  // Each binary's failures section comes after its results: search from its `Running` line.
  for (const f of failed) {
    const name = qualified(f);
    const running = f.target ? lines.findIndex(l => RUNNING.exec(l)?.[1]?.startsWith(f.target)) : 0;
    const why = panicOf(lines, f.name, Math.max(0, running));
    const known = benchmarks.find(b => b.name === name);
    if (known) known.failed ??= why;
    else benchmarks.push({ name, metrics: [], failed: why });
  }
  return benchmarks;
}

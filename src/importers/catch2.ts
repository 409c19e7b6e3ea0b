/**
 * Catch2 benchmark results (v2.9+ and v3): the console reporter's table and the XML reporter
 * (`-r xml`) (catchorg/Catch2 `ConsoleReporter::benchmark*`, `XmlReporter::benchmark*`).
 *
 * - Statistic: Catch2 times `samples` samples (each the mean of `iterations` runs) and reports their
 *   mean and standard deviation (with bootstrap bounds): a summary {mean, stdev, n = samples}. With
 *   `--benchmark-no-analysis` only the mean is computed (the XML then writes a zero deviation with
 *   `ci="0"`): a single `value`. The same benchmark run again in the same test case and sections
 *   (a loop, a generator) is pooled into one summary of all its samples.
 * - Units: the console prints each value with its own unit (ns, us, ms, s, m = minutes), so a row
 *   `387.755 ns  349.95 ns  1.2 us` is read value by value; the XML is in ns.
 * - Names: as written; the XML keeps them exactly. The console wraps names wider than its column
 *   (Catch's TextFlow: at spaces, which it drops, after `])}>.,:;*+-=&/\`, before `[({<|`, or
 *   mid-word with a `-` added): rejoined by those rules. A name used in more than one test case (or
 *   section) is qualified: `Test case / section / name`.
 * - A failed benchmark (`Benchmark failed (…)`, `<failed message>`) has no result: it is listed with
 *   no metrics and `failed` set to Catch2's message.
 */
import { ImportError } from '../errors.js';
import type { ImportedBenchmark, ImportedMetric, Importer } from './types.js';
import { implausible, timeToNs } from './units.js';

const FORMAT = 'catch2';

const TABLE_HEAD = /^benchmark name\s+samples\s+iterations\s+(estimated|mean)\s*$/;
const TABLE_HEAD_ANY = /^benchmark name {2,}\s*samples\b/m;
const BANNER = /^\S.* is a Catch2? v\d+\.\d+\.\d+ host application\.$/m;
const DURATION = String.raw`(\S+) (ns|us|ms|s|m)`;
const FIRST_ROW = new RegExp(String.raw`^(.*?)\s+(\d+)\s+(\d+)\s+${DURATION}\s*$`);
const STAT_ROW = new RegExp(String.raw`^\s+${DURATION}\s+${DURATION}\s+${DURATION}\s*$`);
const RULE = /^(?:-{20,}|={20,}|\.{20,}|~{20,})$/;

/** Reads Catch2's console benchmark table or its XML report. */
export const catch2Importer: Importer = {
  format: FORMAT,
  description: 'Catch2 benchmarks: console output or the XML reporter (-r xml)',
  detect,
  parse
};

function detect(text: string): number {
  const head = text.slice(0, 65536);
  if (/^\s*</.test(head)) {
    const root = /<(?:Catch|Catch2TestRun)\s+name=/.test(head);
    if (/<BenchmarkResults\s+name=/.test(text)) return root ? 0.95 : 0.8;
    return root ? 0.6 : 0;
  }
  if (TABLE_HEAD_ANY.test(text)) return BANNER.test(head) ? 0.95 : 0.9;
  return BANNER.test(head) ? 0.6 : 0;
}

function parse(text: string, file: string): ImportedBenchmark[] {
  const results = /^\s*</.test(text) ? parseXml(text, file) : parseConsole(text, file);
  if (results.length === 0) {
    throw new ImportError(
      file,
      '',
      FORMAT,
      'no benchmark results (BENCHMARK needs CATCH_CONFIG_ENABLE_BENCHMARKING in Catch2 v2; were the benchmarks run or all failed?)'
    );
  }
  return group(results);
}

/** One benchmark run: where it ran (test case, sections), its name and its statistics. */
interface Result {
  context: string[];
  name: string;
  mean: number;
  /** Undefined without analysis. */
  stdev?: number;
  samples: number;
  /** Catch2's message for a benchmark that failed (then it has no statistics). */
  failed?: string;
}

function parseConsole(text: string, file: string): Result[] {
  const lines = text.split('\n').map(l => l.replace(/\r$/, '').replace(ANSI, ''));
  const results: Result[] = [];
  let context: string[] = [];
  let inTable = false;
  let analysis = true;
  let segments: string[] = [];
  let open: { result: Result; rows: number; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const number = i + 1;
    const cut = i === lines.length - 1 && line !== '' && !text.endsWith('\n');
    if (open) {
      const m = STAT_ROW.exec(line);
      if (!m || cut) {
        throw new ImportError(
          file,
          `line ${number}`,
          FORMAT,
          cut || line.trim() === ''
            ? `the results of "${open.result.name}" end early (a truncated file?)`
            : `expected the ${open.rows === 0 ? 'mean' : 'std dev'} row of "${open.result.name}": "${line.trim()}"`
        );
      }
      const value = duration(m[1]!, m[2]!, number, file);
      if (open.rows === 0) open.result.mean = value;
      else open.result.stdev = value;
      for (let k = 3; k <= 5; k += 2) duration(m[k]!, m[k + 1]!, number, file);
      if (++open.rows === 2) open = undefined;
      continue;
    }
    if (RULE.test(line)) {
      if (inTable && segments.length > 0) throw truncated(file, number, segments);
      if (/^-+$/.test(line)) {
        // A test case header: its name, then its sections indented, until the next rule.
        const header: string[] = [];
        while (i + 1 < lines.length && !RULE.test(lines[i + 1]!)) header.push(lines[++i]!);
        if (i + 1 < lines.length) {
          i++;
          context = header.filter(h => h.trim() !== '').map(h => h.trim());
        }
      }
      inTable = false;
      continue;
    }
    const head = TABLE_HEAD.exec(line);
    if (head) {
      analysis = head[1] === 'estimated';
      // The analysis table has two more header lines, then a rule.
      while (i + 1 < lines.length && !RULE.test(lines[i + 1]!)) i++;
      i++;
      inTable = true;
      segments = [];
      continue;
    }
    if (!inTable || line.trim() === '') continue;
    const failure = /^(.*?)\s*Benchmark failed \((.*)\)\s*$/.exec(line);
    if (failure) {
      const name = joinWrapped([...segments, failure[1]!].filter(s => s.trim() !== ''));
      results.push({ context, name, mean: 0, samples: 0, failed: failure[2]! || 'Benchmark failed' });
      segments = [];
      continue;
    }
    const m = FIRST_ROW.exec(line);
    if (cut) throw truncated(file, number, [...segments, line]);
    if (!m) {
      segments.push(line.trimEnd());
      continue;
    }
    const name = joinWrapped([...segments, m[1]!.trimEnd()]);
    segments = [];
    const samples = count(m[2]!, number, file);
    const value = duration(m[4]!, m[5]!, number, file);
    const result: Result = { context, name, mean: value, samples };
    results.push(result);
    if (analysis) open = { result, rows: 0, line: number };
  }
  if (open) {
    throw new ImportError(
      file,
      `line ${lines.length}`,
      FORMAT,
      `the results of "${open.result.name}" end early (a truncated file?)`
    );
  }
  if (inTable && segments.length > 0) throw truncated(file, lines.length, segments);
  return results;
}

function truncated(file: string, line: number, segments: string[]): ImportError {
  return new ImportError(
    file,
    `line ${line}`,
    FORMAT,
    `a benchmark row cut short: "${segments.map(s => s.trim()).join(' ')}" (a truncated file?)`
  );
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** A name Catch's TextFlow wrapped over several lines, joined back by its rules. */
function joinWrapped(segments: string[]): string {
  return segments.reduce((name, next) => {
    if (name === '') return next;
    // Mid-word: no place to break in the whole segment, so Catch cut it and added a hyphen.
    if (name.endsWith('-') && !/[\s[\](){}<>|.,:;*+=&/\\-]/.test(name.slice(0, -1))) {
      return name.slice(0, -1) + next;
    }
    if (/[\])}>.,:;*+\-=&/\\]$/.test(name) || /^[[({<|]/.test(next)) return name + next;
    return `${name} ${next}`;
  }, '');
}

/** A number as C++ streams print it (`45.44`, `1.3932e+06`, `nan`, `inf`), or undefined. */
function numberOf(token: string): number | undefined {
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(token)) return Number(token);
  if (/^[+-]?nan$/i.test(token)) return NaN;
  if (/^[+-]?inf(?:inity)?$/i.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** `token unit` in ns, checked to be a measurement; `what` names it in messages. */
function duration(
  token: string,
  unit: string,
  line: number,
  file: string,
  what = `${token} ${unit}`
): number {
  const value = numberOf(token);
  if (value === undefined)
    throw new ImportError(file, `line ${line}`, FORMAT, `${what}: "${token}" is not a number`);
  const problem = implausible(timeToNs(value, unit)!);
  if (problem) throw new ImportError(file, `line ${line}`, FORMAT, `${what}: ${problem}`);
  return timeToNs(value, unit)!;
}

function count(token: string, line: number, file: string): number {
  const n = Number(token);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ImportError(
      file,
      `line ${line}`,
      FORMAT,
      `samples: expected a whole number of 1 or more, got "${token}"`
    );
  }
  return n;
}

const TAG =
  /<(\/?)(TestCase|Section|BenchmarkResults|mean|standardDeviation|failed)\b((?:[^>"]|"[^"]*")*?)(\/?)>/g;
const ROOT_END = /<\/(?:Catch|Catch2TestRun)>\s*$/;

function parseXml(text: string, file: string): Result[] {
  const results: Result[] = [];
  const context: string[] = [];
  let bench: (Partial<Result> & { name: string; line: number; ci?: number }) | undefined;
  let line = 1;
  let scanned = 0;
  const lineAt = (offset: number): number => {
    for (; scanned < offset; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    return line;
  };
  for (const m of text.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing] = m;
    const at = lineAt(m.index);
    const attrs = attributes(attrText!);
    if (tag === 'TestCase' || tag === 'Section') {
      if (closing) context.pop();
      else if (!selfClosing) context.push(attrs.name ?? '');
      continue;
    }
    if (tag === 'BenchmarkResults') {
      if (!closing) {
        bench = { name: attrs.name ?? '', line: at, context: [...context] };
        if (attrs.samples !== undefined) bench.samples = count(attrs.samples, at, file);
        continue;
      }
      if (bench?.failed !== undefined) {
        results.push({
          context: bench.context!,
          name: bench.name,
          mean: 0,
          samples: 0,
          failed: bench.failed
        });
      } else if (bench) {
        if (bench.mean === undefined || bench.samples === undefined) {
          throw new ImportError(
            file,
            `line ${bench.line}`,
            FORMAT,
            `<BenchmarkResults name="${bench.name}"> has no <mean> or samples`
          );
        }
        const noAnalysis = bench.ci === 0 && bench.stdev === 0;
        results.push({
          context: bench.context!,
          name: bench.name,
          mean: bench.mean,
          stdev: noAnalysis ? undefined : bench.stdev,
          samples: bench.samples
        });
      }
      bench = undefined;
      continue;
    }
    if (!bench) continue;
    if (tag === 'failed') bench.failed = attrs.message || 'failed';
    else {
      const value = nanoseconds(attrs.value, tag!, at, file);
      if (tag === 'mean') {
        bench.mean = value;
        bench.ci = attrs.ci === undefined ? undefined : Number(attrs.ci);
      } else bench.stdev = value;
    }
  }
  if (bench || !ROOT_END.test(text)) {
    throw new ImportError(
      file,
      `line ${lineAt(text.length)}`,
      FORMAT,
      'the XML ends early (a truncated file?)'
    );
  }
  return results;
}

function nanoseconds(token: string | undefined, tag: string, line: number, file: string): number {
  if (token === undefined) throw new ImportError(file, `line ${line}`, FORMAT, `<${tag}> has no value`);
  return duration(token, 'ns', line, file, `<${tag} value="${token}">`);
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/([\w:-]+)="([^"]*)"/g)) {
    out[key!] = value!.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) =>
      ref.startsWith('#x') || ref.startsWith('#X')
        ? String.fromCodePoint(parseInt(ref.slice(2), 16))
        : ref.startsWith('#')
          ? String.fromCodePoint(Number(ref.slice(1)))
          : (ENTITIES[ref] ?? whole)
    );
  }
  return out;
}

/**
 * One benchmark per test case, sections and name; a name in several of those is qualified by them.
 * Runs of the same one are pooled: the mean and deviation of all their samples together.
 */
function group(results: Result[]): ImportedBenchmark[] {
  const key = (r: Result) => JSON.stringify([...r.context, r.name]);
  const contexts = new Map<string, Set<string>>();
  for (const r of results) contexts.set(r.name, (contexts.get(r.name) ?? new Set()).add(key(r)));
  const byKey = new Map<string, { name: string; runs: Result[] }>();
  for (const r of results) {
    const name = contexts.get(r.name)!.size > 1 ? [...r.context, r.name].join(' / ') : r.name;
    const entry = byKey.get(key(r)) ?? { name, runs: [] };
    entry.runs.push(r);
    byKey.set(key(r), entry);
  }
  return [...byKey.values()].map(({ name, runs }): ImportedBenchmark => {
    const ran = runs.filter(r => r.failed === undefined);
    const failed = runs.find(r => r.failed !== undefined)?.failed;
    return {
      name,
      metrics: ran.length > 0 ? [metric(ran)] : [],
      ...(failed !== undefined && { failed })
    };
  });
}

function metric(runs: Result[]): ImportedMetric {
  const base = { name: 'time', unit: 'ns', better: 'lower' as const };
  if (runs.some(r => r.stdev === undefined)) {
    return runs.length === 1
      ? { ...base, value: runs[0]!.mean }
      : { ...base, samples: runs.map(r => r.mean) };
  }
  const n = runs.reduce((a, r) => a + r.samples, 0);
  const mean = runs.reduce((a, r) => a + r.mean * r.samples, 0) / n;
  // Pooled: within-run sums of squares plus each run's distance from the overall mean.
  const ss = runs.reduce((a, r) => a + (r.samples - 1) * r.stdev! ** 2 + r.samples * (r.mean - mean) ** 2, 0);
  const stdev = runs.length === 1 ? runs[0]!.stdev! : Math.sqrt(ss / (n - 1));
  return { ...base, summary: { mean, stdev, n } };
}

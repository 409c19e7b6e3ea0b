/**
 * hyperfine `--export-json` (sharkdp/hyperfine `src/export/json.rs`, `BenchmarkResult` in
 * `src/benchmark/benchmark_result.rs`): `{ results: [{ command, mean, stddev, median, user, system,
 * min, max, times, memory_usage_byte?, exit_codes, parameters? }] }`, every time in seconds.
 *
 * Statistics: `times` holds every run's wall time, so `wall_time` has raw samples (without `times`,
 * as in very old versions: mean, stddev and the run count from `exit_codes`). `user` and `system` are
 * only the means over the runs, with no spread: single values. `memory_usage_byte` (hyperfine ≥ 1.19)
 * is each run's peak RSS: samples of `peak_rss`. The metric names are those of perfgate's own command
 * benchmarks (SPEC §12), so a hyperfine import and a `benchmarks:` entry read alike.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, readJson, readShape } from './json.js';
import type { ImportedMetric, Importer } from './types.js';
import { implausible } from './units.js';

const FORMAT = 'hyperfine';

const Result = z.object({
  command: z.string(),
  mean: z.number(),
  stddev: z.number().nullable().optional(),
  user: z.number().optional(),
  system: z.number().optional(),
  times: z.array(z.unknown()).optional(),
  memory_usage_byte: z.array(z.unknown()).optional(),
  exit_codes: z.array(z.number().int().nullable()).optional(),
  parameters: z.record(z.string(), z.unknown()).optional()
});
const Export = z.object({ results: z.array(Result) });
type Result = z.output<typeof Result>;

/** How far into a file detection looks: the signature is in the first result. */
const HEAD = 64 * 1024;

export const hyperfineImporter: Importer = {
  format: FORMAT,
  description: 'hyperfine --export-json',
  detect(text) {
    const head = text.slice(0, HEAD);
    if (!/^\s*\{/.test(head) || !/"results"\s*:\s*\[/.test(head)) return 0;
    const command = /"command"\s*:\s*"/.test(head);
    const perRun = /"exit_codes"\s*:\s*\[/.test(head) || /"times"\s*:\s*\[/.test(head);
    const stats = /"mean"\s*:/.test(head) && /"median"\s*:/.test(head);
    if (command && perRun && stats) return 0.95;
    return command && stats ? 0.6 : 0;
  },
  parse(text, file) {
    const { results } = readShape(Export, readJson(text, file, FORMAT), file, FORMAT);
    if (results.length === 0) {
      throw new ImportError(file, '$.results', FORMAT, 'no benchmarks: the results list is empty');
    }
    const names = uniqueNames(results);
    return results.map((result, i) => ({ name: names[i]!, metrics: metrics(result, i, file) }));
  }
};

function metrics(result: Result, i: number, file: string): ImportedMetric[] {
  const at = (...path: PropertyKey[]): PropertyKey[] => ['results', i, ...path];
  const out: ImportedMetric[] = [wallTime(result, i, file)];
  if (result.user !== undefined) {
    out.push({ name: 'user_time', unit: 'ns', better: 'lower', value: ns(result.user, at('user'), file) });
  }
  if (result.system !== undefined) {
    out.push({ name: 'sys_time', unit: 'ns', better: 'lower', value: ns(result.system, at('system'), file) });
  }
  if (result.memory_usage_byte !== undefined && result.memory_usage_byte.length > 0) {
    const samples = result.memory_usage_byte.map((b, j) =>
      measurement(b, at('memory_usage_byte', j), file, FORMAT)
    );
    out.push({ name: 'peak_rss', unit: 'B', better: 'lower', samples });
  }
  return out;
}

/** Every run's wall time when `times` is there; else the mean with its spread, or the mean alone. */
function wallTime(result: Result, i: number, file: string): ImportedMetric {
  const at = (...path: PropertyKey[]): PropertyKey[] => ['results', i, ...path];
  const metric = { name: 'wall_time', unit: 'ns', better: 'lower' } as const;
  if (result.times !== undefined) {
    if (result.times.length === 0) {
      throw new ImportError(file, jsonPath(at('times')), FORMAT, 'no runs: the times list is empty');
    }
    return { ...metric, samples: result.times.map((t, j) => ns(t, at('times', j), file)) };
  }
  const mean = ns(result.mean, at('mean'), file);
  const runs = result.exit_codes?.length ?? 0;
  if (result.stddev === undefined || result.stddev === null || runs < 2) return { ...metric, value: mean };
  return { ...metric, summary: { mean, stdev: ns(result.stddev, at('stddev'), file), n: runs } };
}

/** Seconds at `path` in nanoseconds, plausible before and after the conversion. */
function ns(seconds: unknown, path: PropertyKey[], file: string): number {
  const value = measurement(seconds, path, file, FORMAT) * 1e9;
  const problem = implausible(value);
  if (problem) throw new ImportError(file, jsonPath(path), FORMAT, `${problem} ns (${String(seconds)} s)`);
  return value;
}

/**
 * The commands as benchmark names. hyperfine runs the same command twice if asked (or a parameter
 * the command does not use makes several alike): every occurrence of a repeated name is then
 * qualified by its parameters where they tell them apart, else by its position (`#1`, `#2`), so that
 * the base and the head pair up the same way.
 */
function uniqueNames(results: readonly Result[]): string[] {
  const count = new Map<string, number>();
  for (const r of results) count.set(r.command, (count.get(r.command) ?? 0) + 1);
  const seen = new Map<string, number>();
  const named = results.map(r => {
    if (count.get(r.command) === 1) return r.command;
    const params = Object.entries(r.parameters ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return params ? `${r.command} {${params}}` : r.command;
  });
  const again = new Map<string, number>();
  for (const n of named) again.set(n, (again.get(n) ?? 0) + 1);
  return named.map(n => {
    if (again.get(n) === 1) return n;
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return `${n} #${k}`;
  });
}

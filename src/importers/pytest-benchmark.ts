/**
 * pytest-benchmark's JSON: `--benchmark-json=FILE`, and the files `--benchmark-save`/`-autosave`
 * store under `.benchmarks/` (ionelmc/pytest-benchmark `src/pytest_benchmark/plugin.py`,
 * `pytest_benchmark_generate_json`; `stats.py`). Every time is in **seconds**, per iteration.
 *
 * A benchmark is named by its `fullname` (`tests/test_x.py::TestY::test_z[param id]`): unique in a
 * run, where `name` (`test_z[param id]`) is not across files and classes. Statistics, richest first:
 * `stats.data` (every round's time; always in `--benchmark-json`, in saved files only with
 * `--benchmark-save-data`) are the samples; without it `mean`, `stddev` and `rounds` are a summary.
 * `ops` (1 / mean; versions before 3.1 lack it) is a second metric, `ops`, one value.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { jsonPath, measurement, nonFinite, readJsonAllowingNonFinite, readShape } from './json.js';
import { valuesMetric, type ImportedBenchmark, type ImportedMetric, type Importer } from './types.js';
import { implausible } from './units.js';

const FORMAT = 'pytest-benchmark';
const NS_PER_S = 1e9;

const Stats = z.looseObject({
  mean: z.unknown(),
  stddev: z.unknown().optional(),
  rounds: z.number().int().min(1),
  ops: z.unknown().optional(),
  data: z.array(z.unknown()).optional()
});

const Benchmark = z.looseObject({
  name: z.string(),
  fullname: z.string().optional(),
  stats: Stats
});

const File = z.object({
  machine_info: z.looseObject({}).optional(),
  benchmarks: z.array(Benchmark)
});

export const pytestBenchmarkImporter: Importer = {
  format: FORMAT,
  description: 'pytest-benchmark JSON (--benchmark-json, or a file saved with --benchmark-save)',
  detect(text) {
    const head = text.slice(0, 65536);
    if (!head.trimStart().startsWith('{') || !head.includes('"benchmarks"')) return 0;
    const signature = ['"machine_info"', '"commit_info"'].filter(key => head.includes(key)).length;
    const stats = /"stats"\s*:\s*\{/.test(head) && head.includes('"rounds"');
    if (signature === 2 && (stats || /"benchmarks"\s*:\s*\[\s*\]/.test(head))) return 0.95;
    if (stats && head.includes('"fullname"')) return 0.8;
    return signature > 0 && stats ? 0.6 : 0;
  },
  parse(text, file) {
    const data = readShape(File, readJsonAllowingNonFinite(text, file, FORMAT), file, FORMAT);
    if (data.benchmarks.length === 0) {
      throw new ImportError(file, '$.benchmarks', FORMAT, 'no benchmarks in the file (the list is empty)');
    }
    const seen = new Map<string, number>();
    return data.benchmarks.map((bench, i): ImportedBenchmark => {
      const name = bench.fullname ?? bench.name;
      const before = seen.get(name);
      if (before !== undefined) {
        throw new ImportError(
          file,
          jsonPath(['benchmarks', i, bench.fullname === undefined ? 'name' : 'fullname']),
          FORMAT,
          `benchmark "${name}" appears twice (also at ${jsonPath(['benchmarks', before])})`
        );
      }
      seen.set(name, i);
      return { name, metrics: metricsOf(bench.stats, ['benchmarks', i, 'stats'], file) };
    });
  }
};

/** `time` (samples, a summary or a value, in ns) and, where the file has it, `ops` (ops/s). */
function metricsOf(stats: z.infer<typeof Stats>, at: Array<string | number>, file: string): ImportedMetric[] {
  const seconds = (value: unknown, ...key: Array<string | number>): number => {
    const path = [...at, ...key];
    const s = measurement(nonFinite(value), path, file, FORMAT);
    if (implausible(s * NS_PER_S)) {
      throw new ImportError(file, jsonPath(path), FORMAT, `expected a plausible measurement, got ${s} s`);
    }
    return s * NS_PER_S;
  };
  const time = { name: 'time', unit: 'ns', better: 'lower' as const };
  let metric: ImportedMetric;
  if (stats.data !== undefined && stats.data.length > 0) {
    const samples = stats.data.map((value, j) => seconds(value, 'data', j));
    metric = valuesMetric(time.name, time.unit, time.better, samples);
  } else {
    const mean = seconds(stats.mean, 'mean');
    metric =
      stats.rounds >= 2 && stats.stddev !== undefined
        ? { ...time, summary: { mean, stdev: seconds(stats.stddev, 'stddev'), n: stats.rounds } }
        : { ...time, value: mean };
  }
  const metrics = [metric];
  if (stats.ops !== undefined) {
    const ops = measurement(nonFinite(stats.ops), [...at, 'ops'], file, FORMAT);
    metrics.push({ name: 'ops', unit: 'ops/s', better: 'higher', value: ops });
  }
  return metrics;
}

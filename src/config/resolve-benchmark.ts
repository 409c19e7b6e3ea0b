/**
 * One command benchmark of the config, resolved: paths made absolute against the config file's
 * directory, defaults applied, thresholds and compare keys parsed with the places they were written.
 */
import path from 'node:path';
import { parseCompareKey } from '../thresholds/compare-key.js';
import type { PathIssue } from './format-issues.js';
import { resolveThresholdMap, type Locator } from './resolve-profile.js';
import type { ParsedConfig } from './schema.js';
import type { AutoTrials, BenchmarkConfig, BenchmarkSide } from './types.js';
import type { PathSegment } from './yaml-positions.js';

type ParsedBenchmark = NonNullable<ParsedConfig['benchmarks']>[number];
type ParsedSide = Omit<
  ParsedBenchmark,
  | 'name'
  | 'base'
  | 'warmup'
  | 'runs'
  | 'timeout'
  | 'allowFailure'
  | 'thresholds'
  | 'compare'
  | 'format'
  | 'output'
>;

/** What a benchmark gets when it does not say. */
export const BENCHMARK_DEFAULTS = {
  warmup: 1,
  runs: 10,
  /** Ten minutes: a build or a test suite may take a while; a hung one is still caught. */
  timeoutMs: 600_000
};

export function resolveBenchmark(
  parsed: ParsedBenchmark,
  index: number,
  dir: string,
  auto: AutoTrials,
  locator: Locator
): { benchmark: BenchmarkConfig; issues: PathIssue[] } {
  const at: PathSegment[] = ['benchmarks', index];
  const issues: PathIssue[] = [];
  const side = (s: ParsedSide, sideAt: PathSegment[]): BenchmarkSide => ({
    command: s.command,
    shell: s.shell ?? true,
    cwd: path.resolve(dir, s.cwd ?? '.'),
    cwdWhere: locator.where([...sideAt, s.cwd !== undefined ? 'cwd' : 'command']),
    env: s.env ?? {},
    ...(s.setup !== undefined && { setup: s.setup }),
    ...(s.prepare !== undefined && { prepare: s.prepare }),
    ...(s.cleanup !== undefined && { cleanup: s.cleanup })
  });
  const runs = parsed.runs ?? BENCHMARK_DEFAULTS.runs;
  const compare: Record<string, number> = {};
  const imported = parsed.format !== undefined && {
    format: parsed.format,
    formatWhere: locator.where([...at, 'format']),
    ...(parsed.output !== undefined && { output: parsed.output }),
    compare: Object.entries(parsed.compare ?? { '*': 0.05 }).map(([pattern, delta]) => ({ pattern, delta }))
  };
  for (const [key, delta] of imported ? [] : Object.entries(parsed.compare ?? {})) {
    const canonical = parseCompareKey(key, 'benchmark');
    if (!canonical.ok) continue; // the schema reported it
    if (canonical.value.key in compare) {
      issues.push({
        path: [...at, 'compare', key],
        at: 'key',
        message: `expected each compare key once, got "${canonical.value.key}" again`
      });
    }
    compare[canonical.value.key] = delta;
  }
  return {
    benchmark: {
      name: parsed.name,
      head: side(parsed, at),
      ...(parsed.base && { base: side(parsed.base, [...at, 'base']) }),
      warmup: parsed.warmup ?? BENCHMARK_DEFAULTS.warmup,
      ...(runs === 'auto' ? { runs: auto.min, auto } : { runs }),
      timeoutMs: parsed.timeout ?? BENCHMARK_DEFAULTS.timeoutMs,
      allowFailure: parsed.allowFailure ?? false,
      thresholds: resolveThresholdMap(parsed.thresholds ?? {}, [...at, 'thresholds'], locator, {
        source: 'benchmark'
      }),
      compare,
      ...(imported && { imported })
    },
    issues
  };
}

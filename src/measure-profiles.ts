/**
 * The gate's profiles (SPEC §3): each in turn measured by measure-profile.ts, its result attached
 * before its first trial and saved after each, its thresholds (or, for shape stress, its breaking
 * point) and measurement problems recorded when it ends. The counterpart of
 * benchmarks/measure-benchmark.ts `measureBenchmarks`.
 */
import { AutoSampling, profileLooks } from './compare/sequential.js';
import type { BaselineMatch } from './compare/baseline-match.js';
import type { MeasuredProfile } from './compare/final-comparisons.js';
import type { ProfileConfig, ResolvedConfig } from './config/types.js';
import type { LoadGenerator } from './load/types.js';
import type { Profiler } from './profiling/profiler.js';
import { emptyProfileResult, measureProfile } from './measure-profile.js';
import type { ProfileResult, Results } from './model.js';
import type { Reporter } from './reporter.js';
import type { ServiceHandle } from './service/types.js';
import { breakingPoint } from './thresholds/breaking-point.js';
import { evaluateThresholds } from './thresholds/evaluate.js';
import { measurementProblems } from './thresholds/measurement-problems.js';

export interface ProfilesContext {
  load: LoadGenerator;
  reporter: Reporter;
  signal: AbortSignal;
  /** Services perfgate started; an exit of any of them ends the run. */
  services: ServiceHandle[];
  results: Results;
  /** The stored baseline matched against the results so far, when there is one. */
  matchWith: ((r: Results) => BaselineMatch) | null;
  save: () => void;
  /** With trials: auto, each look adjusts over the whole gate's gated metrics (compare/sequential.ts). */
  family: number;
  /** With `profiling:`: records the measured trials, and takes its profiles after each profile. */
  profiler?: Profiler;
}

/** Every profile in turn, results saved after each trial, thresholds evaluated after each profile. */
export async function measureProfiles(
  profiles: ProfileConfig[],
  config: ResolvedConfig,
  ctx: ProfilesContext
): Promise<MeasuredProfile[]> {
  const { services, results, matchWith, save, family } = ctx;
  const measured: MeasuredProfile[] = [];
  if (profiles.length === 0) return measured;
  if (config.target === undefined) throw new Error('profiles without a target reached the gate');
  const targets = { head: config.target, ...(config.base && { base: config.base.target }) };
  for (const p of profiles) {
    const result = emptyProfileResult(p, targets);
    results.profiles.push(result);
    const match = config.base ? undefined : matchWith?.(results);
    const stored = {
      baseline: match?.trials.get(p.name),
      storedSeries: match?.series.get(p.name),
      history: match?.history.get(p.name)
    };
    const auto =
      p.auto &&
      !p.stopOnBreak &&
      new AutoSampling(
        profileLooks({ config: p, result, ...stored }),
        p.auto,
        config.statistics.alpha,
        family
      );
    const run = { load: ctx.load, reporter: ctx.reporter, targets, services, signal: ctx.signal, save };
    const profiler = ctx.profiler;
    try {
      await measureProfile(p, result, {
        ...run,
        ...(auto && { auto }),
        ...(profiler && { windows: profiler })
      });
    } finally {
      // Saved at once: a later failure loses nothing captured, and a crash keeps what was.
      if (profiler) {
        await profiler.take(p.name, result.trialsPlanned);
        save();
      }
    }
    if (p.stopOnBreak) {
      // Stress: the thresholds are the SLO each step is judged by; the result is the breaking point.
      const side = (s: ProfileResult['head'] | undefined) => (s ? breakingPoint(s) : undefined);
      result.stress = { ...optional('head', side(result.head)), ...optional('base', side(result.base)) };
    } else {
      results.thresholds.push(...evaluateThresholds(p, result));
    }
    const problems = measurementProblems(p, result);
    if (problems.length > 0) {
      problems.forEach(problem => ctx.reporter.warn(problem.message));
      (results.problems ??= []).push(...problems);
    }
    measured.push({ config: p, result, ...(auto && { auto }) });
    save();
  }
  return measured;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

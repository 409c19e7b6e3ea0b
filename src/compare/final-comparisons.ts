/**
 * The gate's comparisons once every source is measured — profiles and benchmarks in one Holm family
 * (SPEC §5: Holm over the gated metrics of the whole gate). Without `trials: auto` / `runs: auto`,
 * Holm runs over every gated metric of the gate at once. With it, the sources with fixed samples are
 * adjusted together, bounded over the whole gate as the looks are, and the auto sources keep the
 * verdicts of their looks (compare/sequential.ts). Stress profiles have no steady state to compare.
 */
import type { BenchmarkConfig, ProfileConfig } from '../config/types.js';
import type { BaselineMatch } from './baseline-match.js';
import type { BenchmarkResult, Comparison, ProfileResult } from '../model.js';
import { benchmarkGated, benchmarkGroup } from '../series/benchmark.js';
import type { AutoSampling } from './sequential.js';
import { errorsAppeared } from './error-rule.js';
import {
  compareSeries,
  gatedMetricCount,
  profileGroup,
  type CompareOptions,
  type SeriesGroup
} from './verdicts.js';

export interface MeasuredProfile {
  config: ProfileConfig;
  result: ProfileResult;
  auto?: AutoSampling;
}

export interface MeasuredBenchmark {
  config: BenchmarkConfig;
  result: BenchmarkResult;
  auto?: AutoSampling;
}

/** Gated metrics of the whole gate: the size of Holm's family. */
export function gateFamily(
  profiles: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[]
): number {
  return (
    profiles.filter(p => !p.stopOnBreak).reduce((n, p) => n + gatedMetricCount(p), 0) +
    benchmarks.reduce((n, b) => n + Object.keys(benchmarkGated(b)).length, 0)
  );
}

export function finalComparisons(
  profiles: MeasuredProfile[],
  benchmarks: MeasuredBenchmark[],
  match: BaselineMatch | undefined,
  alpha: number,
  /** Sources measured before the run (imported files), compared in the same family. */
  others: SeriesGroup[] = []
): Comparison[] {
  const measured = profiles.filter(m => !m.config.stopOnBreak);
  const toCompare = (m: MeasuredProfile) => ({
    ...m,
    baseline: match?.trials.get(m.config.name),
    storedSeries: match?.series.get(m.config.name),
    history: match?.history.get(m.config.name)
  });
  const group = (m: MeasuredBenchmark) =>
    benchmarkGroup(m.config, m.result, match?.benchmarks.get(m.config.name));
  // One call: Holm's family is every gated metric of the profiles and the benchmarks together.
  const fixed = (opts: CompareOptions) => {
    const profilesToCompare = measured.filter(m => !m.auto).map(toCompare);
    return [
      ...compareSeries(
        [...profilesToCompare.map(profileGroup), ...benchmarks.filter(m => !m.auto).map(group), ...others],
        opts
      ),
      ...profilesToCompare.flatMap(p => errorsAppeared(p, opts.alpha) ?? [])
    ];
  };
  if (!measured.some(m => m.auto) && !benchmarks.some(m => m.auto)) return fixed({ alpha });
  const familySize = gateFamily(
    measured.map(m => m.config),
    benchmarks.map(m => m.config)
  );
  const all = fixed({ alpha, familySize });
  const settled = (m: { config: { name: string }; auto?: AutoSampling }) =>
    m.auto?.comparisons() ?? all.filter(c => c.profile === m.config.name);
  const names = new Set(others.map(g => g.source));
  return [
    ...measured.flatMap(settled),
    ...benchmarks.flatMap(settled),
    ...all.filter(c => names.has(c.profile))
  ];
}

/**
 * The series the analysis of history works on: each gated metric of a run over the stored runs
 * before it (the baseline's history entries with the same load settings) and the run itself, one
 * value per run — the median of its valid trials. Trends draw these series, change points split them.
 */
import { median } from 'simple-statistics';
import type { BenchmarkConfig, ProfileConfig } from '../config/types.js';
import { benchmarkGated } from '../series/benchmark.js';
import { values } from '../series/series.js';
import { compareMetric, gatedCompare } from '../compare/metric-value.js';
import { trialValues } from '../series/http-profile.js';
import type { HistoryEntry, Results } from '../model.js';
import { benchmarkHistory, profileHistory } from '../baseline/history.js';

/** One gated metric's values over the stored runs and this run (the last point), oldest first. */
export interface GatedSeries {
  /** The profile or benchmark. */
  profile: string;
  metric: string;
  better: 'lower' | 'higher';
  /** The metric's δ from `compare:` (or the default). */
  delta: number;
  points: Array<{ createdAt: string; value: number }>;
}

/**
 * The series of every gated metric of `current` (stress profiles left out: their values are a
 * breaking point, not a steady state): per run the median of its valid trials, from the history
 * entries with the same load settings, then `current`.
 */
export function gatedSeries(
  history: readonly HistoryEntry[],
  current: Results,
  configs: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[] = []
): GatedSeries[] {
  const out: GatedSeries[] = [];
  for (const profile of current.profiles) {
    if (profile.stress) continue;
    const config = configs.find(c => c.name === profile.name);
    const gated = gatedCompare(config);
    const past = profileHistory(history, profile);
    for (const [key, delta] of Object.entries(gated)) {
      const now = trialValues(profile.head.trials, compareMetric(key));
      if (now.length === 0) continue;
      const points = [...pastPoints(past, key), { createdAt: current.createdAt, value: median(now) }];
      out.push({ profile: profile.name, metric: key, better: compareMetric(key).better, delta, points });
    }
  }
  // A benchmark's points: the run's own series (median of its counted runs), the entries of its command.
  for (const result of current.benchmarks ?? []) {
    const config = benchmarks.find(b => b.name === result.name);
    if (!config) continue;
    const past = benchmarkHistory(history, result);
    for (const [key, delta] of Object.entries(benchmarkGated(config))) {
      const series = current.series?.find(s => s.source === result.name && s.key === key);
      const now = series ? values(series.samples.head) : [];
      if (!series || now.length === 0) continue;
      const points = [...pastPoints(past, key), { createdAt: current.createdAt, value: median(now) }];
      out.push({ profile: result.name, metric: key, better: series.better, delta, points });
    }
  }
  return out;
}

function pastPoints(
  past: Array<{ createdAt: string; values: Record<string, number> }>,
  key: string
): Array<{ createdAt: string; value: number }> {
  return past.flatMap(p => {
    const value = p.values[key];
    return value !== undefined && Number.isFinite(value) ? [{ createdAt: p.createdAt, value }] : [];
  });
}

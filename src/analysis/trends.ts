/**
 * The trend of each gated metric over the stored runs (SPEC §6–§7), for the reports' trend charts:
 * one value per run (the median of its per-trial values), oldest first, this run last. The series
 * are the ones change points are looked for in (history-series.ts `gatedSeries`): only runs with this
 * profile's load settings count, and a trend needs three runs at least.
 */
import type { BenchmarkConfig, ProfileConfig } from '../config/types.js';
import type { HistoryEntry, Results, Trend } from '../model.js';
import { historyEntry } from '../baseline/history.js';
import { gatedSeries } from './history-series.js';

/**
 * A gate run compared with a stored baseline: the baseline's history, the baseline itself and this
 * run, for each gated comparison that the history took part in.
 */
export function buildTrends(
  run: Results,
  baseline: Results,
  configs: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[] = []
): Trend[] {
  const compared = new Set(
    run.comparisons.filter(c => c.gated && c.history).map(c => `${c.profile}\0${c.metric}`)
  );
  const stored = [...(baseline.history ?? []), historyEntry(baseline, configs)];
  return baselineTrends(stored, run, configs, benchmarks).filter(t =>
    compared.has(`${t.profile}\0${t.metric}`)
  );
}

/**
 * A baseline run (scheduled, pushed, dispatched), which compares with nothing: each gated metric
 * over the history it carries on and this run.
 */
export function baselineTrends(
  history: readonly HistoryEntry[],
  run: Results,
  configs: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[] = []
): Trend[] {
  return gatedSeries(history, run, configs, benchmarks)
    .filter(s => s.points.length >= 3)
    .map(s => ({
      profile: s.profile,
      metric: s.metric,
      points: s.points.map((p, i) => (i === s.points.length - 1 ? { ...p, current: true } : p))
    }));
}

/**
 * The trend of each gated metric over the stored runs (SPEC §6–§7), for the reports' trend charts:
 * one value per run (the median of its per-trial values, or an imported benchmark's value), oldest
 * first, this run last. The series are the ones change points are looked for in (history-series.ts
 * `gatedSeries`): only runs with this profile's load settings (this benchmark's command, this
 * import's format) count, and a trend needs three runs at least.
 */
import type { BenchmarkConfig, ImportConfig, ProfileConfig } from '../config/types.js';
import type { HistoryEntry, Results, Trend } from '../model.js';
import { historyEntry } from '../baseline/history.js';
import { gatedSeries, importGates, type GatedSeries, type ImportGate } from './history-series.js';

/**
 * A gate run compared with a stored baseline: the baseline's history, the baseline itself and this
 * run, for each gated comparison that the history took part in. An import's gated benchmarks and
 * their δ are read from those comparisons (the ones its `compare:` patterns gated against the
 * baseline), so the imports' configs are not needed.
 */
export function buildTrends(
  run: Results,
  baseline: Results,
  configs: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[] = []
): Trend[] {
  const compared = new Map(
    run.comparisons.filter(c => c.gated && c.history).map(c => [`${c.profile}\0${c.metric}`, c.delta])
  );
  const imported: ImportGate = (name, benchmark) => compared.get(`${name}\0${benchmark}`);
  const stored = [...(baseline.history ?? []), historyEntry(baseline, configs)];
  return trendsOf(gatedSeries(stored, run, configs, benchmarks, imported)).filter(t =>
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
  benchmarks: readonly BenchmarkConfig[] = [],
  imports: readonly Pick<ImportConfig, 'name' | 'compare'>[] = []
): Trend[] {
  return trendsOf(gatedSeries(history, run, configs, benchmarks, importGates(imports)));
}

function trendsOf(series: GatedSeries[]): Trend[] {
  return series
    .filter(s => s.points.length >= 3)
    .map(s => ({
      profile: s.profile,
      metric: s.metric,
      ...(s.unit !== undefined && { unit: s.unit }),
      points: s.points.map((p, i) => (i === s.points.length - 1 ? { ...p, current: true } : p))
    }));
}

/**
 * The series the analysis of history works on: each gated metric of a run over the stored runs
 * before it (the baseline's history entries with the same load settings, the same command, or the
 * same import format) and the run itself, one value per run — the median of its valid trials or
 * counted runs, or an imported benchmark's value. Trends draw these series, change points split them.
 */
import { median } from 'simple-statistics';
import type { BenchmarkConfig, ImportConfig, ProfileConfig } from '../config/types.js';
import { benchmarkGatedKeys } from '../series/benchmark.js';
import { values } from '../series/series.js';
import { compareMetric, gatedCompare } from '../compare/metric-value.js';
import { trialValues } from '../series/http-profile.js';
import { gatedDelta } from '../imports/glob.js';
import type { HistoryEntry, Results } from '../model.js';
import { benchmarkHistory, importHistory, profileHistory, seriesRunValue } from '../baseline/history.js';

/** The δ an import's benchmark is gated with, undefined when it is not gated. */
export type ImportGate = (importName: string, benchmark: string) => number | undefined;

/** The gate of imported benchmarks that each import's `compare:` patterns set (imports/glob.ts). */
export function importGates(imports: readonly Pick<ImportConfig, 'name' | 'compare'>[]): ImportGate {
  return (name, benchmark) => {
    const config = imports.find(i => i.name === name);
    return config && gatedDelta(config.compare, benchmark);
  };
}

/** One gated metric's values over the stored runs and this run (the last point), oldest first. */
export interface GatedSeries {
  /** The profile, benchmark or import. */
  profile: string;
  metric: string;
  better: 'lower' | 'higher';
  /** The series' unit, where it is not the compare key's own (a benchmark's or an import's series). */
  unit?: string;
  /** The metric's δ from `compare:` (or the default). */
  delta: number;
  points: Array<{ createdAt: string; value: number }>;
}

/**
 * The series of every gated metric of `current` (stress profiles left out: their values are a
 * breaking point, not a steady state): per run the median of its valid trials, from the history
 * entries with the same load settings, then `current`. Imported benchmarks: the primary metric of
 * each benchmark `imports` gates, from the entries of the same format.
 */
export function gatedSeries(
  history: readonly HistoryEntry[],
  current: Results,
  configs: readonly ProfileConfig[],
  benchmarks: readonly BenchmarkConfig[] = [],
  imports: ImportGate = () => undefined
): GatedSeries[] {
  const out: GatedSeries[] = [];
  for (const profile of current.profiles) {
    if (profile.stress) continue;
    const config = configs.find(c => c.name === profile.name);
    const gated = gatedCompare(config);
    const past = profileHistory(history, profile);
    for (const [key, delta] of Object.entries(gated)) {
      const now = trialValues(profile.head.trials, compareMetric(key), config?.tail);
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
    for (const [key, delta] of Object.entries(benchmarkGatedKeys(config, result))) {
      const series = current.series?.find(s => s.source === result.name && s.key === key);
      const now = series ? values(series.samples.head) : [];
      if (!series || now.length === 0) continue;
      const points = [...pastPoints(past, key), { createdAt: current.createdAt, value: median(now) }];
      out.push({
        profile: result.name,
        metric: key,
        better: series.better,
        unit: series.unit,
        delta,
        points
      });
    }
  }
  // An import's points: each gated benchmark's primary series (keyed by its name), whatever data it had.
  for (const record of current.imports ?? []) {
    const past = importHistory(history, record);
    for (const { name: key } of record.benchmarks) {
      const delta = imports(record.name, key);
      const series = current.series?.find(s => s.source === record.name && s.key === key);
      const now = series && seriesRunValue(series);
      if (delta === undefined || !series || now === undefined) continue;
      const points = [...pastPoints(past, key), { createdAt: current.createdAt, value: now }];
      out.push({
        profile: record.name,
        metric: key,
        better: series.better,
        unit: series.unit,
        delta,
        points
      });
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

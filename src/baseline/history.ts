/**
 * The history a baseline file carries (SPEC §6): each time a run is saved over an earlier baseline,
 * the earlier run is reduced to one entry — per profile its load settings, per benchmark its command,
 * per import its format, and the run's value of each compared metric — and kept, the oldest dropped beyond `baseline.history` entries. Runs on
 * another machine or day differ by more than trials within a run; this history is what tells by how
 * much, so that an unpaired comparison does not cry wolf (compare/verdicts.ts).
 */
import { median } from 'simple-statistics';
import type { ProfileConfig } from '../config/types.js';
import { compareMetric, comparedKeys } from '../compare/metric-value.js';
import { trialValues } from '../series/http-profile.js';
import { values as sampleValues } from '../series/series.js';
import type {
  BenchmarkResult,
  HistoryBenchmark,
  HistoryEntry,
  HistoryImport,
  HistoryProfile,
  ImportResult,
  ProfileResult,
  Results,
  Series
} from '../model.js';

/** One run reduced to a history entry; `configs` name the compare keys of each profile. */
export function historyEntry(run: Results, configs: readonly ProfileConfig[]): HistoryEntry {
  const profiles: Record<string, HistoryProfile> = {};
  for (const p of run.profiles) {
    const values: Record<string, number> = {};
    for (const key of comparedKeys(configs.find(c => c.name === p.name))) {
      // The run's own series (schema 2), else its trials (schema 1): the same values.
      const series = run.series?.find(s => s.source === p.name && s.key === key);
      const v = series ? sampleValues(series.samples.head) : trialValues(p.head.trials, compareMetric(key));
      if (v.length > 0) values[key] = median(v);
    }
    profiles[p.name] = { ...settingsOf(p), values };
  }
  // A benchmark's values come from the series the run wrote: every key it compared.
  const benchmarks: Record<string, HistoryBenchmark> = {};
  for (const b of run.benchmarks ?? []) {
    benchmarks[b.name] = { command: b.command, values: seriesValues(run, b.name) };
  }
  // An import's too, whatever data its file had: a single value is a run's value as it is.
  const imports: Record<string, HistoryImport> = {};
  for (const i of run.imports ?? []) {
    imports[i.name] = { format: i.format, values: seriesValues(run, i.name) };
  }
  return {
    createdAt: run.createdAt,
    git: { ...(run.git.sha && { sha: run.git.sha }), ...(run.git.ref && { ref: run.git.ref }) },
    configHash: run.configHash,
    profiles,
    ...(Object.keys(benchmarks).length > 0 && { benchmarks }),
    ...(Object.keys(imports).length > 0 && { imports })
  };
}

/**
 * A run's value of a series, from its head side: the median of its samples, else the mean of its
 * summary (a tool's mean, or a single value as n = 1); undefined when it has neither.
 */
export function seriesRunValue(series: Series): number | undefined {
  const v = sampleValues(series.samples.head);
  if (v.length > 0) return median(v);
  const mean = series.summaries?.head?.mean;
  return mean !== undefined && Number.isFinite(mean) ? mean : undefined;
}

/** Series key → the run's value, for every series of `source` that has one. */
function seriesValues(run: Results, source: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const series of run.series?.filter(s => s.source === source) ?? []) {
    const v = seriesRunValue(series);
    if (v !== undefined) values[series.key] = v;
  }
  return values;
}

/** The history to save with a new baseline: the previous baseline's, then the previous run itself. */
export function nextHistory(
  previous: Results | null,
  configs: readonly ProfileConfig[],
  keep: number
): HistoryEntry[] {
  if (!previous || keep <= 0) return [];
  return [...(previous.history ?? []), historyEntry(previous, configs)].slice(-keep);
}

/** The values of a profile's history entries measured with the same load settings, oldest first. */
export function profileHistory(history: readonly HistoryEntry[] | undefined, profile: ProfileResult) {
  const settings = settingsOf(profile);
  return (history ?? []).flatMap(entry => {
    const h = entry.profiles[profile.name];
    const same =
      h && (Object.keys(settings) as Array<keyof typeof settings>).every(k => h[k] === settings[k]);
    return same ? [{ createdAt: entry.createdAt, values: h.values }] : [];
  });
}

/** The values of a benchmark's history entries that ran the same command, oldest first. */
export function benchmarkHistory(history: readonly HistoryEntry[] | undefined, benchmark: BenchmarkResult) {
  return (history ?? []).flatMap(entry => {
    const h = entry.benchmarks?.[benchmark.name];
    return h && h.command === benchmark.command ? [{ createdAt: entry.createdAt, values: h.values }] : [];
  });
}

/**
 * The values of an import's history entries that read the same format, oldest first: a file of
 * another tool measured something else, even under the same benchmark names.
 */
export function importHistory(
  history: readonly HistoryEntry[] | undefined,
  imported: Pick<ImportResult, 'name' | 'format'>
) {
  return (history ?? []).flatMap(entry => {
    const h = entry.imports?.[imported.name];
    return h && h.format === imported.format ? [{ createdAt: entry.createdAt, values: h.values }] : [];
  });
}

function settingsOf(p: ProfileResult): Omit<HistoryProfile, 'values'> {
  return { shape: p.shape, model: p.model, connections: p.connections, durationMs: p.durationMs };
}

/**
 * The baseline to store when the store holds `stored` now and `ours` is the run to add — so that
 * two baseline runs racing to one store both end up in it: the newer run is the baseline and the
 * other joins its history, in time order, `keep` entries at most. `null` when there is nothing to
 * write: the store already has `ours` (an earlier attempt landed after all), or `ours` is older
 * than every run a newer baseline's history keeps. `ours.history` is replaced: it was carried on from
 * the baseline read before the run, which another run may have replaced since.
 */
export function mergeBaseline(
  stored: Results | null,
  ours: Results,
  configs: readonly ProfileConfig[],
  keep: number
): Results | null {
  if (!stored) return ours;
  const entry = historyEntry(ours, configs);
  if (sameRun(historyEntry(stored, configs), entry) || stored.history?.some(e => sameRun(e, entry))) {
    return null;
  }
  if (Date.parse(ours.createdAt) >= Date.parse(stored.createdAt)) {
    return withHistory(ours, nextHistory(stored, configs, keep));
  }
  const entries = [...(stored.history ?? []), entry]
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
    .slice(-keep);
  // Older than every run the history keeps: nothing to change.
  if (keep <= 0 || !entries.includes(entry)) return null;
  return withHistory(stored, entries);
}

function sameRun(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.createdAt === b.createdAt && a.configHash === b.configHash && a.git.sha === b.git.sha;
}

function withHistory(run: Results, history: HistoryEntry[]): Results {
  const { history: _old, ...rest } = run;
  return history.length > 0 ? { ...rest, history } : rest;
}

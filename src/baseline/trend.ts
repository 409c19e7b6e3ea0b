/**
 * The trend of each gated metric over the stored runs (SPEC §6–§7): the baseline's history, the
 * baseline itself and this run, oldest first — one value per run (the median of its per-trial
 * values), for the reports' trend charts. Only runs with this profile's load settings count.
 */
import { median } from 'simple-statistics';
import { compareMetric } from '../compare/metric-value.js';
import { sideValues } from '../compare/unpaired.js';
import type { ProfileConfig } from '../config/types.js';
import type { HistoryEntry, Results, Trend } from '../model.js';
import { gatedSeries } from './drift-check.js';
import { profileHistory } from './history.js';

export function buildTrends(run: Results, baseline: Results): Trend[] {
  const trends: Trend[] = [];
  for (const c of run.comparisons.filter(x => x.gated && x.history)) {
    const profile = run.profiles.find(p => p.name === c.profile);
    const stored = baseline.profiles.find(p => p.name === c.profile);
    if (!profile || !stored) continue;
    const m = compareMetric(c.metric);
    const value = (trials: typeof profile.head.trials) => {
      const v = sideValues(trials, m);
      return v.length > 0 ? median(v) : null;
    };
    const points = [
      ...profileHistory(baseline.history, profile).map(h => ({
        createdAt: h.createdAt,
        value: h.values[c.metric] ?? null
      })),
      { createdAt: baseline.createdAt, value: value(stored.head.trials) },
      { createdAt: run.createdAt, value: value(profile.head.trials), current: true }
    ].filter(
      (p): p is { createdAt: string; value: number; current?: boolean } => typeof p.value === 'number'
    );
    if (points.length >= 3) trends.push({ profile: c.profile, metric: c.metric, points });
  }
  return trends;
}

/**
 * The trends of a baseline run (scheduled, pushed, dispatched), which compares with nothing: each
 * gated metric over the history it carries on and this run — the series its change points are
 * looked for in (drift-check.ts). Three runs at least, as for a gate run.
 */
export function baselineTrends(
  history: readonly HistoryEntry[],
  run: Results,
  configs: readonly ProfileConfig[]
): Trend[] {
  return gatedSeries(history, run, configs)
    .filter(s => s.points.length >= 3)
    .map(s => ({
      profile: s.profile,
      metric: s.metric,
      points: s.points.map((p, i) => (i === s.points.length - 1 ? { ...p, current: true } : p))
    }));
}

/**
 * Change points of a baseline run (SPEC §6: "scheduled runs append to history and detect change
 * points"): each gated metric's values over the stored history and this run, oldest first, are
 * split by `changePoints` (Apache Otava's method, stats/change-points.ts), and the shifts that still
 * hold at this run are reported.
 *
 * Which change points are reported — both must hold:
 * - Recent: its index is within the last ⌊window/2⌋ points of the series (window 30 → 15 runs), the
 *   stretch the next split window starts at. Older shifts were reported by earlier runs and are
 *   the settled level now.
 * - Still in force: this run's value differs from the level *before* the shift by at least the
 *   minimum magnitude (`statistics.changePoints.minMagnitude`, else the metric's δ), in the shift's
 *   direction. A later run back within δ of the old level ends the
 *   finding (and closes the regression issue, github/regression-issue.ts), even though the shift
 *   stays in the history until it ages out.
 * `worse` tells a shift in the bad direction (latency up, throughput down) from an improvement;
 * only the worse ones count as regressions for the issue, both are reported.
 */
import { median } from 'simple-statistics';
import { CHANGE_POINT_DEFAULTS } from '../config/resolve.js';
import type { ChangePointSettings, ProfileConfig } from '../config/types.js';
import { compareMetric, DEFAULT_COMPARE } from '../compare/metric-value.js';
import { sideValues } from '../compare/unpaired.js';
import type { ChangePointFinding, HistoryEntry, Results } from '../model.js';
import { changePoints } from '../stats/change-points.js';
import { profileHistory } from './history.js';

/**
 * The change points of every gated metric of `current` over `history` (the entries saved before it,
 * oldest first, as `results.history` holds them) and `current` itself as the newest point.
 * `configs` name the gated compare keys and their δ (the `compare:` of each profile, else the
 * defaults); `settings` the split's p-value and window and the minimum magnitude. Pure: no I/O.
 */
export function driftCheck(
  history: readonly HistoryEntry[],
  current: Results,
  configs: readonly ProfileConfig[],
  settings: ChangePointSettings = CHANGE_POINT_DEFAULTS
): ChangePointFinding[] {
  const { window, pValue } = settings;
  const findings: ChangePointFinding[] = [];
  for (const { profile, metric: key, delta: metricDelta, points } of gatedSeries(history, current, configs)) {
    const delta = settings.minMagnitude ?? metricDelta;
    const metric = compareMetric(key);
    const series = points.map(p => p.value);
    const newest = series.at(-1)!;
    const sign = metric.better === 'lower' ? 1 : -1;
    for (const cp of changePoints(series, { maxPValue: pValue, window, minMagnitude: delta })) {
      if (cp.index < series.length - Math.floor(window / 2)) continue;
      const direction = Math.sign(cp.after - cp.before);
      const fromBefore = cp.before === 0 ? Infinity : (newest - cp.before) / Math.abs(cp.before);
      if (!(direction * fromBefore >= delta)) continue; // this run is back within δ of the old level
      findings.push({
        profile,
        metric: key,
        index: cp.index,
        createdAt: points[cp.index]!.createdAt,
        before: cp.before,
        after: cp.after,
        change: cp.change,
        pValue: cp.pValue,
        current: newest,
        points: series.length,
        worse: direction * sign > 0
      });
    }
  }
  return findings;
}

/** One gated metric's values over the stored runs and this run (the last point), oldest first. */
export interface GatedSeries {
  profile: string;
  metric: string;
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
  configs: readonly ProfileConfig[]
): GatedSeries[] {
  const out: GatedSeries[] = [];
  for (const profile of current.profiles) {
    if (profile.stress) continue;
    const config = configs.find(c => c.name === profile.name);
    const gated = config && Object.keys(config.compare).length > 0 ? config.compare : DEFAULT_COMPARE;
    const past = profileHistory(history, profile);
    for (const [key, delta] of Object.entries(gated)) {
      const now = sideValues(profile.head.trials, compareMetric(key));
      if (now.length === 0) continue;
      const points = [
        ...past.flatMap(p => {
          const value = p.values[key];
          return value !== undefined && Number.isFinite(value) ? [{ createdAt: p.createdAt, value }] : [];
        }),
        { createdAt: current.createdAt, value: median(now) }
      ];
      out.push({ profile: profile.name, metric: key, delta, points });
    }
  }
  return out;
}

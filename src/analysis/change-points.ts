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
import { CHANGE_POINT_DEFAULTS } from '../config/resolve.js';
import type { BenchmarkConfig, ChangePointSettings, ImportConfig, ProfileConfig } from '../config/types.js';
import type { ChangePointFinding, HistoryEntry, Results } from '../model.js';
import { changePoints } from '../stats/change-points.js';
import { gatedSeries, importGates } from './history-series.js';

/**
 * The change points of every gated metric of `current` over `history` (the entries saved before it,
 * oldest first, as `results.history` holds them) and `current` itself as the newest point.
 * `configs` name the gated compare keys and their δ (the `compare:` of each profile, else the
 * defaults; of each benchmark; of each import, by its benchmark-name patterns); `settings` the
 * split's p-value and window and the minimum magnitude. Pure: no I/O.
 */
export function driftCheck(
  history: readonly HistoryEntry[],
  current: Results,
  configs: readonly ProfileConfig[],
  settings: ChangePointSettings = CHANGE_POINT_DEFAULTS,
  benchmarks: readonly BenchmarkConfig[] = [],
  imports: readonly Pick<ImportConfig, 'name' | 'compare'>[] = []
): ChangePointFinding[] {
  const { window, pValue } = settings;
  const findings: ChangePointFinding[] = [];
  for (const s of gatedSeries(history, current, configs, benchmarks, importGates(imports))) {
    const { profile, metric: key, delta: metricDelta, points } = s;
    const delta = settings.minMagnitude ?? metricDelta;
    const series = points.map(p => p.value);
    const newest = series.at(-1)!;
    const sign = s.better === 'lower' ? 1 : -1;
    for (const cp of changePoints(series, { maxPValue: pValue, window, minMagnitude: delta })) {
      if (cp.index < series.length - Math.floor(window / 2)) continue;
      const direction = Math.sign(cp.after - cp.before);
      const fromBefore = cp.before === 0 ? Infinity : (newest - cp.before) / Math.abs(cp.before);
      if (!(direction * fromBefore >= delta)) continue; // this run is back within δ of the old level
      findings.push({
        profile,
        metric: key,
        ...(s.unit !== undefined && { unit: s.unit }),
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

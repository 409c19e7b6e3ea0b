/**
 * The analysis of a baseline run (scheduled, pushed, dispatched), which compares with nothing: each
 * gated metric's trend over the history it carries on, and the change points in that history
 * (SPEC §6). Pure analysis of the series; the stores only read and write them.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { HistoryEntry, Results } from '../model.js';
import type { Reporter } from '../reporter.js';
import { driftCheck } from './change-points.js';
import { baselineTrends } from './trends.js';

/** Sets `results.trends` and `results.changePoints` from `history` (the entries before this run). */
export function analyseBaselineRun(
  results: Results,
  history: readonly HistoryEntry[],
  config: Pick<ResolvedConfig, 'profiles' | 'statistics'> &
    Partial<Pick<ResolvedConfig, 'benchmarks' | 'imports'>>,
  reporter: Reporter
): void {
  const trends = baselineTrends(history, results, config.profiles, config.benchmarks, config.imports);
  if (trends.length > 0) results.trends = trends;
  try {
    if (history.length > 0) {
      results.changePoints = driftCheck(
        history,
        results,
        config.profiles,
        config.statistics.changePoints,
        config.benchmarks,
        config.imports
      );
    }
  } catch (err) {
    reporter.warn(`change point detection failed: ${(err as Error).message}`);
  }
}

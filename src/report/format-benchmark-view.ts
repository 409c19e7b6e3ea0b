/**
 * A command benchmark with `format:` in the report model (SPEC §4): the tool's benchmarks its runs
 * reported, shown as an import's are (import-view.ts), and for the gated ones that did not come out
 * unchanged each run's value of both sides, charted as the runs' wall time is (svg-run-chart.ts) —
 * at most {@link MAX_RUN_CHARTS} of them, so that a suite of hundreds keeps report.html small.
 */
import type { BenchmarkResult, BenchmarkRun, Comparison, Series } from '../model.js';
import { toolView, type ToolRow } from './import-view.js';

/** Per-run charts of a format benchmark's tool metrics report.html draws at most. */
export const MAX_RUN_CHARTS = 12;

export type FormatBenchmarkView = NonNullable<ReturnType<typeof formatBenchmarkView>>;

/** `head` and `base`: the runs that count of each side (series/benchmark.ts `countedRuns`). */
export function formatBenchmarkView(
  b: BenchmarkResult,
  comparisons: readonly Comparison[],
  series: readonly Series[],
  counted: { head: BenchmarkRun[]; base: BenchmarkRun[] }
) {
  if (!b.imported) return undefined;
  const paired = b.base !== undefined;
  const mine = series.filter(s => s.source === b.name);
  const stored = !paired && mine.some(s => s.base === 'stored');
  const view = toolView(b.name, b.imported, comparisons, mine, counted);
  // The changed gated ones first, then the inconclusive: the charts a reviewer looks at.
  const worth = [
    ...view.rows.filter(r => r.notable && r.changed),
    ...view.rows.filter(r => r.notable && !r.changed)
  ];
  const xLabel = paired ? 'pair' : 'run';
  return {
    format: b.imported.format,
    from: b.imported.from,
    stored,
    noBase: !paired && !stored,
    ...view,
    charts: worth.slice(0, MAX_RUN_CHARTS).map(r => ({
      title: `${r.key}: ${r.word} ${r.change} per ${xLabel}`,
      unit: r.unit,
      xLabel,
      head: points(b.runs, 'head', r),
      base: paired ? points(b.runs, 'base', r) : []
    })),
    /** Gated comparisons that did not come out unchanged but were not charted. */
    chartsMore: Math.max(0, worth.length - MAX_RUN_CHARTS)
  };
}

/** Each run's value of a row's key by run (or pair) number, the runs that do not count marked. */
function points(runs: readonly BenchmarkRun[], side: 'head' | 'base', row: Pick<ToolRow, 'key'>) {
  return runs
    .filter(r => r.side === side)
    .sort((a, b) => a.index - b.index)
    .map(r => {
      const v = r.values?.[row.key];
      return {
        x: r.index + 1,
        y: v !== undefined && Number.isFinite(v) ? v : null,
        discarded: Boolean(r.warmupDiscarded),
        failed: Boolean(r.timedOut) || r.signal !== undefined
      };
    });
}

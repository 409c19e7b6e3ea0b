/**
 * A command benchmark's part of the report model (SPEC §4, §7): what it ran, how many runs counted,
 * each metric's median, mean, min and max per side, its comparisons with their interval and verdict,
 * its thresholds, and each run's wall time for the chart. Formatting only: the runs that count are
 * series/benchmark.ts's, the comparisons and thresholds the gate's.
 */
import type {
  AutoRecord,
  BenchmarkResult,
  BenchmarkRun,
  Comparison,
  Series,
  ThresholdResult
} from '../model.js';
import { countedRuns, runValue } from '../series/benchmark.js';
import { compareUnit, comparisonView } from './comparison-view.js';
import { formatBenchmarkView } from './format-benchmark-view.js';
import { toolKeys } from './import-view.js';
import { formatBytes, formatMs, formatObserved } from './format.js';
import { mermaidText } from './trend-view.js';

export type BenchmarkView = ReturnType<typeof benchmarkView>;

/** The metrics of a run the report shows, in this order, with their label and unit. */
export const BENCHMARK_METRICS = [
  { metric: 'wall_time', label: 'wall time', unit: 'ms' },
  { metric: 'user_time', label: 'user CPU', unit: 'ms' },
  { metric: 'sys_time', label: 'system CPU', unit: 'ms' },
  { metric: 'peak_rss', label: 'peak RSS', unit: 'bytes' }
] as const;

/**
 * `comparisons`, `thresholds` and `series` are the results' (the benchmark's are picked here by its
 * name, which no profile shares); `autoText` words a `runs: auto` record as the profiles' is worded.
 * With `format:`, the tool's benchmarks are `imported` (format-benchmark-view.ts), and the
 * comparisons of the run's own metrics alone are `comparisons`.
 */
export function benchmarkView(
  b: BenchmarkResult,
  comparisons: readonly Comparison[],
  thresholds: readonly ThresholdResult[],
  autoText: (a: AutoRecord, paired: boolean) => string,
  series: readonly Series[] = []
) {
  const paired = b.base !== undefined;
  const tool = b.imported ? toolKeys(b.imported) : new Set<string>();
  const mine = comparisons.filter(c => c.profile === b.name && !tool.has(c.metric));
  const head = countedRuns(b, 'head');
  const base = paired ? countedRuns(b, 'base') : [];
  const unit = paired ? 'pairs' : 'runs';
  const discarded = b.runs.filter(r => r.warmupDiscarded).length;
  const stopped = b.runs.filter(r => r.timedOut || r.signal !== undefined).length;
  return {
    name: b.name,
    command: b.command,
    baseCommand: b.base?.command ?? '',
    paired,
    warmup: b.warmup,
    runsPlanned: b.runsPlanned,
    counted: { head: head.length, base: base.length },
    /** `8/8 pairs`, `5/10 runs`: the runs that count (of each side, the fewer) of those planned. */
    runsText: `${paired ? Math.min(head.length, base.length) : head.length}/${b.runsPlanned} ${unit}`,
    plan: planText(b, discarded, stopped),
    auto: b.auto ? autoText(b.auto, paired).replace(/^trials: auto/, 'runs: auto') : '',
    error: b.error ?? '',
    imported: formatBenchmarkView(b, comparisons, series, { head, base }),
    /** The line of the benchmarks' overview tables (HTML and terminal). */
    overview: {
      wallHead: stats(head, 'wall_time', 'ms').median,
      wallBase: paired ? stats(base, 'wall_time', 'ms').median : '–',
      wallChange: overviewChange(mine.find(c => c.metric === 'wall_time.med')),
      peakRssHead: stats(head, 'peak_rss', 'bytes').median
    },
    metrics: BENCHMARK_METRICS.flatMap(({ metric, label, unit }) => {
      const h = stats(head, metric, unit);
      const s = paired ? stats(base, metric, unit) : undefined;
      const compared = mine.find(c => c.metric === `${metric}.med`);
      // A metric no run of either side measured (CPU times where they cannot be read) is left out.
      if (!h.measured && !s?.measured && !compared) return [];
      const c = compared && comparisonView(compared);
      return [
        {
          metric,
          label,
          head: h,
          // Against a stored baseline the base's median is the comparison's: its runs are not here.
          base: s ?? { ...EMPTY, median: c?.base ?? '–' },
          comparison: c
        }
      ];
    }),
    comparisons: mine.map(c => ({
      ...comparisonView(c),
      /** The per-run chart of a gated comparison (html-charts.ts `comparisonChart`). */
      chart:
        c.gated && Number.isFinite(c.estimate)
          ? {
              metric: c.metric,
              verdict: c.verdict,
              estimate: c.estimate,
              interval: c.interval,
              delta: c.delta,
              head: runsOf(head, c.metric),
              base: runsOf(base, c.metric),
              better: c.better,
              unit: compareUnit(c.metric),
              medians: c.values,
              sample: 'run'
            }
          : undefined
    })),
    thresholds: thresholds
      .filter(t => t.profile === b.name)
      .map(t => ({
        metric: t.metric,
        expression: t.expression,
        ok: t.ok,
        warn: t.severity === 'warn',
        status: t.ok ? '✅' : t.severity === 'warn' ? '⚠️' : '❌',
        observedText: formatObserved(t.observed, t.unit)
      })),
    chart: {
      xLabel: paired ? 'pair' : 'run',
      head: chartPoints(b.runs, 'head'),
      base: paired ? chartPoints(b.runs, 'base') : []
    },
    /** The same per-run wall times (the runs that count) as a mermaid chart for the markdown. */
    mermaid: mermaidRuns(b.name, head, base, paired),
    runs: [...b.runs]
      .sort((x, y) => x.index - y.index || x.side.localeCompare(y.side))
      .map(r => runRow(r, paired))
  };
}

const METRIC_UNIT: Record<string, string> = Object.fromEntries(
  BENCHMARK_METRICS.map(m => [m.metric, m.unit])
);

const EMPTY = { measured: false, n: 0, median: '–', mean: '–', min: '–', max: '–' };

/** Median, mean, min and max of a metric over the runs that count, formatted. */
function stats(runs: BenchmarkRun[], metric: string, unit: 'ms' | 'bytes') {
  const values = runs.flatMap(r => {
    const v = runValue(r, metric);
    return v === null || !Number.isFinite(v) ? [] : [v];
  });
  if (values.length === 0) return EMPTY;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const f = unit === 'ms' ? formatMs : formatBytes;
  return {
    measured: true,
    n: values.length,
    median: f(median),
    mean: f(mean),
    min: f(sorted[0]),
    max: f(sorted[sorted.length - 1])
  };
}

/** The values of a compare key's metric over the runs that count (for the per-run comparison chart). */
function runsOf(runs: BenchmarkRun[], key: string): number[] {
  const metric = key.replace(/\..*$/, '');
  if (!METRIC_UNIT[metric]) return [];
  return runs.flatMap(r => {
    const v = runValue(r, metric);
    return v !== null && Number.isFinite(v) && v > 0 ? [v] : [];
  });
}

/** Each run's wall time by its number (from 1), the discarded first pair and killed runs marked. */
function chartPoints(runs: BenchmarkRun[], side: 'head' | 'base') {
  return runs
    .filter(r => r.side === side)
    .sort((a, b) => a.index - b.index)
    .map(r => ({
      x: r.index + 1,
      y: r.wallMs,
      discarded: Boolean(r.warmupDiscarded),
      failed: Boolean(r.timedOut) || r.signal !== undefined
    }));
}

/**
 * A mermaid `xychart-beta` (GitHub renders it) of the counted runs' wall time, head then base as
 * two lines in the HTML chart's colours; in paired mode, the pairs both sides completed.
 */
function mermaidRuns(name: string, head: BenchmarkRun[], base: BenchmarkRun[], paired: boolean): string {
  const baseAt = new Map(base.map(r => [r.index, r.wallMs]));
  const pairs = paired ? head.filter(r => baseAt.has(r.index)) : head;
  if (pairs.length < 2) return '';
  const ms = (v: number) => Number(v.toPrecision(4));
  const unit = paired ? 'pair' : 'run';
  return [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0969da, #bc4c00"}}}}%%`,
    'xychart-beta',
    `  title "${mermaidText(name)}: wall time per ${unit}${paired ? ', head (blue) and base (orange)' : ''}"`,
    `  x-axis "${unit}" [${pairs.map(r => r.index + 1).join(', ')}]`,
    '  y-axis "ms"',
    `  line [${pairs.map(r => ms(r.wallMs)).join(', ')}]`,
    ...(paired ? [`  line [${pairs.map(r => ms(baseAt.get(r.index)!)).join(', ')}]`] : [])
  ].join('\n');
}

function overviewChange(c: Comparison | undefined): string {
  if (!c) return '–';
  const v = comparisonView(c);
  return `${v.change} (${v.interval})`;
}

function planText(b: BenchmarkResult, discarded: number, stopped: number): string {
  const warm = b.warmup > 0 ? `, after ${b.warmup} warmup run${b.warmup === 1 ? '' : 's'} per side` : '';
  const order = b.base
    ? `${b.runsPlanned} pairs, base and head interleaved in counterbalanced order${warm}` +
      (discarded > 0 ? '; the first pair is discarded as warmup' : '')
    : `${b.runsPlanned} runs${warm}`;
  return order + (stopped > 0 ? `; ${stopped} run${stopped === 1 ? '' : 's'} killed (not counted)` : '');
}

function runRow(r: BenchmarkRun, paired: boolean) {
  const note = r.warmupDiscarded
    ? 'discarded (first pair)'
    : r.timedOut
      ? 'timed out'
      : r.signal
        ? `killed (${r.signal})`
        : '';
  return {
    number: paired ? `${r.index + 1} ${r.side}` : String(r.index + 1),
    wall: formatMs(r.wallMs),
    user: formatMs(r.userMs),
    sys: formatMs(r.sysMs),
    peakRss: formatBytes(r.peakRssBytes > 0 ? r.peakRssBytes : null),
    exitCode: r.exitCode === null ? '–' : String(r.exitCode),
    counted: !note,
    note
  };
}

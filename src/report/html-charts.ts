/**
 * The handlebars helpers that draw the HTML report's charts: each maps series of the report model
 * onto a chart of svg-charts.ts and returns SVG markup (escaped there) for a `{{{…}}}` slot, or an
 * empty string when the model has nothing to draw. Selection and labelling only; no statistics.
 */
import type { BenchmarkView } from './benchmark-view.js';
import type { FormatBenchmarkView } from './format-benchmark-view.js';
import type { ProfileView } from './report-model.js';
import { distributionChart, lineChart, trialComparisonChart, type LineSeries } from './svg-charts.js';
import { runChart } from './svg-run-chart.js';

type Timeline = ProfileView['charts']['timeline'];
type Distribution = ProfileView['charts']['distribution'];
/** A profile's comparison (per trial) or a benchmark's (per run, `sample: 'run'`). */
type ComparisonSeries = ProfileView['charts']['comparisons'][number] & { sample?: 'trial' | 'run' };
type TimelinePoint = Timeline['head'][number];
type Field = 'rate' | 'p50' | 'p99' | 'cpu' | 'rss';

/** What each timeline chart shows: its title, unit and the fields drawn (dashed ones lighter). */
const TIMELINES: Record<string, { title: string; unit: string; fields: Array<[Field, string, boolean]> }> = {
  rate: { title: 'Requests per second', unit: 'req/s', fields: [['rate', 'req/s', false]] },
  latency: {
    title: 'Latency p50 and p99 per second',
    unit: 'ms',
    fields: [
      ['p99', 'p99', false],
      ['p50', 'p50', true]
    ]
  },
  cpu: { title: 'Service CPU, % of one core', unit: '%', fields: [['cpu', 'CPU', false]] },
  rss: { title: 'Service memory (RSS)', unit: 'bytes', fields: [['rss', 'RSS', false]] }
};

/** `{{{timelineChart charts.timeline "rate" name}}}`: `rate`, `latency`, `cpu` or `rss` over seconds. */
export function timelineChart(timeline: Timeline, chart: string, profile: unknown): string {
  const spec = TIMELINES[chart];
  if (!spec) throw new Error(`unknown timeline chart "${chart}"`);
  const sides: Array<['head' | 'base', TimelinePoint[]]> = [
    ['head', timeline.head],
    ...(timeline.base ? [['base', timeline.base] as ['base', TimelinePoint[]]] : [])
  ];
  const paired = sides.length > 1;
  const series: LineSeries[] = sides.flatMap(([side, points]) =>
    spec.fields.map(([field, label, dashed]) => ({
      label: paired ? (spec.fields.length > 1 ? `${side} ${label}` : side) : label,
      side,
      dashed,
      points: points.map(p => ({ x: p.second, y: p[field] }))
    }))
  );
  if (!series.some(s => s.points.some(p => p.y !== null))) return '';
  return lineChart({ kind: chart, title: `${spec.title} — ${String(profile)}`, unit: spec.unit, series });
}

/** `{{{distributionChart charts.distribution name}}}`: latency by percentile, head and base. */
export function latencyDistributionChart(distribution: Distribution, profile: unknown): string {
  const series = [
    { label: distribution.base ? 'head' : 'latency', side: 'head' as const, points: distribution.head },
    ...(distribution.base ? [{ label: 'base', side: 'base' as const, points: distribution.base }] : [])
  ];
  if (!series.some(s => s.points.length > 0)) return '';
  return distributionChart({ title: `Latency distribution — ${String(profile)}`, series });
}

/** `{{{comparisonChart this ../name}}}`: one gated comparison, per trial, with its change interval. */
export function comparisonChart(c: ComparisonSeries, profile: unknown): string {
  return trialComparisonChart({
    title: `${c.metric}: ${c.verdict} — ${String(profile)}`,
    unit: c.unit,
    better: c.better,
    verdict: c.verdict,
    estimate: c.estimate,
    interval: c.interval,
    delta: c.delta,
    head: c.head,
    base: c.base,
    ...(c.medians && { medians: c.medians }),
    ...(c.sample && { sample: c.sample })
  });
}

/** `{{{benchmarkRunChart chart name}}}`: each run's wall time, head and base, by run (or pair) number. */
export function benchmarkRunChart(chart: BenchmarkView['chart'], benchmark: unknown): string {
  const paired = chart.base.length > 0;
  return runChart({
    title: `Wall time per ${chart.xLabel} — ${String(benchmark)}`,
    unit: 'ms',
    xLabel: chart.xLabel,
    series: [
      { label: paired ? 'head' : 'wall time', side: 'head', points: chart.head },
      ...(paired ? [{ label: 'base', side: 'base' as const, points: chart.base }] : [])
    ]
  });
}

/**
 * `{{{toolRunChart this ../name}}}`: a format benchmark's tool metric, each run's value of head and
 * base by run (or pair) number, in the metric's unit.
 */
export function toolRunChart(chart: FormatBenchmarkView['charts'][number], benchmark: unknown): string {
  const paired = chart.base.length > 0;
  return runChart({
    title: `${chart.title} — ${String(benchmark)}`,
    unit: chart.unit,
    xLabel: chart.xLabel,
    series: [
      { label: paired ? 'head' : 'value', side: 'head', points: chart.head },
      ...(paired ? [{ label: 'base', side: 'base' as const, points: chart.base }] : [])
    ]
  });
}

type TrendView = import('./report-model.js').ReportModel['trends'][number];

/** `{{{trendChart this}}}`: a gated metric over the stored runs, oldest first, this run last. */
export function trendChart(trend: TrendView): string {
  if (trend.rows.length < 2) return '';
  return lineChart({
    kind: 'trend',
    title: `${trend.profile} ${trend.metric} over the stored runs`,
    unit: trend.unit,
    xLabel: 'stored runs, oldest first (the last is this run)',
    series: [{ label: trend.metric, side: 'head', points: trend.rows.map((r, i) => ({ x: i, y: r.value })) }]
  });
}

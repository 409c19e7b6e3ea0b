/**
 * The one report model (SPEC §7): everything the renderings show, computed once from the result
 * model — formatted figures, the rows of every table and the series of every chart. The renderers
 * (templates/*.hbs through render.ts) take this model only and never compute: strings here are raw
 * (not escaped); each template escapes them for its own format.
 */
import { stopReason } from '../compare/sequential.js';
import { compareMetric } from '../compare/metric-value.js';
import { trialValues } from '../series/http-profile.js';
import type {
  AutoRecord,
  LatencySummary,
  PooledSummary,
  ProfileResult,
  Results,
  SideResult,
  TrialResult
} from '../model.js';
import { mergeHistograms, percentileMs } from '../stats/histogram.js';
import { brokenThresholds, gatedWith } from '../verdict.js';
import { benchmarkView } from './benchmark-view.js';
import { importView, SUMMARY_ROWS, toolComparisons } from './import-view.js';
import { compareUnit, comparisonView, orderText, sampleNoun, unsettledLists } from './comparison-view.js';
import { changePointView, trendView } from './trend-view.js';
import { findingsView } from './findings-view.js';
import { profilingView } from './profiling-view.js';
import { profileFacts } from './profile-facts.js';
import { formatDuration, formatMs, formatNumber, formatObserved, formatPercent } from './format.js';

/** Percentiles the latency distribution chart shows. */
export const DISTRIBUTION_PERCENTILES = [0, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100] as const;

/** Notes the PR comment shows at most; summary.md and report.html show them all. */
export const COMMENT_NOTES = 10;

/** Regressions the markdown lead lists at most (an import of hundreds can regress by hundreds). */
export const LEAD_REGRESSIONS = 20;

export type ReportModel = ReturnType<typeof buildReportModel>;
export type ProfileView = ReturnType<typeof profileView>;

/**
 * `distributions: false` for renderings that draw no chart (the markdown summary and comment):
 * merging every trial's histogram is the costly part, and a results file from a fork's run (the
 * comment follow-up) decides how many there are.
 */
export function buildReportModel(results: Results, opts: { distributions?: boolean } = {}) {
  const h = headline(results);
  const thresholds = results.thresholds.map(t => ({
    ...t,
    warn: t.severity === 'warn',
    status: t.ok ? '✅' : t.severity === 'warn' ? '⚠️' : '❌',
    observedText: formatObserved(t.observed, t.unit)
  }));
  const env = results.environment;
  const comparisons = results.comparisons.map(comparisonView);
  const regressions = comparisons.filter(c => c.regressed);
  const inSections = toolComparisons(results);
  return {
    icon: h.icon,
    headline: h.text,
    verdict: results.verdict ?? (results.status === 'failed' ? 'fail' : 'running'),
    error: results.error,
    problems: results.problems ?? [],
    broken: thresholds.filter(t => !t.ok),
    thresholds,
    regressions,
    /** The markdown's lead: the first LEAD_REGRESSIONS, and how many more the sections below hold. */
    leadRegressions: regressions.slice(0, LEAD_REGRESSIONS),
    moreRegressions: Math.max(0, regressions.length - LEAD_REGRESSIONS),
    improvements: results.comparisons.filter(c => c.gated && c.verdict === 'improved').length,
    inconclusive: gatedWith(results, 'inconclusive').length,
    /** The gated inconclusive comparisons, each once (comparison-view.ts `unsettledLists`). */
    unsettled: unsettledLists(comparisons, { comment: LEAD_REGRESSIONS, summary: SUMMARY_ROWS }),
    /** What more of would settle the inconclusive comparisons: a profile's trials, a benchmark's runs. */
    settleWith: settleWith(results),
    /** The shared table: every comparison but the tool benchmarks', which their own sections show. */
    comparisons: comparisons.filter((_, i) => !inSections.has(results.comparisons[i]!)),
    paired: results.profiles.some(p => p.base),
    /** The heading of the tables whose rows are of profiles, benchmarks or both. */
    sourceHeading: sourceHeading(results),
    /** The profile tables and details are left out of a run that measured only benchmarks. */
    hasProfiles: sourceKinds(results).has('profile'),
    benchmarks: (results.benchmarks ?? []).map(b =>
      benchmarkView(b, results.comparisons, results.thresholds, autoText, results.series)
    ),
    imports: (results.imports ?? []).map(i => importView(i, results)),
    profiles: results.profiles.map(p =>
      profileView(
        p,
        results.comparisons.filter(c => c.profile === p.name),
        // Merging every trial's histogram is the costly part: once, when the run has ended.
        results.status !== 'running' && opts.distributions !== false
      )
    ),
    /** What the measurements say beyond the verdict (findings-view.ts). */
    ...findingsView(results),
    /** `profiling:`'s CPU and heap profiles (profiling-view.ts); undefined without it. */
    profiling: profilingView(results),
    trends: (results.trends ?? []).map(trendView),
    changePoints: (results.changePoints ?? []).map(changePointView),
    serviceLogs: (results.serviceLogs ?? [])
      .filter(l => l.tail.length > 0)
      .map(l => ({ ...l, text: l.tail.join('\n') })),
    notes: results.notes,
    /** The comment's notes: the first COMMENT_NOTES (an import names each benchmark one side lacks). */
    commentNotes: results.notes.slice(0, COMMENT_NOTES),
    moreNotes: Math.max(0, results.notes.length - COMMENT_NOTES),
    version: results.tool.version,
    createdAt: results.createdAt,
    git: results.git,
    environment:
      `${env.cpuModel} × ${env.cores}, ${env.os}, Node ${env.node}` +
      (env.cpus
        ? `; the service on CPU ${env.cpus.service}, the load generator on CPU ${env.cpus.generator}`
        : ''),
    configHash: results.configHash.slice(0, 12),
    config: results.config
  };
}

/** What kind of source a name of the results is (names are unique over every kind). */
export function sourceKind(results: Results, name: string): 'profile' | 'benchmark' | 'import' {
  if (results.benchmarks?.some(b => b.name === name)) return 'benchmark';
  if (results.imports?.some(i => i.name === name)) return 'import';
  return 'profile';
}

/** The kinds of source the run has (profiles when it has none at all). */
function sourceKinds(results: Results): Set<'profile' | 'benchmark' | 'import'> {
  const kinds = new Set<'profile' | 'benchmark' | 'import'>();
  if (results.profiles.length > 0) kinds.add('profile');
  if ((results.benchmarks ?? []).length > 0) kinds.add('benchmark');
  if ((results.imports ?? []).length > 0) kinds.add('import');
  return kinds.size > 0 ? kinds : new Set(['profile']);
}

/** `Profile`, `Benchmark`, `Import`, or `Source` when the run has several kinds. */
function sourceHeading(results: Results): string {
  const kinds = [...sourceKinds(results)];
  if (kinds.length > 1) return 'Source';
  return kinds[0] === 'benchmark' ? 'Benchmark' : kinds[0] === 'import' ? 'Import' : 'Profile';
}

/** One-word headline and icon of a result, shared by every rendering. */
export function headline(results: Results): { icon: string; text: string } {
  if (results.status === 'failed') return { icon: '💥', text: 'run failed' };
  if (results.status === 'running') return { icon: '⏳', text: 'running' };
  const brokenCount = brokenThresholds(results);
  const regressed = gatedWith(results, 'regressed').length;
  const problems = results.problems ?? [];
  const nothing = problems.filter(p => p.kind === 'nothing-measured').length;
  const failing = problems.length - nothing;
  if (results.verdict === 'fail') {
    const why = [
      ...(nothing ? ['nothing measured'] : []),
      ...(failing ? ['most requests failed'] : []),
      ...(brokenCount ? [`${plural(brokenCount, 'threshold')} broken`] : []),
      ...(regressed ? [`${plural(regressed, 'regression')}${regressedWhere(results)}`] : [])
    ];
    return { icon: '❌', text: `gate failed (${why.join(', ')})` };
  }
  if (results.verdict === 'inconclusive') return { icon: '⚠️', text: 'inconclusive' };
  return { icon: '✅', text: 'pass' };
}

function settleWith(results: Results): string {
  const nouns = new Set(gatedWith(results, 'inconclusive').map(c => sampleNoun(c.metric)));
  return nouns.size > 1 ? 'samples' : ([...nouns][0] ?? 'trials');
}

/**
 * Where the gated regressions are, for the headline: ` in benchmark build`, ` in profile hello and
 * benchmark build`, or ` in 3 sources` when they are spread over more than two.
 */
function regressedWhere(results: Results): string {
  const sources = [...new Set(gatedWith(results, 'regressed').map(c => c.profile))];
  if (sources.length > 2) return ` in ${sources.length} sources`;
  const named = sources.map(s => `${sourceKind(results, s)} ${s}`);
  return named.length > 0 ? ` in ${named.join(' and ')}` : '';
}

function profileView(p: ProfileResult, comparisons: Results['comparisons'], final: boolean) {
  const s = p.head.summary;
  const trials = [...p.head.trials, ...(p.base?.trials ?? [])].sort(
    (a, b) => a.index - b.index || a.side.localeCompare(b.side)
  );
  return {
    name: p.name,
    shape: p.shape,
    model: p.model,
    connections: p.connections,
    warmup: formatDuration(p.warmupMs),
    duration: formatDuration(p.durationMs),
    trialsPlanned: p.trialsPlanned,
    order: p.base ? orderText(p.order) : '',
    auto: p.auto && autoText(p.auto, Boolean(p.base)),
    facts: profileFacts(p),
    rows: [
      { label: p.base ? 'head' : '', planned: p.trialsPlanned, ...sideCells(s) },
      ...(p.base ? [{ label: 'base', planned: p.trialsPlanned, ...sideCells(p.base.summary) }] : [])
    ],
    error: p.error,
    trials: trials.map(t => trialView(t, Boolean(p.base))),
    requests: Object.entries(s?.perRequest ?? {}).map(([name, r]) => ({
      name,
      request: requestText(p, name),
      requests: formatNumber(r.requests),
      throughput: formatNumber(r.throughput, 1),
      ...latencyCells(r.latency),
      failed: formatNumber(r.failed)
    })),
    charts: {
      timeline: { head: meanTimeline(p.head), ...(p.base && { base: meanTimeline(p.base) }) },
      distribution: final
        ? { head: distribution(p.head), ...(p.base && { base: distribution(p.base) }) }
        : { head: [] },
      comparisons: comparisons
        .filter(c => c.gated && Number.isFinite(c.estimate))
        .map(c => ({
          metric: c.metric,
          verdict: c.verdict,
          estimate: c.estimate,
          interval: c.interval,
          delta: c.delta,
          head: trialValues(p.head.trials, compareMetric(c.metric)),
          base: p.base ? trialValues(p.base.trials, compareMetric(c.metric)) : [],
          better: c.better,
          unit: compareUnit(c.metric),
          medians: c.values
        }))
    }
  };
}

/** Per second of the trial, the mean over the valid trials of the rate, p50 and p99 (and resources). */
function meanTimeline(side: SideResult) {
  const valid = side.trials.filter(t => t.valid && t.timeline.length > 0);
  const seconds = valid.reduce((n, t) => Math.max(n, t.timeline.length), 0);
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return Array.from({ length: seconds }, (_, second) => {
    const points = valid.flatMap(t => (t.timeline[second] ? [t.timeline[second]] : []));
    const cpu = points.flatMap(p => (p.serviceCpu !== undefined ? [p.serviceCpu] : []));
    const rss = points.flatMap(p => (p.serviceRss !== undefined ? [p.serviceRss] : []));
    return {
      second,
      rate: mean(points.map(p => p.completed)),
      p50: mean(points.filter(p => p.completed > 0).map(p => p.p50)),
      p99: mean(points.filter(p => p.completed > 0).map(p => p.p99)),
      errors: mean(points.map(p => p.errors)),
      cpu: mean(cpu),
      rss: mean(rss)
    };
  });
}

/** Latency at `DISTRIBUTION_PERCENTILES` over the side's valid trials pooled (histograms merged). */
function distribution(side: SideResult): Array<{ p: number; ms: number }> {
  const encoded = side.trials.filter(t => t.valid && t.metrics.responses > 0).map(t => t.metrics.histogram);
  if (encoded.length === 0) return [];
  const h = mergeHistograms(encoded);
  return DISTRIBUTION_PERCENTILES.map(p => ({ p, ms: percentileMs(h, p) }));
}

function autoText(a: AutoRecord, paired: boolean): string {
  const last = a.looks[a.looks.length - 1];
  const at = last ? ` at ${plural(last.trials, paired ? 'pair' : 'trial')}` : '';
  const alphas = a.looks.map(l => l.alpha.toPrecision(2)).join(', ');
  return (
    `trials: auto — ${plural(a.looks.length, 'look')}, stopped: ${stopReason(a)}${at}` +
    (alphas ? ` (alpha per look ${alphas}; min ${a.min}, batch ${a.batch}, max ${a.max})` : '')
  );
}

function sideCells(s: PooledSummary | undefined) {
  return {
    validTrials: s?.validTrials ?? 0,
    throughput: formatNumber(s?.throughput ?? null, 0),
    ...latencyCells(s?.latency ?? null),
    failed: s ? `${formatNumber(s.failed)} (${formatPercent(s.requests ? s.failed / s.requests : 0)})` : '–'
  };
}

function trialView(t: TrialResult, paired: boolean) {
  return {
    number: paired ? `${t.index + 1} ${t.side}` : String(t.index + 1),
    throughput: formatNumber(t.metrics.throughput, 0),
    ...latencyCells(t.metrics.responses > 0 ? t.metrics.latency : null),
    failed: formatNumber(t.metrics.failed),
    valid: t.valid,
    validText: t.valid ? 'yes' : `no: ${t.invalidReason ?? 'invalid'}`
  };
}

function latencyCells(l: LatencySummary | null) {
  return { p50: formatMs(l?.p50), p90: formatMs(l?.p90), p99: formatMs(l?.p99), max: formatMs(l?.max) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `POST /items` for a request of the mix, from the configured mix (absent in older results). */
function requestText(p: ProfileResult, name: string): string {
  const spec = p.mix?.find(r => r.name === name);
  return spec ? `${spec.method} ${spec.path}` : '';
}

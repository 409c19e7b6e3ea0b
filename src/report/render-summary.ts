/**
 * Renders `summary.md` (also the job summary) from the result model with `templates/summary.md.hbs`.
 * Formatting only: every number shown is already in the model.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { stopReason } from '../compare/sequential.js';
import type {
  AutoRecord,
  LatencySummary,
  PooledSummary,
  ProfileResult,
  Results,
  TrialResult
} from '../model.js';
import { brokenThresholds, gatedWith } from '../verdict.js';
import { comparisonView, orderText } from './comparison-view.js';
import { profileFacts } from './profile-facts.js';
import {
  codeSpan,
  escapeMarkdown,
  formatDuration,
  formatMs,
  formatNumber,
  formatObserved,
  formatPercent
} from './format.js';

const source = readFileSync(new URL('../../templates/summary.md.hbs', import.meta.url), 'utf8');
let compiled: Handlebars.TemplateDelegate | undefined;

function template(): Handlebars.TemplateDelegate {
  if (!compiled) {
    const hb = Handlebars.create();
    hb.registerHelper('md', (value: unknown) => escapeMarkdown(String(value ?? '')));
    hb.registerHelper('code', (value: unknown) => codeSpan(String(value ?? '')));
    // Markdown output: HTML escaping is done explicitly by the `md` helper on user strings.
    compiled = hb.compile(source, { noEscape: true, strict: false });
  }
  return compiled;
}

export function renderSummary(results: Results): string {
  return template()(summaryView(results));
}

/** One-word headline and icon of a result, shared by every rendering. */
export function headline(results: Results): { icon: string; text: string } {
  if (results.status === 'failed') return { icon: '💥', text: 'run failed' };
  if (results.status === 'running') return { icon: '⏳', text: 'running' };
  const brokenCount = brokenThresholds(results);
  const regressed = gatedWith(results, 'regressed').length;
  if (results.verdict === 'fail') {
    const why = [
      ...(brokenCount ? [`${plural(brokenCount, 'threshold')} broken`] : []),
      ...(regressed ? [`${plural(regressed, 'regression')}`] : [])
    ];
    return { icon: '❌', text: `gate failed (${why.join(', ')})` };
  }
  if (results.verdict === 'inconclusive') return { icon: '⚠️', text: 'inconclusive' };
  return { icon: '✅', text: 'pass' };
}

function summaryView(results: Results) {
  const h = headline(results);
  const thresholds = results.thresholds.map(t => ({
    ...t,
    warn: t.severity === 'warn',
    status: t.ok ? '✅' : t.severity === 'warn' ? '⚠️' : '❌',
    observed: formatObserved(t.observed, t.unit)
  }));
  const env = results.environment;
  const comparisons = results.comparisons.map(comparisonView);
  return {
    icon: h.icon,
    headline: h.text,
    error: results.error,
    broken: thresholds.filter(t => !t.ok),
    thresholds,
    regressions: comparisons.filter(c => c.regressed),
    comparisons,
    paired: results.profiles.some(p => p.base),
    profiles: results.profiles.map(profileView),
    notes: results.notes,
    version: results.tool.version,
    environment: `${env.cpuModel} × ${env.cores}, ${env.os}, Node ${env.node}`,
    configHash: results.configHash.slice(0, 12)
  };
}

function profileView(p: ProfileResult) {
  const s = p.head.summary;
  const trials = [...p.head.trials, ...(p.base?.trials ?? [])].sort(
    (a, b) => a.index - b.index || a.side.localeCompare(b.side)
  );
  return {
    name: p.name,
    shape: p.shape,
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
      requests: formatNumber(r.requests),
      throughput: formatNumber(r.throughput, 1),
      ...latencyCells(r.latency),
      failed: formatNumber(r.failed)
    }))
  };
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
    valid: t.valid ? 'yes' : `no: ${escapeMarkdown(t.invalidReason ?? 'invalid')}`
  };
}

function latencyCells(l: LatencySummary | null) {
  return { p50: formatMs(l?.p50), p90: formatMs(l?.p90), p99: formatMs(l?.p99), max: formatMs(l?.max) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

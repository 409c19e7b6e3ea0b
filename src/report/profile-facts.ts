/**
 * What a profile's shape, model and service measured beyond the latency table, as short lines for
 * the renderings: the schedule, the breaking point of a stress run, the drift of a soak, the open
 * model's pacing, the service's resources and the load generator's own event-loop delay.
 * Formatting only; every figure is in the model (the one rule here, which trials' client delay
 * stands out, picks among figures already measured).
 */
import { median } from 'simple-statistics';
import type { ProfileResult, SideResult, StressStep, TrialResult } from '../model.js';
import { formatBytes, formatDuration, formatMs, formatNumber, formatPercent } from './format.js';

export function profileFacts(p: ProfileResult): string[] {
  const facts: string[] = [];
  const unit = p.model === 'open' ? 'req/s' : 'connections';
  const stages = firstTrial(p)?.stages ?? [];
  if (p.shape !== 'steady' || stages.length > 1) {
    facts.push(`${p.shape}, ${p.model} model (${unit}): ${planText(stages)}`);
  } else if (p.model === 'open') {
    facts.push(`open model at ${level1(p.rate ?? stages[0]?.from ?? 0)} req/s`);
  }
  for (const [label, side] of sides(p)) {
    const stress = p.stress?.[side.side];
    if (stress) facts.push(`${label}breaking point: ${breaking(stress.held, stress.broke, unit)}`);
    const drift = driftText(side.trials);
    if (drift) facts.push(`${label}drift, last quarter vs first: ${drift}`);
    const pacing = pacingText(side.trials);
    if (pacing) facts.push(`${label}open model pacing: ${pacing}`);
    const resources = resourcesText(side.trials);
    if (resources) facts.push(`${label}service: ${resources}`);
    const delay = generatorDelayText(side.trials);
    if (delay) facts.push(`${label}client event-loop delay ${delay}`);
  }
  return facts;
}

/**
 * A trial whose client event-loop delay p99 is at least this many times the side's median is named
 * as a client stall...
 */
const STALL_RATIO = 3;
/** ...and at least this far above it, ms: the delay histogram's resolution is about 1 ms. */
const STALL_MIN_MS = 2;

/**
 * The load generator's own event-loop delay (TrialResult.generatorDelay): the median over the
 * valid trials of each trial's p99, and the largest delay of any — how much of a response time's
 * tail is perfgate's, not the service's. Trials whose p99 stands far above the others' are named:
 * a stall of the client (a busy runner, a collection) that hit one trial and not its partner is
 * the usual reason a paired p99 stays inconclusive. Nothing in results written before it was
 * measured.
 */
function generatorDelayText(trials: TrialResult[]): string | undefined {
  const delays = trials.flatMap(t =>
    t.valid && t.generatorDelay ? [{ trial: t.index + 1, ...t.generatorDelay }] : []
  );
  if (delays.length === 0) return undefined;
  const p99 = median(delays.map(d => d.p99));
  const max = Math.max(...delays.map(d => d.max));
  const over = delays.length > 1 ? `median of ${delays.length} trials; ` : '';
  const stalled = delays.filter(d => d.p99 >= STALL_RATIO * p99 && d.p99 >= p99 + STALL_MIN_MS);
  const stalls =
    stalled.length > 0
      ? `; the client stalled in trial${stalled.length === 1 ? '' : 's'} ` +
        `${stalled.map(d => `${d.trial} (p99 ${formatMs(d.p99)})`).join(', ')}, which moves those trials' tails`
      : '';
  return `p99 ${formatMs(p99)} (${over}max ${formatMs(max)}) — the part of a tail that is perfgate's${stalls}`;
}

/** The stages one by one, or for a long schedule (a wave) their count, range and total. */
function planText(stages: TrialResult['stages']): string {
  if (stages.length > 8) {
    const levels = stages.flatMap(s => [s.from, s.to]);
    const total = stages.reduce((n, s) => n + s.durationMs, 0);
    const gated = stages.filter(s => s.measured).length;
    return (
      `${stages.length} stages over ${formatDuration(Math.round(total / 1000) * 1000)}, levels ` +
      `${level1(Math.min(...levels))}–${level1(Math.max(...levels))}, ${gated} gated`
    );
  }
  return stages
    .map(s => {
      const level = s.from === s.to ? level1(s.from) : `${level1(s.from)}→${level1(s.to)}`;
      return `${s.name} ${formatDuration(Math.round(s.durationMs / 100) * 100)} at ${level}${s.measured ? '' : ' (not gated)'}`;
    })
    .join(' · ');
}

function level1(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function firstTrial(p: ProfileResult): TrialResult | undefined {
  return p.head.trials.find(t => t.valid) ?? p.head.trials[0];
}

function sides(p: ProfileResult): Array<[string, SideResult]> {
  return p.base
    ? [
        ['head ', p.head],
        ['base ', p.base]
      ]
    : [['', p.head]];
}

function breaking(
  held: StressStep | undefined,
  broke: (StressStep & { broken: string[] }) | undefined,
  unit: string
) {
  const step = (s: StressStep) =>
    `${s.name} at ${level1(s.level)} ${unit} (${formatNumber(s.throughput, 0)} req/s, p99 ${formatMs(s.p99)}, ${formatPercent(s.failed)} failed)`;
  const heldText = held ? `held up to ${step(held)}` : 'the first step already broke the thresholds';
  const brokeText = broke
    ? `; broke at ${step(broke)}: ${broke.broken.join(', ')}`
    : '; no step broke the thresholds';
  return heldText + brokeText;
}

function driftText(trials: TrialResult[]): string | undefined {
  const drifts = trials.filter(t => t.valid && t.drift).map(t => t.drift!);
  if (drifts.length === 0) return undefined;
  const ratio = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length > 0 ? `×${median(v).toFixed(2)}` : '–';
  };
  return `p50 ${ratio(drifts.map(d => d.p50))}, p99 ${ratio(drifts.map(d => d.p99))}, req/s ${ratio(drifts.map(d => d.throughput))}`;
}

function pacingText(trials: TrialResult[]): string | undefined {
  const open = trials.filter(t => t.openModel).map(t => t.openModel!);
  if (open.length === 0) return undefined;
  const sent = open.reduce((n, o) => n + o.sent, 0);
  const scheduled = open.reduce((n, o) => n + o.scheduled, 0);
  const p99 = Math.max(...open.map(o => o.lateness.p99));
  return `sent ${formatNumber(sent)} of ${formatNumber(scheduled)} scheduled (${formatPercent(scheduled ? sent / scheduled : 0)}), sends late by up to ${formatMs(p99)} (p99)`;
}

function resourcesText(trials: TrialResult[]): string | undefined {
  const samples = trials.filter(t => t.valid).flatMap(t => t.resources?.samples ?? []);
  if (samples.length === 0) return undefined;
  const cpu = samples.map(s => s.cpu);
  const rss = samples.map(s => s.rss);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return (
    `CPU mean ${formatNumber(mean(cpu), 1)} %, peak ${formatNumber(Math.max(...cpu), 1)} % of a core; ` +
    `RSS mean ${formatBytes(mean(rss))}, peak ${formatBytes(Math.max(...rss))}`
  );
}

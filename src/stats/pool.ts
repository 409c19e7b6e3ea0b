/**
 * Pools the valid trials of one side into one summary: counts summed, rates over the summed
 * measured time, latency from the exactly merged HDR histograms. Pure.
 */
import type { ErrorCounts, PooledSummary, RequestMetrics, TrialResult } from '../model.js';
import { mergeHistograms, summarizeLatency } from './histogram.js';

export function poolTrials(trials: TrialResult[]): PooledSummary {
  const valid = trials.filter(t => t.valid);
  const whole = poolMetrics(valid.map(t => ({ m: t.metrics, durationMs: measuredMs(t) })));
  const names = new Set(valid.flatMap(t => Object.keys(t.requests)));
  const perRequest: PooledSummary['perRequest'] = {};
  for (const name of names) {
    const parts = valid.flatMap(t =>
      t.requests[name] ? [{ m: t.requests[name], durationMs: measuredMs(t) }] : []
    );
    const p = poolMetrics(parts);
    perRequest[name] = {
      requests: p.requests,
      failed: p.failed,
      throughput: p.throughput,
      latency: p.latency
    };
  }
  return { validTrials: valid.length, invalidTrials: trials.length - valid.length, ...whole, perRequest };
}

function poolMetrics(parts: Array<{ m: RequestMetrics; durationMs: number }>) {
  const requests = sum(parts.map(p => p.m.requests));
  const seconds = sum(parts.map(p => p.durationMs)) / 1000;
  const errors: ErrorCounts = { timeout: 0, connection: 0, status: 0, body: 0 };
  for (const p of parts) {
    for (const k of Object.keys(errors) as Array<keyof ErrorCounts>) errors[k] += p.m.errors[k];
  }
  const withResponses = parts.filter(p => p.m.responses > 0).map(p => p.m.histogram);
  const h = withResponses.length > 0 ? mergeHistograms(withResponses) : null;
  return {
    requests,
    failed: sum(parts.map(p => p.m.failed)),
    throughput: seconds > 0 ? requests / seconds : 0,
    errors,
    latency: h && h.totalCount > 0 ? summarizeLatency(h) : null
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** The time a trial's rates are over: its measured stages (the whole trial in older results). */
export function measuredMs(t: Pick<TrialResult, 'measuredMs' | 'durationMs'>): number {
  return t.measuredMs ?? t.durationMs;
}

/**
 * Generator-bound trials (SPEC §3, §11): trials in which perfgate's own load generator, not the
 * service, set the pace — its thread near a full core or its event loop never idle
 * (load/saturation.ts; such trials are invalid and left out), an open-model trial that could not
 * send its schedule, or a valid trial whose client event-loop delay was a large part of its p99.
 */
import { GENERATOR_BUSY_LIMIT, GENERATOR_CPU_LIMIT } from '../load/saturation.js';
import { OPEN_MODEL_MIN_SENT } from '../load/http-generator.js';
import type { Finding, ProfileResult, SideResult, TrialResult } from '../model.js';
import { formatMs, formatPercent } from '../report/format.js';
import { round } from './steps.js';

/**
 * A valid trial whose generator's event-loop delay p99 was at least this share of the trial's
 * latency p99 measured the client as much as the service: 50 %.
 */
export const GENERATOR_DELAY_SHARE = 0.5;

/** ...and at least this long, ms: a libuv timer keeps whole milliseconds (load/loop-delay.ts), so less is rounding. */
export const GENERATOR_DELAY_MIN_MS = 5;

/** Why the generator limited the trial, or undefined. */
export function generatorLimit(t: TrialResult): string | undefined {
  if (t.generatorCpu >= GENERATOR_CPU_LIMIT) return `CPU ${formatPercent(t.generatorCpu, 0)} of a core`;
  if (t.generatorBusy >= GENERATOR_BUSY_LIMIT) return `event loop busy ${formatPercent(t.generatorBusy, 0)}`;
  const o = t.openModel;
  if (o && o.scheduled > 0 && o.sent / o.scheduled < OPEN_MODEL_MIN_SENT) {
    return `sent ${formatPercent(o.sent / o.scheduled, 1)} of its schedule`;
  }
  const d = t.generatorDelay;
  const p99 = t.metrics.latency.p99;
  if (
    t.valid &&
    d &&
    t.metrics.responses > 0 &&
    d.p99 >= GENERATOR_DELAY_MIN_MS &&
    d.p99 >= GENERATOR_DELAY_SHARE * p99
  ) {
    return `client event-loop delay p99 ${formatMs(d.p99)} of a latency p99 of ${formatMs(p99)}`;
  }
  return undefined;
}

export function generatorBound(p: ProfileResult, side: SideResult): Finding | undefined {
  const limited = side.trials.flatMap(t => {
    const why = generatorLimit(t);
    return why ? [{ t, why }] : [];
  });
  if (limited.length === 0) return undefined;
  const cpu = Math.max(...limited.map(l => l.t.generatorCpu));
  const busy = Math.max(...limited.map(l => l.t.generatorBusy));
  const delays = limited.flatMap(l => (l.t.generatorDelay ? [l.t.generatorDelay.p99] : []));
  const invalid = limited.filter(l => !l.t.valid).length;
  const n = side.trials.length;
  return {
    kind: 'generator-bound',
    profile: p.name,
    side: side.side,
    severity: 'warn',
    title: `${limited.length} of ${n} trial${n === 1 ? '' : 's'} limited by the load generator`,
    numbers: {
      trials: limited.map(l => l.t.index + 1).join(', '),
      limited: limited.length,
      of: n,
      invalid,
      generatorCpuMax: cpu,
      generatorBusyMax: busy,
      cpuLimit: GENERATOR_CPU_LIMIT,
      busyLimit: GENERATOR_BUSY_LIMIT,
      ...(delays.length > 0 && { generatorDelayP99MaxMs: round(Math.max(...delays)) })
    },
    message:
      `the load generator set the pace in ${limited.length} of ${n} trial(s) (${invalid} left out as invalid): ` +
      limited.map(l => `trial ${l.t.index + 1}: ${l.why}`).join('; ') +
      ' — these measured perfgate, not the service; fewer connections, a lower rate or a bigger runner help'
  };
}

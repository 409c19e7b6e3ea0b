/**
 * Whether a trial measured the generator rather than the service (SPEC §3). autocannon and the
 * open-model pacer run on perfgate's main thread, so the generator is saturated when that thread used
 * about a full core over the trial (`GENERATOR_CPU_LIMIT`, load/generator-cpu.ts), or when its event
 * loop never waited (`GENERATOR_BUSY_LIMIT`): the second catches a thread that is always busy but
 * starved of CPU by the service on a small runner. Measured on this project's 2-core machine against
 * the example service with no delay (both processes flat out, ~55 000 req/s): thread CPU 0.80–0.87 of
 * a core, event loop busy 0.78–0.84.
 */
import type { CpuClock } from './generator-cpu.js';

export const GENERATOR_CPU_LIMIT = 0.9;
export const GENERATOR_BUSY_LIMIT = 0.95;

export interface SaturationLimits {
  /**
   * Override the limits (e.g. `Infinity` when the service under test runs in the same process, as in
   * tests, so that its work does not count as the generator's).
   */
  cpuLimit: number;
  busyLimit: number;
}

/** The reason a trial is invalid because the generator was saturated, or undefined. */
export function saturation(
  used: { cpu: number; busy: number; scope: CpuClock['scope'] },
  limits: Partial<SaturationLimits> = {}
): string | undefined {
  const cpuLimit = limits.cpuLimit ?? GENERATOR_CPU_LIMIT;
  const busyLimit = limits.busyLimit ?? GENERATOR_BUSY_LIMIT;
  if (used.cpu < cpuLimit && used.busy < busyLimit) return undefined;
  const what = used.scope === 'thread' ? 'its thread' : 'its process';
  return (
    `load generator saturated: ${what} used ${percent(used.cpu)} of one core (limit ${percent(cpuLimit)}), ` +
    `its event loop was busy ${percent(used.busy)} of the window (limit ${percent(busyLimit)}), ` +
    'so the trial measured the generator, not the service'
  );
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)} %`;
}

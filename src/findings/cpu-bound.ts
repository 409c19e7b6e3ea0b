/**
 * CPU-bound service (SPEC §11): where throughput plateaued (the saturation knee), the service's
 * CPU was near a whole number of cores — one for a single event loop or interpreter, up to the
 * machine's — so more load only queued: the service, not its waits, is the limit. Read from the
 * resources sampled during each stage (TimelinePoint.serviceCpu).
 */
import type { Finding, ProfileResult, SideResult } from '../model.js';
import { formatNumber } from '../report/format.js';
import type { FindingContext } from './limits.js';
import { findKnee } from './saturation-knee.js';
import { levelText, levelUnit, loadSteps, mean, round } from './steps.js';

/**
 * Share of its cores a service must use to be CPU-bound: 80 %. A process whose event loop never
 * idles reads 85–95 % of a core in /proc sampled once a second on this project's shared 2-core
 * machine (the rest is the kernel's network work and other processes' turns); at 80 % little of a
 * core is left.
 */
export const CPU_BOUND_SHARE = 0.8;

/**
 * The cores a service at `cpu` % of one core is running into — the fewest n (1 … `cores`) with
 * cpu ≤ 105·n (a once-a-second sample may overshoot a core a little) — and whether it used at
 * least `share` of them (default `CPU_BOUND_SHARE`).
 */
export function nearCores(
  cpu: number,
  cores: number,
  share = CPU_BOUND_SHARE
): { cores: number; near: boolean } {
  const n = Math.min(Math.max(1, cores), Math.max(1, Math.ceil(cpu / 105)));
  return { cores: n, near: cpu >= share * 100 * n };
}

export function cpuBound(
  p: ProfileResult,
  side: SideResult,
  { cores: machineCores, limits }: FindingContext
): Finding | undefined {
  const knee = findKnee(loadSteps(p, side), limits);
  if (!knee) return undefined;
  const plateau = [knee.at, ...(knee.after ? [knee.after] : [])].filter(s => s.cpu !== undefined);
  if (plateau.length === 0) return undefined;
  const cpu = mean(plateau.map(s => s.cpu!));
  const { cores, near } = nearCores(cpu, machineCores, limits.cpuShare);
  if (!near) return undefined;
  const unit = levelUnit(p);
  const coresText = `${cores} core${cores === 1 ? '' : 's'}`;
  return {
    kind: 'cpu-bound',
    profile: p.name,
    side: side.side,
    severity: 'warn',
    title: `CPU-bound: ${formatNumber(cpu, 0)} % CPU at the plateau`,
    numbers: {
      cpuPercent: round(cpu, 1),
      cores,
      machineCores,
      share: round(cpu / (100 * cores), 3),
      limitShare: limits.cpuShare,
      levelBefore: knee.before.level,
      throughputBeforeRps: round(knee.before.throughput, 1),
      ...(knee.before.cpu !== undefined && { cpuBeforePercent: round(knee.before.cpu, 1) }),
      levelAt: knee.at.level,
      throughputAtRps: round(knee.at.throughput, 1),
      unit
    },
    message:
      `the service used ${formatNumber(cpu, 0)} % of a core (${formatNumber(cpu / cores, 0)} % of ${coresText}; ` +
      `the machine has ${machineCores}) where throughput plateaued: ${formatNumber(knee.before.throughput, 0)} req/s ` +
      `at ${levelText(knee.before.level)} ${unit}, ${formatNumber(knee.at.throughput, 0)} req/s at ` +
      `${levelText(knee.at.level)} ${unit} — its CPU is the limit`
  };
}

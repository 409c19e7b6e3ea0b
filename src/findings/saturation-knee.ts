/**
 * Saturation knee (SPEC §11): on a climbing shape (stress, rampup, stages), the level past which
 * more load bought no throughput while p99 kept climbing — the service's capacity, measured.
 */
import type { Finding, ProfileResult, SideResult } from '../model.js';
import { formatMs, formatNumber, formatPercent } from '../report/format.js';
import type { FindingContext, FindingLimits } from './limits.js';
import { levelText, levelUnit, loadSteps, round, type LoadStep } from './steps.js';

/**
 * A step whose throughput rose by at most this share over the step before has stopped rising. 5 %:
 * below the trial-to-trial spread of a stage's throughput on a shared runner (3–5 % on this
 * project's 2-core machine), a gain that small is no gain one could rely on.
 */
export const KNEE_MAX_GAIN = 0.05;

/**
 * Only a step whose level rose by at least this many times the gain limit (`kneeGain`, default
 * `KNEE_MAX_GAIN`) is judged: when the level rises by less than twice it, a service that still
 * scales linearly gains too little to tell it from one that stopped.
 */
export const KNEE_MIN_LEVEL_RISE_PER_GAIN = 2;

/**
 * ...while its p99 rose by at least this share: a queue forming. 25 %: a stage's p99 moves by
 * 10–20 % between trials of a healthy service on a shared machine, so a smaller rise is noise.
 */
export const KNEE_MIN_P99_RISE = 0.25;

/** Where the climb stopped paying: the last level that still gained, the first that did not, and the next. */
export interface Knee {
  before: LoadStep;
  at: LoadStep;
  after?: LoadStep;
  gain: number;
  p99Rise: number;
}

/** The first knee of the steps under `limits` (`kneeGain`, `kneeP99Rise`), if any. */
export function findKnee(
  steps: readonly LoadStep[],
  limits: Pick<FindingLimits, 'kneeGain' | 'kneeP99Rise'>
): Knee | undefined {
  for (let i = 1; i < steps.length; i++) {
    const before = steps[i - 1]!;
    const at = steps[i]!;
    if (before.level <= 0 || before.throughput <= 0 || before.p99 <= 0) continue;
    if (at.level / before.level - 1 < KNEE_MIN_LEVEL_RISE_PER_GAIN * limits.kneeGain) continue;
    const gain = at.throughput / before.throughput - 1;
    const p99Rise = at.p99 / before.p99 - 1;
    if (gain <= limits.kneeGain && p99Rise >= limits.kneeP99Rise) {
      return { before, at, ...(steps[i + 1] && { after: steps[i + 1] }), gain, p99Rise };
    }
  }
  return undefined;
}

/**
 * The knee of one side. `warn` on rampup and custom stages (the service saturates below the load the
 * profile means to run), `info` on stress, whose purpose is to find it.
 */
export function saturationKnee(
  p: ProfileResult,
  side: SideResult,
  { limits }: FindingContext
): Finding | undefined {
  const knee = findKnee(loadSteps(p, side), limits);
  if (!knee) return undefined;
  const unit = levelUnit(p);
  const { before, at, after } = knee;
  const numbers: Record<string, number | string> = {
    levelBefore: before.level,
    throughputBeforeRps: round(before.throughput, 1),
    p99BeforeMs: round(before.p99),
    levelAt: at.level,
    throughputAtRps: round(at.throughput, 1),
    p99AtMs: round(at.p99),
    throughputGain: round(knee.gain, 4),
    p99Rise: round(knee.p99Rise, 4),
    ...(after && {
      levelAfter: after.level,
      throughputAfterRps: round(after.throughput, 1),
      p99AfterMs: round(after.p99)
    }),
    unit,
    trials: at.trials
  };
  const step = (s: LoadStep) =>
    `${levelText(s.level)} ${unit}: ${formatNumber(s.throughput, 0)} req/s, p99 ${formatMs(s.p99)}`;
  return {
    kind: 'saturation-knee',
    profile: p.name,
    side: side.side,
    severity: p.shape === 'stress' ? 'info' : 'warn',
    title: `saturation knee at ${levelText(before.level)} ${unit}`,
    numbers,
    message:
      `throughput stopped rising past ${levelText(before.level)} ${unit}: from ${step(before)} ` +
      `to ${step(at)} (throughput ${signed(knee.gain)}, p99 ${signed(knee.p99Rise)})` +
      (after ? `; at ${step(after)}` : '')
  };
}

function signed(ratio: number): string {
  return `${ratio >= 0 ? '+' : '−'}${formatPercent(Math.abs(ratio), 1)}`;
}

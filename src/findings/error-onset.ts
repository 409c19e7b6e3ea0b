/**
 * Error onset (SPEC §11): where failed requests began — the first second of a trial in which more
 * than `errorRate` (default `ERROR_ONSET_RATE`) of the requests that ended failed, the stage and level it belonged to, and
 * on a climbing shape the first level whose failed share was above it.
 */
import type { Finding, ProfileResult, SideResult, TimelinePoint, TrialResult } from '../model.js';
import { formatNumber, formatPercent } from '../report/format.js';
import type { FindingContext } from './limits.js';
import { levelText, levelUnit, loadSteps, round } from './steps.js';

/**
 * Failed share above which requests count as failing: 1 %, the limit k6's documentation and most
 * SLOs write as `http_req_failed: rate<0.01`.
 */
export const ERROR_ONSET_RATE = 0.01;

interface Onset {
  trial: TrialResult;
  point: TimelinePoint;
  second: number;
  errors: number;
  completed: number;
}

/** The earliest second over the valid trials with failures above `rate` (the first trial on a tie). */
function firstSecond(trials: readonly TrialResult[], rate: number): Onset | undefined {
  let best: Onset | undefined;
  for (const trial of trials) {
    const point = trial.timeline.find(p => p.completed > 0 && p.errors / p.completed > rate);
    if (point && (!best || point.second < best.second)) {
      best = { trial, point, second: point.second, errors: point.errors, completed: point.completed };
    }
  }
  return best;
}

/** The level of the trial's schedule at `second` (an open-model ramp moves within its stage). */
function levelAt(trial: TrialResult, stageIndex: number, second: number): number {
  const s = trial.stages[stageIndex];
  if (!s) return 0;
  if (s.from === s.to || s.durationMs <= 0) return s.to;
  const f = Math.min(1, Math.max(0, (second * 1000 + 500 - s.startMs) / s.durationMs));
  return s.from + (s.to - s.from) * f;
}

export function errorOnset(
  p: ProfileResult,
  side: SideResult,
  { limits }: FindingContext
): Finding | undefined {
  const rate = limits.errorRate;
  const trials = side.trials.filter(t => t.valid);
  const onset = firstSecond(trials, rate);
  if (!onset) return undefined;
  const unit = levelUnit(p);
  const point = onset.point;
  const stage = onset.trial.stages[point.stage];
  const level = levelAt(onset.trial, point.stage, onset.second);
  const steps = loadSteps(p, side);
  const i = steps.findIndex(s => s.requests > 0 && s.failed / s.requests > rate);
  const firstStep = i >= 0 ? steps[i] : undefined;
  const prior = i > 0 ? steps[i - 1] : undefined;
  const failed = trials.reduce((n, t) => n + t.metrics.failed, 0);
  const requests = trials.reduce((n, t) => n + t.metrics.requests, 0);
  const numbers: Record<string, number | string> = {
    trial: onset.trial.index + 1,
    second: onset.second,
    stage: stage?.name ?? '',
    level: round(level, 1),
    errorsInSecond: onset.errors,
    completedInSecond: onset.completed,
    errorRateInSecond: round(onset.errors / onset.completed, 4),
    ...(firstStep && {
      firstFailingLevel: firstStep.level,
      failedShareAtLevel: round(firstStep.failed / firstStep.requests, 4)
    }),
    ...(prior && { levelBefore: prior.level, failedShareBefore: round(prior.failed / prior.requests, 4) }),
    failed,
    requests,
    limit: rate,
    unit
  };
  const where =
    `second ${onset.second} of trial ${onset.trial.index + 1}` +
    (stage ? ` (${stage.name}, ${levelText(round(level, 1))} ${unit})` : '');
  const stepText = firstStep
    ? `; first level above ${formatPercent(rate, Number.isInteger(rate * 100) ? 0 : 1)}: ` +
      `${levelText(firstStep.level)} ${unit} ` +
      `(${formatPercent(firstStep.failed / firstStep.requests)} failed` +
      (prior
        ? `, ${formatPercent(prior.failed / prior.requests)} at ${levelText(prior.level)} ${unit}`
        : '') +
      ')'
    : '';
  return {
    kind: 'error-onset',
    profile: p.name,
    side: side.side,
    severity: 'warn',
    title: firstStep
      ? `errors from ${levelText(firstStep.level)} ${unit}`
      : `errors from second ${onset.second}`,
    numbers,
    message:
      `requests began to fail at ${where}: ${formatNumber(onset.errors)} of ${formatNumber(onset.completed)} ` +
      `(${formatPercent(onset.errors / onset.completed)}) in that second${stepText}; ` +
      `${formatNumber(failed)} of ${formatNumber(requests)} failed over the measured windows`
  };
}

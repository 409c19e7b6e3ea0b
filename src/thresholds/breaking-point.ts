/**
 * Shape `stress` (SPEC §3): the breaking point — the highest step that still met the profile's
 * thresholds (its SLO) and the step where they broke, with the numbers behind both. Each trial climbs
 * until a step breaks; over several trials the lowest such point counts (the service held up to it
 * every time).
 */
import type { BreakingPoint, ProfileResult, StageResult, StressStep, TrialResult } from '../model.js';

export function breakingPoint(side: ProfileResult['head']): BreakingPoint | undefined {
  const trials = side.trials.filter(t => t.valid && t.stages.some(s => s.broken !== undefined));
  if (trials.length === 0) return undefined;
  // Per trial, the index of the first broken step (or past the last judged one).
  const firstBroken = (t: TrialResult) => {
    const i = t.stages.findIndex(s => (s.broken?.length ?? 0) > 0);
    return i >= 0 ? i : t.stages.length;
  };
  const worst = trials.reduce((a, t) => (firstBroken(t) < firstBroken(a) ? t : a));
  const at = firstBroken(worst);
  const held = at > 0 ? worst.stages[at - 1] : undefined;
  const broke = worst.stages[at];
  return {
    trials: trials.length,
    ...(held && { held: step(held, at - 1) }),
    ...(broke && { broke: { ...step(broke, at), broken: broke.broken ?? [] } })
  };
}

function step(s: StageResult, stage: number): StressStep {
  const m = s.metrics;
  return {
    stage,
    name: s.name,
    level: s.to,
    throughput: m.throughput,
    p50: m.latency.p50,
    p99: m.latency.p99,
    failed: m.requests > 0 ? m.failed / m.requests : 0
  };
}

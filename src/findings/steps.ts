/**
 * The load levels of a profile whose shape climbs (stress, rampup, custom stages) as steps: each
 * stage's numbers pooled over the side's valid trials, in the order they ran, levels rising. What
 * the saturation knee, the error onset and the CPU-bound service findings read.
 */
import type { ProfileResult, SideResult, StageResult, TrialResult } from '../model.js';

/** Shapes whose stages step the load up. */
export const STEPPED_SHAPES: ReadonlySet<string> = new Set(['stress', 'rampup', 'stages']);

/** One level of load, over the valid trials that ran it. */
export interface LoadStep {
  /** Index of the stage in the schedule, and its name. */
  stage: number;
  name: string;
  /** Connections (closed model) or req/s (open model): the level the stage ended at. */
  level: number;
  /** Mean over the trials of the stage's throughput, req/s. */
  throughput: number;
  /** Median over the trials of the stage's p50 and p99, ms. */
  p50: number;
  p99: number;
  requests: number;
  failed: number;
  /** Mean over the trials of the service's CPU in the stage's seconds (% of one core), when sampled. */
  cpu?: number;
  trials: number;
}

/**
 * The side's steps, levels rising: a stage at the level of the one before it (rampup's steady part
 * after its last ramp step) replaces that one when it served more requests, so that two measurements
 * of one level never read as a step without gain. A stage at a lower level than the last (a custom
 * schedule that steps down) ends the climb. Empty for other shapes.
 */
export function loadSteps(p: ProfileResult, side: SideResult): LoadStep[] {
  if (!STEPPED_SHAPES.has(p.shape)) return [];
  const trials = side.trials.filter(t => t.valid);
  const count = trials.reduce((n, t) => Math.max(n, t.stages.length), 0);
  const steps: LoadStep[] = [];
  for (let i = 0; i < count; i++) {
    const ran = trials.flatMap(t => ((t.stages[i]?.metrics.requests ?? 0) > 0 ? [t] : []));
    if (ran.length === 0) break;
    const step = pooledStep(i, ran);
    const last = steps[steps.length - 1];
    if (last && step.level < last.level) break;
    if (last && step.level === last.level) {
      if (step.requests > last.requests) steps[steps.length - 1] = step;
      continue;
    }
    steps.push(step);
  }
  return steps;
}

function pooledStep(i: number, trials: TrialResult[]): LoadStep {
  const stages = trials.map(t => t.stages[i]!);
  const cpus = trials.flatMap(t => {
    const v = stageCpu(t, i);
    return v === undefined ? [] : [v];
  });
  const first: StageResult = stages[0]!;
  return {
    stage: i,
    name: first.name,
    level: first.to,
    throughput: mean(stages.map(s => s.metrics.throughput)),
    p50: median(stages.map(s => s.metrics.latency.p50)),
    p99: median(stages.map(s => s.metrics.latency.p99)),
    requests: stages.reduce((n, s) => n + s.metrics.requests, 0),
    failed: stages.reduce((n, s) => n + s.metrics.failed, 0),
    ...(cpus.length > 0 && { cpu: mean(cpus) }),
    trials: trials.length
  };
}

/** The service's mean CPU over the seconds of a trial's timeline that belong to stage `i`. */
function stageCpu(t: TrialResult, i: number): number | undefined {
  const cpu = t.timeline.flatMap(p => (p.stage === i && p.serviceCpu !== undefined ? [p.serviceCpu] : []));
  return cpu.length > 0 ? mean(cpu) : undefined;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `connections` or `req/s`, as the profile's model counts its levels. */
export function levelUnit(p: ProfileResult): string {
  return p.model === 'open' ? 'req/s' : 'connections';
}

/** A level as the schedule writes it: whole, or to one decimal. */
export function levelText(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** Rounded for `numbers`: figures as a reader compares them, not to the last float bit. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

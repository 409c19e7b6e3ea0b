/**
 * The HTTP load generator (SPEC §3): runs a trial's schedule of stages against the target — the
 * closed model on perfgate's own node:net client (load/net-driver.ts; autocannon, load/drive.ts,
 * when asked for: see `closedDriver`), one run per stage, the open model on undici with
 * perfgate's own pacing (load/open-model.ts) — records every response in microseconds, and judges
 * whether the trial measured the service or the generator. A trial's measured window starts right
 * after a full garbage collection (load/collect-garbage.ts).
 */
import type { ProfileConfig, Stage } from '../config/types.js';
import type { StageResult, TrialResult } from '../model.js';
import { LoadError } from '../errors.js';
import { collectGarbage } from './collect-garbage.js';
import { atTime } from './deadline.js';
import { driveLoad } from './drive.js';
import { timelineDrift } from './drift.js';
import { generatorCpuClock } from './generator-cpu.js';
import { startLoopDelay, type LoopDelay } from './loop-delay.js';
import { driveNet } from './net-driver.js';
import { driveOpen } from './open-model.js';
import { probeTarget } from './probe.js';
import { TrialRecorder } from './recorder.js';
import { saturation, type SaturationLimits } from './saturation.js';
import type { LoadGenerator, TrialPlan, TrialProgress } from './types.js';

/** An open-model trial that sent fewer than this share of its schedule could not keep pace. */
export const OPEN_MODEL_MIN_SENT = 0.95;

export class HttpLoadGenerator implements LoadGenerator {
  constructor(private readonly limits: Partial<SaturationLimits> = {}) {}

  async warmup(profile: ProfileConfig, target: string, signal: AbortSignal): Promise<void> {
    if (profile.warmupMs <= 0 || signal.aborted) return;
    await probeTarget(target);
    // Warmup runs at the level of the first measured stage (the steady level).
    const level = (profile.stages.find(s => s.measured) ?? profile.stages[0])!.from;
    const stage: Stage = {
      name: 'warmup',
      durationMs: profile.warmupMs,
      from: level,
      to: level,
      measured: true
    };
    const recorder = new TrialRecorder(
      profile.requests.map(r => r.name),
      performance.now()
    );
    await runStages({ ...profile, stages: [stage], stopOnBreak: false }, target, recorder, signal);
  }

  async runTrial(
    plan: TrialPlan,
    signal: AbortSignal,
    onProgress?: (p: TrialProgress) => void
  ): Promise<TrialResult> {
    const { profile, target } = plan;
    if (!signal.aborted) await probeTarget(target);
    // Nothing of what came before is left for the collector to pause the window for.
    collectGarbage();
    const startedAt = new Date();
    const clock = generatorCpuClock();
    const cpu0 = clock.read();
    const elu0 = performance.eventLoopUtilization();
    const loopDelay = startLoopDelay();
    const t0 = performance.now();
    const recorder = new TrialRecorder(
      profile.requests.map(r => r.name),
      t0,
      profile.stages.map(s => s.measured)
    );
    const progress =
      onProgress &&
      setInterval(() => {
        const elapsedMs = Math.round(Math.min(profile.durationMs, performance.now() - t0));
        onProgress({
          elapsedMs,
          totalMs: profile.durationMs,
          responses: recorder.responses,
          errors: recorder.errors
        });
      }, 1000);
    let run: ScheduleOutcome;
    let delay: LoopDelay | undefined;
    try {
      run = signal.aborted ? emptyRun() : await runStages(profile, target, recorder, signal, plan.judgeStage);
    } finally {
      if (progress) clearInterval(progress);
      delay = loopDelay.stop();
    }
    const wallMs = Math.max(1, performance.now() - t0);
    const cpu = (clock.read() - cpu0) / wallMs;
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const recorded = recorder.finish(run.durationMs);
    const drift = profile.shape === 'soak' ? timelineDrift(recorded.timeline) : null;
    const stages: StageResult[] = recorded.stages.map(s => {
      const stage = profile.stages[s.index]!;
      const broken = run.broken.get(s.index);
      return {
        name: stage.name,
        from: stage.from,
        to: stage.to,
        measured: stage.measured,
        startMs: round3(s.startMs),
        durationMs: round3(s.durationMs),
        metrics: s.metrics,
        ...(broken && { broken })
      };
    });
    const invalidReason =
      (run.aborted &&
        `aborted after ${seconds(run.durationMs)} of ${seconds(profile.durationMs)}; partial measurement`) ||
      (recorded.metrics.requests === 0 && 'no request completed in the measured window') ||
      saturation({ cpu, busy, scope: clock.scope }, this.limits) ||
      openModelShortfall(run.open);
    return {
      index: plan.index,
      side: plan.side,
      startedAt: startedAt.toISOString(),
      durationMs: round3(run.durationMs),
      measuredMs: round3(stages.filter(s => s.measured).reduce((n, s) => n + s.durationMs, 0)),
      valid: !invalidReason,
      ...(invalidReason && { invalidReason }),
      metrics: recorded.metrics,
      stages,
      requests: recorded.requests,
      timeline: recorded.timeline,
      ...(run.open && { openModel: run.open }),
      ...(drift && { drift }),
      generatorCpu: round3(cpu),
      generatorBusy: round3(busy),
      ...(delay && { generatorDelay: delay })
    };
  }
}

interface ScheduleOutcome {
  /** Wall time from the first stage's start to the last stage's end, ms. */
  durationMs: number;
  aborted: boolean;
  /** Stress: the thresholds each judged stage broke (empty when it met them). */
  broken: Map<number, string[]>;
  open?: TrialResult['openModel'];
}

const emptyRun = (): ScheduleOutcome => ({ durationMs: 0, aborted: true, broken: new Map() });

type StageJudge = NonNullable<TrialPlan['judgeStage']>;

/**
 * Runs the stages in order into `recorder` (created at the first stage's start). With
 * `stopOnBreak` each stage is judged when it ends, and the first one that breaks ends the schedule.
 */
async function runStages(
  profile: ProfileConfig,
  target: string,
  recorder: TrialRecorder,
  signal: AbortSignal,
  judge?: StageJudge
): Promise<ScheduleOutcome> {
  const t0 = recorder.startedAt;
  const out: ScheduleOutcome = { durationMs: 0, aborted: false, broken: new Map() };
  if (profile.model === 'open' && !(profile.stopOnBreak && judge)) {
    const all = await runOpen(profile, profile.stages, target, recorder, signal, (i, now) => {
      if (i > 0) recorder.enterStage(i, now);
    });
    return { ...out, ...all };
  }
  const tally = { scheduled: 0, sent: 0, lateness: { p50: 0, p99: 0, max: 0 } };
  let plannedEnd = t0;
  for (const [i, stage] of profile.stages.entries()) {
    const start = i === 0 ? t0 : performance.now();
    if (i > 0) recorder.enterStage(i, start);
    // Stages end at their planned times: the few ms it takes to start the next stage come out of
    // that stage, so a long schedule does not drift from the clock (and its timeline).
    plannedEnd += stage.durationMs;
    const planned = { ...stage, durationMs: Math.max(0, plannedEnd - start) };
    const window = await runStage(profile, planned, target, recorder, signal, start);
    if (window.open) addOpen(tally, window.open);
    // A stage that ran its course ends at its planned time (to the µs the windows are rounded to).
    out.durationMs = window.aborted ? start + window.durationMs - t0 : plannedEnd - t0;
    if (window.aborted) return { ...out, aborted: true, ...(profile.model === 'open' && { open: tally }) };
    if (profile.stopOnBreak && judge) {
      const broken = judge(i, recorder.stageMetrics(i, window.durationMs), window.durationMs);
      out.broken.set(i, broken);
      if (broken.length > 0) break;
    }
  }
  return { ...out, ...(profile.model === 'open' && { open: tally }) };
}

/** One stage on its own: a closed-model window, an idle pause (0 connections), or an open-model run. */
async function runStage(
  profile: ProfileConfig,
  stage: Stage,
  target: string,
  recorder: TrialRecorder,
  signal: AbortSignal,
  startAt: number
): Promise<{ durationMs: number; aborted: boolean; open?: TrialResult['openModel'] }> {
  if (profile.model === 'open') {
    return runOpen(profile, [stage], target, recorder, signal);
  }
  if (stage.from === 0) return idle(stage.durationMs, signal);
  return closedDriver()({
    profile,
    connections: stage.from,
    target,
    durationMs: stage.durationMs,
    signal,
    recorder,
    startAt
  });
}

/**
 * The closed model's client: perfgate's own on node:net (net-driver.ts) unless
 * `PERFGATE_CLOSED_DRIVER=autocannon` asks for autocannon (drive.ts). The own client is the default
 * because it times responses as the server gives them: beside wrk on nginx, the CLI on autocannon
 * read p99 +25 … +27 % above wrk's (a `data` event and a fresh buffer per read, its parser before
 * the clock), on the own client +10 … +12 % (bench/latency-agreement.mjs, README).
 */
function closedDriver(): typeof driveNet {
  const choice = process.env.PERFGATE_CLOSED_DRIVER;
  if (choice === undefined || choice === '' || choice === 'net') return driveNet;
  if (choice === 'autocannon') return driveLoad;
  throw new LoadError(
    `PERFGATE_CLOSED_DRIVER=${JSON.stringify(choice)} is not a closed-model client: use net (the default) or autocannon`
  );
}

/** The open model over `stages` into the trial's recorder. */
async function runOpen(
  profile: ProfileConfig,
  stages: Stage[],
  target: string,
  recorder: TrialRecorder,
  signal: AbortSignal,
  onStage?: (index: number, now: number) => void
): Promise<{ durationMs: number; aborted: boolean; open: NonNullable<TrialResult['openModel']> }> {
  const o = await driveOpen({
    target,
    requests: profile.requests,
    connections: profile.connections,
    timeoutMs: profile.timeoutMs,
    stages,
    signal,
    sink: recorder.sink(),
    ...(onStage && { onStage })
  });
  return { durationMs: o.durationMs, aborted: o.aborted, open: openTally(o) };
}

/** No load for a stage at level 0 (a wave's trough); abortable. */
function idle(durationMs: number, signal: AbortSignal): Promise<{ durationMs: number; aborted: boolean }> {
  const start = performance.now();
  return new Promise(resolve => {
    const done = (aborted: boolean) => {
      cancel();
      signal.removeEventListener('abort', onAbort);
      resolve({ durationMs: Math.min(durationMs, performance.now() - start), aborted });
    };
    const onAbort = () => done(true);
    const cancel = atTime(start + durationMs, () => done(false));
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) done(true);
  });
}

function openTally(o: Awaited<ReturnType<typeof driveOpen>>): NonNullable<TrialResult['openModel']> {
  return { scheduled: o.scheduled, sent: o.sent, lateness: o.lateness };
}

function addOpen(
  into: NonNullable<TrialResult['openModel']>,
  o: NonNullable<TrialResult['openModel']>
): void {
  into.scheduled += o.scheduled;
  into.sent += o.sent;
  into.lateness = {
    p50: Math.max(into.lateness.p50, o.lateness.p50),
    p99: Math.max(into.lateness.p99, o.lateness.p99),
    max: Math.max(into.lateness.max, o.lateness.max)
  };
}

function openModelShortfall(open: TrialResult['openModel'] | undefined): string | undefined {
  if (!open || open.scheduled === 0 || open.sent >= OPEN_MODEL_MIN_SENT * open.scheduled) return undefined;
  const short = 1 - open.sent / open.scheduled;
  return (
    `open model fell ${(short * 100).toFixed(1)} % short of its rate (sent ${open.sent} of ${open.scheduled} ` +
    `scheduled; limit ${((1 - OPEN_MODEL_MIN_SENT) * 100).toFixed(0)} %), so the generator could not keep pace`
  );
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs one profile's warmup and trials, racing every trial against the services' exits so that a
 * crash mid-run stops the trial at once, keeps what was measured, and fails clearly.
 * Paired mode (a base beside the head) runs the trials in pairs in counterbalanced order
 * (B H, H B, B H, …) and discards the first pair as warmup (SPEC §5, §6). With `trials: auto`,
 * batches of trials follow while the looks of `AutoSampling` leave a gated comparison open, as
 * long as the next batch fits the time budget.
 */
import { lookLine, type AutoSampling } from './compare/sequential.js';
import type { ProfileConfig } from './config/types.js';
import { CancelledError, LoadError, PerfgateError } from './errors.js';
import type { LoadGenerator, TrialPlan } from './load/types.js';
import type { CaptureWindow } from './profiling/types.js';
import { brokenInStage } from './thresholds/evaluate.js';
import type { ProfileResult, SideResult, TrialResult } from './model.js';
import type { Reporter } from './reporter.js';
import { treePids } from './service/process-tree.js';
import { startResourceSampler, type ResourceSampler } from './service/resources.js';
import { crashError } from './service/start-service.js';
import type { ServiceHandle } from './service/types.js';
import { TrialPool } from './stats/pool.js';

export type Side = 'head' | 'base';

/** Why the trials of the first pair are not compared. */
export const WARMUP_PAIR_REASON = 'first pair, discarded as warmup';

export interface MeasureContext {
  load: LoadGenerator;
  reporter: Reporter;
  /** Target per side; a `base` target means paired mode. */
  targets: { head: string; base?: string };
  /** Services perfgate started (head and/or base); an exit of any of them ends the run. */
  services: ServiceHandle[];
  signal: AbortSignal;
  /** Called after every trial so results reach the disk before anything else can go wrong. */
  save: () => void;
  /** With `trials: auto`: the looks that decide whether another batch runs. */
  auto?: AutoSampling;
  /** Told of every measured trial (not warmup, not the discarded first pair): `profiling:` records them. */
  windows?: TrialWindows;
}

/** What is told of each measured trial, right before its load and right after it (also when it failed). */
export interface TrialWindows {
  begin(window: CaptureWindow): Promise<void>;
  end(window: CaptureWindow): Promise<void>;
}

/** Fresh result record for a profile, attached to the results before any load is sent. */
export function emptyProfileResult(
  profile: ProfileConfig,
  targets: MeasureContext['targets']
): ProfileResult {
  const side = (s: Side, target: string): SideResult => ({ side: s, target, trials: [] });
  return {
    name: profile.name,
    shape: profile.shape,
    model: profile.model,
    mix: profile.requests.map(r => ({ name: r.name, method: r.method, path: r.path, weight: r.weight })),
    ...(profile.rate !== undefined && { rate: profile.rate }),
    connections: profile.connections,
    durationMs: profile.durationMs,
    warmupMs: profile.warmupMs,
    trialsPlanned: profile.trials,
    order: [],
    head: side('head', targets.head),
    ...(targets.base !== undefined && { base: side('base', targets.base) })
  };
}

/** The sides of trial pair `pair` in run order: base first in even pairs, head first in odd ones. */
export function pairOrder(pair: number): [Side, Side] {
  return pair % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
}

export async function measureProfile(
  profile: ProfileConfig,
  result: ProfileResult,
  ctx: MeasureContext
): Promise<void> {
  const paired = ctx.targets.base !== undefined;
  let measured = 0; // trials per side so far, without the warmup pair
  /** Runs trials until each side has `n`; in paired mode the first pair is an extra, discarded one. */
  const runTo = async (n: number) => {
    result.trialsPlanned = n;
    if (!paired) {
      for (let i = measured; i < n; i++) await runOne(profile, result, ctx, 'head', i, n);
    } else {
      for (let pair = measured === 0 ? 0 : measured + 1; pair <= n; pair++) {
        for (const side of pairOrder(pair)) await runOne(profile, result, ctx, side, pair, n + 1);
      }
    }
    measured = n;
  };
  try {
    for (const side of paired ? (['base', 'head'] as const) : (['head'] as const)) {
      if (profile.warmupMs <= 0) break;
      ctx.reporter.info(`[${profile.name}] warmup ${side} ${profile.warmupMs / 1000}s`);
      await guarded(ctx, signal => ctx.load.warmup(profile, targetOf(ctx, side), signal));
    }
    const auto = ctx.auto;
    if (auto) result.auto = auto.record;
    const started = performance.now();
    await runTo(profile.trials);
    if (!auto) return;
    while (!auto.look()) {
      const elapsed = performance.now() - started;
      const ran = result.head.trials.length + (result.base?.trials.length ?? 0);
      const next = auto.next * (paired ? 2 : 1);
      if (elapsed + (elapsed / ran) * next > auto.record.budgetMs) {
        auto.outOfTime();
        break;
      }
      ctx.reporter.info(profileLookLine(profile, auto, paired));
      await runTo(measured + auto.next);
    }
    ctx.reporter.info(profileLookLine(profile, auto, paired));
    ctx.save();
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    ctx.save();
    throw err;
  }
}

async function runOne(
  profile: ProfileConfig,
  result: ProfileResult,
  ctx: MeasureContext,
  side: Side,
  index: number,
  count: number
): Promise<void> {
  const target = targetOf(ctx, side);
  const discard = (t: TrialResult): TrialResult =>
    ctx.targets.base !== undefined && index === 0 && t.valid
      ? { ...t, valid: false, invalidReason: WARMUP_PAIR_REASON }
      : t;
  let trial: TrialResult;
  const window = measuredWindow(ctx, profile, side, index);
  if (window) await ctx.windows!.begin(window);
  const sampler = resourceSampler(ctx, side, profile.durationMs);
  try {
    trial = await guarded(
      ctx,
      signal =>
        ctx.load.runTrial({ profile, target, side, index, ...judge(profile) }, signal, p =>
          ctx.reporter.progress({ ...p, profile: profile.name, side, trial: index + 1, trials: count })
        ),
      partial => partial.metrics.requests > 0 && record(result, discard(withResources(partial, sampler)), ctx)
    );
  } catch (err) {
    // Name the profile, the side and the trial: with two services, "which one?" is the first question.
    if (err instanceof PerfgateError && !(err instanceof CancelledError)) {
      err.message = `profile "${profile.name}", ${side} trial ${index + 1}: ${err.message}`;
    }
    throw err;
  } finally {
    sampler?.stop();
    if (window) await ctx.windows!.end(window);
  }
  record(result, discard(withResources(trial, sampler)), ctx);
  ctx.reporter.info(trialLine(profile, trial, count, ctx.targets.base !== undefined));
}

/** The trial as a window to profile, when it is measured (paired mode discards its first pair). */
function measuredWindow(
  ctx: MeasureContext,
  profile: ProfileConfig,
  side: Side,
  index: number
): CaptureWindow | undefined {
  if (!ctx.windows || (ctx.targets.base !== undefined && index === 0)) return undefined;
  return { profile: profile.name, side, trial: index, durationMs: profile.durationMs };
}

function targetOf(ctx: MeasureContext, side: Side): string {
  return side === 'base' ? ctx.targets.base! : ctx.targets.head;
}

/** Each side's trials pooled so far, for its summary refreshed after every trial. */
const pools = new WeakMap<SideResult, TrialPool>();

function poolOf(side: SideResult): TrialPool {
  let pool = pools.get(side);
  if (!pool) {
    pool = new TrialPool();
    for (const t of side.trials) pool.add(t);
    pools.set(side, pool);
  }
  return pool;
}

function record(result: ProfileResult, trial: TrialResult, ctx: MeasureContext): void {
  const side = trial.side === 'base' ? result.base! : result.head;
  const pool = poolOf(side);
  side.trials.push(trial);
  side.summary = pool.add(trial).summary();
  result.order.push(trial.side);
  ctx.save();
}

/**
 * Runs `work` with its own abort signal, aborted when the run is cancelled or a service exits.
 * If a service died, the partial result (if any) is kept via `keepPartial` and the crash is thrown.
 */
async function guarded<T>(
  ctx: MeasureContext,
  work: (signal: AbortSignal) => Promise<T>,
  keepPartial?: (partial: T) => unknown
): Promise<T> {
  if (ctx.signal.aborted) throw new CancelledError();
  const inner = new AbortController();
  const onCancel = () => inner.abort();
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  let crashed: PerfgateError | undefined;
  let cancelled = false;
  for (const service of ctx.services) {
    void service.exited.then(exit => {
      if (!exit.expected && !inner.signal.aborted) {
        crashed = crashError(service, exit);
        inner.abort();
      }
    });
  }
  inner.signal.addEventListener('abort', () => (cancelled = ctx.signal.aborted), { once: true });
  try {
    const value = await work(inner.signal);
    if (crashed || cancelled) {
      if (keepPartial) keepPartial(value);
      throw crashed ?? new CancelledError();
    }
    return value;
  } catch (err) {
    // A refused connection is often the first sign of a crash whose exit event is still on its way.
    if (!crashed && err instanceof LoadError && ctx.services.length > 0) {
      await Promise.race([...ctx.services.map(s => s.exited), sleep(CRASH_GRACE_MS)]);
      await Promise.resolve(); // let the exit handlers above run
    }
    if (crashed) throw crashed;
    if (cancelled) throw new CancelledError();
    if (err instanceof PerfgateError) throw err;
    throw new LoadError(`load generator failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    ctx.signal.removeEventListener('abort', onCancel);
  }
}

function trialLine(profile: ProfileConfig, t: TrialResult, count: number, paired: boolean): string {
  const l = t.metrics.latency;
  const failed = t.metrics.failed > 0 ? `, ${t.metrics.failed} failed` : '';
  const label = paired ? `pair ${t.index + 1}/${count} ${t.side}` : `trial ${t.index + 1}/${count}`;
  const note = !t.valid
    ? ` (invalid: ${t.invalidReason})`
    : paired && t.index === 0
      ? ` (${WARMUP_PAIR_REASON})`
      : '';
  return (
    `[${profile.name}] ${label}: ${t.metrics.throughput.toFixed(0)} req/s, ` +
    `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms${failed}${note}`
  );
}

function profileLookLine(profile: ProfileConfig, auto: AutoSampling, paired: boolean): string {
  return lookLine(profile.name, auto, 'trials', paired ? 'pairs' : 'trials', profile.trials);
}

/** Shape `stress`: each step is judged against the thresholds (the SLO) when it ends. */
function judge(profile: ProfileConfig): Pick<TrialPlan, 'judgeStage'> {
  if (!profile.stopOnBreak) return {};
  return { judgeStage: (_stage, metrics, durationMs) => brokenInStage(profile, metrics, durationMs) };
}

/**
 * Samples the CPU and memory of the side's service while its trial runs, when perfgate started it:
 * once a second, or four times per trial for trials shorter than 4 s.
 */
function resourceSampler(ctx: MeasureContext, side: Side, durationMs: number): ResourceSampler | undefined {
  const service = ctx.services.find(s => s.side === side);
  if (!service) return undefined;
  const intervalMs = Math.max(100, Math.min(1000, durationMs / 4));
  return startResourceSampler(() => treePids(service.pid), { intervalMs });
}

/** The trial with the sampled resources, also placed on its timeline (by the second each sample began). */
function withResources(trial: TrialResult, sampler: ResourceSampler | undefined): TrialResult {
  if (!sampler) return trial;
  const r = sampler.stop();
  const timeline = trial.timeline.map(p => ({ ...p }));
  for (const s of r.samples) {
    const point = timeline[Math.floor(s.second)];
    if (point) Object.assign(point, { serviceCpu: s.cpu, serviceRss: s.rss });
  }
  return { ...trial, timeline, resources: { source: r.source, cpu: r.cpu, rss: r.rss, samples: r.samples } };
}

/** How long a load error waits for a service's exit to show, so that a crash is named as one. */
const CRASH_GRACE_MS = 500;

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}

/**
 * Runs one profile's warmup and trials against the head, racing every trial against the service's
 * exit so that a crash mid-run stops the trial at once, keeps what was measured, and fails clearly.
 */
import type { ProfileConfig } from './config/types.js';
import { CancelledError, LoadError, PerfgateError } from './errors.js';
import type { LoadGenerator } from './load/types.js';
import type { ProfileResult, TrialResult } from './model.js';
import type { Reporter } from './reporter.js';
import { crashError } from './service/start-service.js';
import type { ServiceHandle } from './service/types.js';
import { poolTrials } from './stats/pool.js';

export interface MeasureContext {
  load: LoadGenerator;
  reporter: Reporter;
  target: string;
  service?: ServiceHandle;
  signal: AbortSignal;
  /** Called after every trial so results reach the disk before anything else can go wrong. */
  save: () => void;
}

/** Fresh result record for a profile, attached to the results before any load is sent. */
export function emptyProfileResult(profile: ProfileConfig, target: string): ProfileResult {
  return {
    name: profile.name,
    shape: profile.shape,
    model: 'closed',
    connections: profile.connections,
    durationMs: profile.durationMs,
    warmupMs: profile.warmupMs,
    trialsPlanned: profile.trials,
    order: [],
    head: { side: 'head', target, trials: [] }
  };
}

export async function measureProfile(
  profile: ProfileConfig,
  result: ProfileResult,
  ctx: MeasureContext
): Promise<void> {
  const { reporter } = ctx;
  try {
    if (profile.warmupMs > 0) {
      reporter.info(`[${profile.name}] warmup ${profile.warmupMs / 1000}s`);
      await guarded(ctx, signal => ctx.load.warmup(profile, ctx.target, signal));
    }
    for (let i = 0; i < profile.trials; i++) {
      const trial = await guarded(
        ctx,
        signal =>
          ctx.load.runTrial({ profile, target: ctx.target, side: 'head', index: i }, signal, p =>
            reporter.progress({
              ...p,
              profile: profile.name,
              side: 'head',
              trial: i + 1,
              trials: profile.trials
            })
          ),
        partial => partial.metrics.requests > 0 && record(result, partial, ctx)
      );
      record(result, trial, ctx);
      reporter.info(trialLine(profile, trial));
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    ctx.save();
    throw err;
  }
}

function record(result: ProfileResult, trial: TrialResult, ctx: MeasureContext): void {
  result.head.trials.push(trial);
  result.order.push(trial.side);
  result.head.summary = poolTrials(result.head.trials);
  ctx.save();
}

/**
 * Runs `work` with its own abort signal, aborted when the run is cancelled or the service exits.
 * If the service died, the partial result (if any) is kept via `keepPartial` and the crash is thrown.
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
  ctx.service?.exited.then(exit => {
    if (!exit.expected && !inner.signal.aborted) {
      crashed = crashError(ctx.service!, exit);
      inner.abort();
    }
  });
  inner.signal.addEventListener('abort', () => (cancelled = ctx.signal.aborted), { once: true });
  try {
    const value = await work(inner.signal);
    if (crashed || cancelled) {
      if (keepPartial) keepPartial(value);
      throw crashed ?? new CancelledError();
    }
    return value;
  } catch (err) {
    if (crashed) throw crashed;
    if (cancelled) throw new CancelledError();
    if (err instanceof PerfgateError) throw err;
    throw new LoadError(`load generator failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    ctx.signal.removeEventListener('abort', onCancel);
  }
}

function trialLine(profile: ProfileConfig, t: TrialResult): string {
  const l = t.metrics.latency;
  const failed = t.metrics.failed > 0 ? `, ${t.metrics.failed} failed` : '';
  return (
    `[${profile.name}] trial ${t.index + 1}/${profile.trials}: ${t.metrics.throughput.toFixed(0)} req/s, ` +
    `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms${failed}${t.valid ? '' : ` (invalid: ${t.invalidReason})`}`
  );
}

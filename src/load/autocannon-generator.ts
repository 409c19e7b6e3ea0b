/**
 * The closed-model load generator (SPEC §3): `connections` connections, each sending its next
 * request when the previous one answered, driven by autocannon in this process (no workers, no
 * rate options). Latency is perfgate's own per-response record in microseconds (load/recorder.ts).
 */
import type { ProfileConfig } from '../config/types.js';
import type { TrialResult } from '../model.js';
import { driveLoad, type DriveOutcome } from './drive.js';
import { probeTarget } from './probe.js';
import { TrialRecorder } from './recorder.js';
import type { LoadGenerator, TrialPlan, TrialProgress } from './types.js';

/**
 * When the generator's event loop was busy for this share of the window, it never waited on the
 * target: the generator itself was the bottleneck (autocannon runs on one thread), so the trial
 * measures the generator rather than the service and is marked invalid (SPEC §3). Busy time, not
 * process CPU, decides: process CPU also counts V8's GC threads and the kernel's loopback work
 * (a generator with 10–15 % idle time reads 0.9 and more of a core against a fast local service),
 * and it misses a thread that is busy but starved of CPU by the service on a small runner.
 * `generatorCpu` is reported alongside.
 */
export const GENERATOR_BUSY_LIMIT = 0.95;

export interface AutocannonGeneratorOptions {
  /**
   * Override `GENERATOR_BUSY_LIMIT` (e.g. `Infinity` when the service under test runs in the same
   * process, as in tests, so that its work does not count as the generator's).
   */
  busyLimit?: number;
}

export class AutocannonGenerator implements LoadGenerator {
  private readonly busyLimit: number;

  constructor(options: AutocannonGeneratorOptions = {}) {
    this.busyLimit = options.busyLimit ?? GENERATOR_BUSY_LIMIT;
  }

  async warmup(profile: ProfileConfig, target: string, signal: AbortSignal): Promise<void> {
    if (profile.warmupMs <= 0 || signal.aborted) return;
    await probeTarget(target);
    await driveLoad({ profile, target, durationMs: profile.warmupMs, signal });
  }

  async runTrial(
    plan: TrialPlan,
    signal: AbortSignal,
    onProgress?: (p: TrialProgress) => void
  ): Promise<TrialResult> {
    const { profile, target } = plan;
    if (signal.aborted) return this.result(plan, emptyOutcome(profile));
    await probeTarget(target);
    return this.result(
      plan,
      await driveLoad({ profile, target, durationMs: profile.durationMs, signal, onProgress })
    );
  }

  private result(plan: TrialPlan, o: DriveOutcome): TrialResult {
    const invalidReason = this.invalidReason(plan.profile, o);
    return {
      index: plan.index,
      side: plan.side,
      startedAt: o.startedAt.toISOString(),
      durationMs: o.durationMs,
      valid: invalidReason === undefined,
      ...(invalidReason !== undefined ? { invalidReason } : {}),
      metrics: o.recorded.metrics,
      requests: o.recorded.requests,
      timeline: o.recorded.timeline,
      generatorCpu: Math.round(o.cpu * 1000) / 1000
    };
  }

  private invalidReason(profile: ProfileConfig, o: DriveOutcome): string | undefined {
    if (o.aborted) {
      return `aborted after ${seconds(o.durationMs)} of ${seconds(profile.durationMs)}; partial measurement`;
    }
    if (o.recorded.metrics.requests === 0) return 'no request completed in the measured window';
    if (o.eventLoopBusy >= this.busyLimit) {
      return (
        `load generator saturated: its event loop was busy ${percent(o.eventLoopBusy)} of the window ` +
        `(limit ${percent(this.busyLimit)}; CPU ${percent(o.cpu)} of one core), ` +
        'so the trial may measure the generator, not the service'
      );
    }
    return undefined;
  }
}

function emptyOutcome(profile: ProfileConfig): DriveOutcome {
  const names = profile.requests.map(r => r.name);
  return {
    recorded: new TrialRecorder(names, performance.now()).finish(0),
    startedAt: new Date(),
    durationMs: 0,
    aborted: true,
    cpu: 0,
    eventLoopBusy: 0
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)} %`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

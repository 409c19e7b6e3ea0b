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
 * A trial whose load generator was itself the bottleneck measures the generator, not the service,
 * and is marked invalid (SPEC §3). autocannon runs on one thread, so the generator is saturated when
 * that thread used about a full core over the window (`GENERATOR_CPU_LIMIT`, load/generator-cpu.ts),
 * or when its event loop never waited on the target (`GENERATOR_BUSY_LIMIT`): the second catches a
 * thread that is always busy but starved of CPU by the service on a small runner.
 * Measured on this project's 2-core machine against the example service with no delay (both
 * processes flat out, ~55 000 req/s): thread CPU 0.80–0.87 of a core, event loop busy 0.78–0.84.
 */
export const GENERATOR_CPU_LIMIT = 0.9;
export const GENERATOR_BUSY_LIMIT = 0.95;

export interface AutocannonGeneratorOptions {
  /**
   * Override the saturation limits (e.g. `Infinity` when the service under test runs in the same
   * process, as in tests, so that its work does not count as the generator's).
   */
  cpuLimit?: number;
  busyLimit?: number;
}

export class AutocannonGenerator implements LoadGenerator {
  private readonly cpuLimit: number;
  private readonly busyLimit: number;

  constructor(options: AutocannonGeneratorOptions = {}) {
    this.cpuLimit = options.cpuLimit ?? GENERATOR_CPU_LIMIT;
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
      generatorCpu: Math.round(o.cpu * 1000) / 1000,
      generatorBusy: Math.round(o.eventLoopBusy * 1000) / 1000
    };
  }

  private invalidReason(profile: ProfileConfig, o: DriveOutcome): string | undefined {
    if (o.aborted) {
      return `aborted after ${seconds(o.durationMs)} of ${seconds(profile.durationMs)}; partial measurement`;
    }
    if (o.recorded.metrics.requests === 0) return 'no request completed in the measured window';
    if (o.cpu >= this.cpuLimit || o.eventLoopBusy >= this.busyLimit) {
      const what = o.cpuScope === 'thread' ? 'its thread' : 'its process';
      const figures =
        `${what} used ${percent(o.cpu)} of one core (limit ${percent(this.cpuLimit)}), ` +
        `its event loop was busy ${percent(o.eventLoopBusy)} of the window (limit ${percent(this.busyLimit)})`;
      return `load generator saturated: ${figures}, so the trial measured the generator, not the service`;
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
    cpuScope: 'thread',
    eventLoopBusy: 0
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)} %`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

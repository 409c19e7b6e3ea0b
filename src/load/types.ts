import type { ProfileConfig } from '../config/types.js';
import type { RequestMetrics, TrialResult } from '../model.js';

/** What one trial asks of the load generator. */
export interface TrialPlan {
  profile: ProfileConfig;
  /** Base URL of the target (loopback only). */
  target: string;
  side: 'head' | 'base';
  index: number;
  /**
   * Shape `stress`: judges each stage when it ends against the thresholds (the SLO) and returns the
   * broken ones; the first stage that breaks ends the trial.
   */
  judgeStage?: (stage: number, metrics: RequestMetrics, durationMs: number) => string[];
}

/** Progress of a running trial, about once a second. */
export interface TrialProgress {
  elapsedMs: number;
  totalMs: number;
  responses: number;
  errors: number;
}

/**
 * Drives load for one profile. The gate depends on this interface only; the closed model
 * and the open model are implemented in load/http-generator.ts.
 */
export interface LoadGenerator {
  /** Unmeasured load for `profile.warmupMs` (no-op when zero). */
  warmup(profile: ProfileConfig, target: string, signal: AbortSignal): Promise<void>;
  /**
   * One measured trial. When `signal` aborts, the trial stops early and resolves with what was
   * measured so far, marked invalid with the reason.
   */
  runTrial(
    plan: TrialPlan,
    signal: AbortSignal,
    onProgress?: (p: TrialProgress) => void
  ): Promise<TrialResult>;
}

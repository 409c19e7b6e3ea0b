/**
 * The limits the findings are judged by, and their defaults: each default is the constant beside
 * its kind, with the reason for its value there. `findings:` in the config (SPEC §11) sets any of
 * them for a team whose service or runner reads differently (config/findings-schema.ts).
 */
import { CPU_BOUND_SHARE } from './cpu-bound.js';
import { ERROR_ONSET_RATE } from './error-onset.js';
import { MEMORY_GROWTH_MIN_MB } from './memory-growth.js';
import { KNEE_MAX_GAIN, KNEE_MIN_P99_RISE } from './saturation-knee.js';
import { TAIL_RATIO_LIMIT } from './tail-ratio.js';

export interface FindingLimits {
  /** Saturation knee: a step whose throughput rose by at most this share has stopped rising… */
  kneeGain: number;
  /** …while its p99 rose by at least this share. */
  kneeP99Rise: number;
  /** Error onset: the first step or second with more than this share of its requests failed. */
  errorRate: number;
  /** Tail ratio: p99 ÷ p50 above this is reported. */
  tailRatio: number;
  /** Memory growth: a leak is suspected only above this growth over the window, MB (binary). */
  memoryGrowthMb: number;
  /** CPU-bound: the service used at least this share of the cores it ran into. */
  cpuShare: number;
}

/** What every kind is judged with, beside the profile and side it looks at. */
export interface FindingContext {
  /** The cores the service could use: the machine's, or its own CPUs when placed apart (`service.cpus`). */
  cores: number;
  limits: FindingLimits;
}

export const DEFAULT_FINDING_LIMITS: Readonly<FindingLimits> = Object.freeze({
  kneeGain: KNEE_MAX_GAIN,
  kneeP99Rise: KNEE_MIN_P99_RISE,
  errorRate: ERROR_ONSET_RATE,
  tailRatio: TAIL_RATIO_LIMIT,
  memoryGrowthMb: MEMORY_GROWTH_MIN_MB,
  cpuShare: CPU_BOUND_SHARE
});

/**
 * Tail ratio (SPEC §11): p99 far above p50 over a side's valid trials pooled — a few requests wait
 * much longer than the typical one (a lock, a GC pause, a queue, a slow dependency), which a mean or
 * median never shows.
 */
import type { Finding, ProfileResult, SideResult } from '../model.js';
import { formatMs } from '../report/format.js';
import type { FindingContext } from './limits.js';
import { round } from './steps.js';

/**
 * p99 ÷ p50 above which the tail is reported: 10. A service whose requests do the same work has a
 * p99 a few times its p50 (the example service under load: 3–7 on this project's machine); ten
 * times is a second population of slow requests.
 */
export const TAIL_RATIO_LIMIT = 10;

/**
 * ...and only when p99 is at least this long, ms: below 5 ms a tail is within one or two scheduler
 * time slices of a busy machine (Linux CFS targets a 6 ms latency for runnable tasks), the machine's
 * and not the service's.
 */
export const TAIL_MIN_P99_MS = 5;

export function tailRatio(
  p: ProfileResult,
  side: SideResult,
  { limits }: FindingContext
): Finding | undefined {
  const limit = limits.tailRatio;
  const latency = side.summary?.latency;
  if (!latency || latency.p50 <= 0) return undefined;
  const ratio = latency.p99 / latency.p50;
  if (ratio <= limit || latency.p99 < TAIL_MIN_P99_MS) return undefined;
  return {
    kind: 'tail-ratio',
    profile: p.name,
    side: side.side,
    severity: 'warn',
    title: `p99 is ${ratio.toFixed(1)}× p50`,
    numbers: {
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      ratio: round(ratio, 2),
      limit,
      validTrials: side.summary!.validTrials
    },
    message:
      `p99 ${formatMs(latency.p99)} is ${ratio.toFixed(1)}× the p50 of ${formatMs(latency.p50)} ` +
      `(limit ${limit}×) over ${side.summary!.validTrials} valid trial(s): ` +
      'a slow minority of requests the median does not show'
  };
}

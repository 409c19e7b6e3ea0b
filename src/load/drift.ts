/**
 * Shape `soak` (SPEC §3, §11): a long steady run watched for drift. The figures compare the last
 * quarter of the trial's per-second timeline with its first quarter: a latency that keeps growing or
 * a throughput that sinks under the same load (a leak, a filling cache or queue) shows as a ratio
 * away from 1. Per-second values are weighted by the requests that completed in each second.
 */
import type { TimelinePoint } from '../model.js';

export interface Drift {
  /** Last quarter ÷ first quarter of the per-second medians, 99th percentiles and completions. */
  p50: number | null;
  p99: number | null;
  throughput: number | null;
  /** Seconds in each quarter compared. */
  seconds: number;
}

/** Drift over a timeline; null with fewer than 4 seconds (no quarters to compare). */
export function timelineDrift(timeline: readonly TimelinePoint[]): Drift | null {
  const n = Math.floor(timeline.length / 4);
  if (n < 1) return null;
  const first = timeline.slice(0, n);
  const last = timeline.slice(timeline.length - n);
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && a > 0 ? b / a : null);
  return {
    p50: ratio(
      weighted(first, p => p.p50),
      weighted(last, p => p.p50)
    ),
    p99: ratio(
      weighted(first, p => p.p99),
      weighted(last, p => p.p99)
    ),
    throughput: ratio(mean(first.map(p => p.completed)), mean(last.map(p => p.completed))),
    seconds: n
  };
}

function weighted(points: readonly TimelinePoint[], value: (p: TimelinePoint) => number): number | null {
  const total = points.reduce((n, p) => n + p.completed, 0);
  return total > 0 ? points.reduce((s, p) => s + value(p) * p.completed, 0) / total : null;
}

function mean(xs: number[]): number | null {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

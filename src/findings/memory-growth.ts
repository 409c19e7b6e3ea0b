/**
 * Memory growth during a soak (SPEC §11): the least-squares slope of the service's RSS over the
 * measured window, in MB a minute, with its t interval from the residuals (linear-fit.ts). A leak is
 * suspected only when the interval excludes 0 (the growth is not noise: a GC's sawtooth, a cache
 * warming) and the growth over the window, slope × minutes, is above `memoryGrowthMb` (default
 * `MEMORY_GROWTH_MIN_MB`, so a
 * significant but harmless drift of a few hundred KB is not a finding). A flat service has none.
 */
import type { Finding, ProfileResult, SideResult, TrialResult } from '../model.js';
import type { FindingContext } from './limits.js';
import { linearFit } from './linear-fit.js';
import { round } from './steps.js';

/** Binary megabytes, as `ps`, `top` and the report's `formatBytes` count memory. */
const MB = 1024 * 1024;

/**
 * Growth over the measured window above which a leak is suspected, MB. 10 MB: a healthy Node.js
 * service's RSS moves by a few MB as its heap resizes under load (the example service: under 5 MB
 * over a soak after its warmup on this project's machine), while a leak of a KB per request at
 * 200 req/s adds 10 MB in under a minute.
 */
export const MEMORY_GROWTH_MIN_MB = 10;

/** Level of the slope's interval. */
export const MEMORY_SLOPE_LEVEL = 0.95;

/** Fewer RSS samples than this say nothing about a slope (one a second: a soak of at least 5 s). */
export const MEMORY_MIN_SAMPLES = 5;

/**
 * The side's RSS samples inside the measured window of each valid trial, as (minutes under load,
 * MB). A sample's RSS is read at the end of its interval (`second` is its start; the last one's
 * interval is taken as long as the one before). Trials are laid end to end by their measured time,
 * so several trials of one service read as one window (the service keeps running between them; a
 * leak of a request at a time does not grow while no load runs).
 */
export function rssPoints(trials: readonly TrialResult[]): { x: number[]; y: number[]; minutes: number } {
  const x: number[] = [];
  const y: number[] = [];
  let offsetMs = 0;
  for (const t of trials) {
    const samples = t.resources?.samples ?? [];
    const measured = t.stages.filter(s => s.measured);
    if (samples.length === 0 || measured.length === 0) continue;
    const startMs = Math.min(...measured.map(s => s.startMs));
    const endMs = Math.max(...measured.map(s => s.startMs + s.durationMs));
    samples.forEach((s, i) => {
      const next = samples[i + 1]?.second ?? s.second + (i > 0 ? s.second - samples[i - 1]!.second : 1);
      const atMs = next * 1000;
      // A sample read within 50 ms past the window's end is of the window (timers fire a little late).
      if (atMs < startMs || atMs > endMs + 50) return;
      x.push((offsetMs + Math.min(atMs, endMs) - startMs) / 60_000);
      y.push(s.rss / MB);
    });
    offsetMs += endMs - startMs;
  }
  return { x, y, minutes: offsetMs / 60_000 };
}

export function memoryGrowth(
  p: ProfileResult,
  side: SideResult,
  { limits }: FindingContext
): Finding | undefined {
  const limitMb = limits.memoryGrowthMb;
  if (p.shape !== 'soak') return undefined;
  const { x, y, minutes } = rssPoints(side.trials.filter(t => t.valid));
  if (x.length < MEMORY_MIN_SAMPLES) return undefined;
  const fit = linearFit(x, y, MEMORY_SLOPE_LEVEL);
  if (!fit) return undefined;
  const growth = fit.slope * minutes;
  if (!(fit.low > 0 && growth > limitMb)) return undefined;
  const level = `${Math.round(MEMORY_SLOPE_LEVEL * 100)} %`;
  return {
    kind: 'memory-growth',
    profile: p.name,
    side: side.side,
    severity: 'warn',
    title: `RSS grew ${fit.slope.toFixed(1)} MB/min: leak suspected`,
    numbers: {
      slopeMbPerMin: round(fit.slope, 3),
      slopeLowMbPerMin: round(fit.low, 3),
      slopeHighMbPerMin: round(fit.high, 3),
      level: MEMORY_SLOPE_LEVEL,
      growthMb: round(growth, 2),
      limitMb,
      windowMinutes: round(minutes, 4),
      samples: fit.n,
      firstRssMb: round(y[0]!, 2),
      lastRssMb: round(y[y.length - 1]!, 2)
    },
    message:
      `the service's RSS grew ${fit.slope.toFixed(2)} MB/min (${level} interval ${fit.low.toFixed(2)} to ` +
      `${fit.high.toFixed(2)}, ${fit.n} samples over ${(minutes * 60).toFixed(0)} s under load), ` +
      `${growth.toFixed(1)} MB over the window (limit ${limitMb} MB; ` +
      `${y[0]!.toFixed(1)} → ${y[y.length - 1]!.toFixed(1)} MB sampled): memory kept growing, a leak is suspected`
  };
}

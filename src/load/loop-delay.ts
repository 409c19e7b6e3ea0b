/**
 * The load generator's own event-loop delay over a trial's measured window (perf_hooks
 * `monitorEventLoopDelay`): how late its callbacks ran. A response that arrives while the loop is
 * busy waits that long before it is timed, so this is the part of a response-time tail that is the
 * client's, not the service's.
 *
 * Resolution 1 ms, the finest a libuv timer has: 1000 samples a second, so a 5 s trial's p99 rests
 * on ~50 samples (the default 10 ms gives 5), for a few µs of the generator's CPU per sample (well
 * under 1 % of a core). Node records the whole interval between two firings of its repeating timer,
 * the resolution included; that is subtracted, so an idle loop reads about 0. libuv's timers keep
 * whole-ms time, so single readings carry up to ~1 ms of rounding; p99 and max are the figures to read.
 * The timer also wakes the client's loop 1000 times a second, and on this 2-vCPU VM the closed
 * model's readings are nearer wrk's with it than without (nginx `/slow`, 8 rounds each): through
 * the CLI beside the CLI at 10 ms (bench/latency-agreement.mjs, `OTHER=`), p50 and p90 lower at
 * 1 ms in 8 of 8 rounds and p99 in 7 of 8; the net driver alone in a small process beside wrk
 * (exploratory), p90 / p99 +3.3 / +5.2 % above wrk at 1 ms, +3.5 / +6.8 % at 10 ms, +4.4 / +7.8 %
 * with no monitor. So it stays at 1 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay in ms: median, 99th percentile and maximum, to 1 µs. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export const LOOP_DELAY_RESOLUTION_MS = 1;

/**
 * Starts measuring now; `stop()` ends it and returns the delays, or undefined when the window held
 * no sample (shorter than the resolution).
 */
export function startLoopDelay(resolutionMs = LOOP_DELAY_RESOLUTION_MS): { stop(): LoopDelay | undefined } {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  h.enable();
  return {
    stop() {
      h.disable();
      if (h.count === 0) return undefined;
      const ms = (ns: number) => Math.max(0, Math.round(ns / 1000 - resolutionMs * 1000)) / 1000;
      return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    }
  };
}

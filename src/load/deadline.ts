/**
 * A timer for a point in time that neither fires early nor overflows. Node's timers hold at most
 * 2³¹ − 1 ms (a longer delay fires after 1 ms, with a warning), and fire on libuv's cached loop
 * time, which can be a little early: a window that trusted either would end before it was measured
 * and be padded to its planned length with seconds nobody measured.
 */

/** The longest delay a Node timer holds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay for `setTimeout` that reaches `ms` from now: whole ms, at least 1, at most what a timer holds. */
export function timerDelay(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(ms)));
}

/**
 * Calls `fn` once `performance.now()` has reached `at`, re-arming as often as needed; returns the
 * function that cancels it. `fn` never runs synchronously, even for a time already past, so the
 * caller may cancel from inside it with the function this returns.
 */
export function atTime(at: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const check = () => {
    if (cancelled) return;
    const left = at - performance.now();
    if (left <= 0) return fn();
    timer = setTimeout(check, timerDelay(left));
  };
  queueMicrotask(check);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

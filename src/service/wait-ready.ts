/**
 * Waits for a started service to become ready: polls its probe until it answers, racing the
 * service's exit, the readiness timeout and cancellation. Whatever comes first decides.
 */
import type { ServiceExit } from './types.js';
import type { ReadyProbe } from './ready-probes.js';

/** Pause between two readiness attempts. */
export const POLL_INTERVAL_MS = 100;

/** How the wait for readiness ended. */
export type ReadyOutcome =
  | { kind: 'ready' }
  | { kind: 'exited'; exit: ServiceExit }
  | { kind: 'timeout'; tried: string }
  | { kind: 'cancelled' };

/** What the wait for readiness races against. */
export interface WaitReadyOptions {
  timeoutMs: number;
  /** Settles when the service process exits. */
  exited: Promise<ServiceExit>;
  /** Cancellation of the whole run. */
  signal?: AbortSignal;
  intervalMs?: number;
}

/**
 * Polls `probe` every {@link POLL_INTERVAL_MS} until it succeeds, the service exits, `timeoutMs`
 * passes or `signal` aborts. Leaves no timer or attempt running once it has resolved.
 */
export async function waitReady(probe: ReadyProbe, opts: WaitReadyOptions): Promise<ReadyOutcome> {
  if (opts.signal?.aborted) return { kind: 'cancelled' };
  const stopPolling = new AbortController();
  let cleanup = () => {};
  const outcome = await new Promise<ReadyOutcome>(resolve => {
    const timer = setTimeout(() => resolve({ kind: 'timeout', tried: probe.describe() }), opts.timeoutMs);
    const onAbort = () => resolve({ kind: 'cancelled' });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    void opts.exited.then(exit => resolve({ kind: 'exited', exit }));
    void poll(probe, opts.intervalMs ?? POLL_INTERVAL_MS, stopPolling.signal).then(
      ready => ready && resolve({ kind: 'ready' })
    );
  });
  cleanup();
  stopPolling.abort();
  probe.dispose();
  return outcome;
}

async function poll(probe: ReadyProbe, intervalMs: number, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    if (await probe.attempt(signal)) return !signal.aborted;
    await sleep(intervalMs, signal);
  }
  return false;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

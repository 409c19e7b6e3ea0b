/**
 * Drives closed-model load with autocannon for one window — one stage of a trial, at one number of
 * connections — and records every outcome into the trial's recorder. The window is perfgate's own:
 * it starts just before the connections are opened and ends `durationMs` later (or at abort); events
 * after it are ignored. autocannon is given a longer duration as a backstop and stopped by perfgate.
 * autocannon cannot change its connections while it runs (its issue #235), so a schedule runs one
 * instance per stage.
 */
import autocannon from 'autocannon';
import type { ProfileConfig } from '../config/types.js';
import { LoadError } from '../errors.js';
import { clientHooks } from './client-hooks.js';
import { responseFailure } from './expect.js';
import { buildMixSequence } from './mix.js';
import { withFreshIds } from './request-id.js';
import { atTime, MAX_TIMER_MS } from './deadline.js';
import type { TrialRecorder } from './recorder.js';
import { watchRefused } from './refused.js';

export interface DriveOptions {
  /** The mix and the timeout. */
  profile: Pick<ProfileConfig, 'requests' | 'timeoutMs'>;
  connections: number;
  target: string;
  durationMs: number;
  signal: AbortSignal;
  recorder: TrialRecorder;
  /** `performance.now()` when the window began (default: now), as the recorder knows it. */
  startAt?: number;
}

export interface DriveOutcome {
  /** Wall time of the window in ms, to 1 µs (shorter than planned when aborted). */
  durationMs: number;
  aborted: boolean;
}

/** autocannon finishes on its next sample tick after `stop()`: keep that short. */
const SAMPLE_INT_MS = 50;

/** Runs the load; rejects with `LoadError` when no connection to the target ever succeeds. */
export function driveLoad(o: DriveOptions): Promise<DriveOutcome> {
  const { profile, durationMs, recorder } = o;
  const specs = profile.requests;
  const sequence = buildMixSequence(specs.map(r => r.weight));
  const origin = new URL(o.target).origin;
  const t0 = o.startAt ?? performance.now();
  let windowEnd = t0 + durationMs;
  let lastConnError: NodeJS.ErrnoException | undefined;

  const hooks = clientHooks(
    sequence,
    profile.timeoutMs,
    (i, status, body) => responseFailure(specs[i]!, status, body),
    {
      sent(_request, now) {
        if (now < windowEnd) recorder.sent(now);
      },
      response(request, status, bytes, ms, failure, now) {
        if (now < windowEnd) recorder.response(request, status, bytes, ms, failure, now);
      },
      failure(request, kind, now, err) {
        if (err) lastConnError = err;
        if (now < windowEnd) recorder.failure(request, kind, now);
      }
    }
  );
  // onResponse says which request answered and shows its body. autocannon converts the headers
  // of every response for it (a few % of the generator's CPU), so a single request without an
  // expected body goes without: the in-flight bookkeeping of client-hooks.ts attributes it.
  const answers = specs.length > 1 || specs.some(r => r.expectBody !== undefined);
  const parts = specs.map(withFreshIds);
  const requests: autocannon.Request[] = sequence.map(i => {
    const spec = specs[i]!;
    const fixed = parts[i]!();
    // With `[<id>]` in it, each request is rebuilt with a fresh id (autocannon's setupRequest hook).
    const fresh = fixed !== parts[i]!();
    return {
      method: spec.method.toUpperCase() as autocannon.Request['method'],
      ...fixed,
      ...(fresh && { setupRequest: (req: autocannon.Request) => ({ ...req, ...parts[i]!() }) }),
      ...(answers ? { onResponse: hooks.onResponse(i) } : {})
    };
  });

  return new Promise<DriveOutcome>((resolve, reject) => {
    let ended: { at: number; aborted: boolean; error?: Error } | undefined;
    let finished = false;
    // Set once autocannon() returns; it may call back before that when it rejects the options.
    const running: { instance?: autocannon.Instance } = {};
    const timers: NodeJS.Timeout[] = [];
    let cancelEnd = () => {};
    const end = (at: number, aborted: boolean, error?: Error) => {
      if (ended) return;
      ended = { at, aborted, error };
      windowEnd = Math.min(windowEnd, at);
      timers.forEach(clearTimeout); // clears intervals too
      cancelEnd();
      o.signal.removeEventListener('abort', onAbort);
      running.instance?.stop();
    };
    const onAbort = () => end(performance.now(), true);
    const done = (err: Error | null) => {
      if (finished) return;
      finished = true;
      // autocannon ending on its own before the window's end cut the window short: like an abort.
      if (!ended) end(performance.now(), performance.now() < t0 + durationMs);
      const e = ended!;
      if (err) return reject(new LoadError(`load generator failed: ${err.message}`));
      if (e.error) return reject(e.error);
      const measuredMs = Math.round(Math.max(0, Math.min(durationMs, e.at - t0)) * 1000) / 1000;
      resolve({ durationMs: measuredMs, aborted: e.aborted });
    };

    try {
      running.instance = autocannon(
        {
          url: origin,
          connections: o.connections,
          pipelining: 1,
          // A fallback only (perfgate stops it at the window's end), held within a Node timer.
          duration: Math.min(durationMs + 10_000, MAX_TIMER_MS) / 1000,
          timeout: Math.max(1, Math.ceil(profile.timeoutMs / 1000)),
          sampleInt: SAMPLE_INT_MS,
          skipAggregateResult: true,
          requests,
          setupClient: hooks.setupClient
        },
        err => done(err ?? null)
      );
    } catch (err) {
      // autocannon builds each connection's requests synchronously and throws on a bad one.
      finished = true;
      return reject(
        new LoadError(`load generator failed: ${err instanceof Error ? err.message : String(err)}`)
      );
    }
    if (finished) return; // options rejected synchronously

    o.signal.addEventListener('abort', onAbort, { once: true });
    if (o.signal.aborted) return onAbort();
    cancelEnd = atTime(t0 + durationMs, () => end(t0 + durationMs, false));
    timers.push(
      watchRefused({
        recorder,
        connections: o.connections,
        origin,
        t0,
        lastError: () => lastConnError,
        end: (now, error) => end(now, false, error)
      })
    );
  });
}

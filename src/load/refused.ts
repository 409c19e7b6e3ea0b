/**
 * A target that never answers, for both closed-model drivers (drive.ts on autocannon, net-driver.ts
 * on node:net): once the window has run {@link REFUSED_AFTER_MS} with no response at all and every
 * attempt so far a connection error, on at least as many attempts as there are connections, the
 * window ends early with a LoadError naming the last connect error — not a trial of refusals.
 */
import { LoadError } from '../errors.js';
import { describeConnectError } from './probe.js';
import type { TrialRecorder } from './recorder.js';

/** A window with no response at all and only connection errors ends after this long. */
export const REFUSED_AFTER_MS = 500;
const CHECK_EVERY_MS = 100;

export interface RefusedWatch {
  recorder: TrialRecorder;
  connections: number;
  /** The target's origin, for the message. */
  origin: string;
  /** `performance.now()` when the window began. */
  t0: number;
  /** The last connect error seen, if any. */
  lastError: () => NodeJS.ErrnoException | undefined;
  /** Ends the window at `now` with the error. */
  end: (now: number, error: LoadError) => void;
}

/**
 * Starts watching (call it when the window starts, before any response can arrive: the recorder's
 * counts at that moment are the baseline); clear the returned interval when the window ends.
 */
export function watchRefused(w: RefusedWatch): NodeJS.Timeout {
  const { recorder } = w;
  const before = {
    responses: recorder.responses,
    errors: recorder.errors,
    conn: recorder.connectionErrors
  };
  return setInterval(() => {
    const now = performance.now();
    if (now - w.t0 < REFUSED_AFTER_MS || recorder.responses > before.responses) return;
    const refused = recorder.connectionErrors - before.conn;
    if (refused >= w.connections && refused === recorder.errors - before.errors) {
      const last = w.lastError();
      const why = last ? describeConnectError(last) : 'connection failed';
      w.end(
        now,
        new LoadError(
          `no response from ${w.origin}: ${why} on all ${refused} attempts in ${Math.round(now - w.t0)} ms`
        )
      );
    }
  }, CHECK_EVERY_MS);
}

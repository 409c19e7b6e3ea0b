/**
 * One probe per kind of readiness check (SPEC §2): an HTTP GET expecting a status, a TCP connect, or
 * a line of the service's output matching a pattern. Each remembers what it tried last and what came
 * back, so a timeout can say why the service was not considered ready.
 */
import net from 'node:net';
import type { ReadyCheck } from '../config/types.js';
import { ServiceError } from '../errors.js';
import type { LogCapture } from './log-capture.js';

/** Each HTTP or TCP attempt gives up after this long, so a service that accepts but never answers is retried. */
export const ATTEMPT_TIMEOUT_MS = 1000;

/** A readiness check that can be tried repeatedly. */
export interface ReadyProbe {
  /** One attempt; true when the service is ready. Never rejects. Gives up early when `signal` aborts. */
  attempt(signal: AbortSignal): Promise<boolean>;
  /** What was tried last and what came back, e.g. `GET http://127.0.0.1:3000/health → status 503`. */
  describe(): string;
  /** Releases what the probe holds (the log subscription). */
  dispose(): void;
}

/**
 * Builds the probe for `check`. A `log` probe subscribes to `log` at once, so create it before the
 * service is spawned and no line printed early is missed.
 */
export function createProbe(check: ReadyCheck, log: LogCapture, label: string): ReadyProbe {
  switch (check.kind) {
    case 'url':
      return urlProbe(check.url, check.status);
    case 'tcp':
      return tcpProbe(check.host, check.port);
    case 'log':
      return logProbe(check.pattern, log, label);
  }
}

function urlProbe(url: string, status: number): ReadyProbe {
  let last = 'no answer yet';
  return {
    async attempt(signal) {
      const attempt = attemptSignal(signal);
      try {
        const res = await fetch(url, { signal: attempt.signal, redirect: 'manual' });
        await res.body?.cancel().catch(() => {});
        last = res.status === status ? `status ${status}` : `status ${res.status} (expected ${status})`;
        return res.status === status;
      } catch (err) {
        last = attempt.timedOut() ? `no response within ${ATTEMPT_TIMEOUT_MS} ms` : errorReason(err);
        return false;
      } finally {
        attempt.done();
      }
    },
    describe: () => `GET ${url} → ${last}`,
    dispose: () => {}
  };
}

function tcpProbe(host: string, port: number): ReadyProbe {
  let last = 'no answer yet';
  return {
    attempt(signal) {
      const attempt = attemptSignal(signal);
      return new Promise<boolean>(resolve => {
        const socket = net.connect({ host, port });
        const finish = (ok: boolean, reason: string) => {
          last = reason;
          socket.destroy();
          attempt.signal.removeEventListener('abort', onAbort);
          attempt.done();
          resolve(ok);
        };
        const onAbort = () =>
          finish(false, attempt.timedOut() ? `no connection within ${ATTEMPT_TIMEOUT_MS} ms` : 'cancelled');
        socket.once('connect', () => finish(true, 'connected'));
        socket.once('error', err => finish(false, errorReason(err)));
        if (attempt.signal.aborted) onAbort();
        else attempt.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    describe: () => `TCP connect ${host}:${port} → ${last}`,
    dispose: () => {}
  };
}

/**
 * What Node prints when it opens an inspector (a service profiled through it runs with one): never
 * the service saying it is ready, though `ready: { log: listening }` would match it.
 */
const INSPECTOR_BANNER =
  /^(?:Debugger listening on ws:\/\/|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector)/;

function logProbe(pattern: string, log: LogCapture, label: string): ReadyProbe {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (err) {
    throw new ServiceError(`${label}: invalid ready.log pattern /${pattern}/: ${errorReason(err)}`);
  }
  let matched = false;
  const unsubscribe = log.onLine(line => {
    if (!matched && !INSPECTOR_BANNER.test(line) && regex.test(line)) {
      matched = true;
      unsubscribe();
    }
  });
  return {
    attempt: async () => matched,
    describe: () => `no line of its output matched /${pattern}/`,
    dispose: unsubscribe
  };
}

/** A signal for one attempt: aborted by the caller's `signal` or after {@link ATTEMPT_TIMEOUT_MS}. */
function attemptSignal(outer: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ATTEMPT_TIMEOUT_MS);
  const onAbort = () => controller.abort();
  if (outer.aborted) controller.abort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * The most telling part of a network error: `ECONNREFUSED` rather than undici's `fetch failed`.
 * Duck-typed: errors may come from another realm (undici, a test sandbox), where `instanceof` fails.
 */
export function errorReason(err: unknown): string {
  const cause = field(err, 'cause');
  const code = field(cause, 'code') ?? field(err, 'code');
  if (typeof code === 'string') return code;
  const message = field(cause, 'message') ?? field(err, 'message');
  return typeof message === 'string' ? message : String(err);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

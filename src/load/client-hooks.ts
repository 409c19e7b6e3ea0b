/**
 * Per-connection bookkeeping on autocannon's clients (autocannon 9, `lib/httpClient.js`), set up
 * through the public `setupClient` and `onResponse` hooks; nothing in node_modules is patched (one
 * method of each client instance, `_doRequest`, is wrapped: see below).
 *
 * What each client event means (pipelining 1, so one request is in flight per connection):
 * - `request`: the next request is written. The k-th one of a client (0-based) is `sequence[k % n]`,
 *   because the client walks its `requests` array in order from index 0.
 * - a request's `onResponse(status, body)` runs synchronously right before the client's
 *   `response(status, bytes, ms)`, and tells which request of the mix answered.
 * - `connError`: the socket failed; the request in flight is lost; the client reconnects and sends
 *   the next request.
 * - `timeout`: no answer within `client.timeout` ms; the client has already reconnected and asked
 *   for the next request when it emits this (its `request` event comes before or, with the deferred
 *   writes below, after this one): the timed-out request is the one in flight or the one before.
 * - a socket the server closed without error makes the client reconnect and send the next request
 *   with no event: the request in flight is lost and is counted as a connection error.
 *
 * One change of timing: `_doRequest` is wrapped so that a connection's next request is written at
 * the end of the event loop's poll phase, not inside the handler of the response before it
 * (`deferredWrites` below: every response of a burst is timed before any write).
 *
 * One repair: after `connError` or a closed socket, autocannon reconnects without clearing its
 * queue of requests awaiting an answer (`pipelinedRequests`), so every later response of that
 * connection would be matched to the request before it (wrong `onResponse`, and a response time
 * measured from the earlier request). With pipelining 1 the queue must be empty when a request is
 * sent; a stale entry left there is dropped at the `request` event, just before the new one is queued.
 */
import type { Client } from 'autocannon';
import type { FailureKind } from './recorder.js';

/** Where the hooks report; `now` is `performance.now()` at the event. */
export interface LoadSink {
  /** A request of the mix was written (`now`: when; the open model passes its intended time). */
  sent(request: number, now: number): void;
  response(
    request: number,
    status: number,
    bytes: number,
    ms: number,
    failure: FailureKind | null,
    now: number
  ): void;
  failure(request: number, kind: 'timeout' | 'connection', now: number, err?: NodeJS.ErrnoException): void;
}

/** The parts of autocannon's `Client` used here that its typings leave out. */
interface ClientInternals {
  /** Request timeout in ms; read by the client's timer after `setupClient` returns. */
  timeout: number;
  /** Requests written and not yet answered (`lib/pipelinedRequestsQueue.js`). */
  pipelinedRequests: { size(): number; clear(): void };
  on(event: 'request' | 'timeout', listener: () => void): unknown;
  on(event: 'response', listener: (status: number, bytes: number, ms: number) => void): unknown;
  on(event: 'connError', listener: (err: NodeJS.ErrnoException) => void): unknown;
  /** Writes the next request (times it from just before the write); called right after a response. */
  _doRequest?: () => void;
  destroyed?: boolean;
}

/** A response as reported by `onResponse`, handed over to the `response` event that follows it. */
interface Answer {
  request: number;
  failure: FailureKind | null;
}

/** Classifies a response of request `request`; `body` is undefined when it was not seen. */
export type ResponseCheck = (request: number, status: number, body: string | undefined) => FailureKind | null;

/**
 * Hooks for one autocannon run. `check` classifies each response;
 * `timeoutMs` replaces autocannon's whole-second timeout (validated ≥ 1 s) with any value.
 */
export function clientHooks(sequence: number[], timeoutMs: number, check: ResponseCheck, sink: LoadSink) {
  let answer: Answer | null = null;

  /** The `onResponse` of a request of the mix. */
  const onResponse = (request: number) => (status: number, body: string) => {
    answer = { request, failure: check(request, status, body) };
  };

  const writes = deferredWrites();

  const setupClient = (client: Client): void => {
    const c = client as unknown as ClientInternals;
    c.timeout = timeoutMs;
    writes.defer(c);
    let sent = 0;
    let inFlight = -1;
    let lost: { request: number } | null = null;

    c.on('request', () => {
      if (c.pipelinedRequests.size() > 0) c.pipelinedRequests.clear();
      if (inFlight >= 0) {
        // Sent again without an answer: a timeout claims it at once, else the socket was closed.
        const orphan = { request: inFlight };
        lost = orphan;
        queueMicrotask(() => {
          if (lost !== orphan) return;
          lost = null;
          sink.failure(orphan.request, 'connection', performance.now());
        });
      }
      inFlight = sequence[sent % sequence.length]!;
      sent++;
      sink.sent(inFlight, performance.now());
    });
    c.on('response', (status, bytes, ms) => {
      const a = answer;
      answer = null;
      // onResponse names the request when it is set; the in-flight bookkeeping otherwise.
      const request = a ? a.request : inFlight;
      inFlight = -1;
      if (request < 0) return;
      const failure = a ? a.failure : check(request, status, undefined);
      sink.response(request, status, bytes, ms, failure, performance.now());
    });
    c.on('timeout', () => {
      const request = lost ? lost.request : inFlight;
      if (lost) lost = null;
      else inFlight = -1;
      if (request >= 0) sink.failure(request, 'timeout', performance.now());
    });
    c.on('connError', err => {
      const request = inFlight;
      inFlight = -1;
      if (request >= 0) sink.failure(request, 'connection', performance.now(), err);
    });
  };

  return { onResponse, setupClient };
}

/**
 * Writes of next requests held to the end of the poll phase (a `setImmediate` runs right after it),
 * then made together. autocannon writes a connection's next request inside the handler of its
 * response, and on loopback a write is the dearest thing a client does (the kernel delivers the
 * request and wakes the server within the call: ~10–50 µs). When several responses arrive in one
 * turn, each one would be read and timed only after the writes of those before it: the k-th response
 * of a burst reads k writes late. Deferring the writes times every response of the burst first, as
 * wrk does (its next request waits for the socket's next writable event). A request is still timed
 * from just before its own write, so the deferral is in no response time. One flush for all clients,
 * no allocation per request. Measured against nginx `/slow` (5 ms, 8 connections), paired rounds:
 * p50 2–5 % lower in every round, throughput within −3 … +2 % (bench/latency-agreement.mjs).
 */
function deferredWrites() {
  const queue: Array<{ client: ClientInternals; write: () => void; queued: boolean }> = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    for (const q of queue.splice(0)) {
      q.queued = false;
      if (!q.client.destroyed) q.write();
    }
  };
  return {
    defer(client: ClientInternals): void {
      const write = client._doRequest;
      if (typeof write !== 'function') return;
      const entry = { client, write: write.bind(client), queued: false };
      client._doRequest = () => {
        // A reconnect while a write is pending sends that one request, on the new socket.
        if (entry.queued) return;
        entry.queued = true;
        queue.push(entry);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      };
    }
  };
}

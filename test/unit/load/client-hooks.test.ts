/**
 * The per-connection bookkeeping, driven by event sequences in the order autocannon 9's
 * `lib/httpClient.js` emits them (the integration tests drive the real thing).
 */
import { EventEmitter } from 'node:events';
import type { Client } from 'autocannon';
import { clientHooks, type LoadSink } from '../../../src/load/client-hooks.js';

class FakeClient extends EventEmitter {
  timeout = 10_000;
  queued = 0;
  cleared = 0;
  pipelinedRequests = {
    size: () => this.queued,
    clear: () => {
      this.queued = 0;
      this.cleared++;
    }
  };
  /** `_doRequest`: emits `request`, then queues the request. */
  send(): void {
    this.emit('request');
    this.queued++;
  }
  answer(status = 200): void {
    this.queued--;
    this.emit('response', status, 100, 1.5);
  }
}

function setup(sequence: number[], onResponseFirst = false) {
  const events: string[] = [];
  const sent: number[] = [];
  const sink: LoadSink = {
    sent: request => sent.push(request),
    response: (request, status, _bytes, _ms, failure) =>
      events.push(`response ${request} ${status}${failure ? ` ${failure}` : ''}`),
    failure: (request, kind) => events.push(`${kind} ${request}`)
  };
  const check = (_request: number, status: number) => (status >= 400 ? ('status' as const) : null);
  const hooks = clientHooks(sequence, 300, check, sink);
  const client = new FakeClient();
  hooks.setupClient(client as unknown as Client);
  const respond = (request: number, status = 200) => {
    if (onResponseFirst) hooks.onResponse(request)(status, 'body');
    client.answer(status);
  };
  return { client, events, sent, respond, hooks };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe('clientHooks', () => {
  it('sets the client timeout in ms, below autocannon’s whole-second minimum', () => {
    expect(setup([0]).client.timeout).toBe(300);
  });

  it('attributes responses by the sequence when onResponse is not used', () => {
    const { client, events, respond } = setup([0, 1, 1]);
    for (let i = 0; i < 4; i++) {
      client.send();
      respond(-1, i === 2 ? 500 : 200);
    }
    expect(events).toEqual(['response 0 200', 'response 1 200', 'response 1 500 status', 'response 0 200']);
  });

  it('reports each request written, in the order of the sequence, including resends', () => {
    const { client, sent, respond } = setup([0, 1, 1]);
    for (let i = 0; i < 4; i++) {
      client.send();
      respond(-1);
    }
    client.send(); // 1, never answered
    expect(sent).toEqual([0, 1, 1, 0, 1]);
  });

  it('prefers what onResponse says', () => {
    const { client, events, hooks } = setup([0, 1]);
    client.send();
    hooks.onResponse(1)(200, 'x'); // e.g. the client's queue said so
    client.answer();
    expect(events).toEqual(['response 1 200']);
  });

  it('charges a timeout to the request before the one sent on reconnect', async () => {
    const { client, events, respond } = setup([0, 1, 2], true);
    client.send(); // 0
    respond(0);
    client.send(); // 1 hangs
    client.queued = 0; // _destroyConnection clears the queue
    client.send(); // 2, sent by _connect before `timeout` is emitted
    client.emit('timeout');
    respond(2);
    await tick();
    expect(events).toEqual(['response 0 200', 'timeout 1', 'response 2 200']);
  });

  it('charges a connection error to the request in flight', async () => {
    const { client, events, respond } = setup([0, 1], true);
    client.send(); // 0
    client.emit('connError', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    client.send(); // 1 on the new connection: the stale queue entry of 0 is dropped first
    expect(client.cleared).toBe(1);
    expect(client.queued).toBe(1);
    respond(1);
    await tick();
    expect(events).toEqual(['connection 0', 'response 1 200']);
  });

  it('counts a request lost to a socket closed without error as a connection error', async () => {
    const { client, events, respond } = setup([0, 1], true);
    client.send(); // 0
    respond(0);
    client.send(); // 1: the server closes the socket, the client reconnects silently
    client.send(); // 0
    expect(client.cleared).toBe(1);
    await tick();
    respond(0);
    expect(events).toEqual(['response 0 200', 'connection 1', 'response 0 200']);
  });
});

/** A client with autocannon's `_doRequest` (write the next request) and `destroyed` flag. */
class WritingClient extends FakeClient {
  writes = 0;
  destroyed = false;
  _doRequest(): void {
    this.writes++;
    this.send();
  }
}

describe('clientHooks: deferred writes', () => {
  const sink: LoadSink = { sent: () => {}, response: () => {}, failure: () => {} };
  const hooked = (hooks: ReturnType<typeof clientHooks>) => {
    const c = new WritingClient();
    hooks.setupClient(c as unknown as Client);
    return c;
  };

  it('writes the next request after the poll phase, not inside the response handler', async () => {
    const c = hooked(clientHooks([0], 300, () => null, sink));
    c._doRequest();
    expect(c.writes).toBe(0);
    await tick();
    expect(c.writes).toBe(1);
    expect(c.queued).toBe(1);
  });

  it('times every response of a burst before any write: all clients flush together, in order', async () => {
    const hooks = clientHooks([0], 300, () => null, sink);
    const clients = [hooked(hooks), hooked(hooks), hooked(hooks)];
    const order: number[] = [];
    clients.forEach((c, i) => c.on('request', () => order.push(i)));
    for (const i of [2, 0, 1]) clients[i]!._doRequest();
    expect(order).toEqual([]);
    await tick();
    expect(order).toEqual([2, 0, 1]);
  });

  it('sends one request for two asks before the flush (a reconnect while a write is pending)', async () => {
    const c = hooked(clientHooks([0], 300, () => null, sink));
    c._doRequest();
    c._doRequest();
    await tick();
    expect(c.writes).toBe(1);
    c._doRequest();
    await tick();
    expect(c.writes).toBe(2);
  });

  it('drops the write of a client destroyed meanwhile (autocannon stopped)', async () => {
    const c = hooked(clientHooks([0], 300, () => null, sink));
    c._doRequest();
    c.destroyed = true;
    await tick();
    expect(c.writes).toBe(0);
  });

  it('charges a timeout to the request in flight when the resend comes after the timeout event', async () => {
    const events: string[] = [];
    const hooks = clientHooks([0, 1, 2], 300, () => null, {
      sent: () => {},
      response: request => events.push(`response ${request}`),
      failure: (request, kind) => events.push(`${kind} ${request}`)
    });
    const c = hooked(hooks);
    c._doRequest(); // 0
    await tick();
    c.answer();
    c._doRequest(); // 1, hangs
    await tick();
    c.queued = 0; // handleTimeout: _destroyConnection clears the queue, _connect asks for 2
    c._doRequest();
    c.emit('timeout');
    await tick(); // 2 is written now
    c.answer();
    await tick();
    expect(events).toEqual(['response 0', 'timeout 1', 'response 2']);
  });
});

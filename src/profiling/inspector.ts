/**
 * A small Chrome DevTools Protocol session over undici's WebSocket: what perfgate needs of a Node
 * service's inspector (`Profiler.*`, `HeapProfiler.*`) and nothing more. Each command resolves with
 * its result or fails with an `InspectorError` naming the method and why — the inspector's own
 * error, no answer within the timeout, or the connection closing (the service exited) — so a
 * capture can say what went missing instead of hanging a run.
 */
import { WebSocket } from 'undici';

/** How long connecting, and a command without its own timeout, may take. */
export const INSPECTOR_TIMEOUT_MS = 10_000;

/** A command that failed, or a connection that could not be opened or was lost. */
export class InspectorError extends Error {
  override name = 'InspectorError';
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** One DevTools Protocol connection to a target's `webSocketDebuggerUrl`. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Array<(params: unknown) => void>>();
  private closedWith: string | undefined;
  private readonly gone: Promise<void>;

  private constructor(
    readonly url: string,
    private readonly socket: WebSocket
  ) {
    this.gone = new Promise(resolve => {
      socket.addEventListener('close', event => {
        const why = event.code === 1000 || event.code === 1005 ? '' : ` (code ${event.code})`;
        this.fail(`the inspector connection closed${why}`);
        resolve();
      });
    });
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', event => this.receive(event.data));
  }

  /**
   * Opens a session to `url` (`ws://127.0.0.1:PORT/UUID`).
   *
   * @throws InspectorError when the connection is refused or not open within `timeoutMs`.
   */
  static async connect(url: string, timeoutMs = INSPECTOR_TIMEOUT_MS): Promise<InspectorSession> {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (err) {
      throw new InspectorError(`cannot connect to the inspector at ${url}: ${reason(err)}`);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(
          new InspectorError(`the inspector at ${url} did not accept a connection within ${timeoutMs} ms`)
        );
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.addEventListener('error', event => {
        clearTimeout(timer);
        const detail = (event as { error?: unknown; message?: string }).error ?? event.message;
        reject(new InspectorError(`cannot connect to the inspector at ${url}: ${reason(detail)}`));
      });
      socket.addEventListener('close', () => {
        clearTimeout(timer);
        reject(new InspectorError(`the inspector at ${url} closed the connection while it opened`));
      });
    });
    return new InspectorSession(url, socket);
  }

  /** Why the session ended, once it has; undefined while it is open. */
  get closed(): string | undefined {
    return this.closedWith;
  }

  /**
   * Sends `method` with `params` and resolves with its result.
   *
   * @throws InspectorError when the inspector answers with an error, does not answer within
   *   `timeoutMs`, or the connection is or becomes closed.
   */
  send<T = unknown>(method: string, params: object = {}, timeoutMs = INSPECTOR_TIMEOUT_MS): Promise<T> {
    if (this.closedWith !== undefined) {
      return Promise.reject(new InspectorError(`${method}: ${this.closedWith}`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InspectorError(`${method}: the inspector did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      try {
        this.socket.send(JSON.stringify({ id, method, params }));
      } catch (err) {
        this.settle(id)?.reject(new InspectorError(`${method}: cannot send: ${reason(err)}`));
      }
    });
  }

  /** Calls `listener` with the params of every `method` event the inspector sends. */
  on(method: string, listener: (params: unknown) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  /** Closes the connection; commands still waiting fail with `why`. Idempotent. */
  async close(why = 'the inspector session was closed'): Promise<void> {
    if (this.closedWith === undefined) {
      this.fail(why);
      try {
        this.socket.close();
      } catch {
        // already closing
      }
    }
    // A closed socket reports its close; one that never does is not waited for long.
    await Promise.race([this.gone, new Promise(resolve => setTimeout(resolve, 1000).unref())]);
  }

  private receive(data: unknown): void {
    let message: {
      id?: unknown;
      method?: unknown;
      params?: unknown;
      result?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    try {
      message = JSON.parse(
        typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8')
      );
    } catch {
      return; // not a protocol message; the command it belonged to times out
    }
    if (typeof message.id !== 'number') {
      if (typeof message.method === 'string') {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
      }
      return;
    }
    const pending = this.settle(message.id);
    if (!pending) return;
    if (message.error) {
      const code = message.error.code !== undefined ? ` (${String(message.error.code)})` : '';
      pending.reject(new InspectorError(`${pending.method}: ${String(message.error.message)}${code}`));
    } else {
      pending.resolve(message.result ?? {});
    }
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    return pending;
  }

  private fail(why: string): void {
    this.closedWith ??= why;
    for (const id of [...this.pending.keys()]) {
      const pending = this.settle(id)!;
      pending.reject(new InspectorError(`${pending.method}: ${why}`));
    }
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err ?? 'unknown error');
}

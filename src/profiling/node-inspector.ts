/**
 * Finding a Node service's inspector (SPEC §11). A service perfgate starts for profiling runs with
 * `--inspect=127.0.0.1:0` added to its NODE_OPTIONS, so every node process of its tree (`npm start`
 * → sh → node) opens an inspector on a free loopback port. The one to profile is the process that
 * serves the load: the one listening on the side's target port. Its other listening ports are asked
 * for the inspector's `/json/list`, whose `webSocketDebuggerUrl` is the session's address. Where
 * /proc does not name listeners (not Linux), the service log's one `Debugger listening on ws://…`
 * line is used, when there is exactly one.
 */
import type { ProfilingConfig, ServiceConfig } from '../config/types.js';
import { listenersOf, listeningPortsOf } from '../service/port-listeners.js';
import type { ServiceHandle } from '../service/types.js';
import { urlHostPort } from '../url-host-port.js';

/** The inspector flag added to the service's NODE_OPTIONS: loopback only, any free port. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** How long after the service is ready its inspector may take to appear. */
export const INSPECTOR_WAIT_MS = 3000;
const POLL_MS = 200;
/** One `/json/list` request; the inspector answers at once or not at all. */
const LIST_TIMEOUT_MS = 1000;

/**
 * The service's config with `--inspect=127.0.0.1:0` appended to its NODE_OPTIONS (the service's own,
 * else perfgate's environment's, kept), when `profiling` records through the Node inspector;
 * otherwise the config as it is.
 */
export function withInspector(
  service: ServiceConfig,
  profiling: ProfilingConfig | undefined,
  env: NodeJS.ProcessEnv = process.env
): ServiceConfig {
  if (!profiling || profiling.pprof) return service;
  const current = (service.env.NODE_OPTIONS ?? env.NODE_OPTIONS ?? '').trim();
  const options = current ? `${current} ${INSPECT_FLAG}` : INSPECT_FLAG;
  return { ...service, env: { ...service.env, NODE_OPTIONS: options } };
}

/** An inspector found: its WebSocket address and the process it belongs to (when known). */
export interface FoundInspector {
  webSocketUrl: string;
  pid?: number;
}

/**
 * The inspector of the process of `service`'s tree that listens on `target`'s port, waiting up to
 * `waitMs` for it to appear; or why there is none, in words for a warning.
 */
export async function findInspector(
  service: ServiceHandle,
  target: string,
  waitMs = INSPECTOR_WAIT_MS
): Promise<FoundInspector | { missing: string }> {
  const port = urlHostPort(new URL(target)).port;
  const deadline = performance.now() + waitMs;
  for (;;) {
    const listeners = listenersOf(port);
    for (const listener of listeners) {
      for (const candidate of listeningPortsOf(listener.pid).filter(p => p !== port)) {
        const url = await debuggerUrl(candidate);
        if (url) return { webSocketUrl: url, pid: listener.pid };
      }
    }
    if (listeners.length === 0) {
      const logged = loggedInspectors(service);
      if (logged.length === 1) return { webSocketUrl: logged[0]! };
    }
    if (performance.now() >= deadline) return { missing: whyMissing(service, port, listeners, waitMs) };
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}

/** `ws://127.0.0.1:PORT/UUID` of the inspector on `port`, or undefined when `port` is not one. */
async function debuggerUrl(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/json/list`, {
      signal: AbortSignal.timeout(LIST_TIMEOUT_MS)
    });
    if (!response.ok) return undefined;
    const targets = (await response.json()) as unknown;
    if (!Array.isArray(targets)) return undefined;
    for (const t of targets as Array<{ webSocketDebuggerUrl?: unknown }>) {
      if (typeof t?.webSocketDebuggerUrl === 'string' && t.webSocketDebuggerUrl.startsWith('ws://')) {
        return t.webSocketDebuggerUrl;
      }
    }
  } catch {
    // not an inspector, or not answering
  }
  return undefined;
}

/** The distinct `Debugger listening on ws://…` addresses in the service's log. */
function loggedInspectors(service: ServiceHandle): string[] {
  const found = new Set<string>();
  for (const m of service.logTail(500).matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/g)) {
    found.add(m[1]!);
  }
  return [...found];
}

function whyMissing(
  service: ServiceHandle,
  port: number,
  listeners: ReturnType<typeof listenersOf>,
  waitMs: number
): string {
  const within = `within ${waitMs / 1000}s`;
  if (listeners.length === 0) {
    const logged = loggedInspectors(service).length;
    return logged > 1
      ? `${logged} node processes of its tree opened an inspector and none could be told to serve port ${port}`
      : `no Node inspector appeared ${within} (is it a Node service? it ran with ${INSPECT_FLAG} in NODE_OPTIONS)`;
  }
  const who = listeners.map(l => `pid ${l.pid}: ${l.command}`).join('; ');
  return (
    `no Node inspector appeared ${within} on the process listening on port ${port} (${who}); ` +
    `is it a Node service? it ran with ${INSPECT_FLAG} in NODE_OPTIONS`
  );
}

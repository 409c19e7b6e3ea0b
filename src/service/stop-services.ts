/**
 * The end of the service stage: stop every started service, base first, and say what a stop left
 * behind — a tree that had to be killed, or a process that escaped the tree and still holds the
 * side's port (SPEC §2: no unexplained process is left on the runner).
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Results } from '../model.js';
import type { Reporter } from '../reporter.js';
import type { PortState } from './port-listeners.js';
import type { ServiceHandle } from './types.js';

/** Stops the services, base first; what went wrong is warned about and noted in the report. */
export async function stopServices(
  services: ServiceHandle[],
  config: ResolvedConfig,
  reporter: Reporter,
  results: Results
): Promise<void> {
  for (const handle of [...services].reverse()) {
    const outcome = await handle.stop();
    const notes: string[] = [];
    if (outcome.forced) {
      const grace = (handle.side === 'base' ? config.base?.service : config.service)?.stopTimeoutMs ?? 0;
      notes.push(
        `The service (${handle.side}) did not stop within ${grace / 1000}s of SIGTERM; its process tree was killed.`
      );
    }
    for (const port of outcome.escaped ?? []) notes.push(escapeNote(handle, port, results));
    for (const note of notes) {
      reporter.warn(note);
      results.notes.push(note);
    }
  }
}

/**
 * `The service (head) escaped its process tree: …` with who holds the port, what to do about it,
 * and the service figures that were measured on the wrong process.
 */
function escapeNote(handle: ServiceHandle, port: PortState, results: Results): string {
  const where = `${port.host.includes(':') ? `[${port.host}]` : port.host}:${port.port}`;
  const who =
    port.listeners.length > 0
      ? port.listeners.map(l => `pid ${l.pid} (${l.command || 'command unknown'})`).join(', ')
      : 'a process the OS does not name here';
  const pids = port.listeners.map(l => l.pid).join(' ');
  return (
    `The service (${handle.side}) escaped its process tree (it daemonized or double-forked): after the ` +
    `tree of pid ${handle.pid} was stopped, ${where} is still listened on by ${who}. perfgate did not ` +
    `start that process directly and has not stopped it${pids ? ` (stop it with: kill ${pids})` : ''}; ` +
    `run the service in the foreground (no daemon mode) so it can be measured and stopped. ` +
    `Its CPU and RSS figures were measured on the process perfgate started, not on the one that ` +
    `served${resourceTell(handle.side, results)}.`
  );
}

/** `: CPU mean 0.4 % of a core while serving 5,120 req/s` — a busy service at ~0 % is the tell. */
function resourceTell(side: 'head' | 'base', results: Results): string {
  const trials = results.profiles.flatMap(p => (side === 'base' ? (p.base?.trials ?? []) : p.head.trials));
  const cpus = trials.flatMap(t => (t.valid && t.resources?.cpu.mean != null ? [t.resources.cpu.mean] : []));
  if (cpus.length === 0) return '';
  const valid = trials.filter(t => t.valid);
  const cpu = cpus.reduce((a, b) => a + b, 0) / cpus.length;
  const rate = valid.reduce((a, t) => a + t.metrics.throughput, 0) / valid.length;
  return `: CPU mean ${cpu.toFixed(1)} % of a core while serving ${Math.round(rate).toLocaleString('en-US')} req/s`;
}

/**
 * Service lifecycle (SPEC §2): start the service under test, wait until it is ready, and turn every
 * way it can fail (cannot start, exits early, never ready, crashes mid-run) into a ServiceError that
 * carries the tail of its log. On any failure the whole process tree is stopped before the error is thrown.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceConfig } from '../config/types.js';
import { CancelledError, ServiceError } from '../errors.js';
import { LogCapture } from './log-capture.js';
import { loopbackPorts, portStates, type PortRef } from './port-listeners.js';
import { createProbe, type ReadyProbe } from './ready-probes.js';
import { ServiceProcess } from './service-process.js';
import type { ServiceExit, ServiceHandle } from './types.js';
import { waitReady, type ReadyOutcome } from './wait-ready.js';

/** Lines of the service log carried by a ServiceError. */
export const ERROR_TAIL_LINES = 40;

/** Where the log goes, what cancels the start, what to mask. */
export interface StartServiceOptions {
  /** Directory of `service-<side>.log` (created if missing); the report directory in a run. */
  logDir: string;
  /** Cancellation of the run: stops the service and throws a CancelledError while waiting for readiness. */
  signal?: AbortSignal;
  /** Values replaced by `***` in the log. */
  secrets?: string[];
  /** The URL the load goes to: its port, if on loopback, is checked for escaped processes after a stop. */
  target?: string;
  /** The CPUs the service runs on, apart from the load generator (`service.cpus`); every CPU when omitted. */
  cpus?: readonly number[];
}

/**
 * Starts `config.command` and resolves with its handle once `config.ready` holds.
 *
 * @throws ServiceError when the command cannot be started, exits before it is ready, or is not ready
 *   within `config.readyTimeoutMs`, always after the whole process tree was stopped.
 * @throws CancelledError when `opts.signal` aborts first (the service is stopped as well).
 */
export async function startService(config: ServiceConfig, opts: StartServiceOptions): Promise<ServiceHandle> {
  const label = `service (${config.side})`;
  if (opts.signal?.aborted) throw new CancelledError();
  await assertDirectory(config.cwd, label);
  const log = await openLog(opts.logDir, config.side, opts.secrets ?? []);
  let probe: ReadyProbe;
  try {
    probe = createProbe(config.ready, log, label); // before spawning: a log probe must see the first line
  } catch (err) {
    await log.close();
    throw err;
  }
  const portsBefore = await portStates(sidePorts(config, opts.target));
  const service = await ServiceProcess.spawn(config, log, label, portsBefore, opts.cpus);
  const outcome = await waitReady(probe, {
    timeoutMs: config.readyTimeoutMs,
    exited: service.exited,
    signal: opts.signal
  });
  if (outcome.kind === 'ready') {
    await service.recordTree();
    return service;
  }
  await service.stop();
  throw readinessError(outcome, config, service);
}

/** The loopback ports a side's service is reached on: its target and its readiness check. */
function sidePorts(config: ServiceConfig, target: string | undefined): PortRef[] {
  const ready = config.ready;
  return loopbackPorts(
    [...(target ? [target] : []), ...(ready.kind === 'url' ? [ready.url] : [])],
    ready.kind === 'tcp' ? [{ host: ready.host, port: ready.port }] : []
  );
}

/**
 * The error the gate throws when the service exits on its own during the run (`handle.exited`
 * settled with `expected: false`), e.g. `service (head) crashed during the run (exit code 1)`.
 */
export function crashError(handle: ServiceHandle, exit: ServiceExit): ServiceError {
  return new ServiceError(
    `service (${handle.side}) crashed during the run (${describeExit(exit)})`,
    handle.logTail(ERROR_TAIL_LINES),
    handle.logFile
  );
}

function readinessError(
  outcome: Exclude<ReadyOutcome, { kind: 'ready' }>,
  config: ServiceConfig,
  service: ServiceHandle
): Error {
  const label = `service (${config.side})`;
  const fail = (message: string) =>
    new ServiceError(message, service.logTail(ERROR_TAIL_LINES), service.logFile);
  switch (outcome.kind) {
    case 'cancelled':
      return new CancelledError(`cancelled while waiting for ${label} to be ready`);
    case 'timeout':
      return fail(`${label} was not ready after ${formatSeconds(config.readyTimeoutMs)}: ${outcome.tried}`);
    case 'exited': {
      const { code, signal } = outcome.exit;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      return fail(`${label} ${how} before it was ready${exitHint(code)}`);
    }
  }
}

/** `exit code 1` or `killed by SIGSEGV`. */
function describeExit(exit: ServiceExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** What the shell's exit codes usually mean, and the daemonising command that exits 0 at once. */
function exitHint(code: number | null): string {
  if (code === 127) return ' (command not found)';
  if (code === 126) return ' (command not executable)';
  if (code === 0) return ' (the command must keep running in the foreground while perfgate measures)';
  return '';
}

/** `30s`, `1.5s`, `0.25s`. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

async function assertDirectory(dir: string, label: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ServiceError(
      `${label} cannot start: working directory ${dir} does not exist or is not a directory`
    );
  }
}

async function openLog(logDir: string, side: string, secrets: string[]): Promise<LogCapture> {
  const file = path.resolve(logDir, `service-${side}.log`);
  try {
    await mkdir(logDir, { recursive: true });
    return await LogCapture.create(file, secrets);
  } catch (err) {
    throw new ServiceError(
      `cannot write the service log ${file}: ${err instanceof Error ? err.message : String(err)}`
    );
  }
}

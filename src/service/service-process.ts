/**
 * A running service process: spawned through the shell in its own process group, its output captured,
 * its exit observed, and a stop that leaves no process of its tree behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { ServiceConfig } from '../config/types.js';
import { ServiceError } from '../errors.js';
import { onCpus } from './cpu-placement.js';
import type { LogCapture } from './log-capture.js';
import { escapedListeners, type PortState } from './port-listeners.js';
import { ProcessTree } from './process-tree.js';
import type { ServiceExit, ServiceHandle, StopOutcome } from './types.js';

/** After the process exited, how long to wait for the rest of its output before reporting the exit. */
const EXIT_DRAIN_MS = 200;
/** After SIGKILL, how long to wait for the tree to disappear before giving up. */
const KILL_WAIT_MS = 5000;

/** The {@link ServiceHandle} of a service perfgate started. */
export class ServiceProcess implements ServiceHandle {
  readonly exited: Promise<ServiceExit>;
  private readonly tree: ProcessTree;
  private stopRequested = false;
  private stopping?: Promise<StopOutcome>;

  private constructor(
    readonly side: 'head' | 'base',
    readonly pid: number,
    child: ChildProcess,
    private readonly log: LogCapture,
    private readonly stopTimeoutMs: number,
    private readonly portsBefore: PortState[]
  ) {
    this.tree = new ProcessTree(pid);
    child.on('error', () => {}); // a failed kill() must not crash perfgate; the tree is polled instead
    this.exited = new Promise(resolve => {
      let exit: ServiceExit | undefined;
      let drain: NodeJS.Timeout | undefined;
      const report = () => {
        clearTimeout(drain);
        if (exit) resolve(exit);
      };
      child.once('exit', (code, signal) => {
        exit = { code, signal, expected: this.stopRequested };
        // 'close' follows once the pipes are drained, unless a surviving child still holds them.
        drain = setTimeout(report, EXIT_DRAIN_MS);
      });
      child.once('close', report);
    });
  }

  /**
   * Spawns `config.command` with `/bin/sh -c` in `config.cwd`, detached into its own process group,
   * stdout and stderr captured by `log`. `portsBefore`: the side's loopback ports as they were before
   * the start, looked at again after a stop. `cpus`: the CPUs the service and its children run on
   * (through taskset), every CPU when omitted. Throws a {@link ServiceError} when the shell cannot be
   * spawned.
   */
  static async spawn(
    config: ServiceConfig,
    log: LogCapture,
    label: string,
    portsBefore: PortState[] = [],
    cpus?: readonly number[]
  ): Promise<ServiceProcess> {
    let child: ChildProcess & { pid: number };
    try {
      child = await spawnShell(config, cpus);
    } catch (err) {
      await log.close();
      throw new ServiceError(`${label} could not be started: ${errorMessage(err)}`, '', log.file);
    }
    log.attach(child.stdout!);
    log.attach(child.stderr!);
    return new ServiceProcess(config.side, child.pid, child, log, config.stopTimeoutMs, portsBefore);
  }

  get logFile(): string {
    return this.log.file;
  }

  logTail(lines?: number): string {
    return this.log.tail(lines);
  }

  /**
   * Records the current descendants, so that they are stopped even when the root process dies first
   * and they are re-parented. Called once the service is ready; `stop()` records again.
   */
  recordTree(): Promise<void> {
    return this.tree.record();
  }

  stop(): Promise<StopOutcome> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<StopOutcome> {
    this.stopRequested = true;
    await this.tree.record(); // before the first signal: orphans cannot be found from the root any more
    this.tree.signal('SIGTERM');
    const forced = !(await this.tree.waitGone(this.stopTimeoutMs));
    if (forced) {
      await this.tree.record(); // children started during the grace period
      this.tree.signal('SIGKILL');
      await this.tree.waitGone(KILL_WAIT_MS);
    }
    await settleWithin(this.exited, KILL_WAIT_MS);
    await this.log.close();
    const escaped = await escapedListeners(this.portsBefore);
    return { forced, ...(escaped.length > 0 && { escaped }) };
  }
}

/**
 * Spawns the command line through the shell, on `cpus` when given (taskset sets the affinity and execs
 * the shell, so the pid stays the shell's); rejects when not even the shell could be started.
 */
async function spawnShell(
  config: ServiceConfig,
  cpus?: readonly number[]
): Promise<ChildProcess & { pid: number }> {
  const [file, args] = cpus ? onCpus(cpus, config.command) : [config.command, []];
  const child = spawn(file, args, {
    shell: !cpus,
    cwd: config.cwd,
    env: { ...process.env, ...config.env },
    detached: true, // own process group, so the whole tree can be signalled at once
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true
  });
  if (child.pid === undefined) {
    const [err]: unknown[] = await once(child, 'error');
    throw err;
  }
  return child as ChildProcess & { pid: number };
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Waits for `promise`, at most `ms`, leaving no timer behind. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>(resolve => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

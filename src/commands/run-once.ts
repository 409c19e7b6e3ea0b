/**
 * One measured run of a command: spawned through `/bin/sh` in its own process group, timed from the
 * spawn to the exit, its tree's CPU time reported by the shell (shell-times.ts), its tree's memory
 * sampled (tree-sampler.ts), its output kept as bounded tails, and its whole tree killed on a timeout
 * or a cancellation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { CancelledError, CommandError } from '../errors.js';
import { ProcessTree } from '../service/process-tree.js';
import { OutputHead, OutputTail } from './output-tail.js';
import { parseTimes, shellArgs } from './shell-times.js';
import { TreeSampler } from './tree-sampler.js';
import { TAIL_BYTES, type CommandSpec, type RunMeasurement } from './types.js';

/** How a run is told apart in messages, and how it may be stopped. */
export interface RunOptions {
  /** Names the run in errors, e.g. `benchmark "build", head run 3`. Default: the command. */
  label?: string;
  /** Aborting kills the tree and rejects with a CancelledError. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL when the tree is killed. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 500;
/** After SIGKILL, how long to wait for the tree to disappear. */
const KILL_WAIT_MS = 5000;
/** After the exit, how long to wait for the rest of the output (a leftover may hold the pipes). */
const DRAIN_MS = 200;

/**
 * Runs `spec` once and measures it. A non-zero exit and a timeout are results, not errors (the caller
 * decides); a shell that cannot find the command exits 127 and says so on stderr. Throws a
 * {@link CommandError} when `spec.cwd` does not exist or the shell cannot be spawned, and a
 * {@link CancelledError} when `opts.signal` aborts.
 *
 * Processes the command leaves running after its exit are killed with its process group: they would
 * run into the next run's measurement. (One that left the group with `setsid` is out of reach.)
 */
export async function runOnce(spec: CommandSpec, opts: RunOptions = {}): Promise<RunMeasurement> {
  const label = opts.label ?? describeCommand(spec.command);
  checkCwd(spec.cwd, label);
  if (opts.signal?.aborted) throw new CancelledError();
  const started = performance.now();
  const child = spawn('/bin/sh', shellArgs(spec.command, spec.shell), {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true, // its own process group: the whole tree can be signalled at once
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'] // fd 3 (TIMES_FD): the shell's `times`
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  if (child.pid === undefined) {
    const [err]: unknown[] = await once(child, 'error');
    checkCwd(spec.cwd, label); // removed in the meantime
    throw new CommandError(`${label} could not be started in ${spec.cwd}: ${errorMessage(err)}`);
  }
  child.on('error', () => {}); // a failed kill() must not crash perfgate; the tree is polled instead
  const pid = child.pid;
  const streams = child.stdio.slice(1) as Readable[];
  const [stdout, stderr, times] = [TAIL_BYTES, TAIL_BYTES, 4096].map((capacity, i) => {
    const tail = new OutputTail(capacity);
    tail.attach(streams[i]!);
    return tail;
  }) as [OutputTail, OutputTail, OutputTail];
  const whole = spec.keepStdoutBytes !== undefined ? new OutputHead(spec.keepStdoutBytes) : undefined;
  if (whole) streams[0]!.on('data', (chunk: Buffer) => whole.push(chunk));
  const closed = once(child, 'close').catch(() => undefined);
  const sampler = new TreeSampler(pid);
  sampler.start();

  let stopReason: 'timeout' | 'abort' | undefined;
  let killing: Promise<void> | undefined;
  const stop = (reason: 'timeout' | 'abort') => {
    stopReason ??= reason;
    killing ??= killTree(pid, opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
  const onAbort = () => stop('abort');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let exitCode: number | null;
  let signal: NodeJS.Signals | null;
  let ended: number;
  try {
    [exitCode, signal] = await exited;
    ended = performance.now();
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const summary = await sampler.stop();
  await (killing ?? killTree(pid, opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS));
  await drain(child, closed);
  if (stopReason === 'abort') throw new CancelledError();

  const cpu = parseTimes(times.text());
  return {
    wallMs: ended - started,
    userMs: cpu?.userMs ?? summary.lastCpu?.userMs ?? NaN,
    sysMs: cpu?.sysMs ?? summary.lastCpu?.sysMs ?? NaN,
    cpuSource: cpu ? 'times' : summary.lastCpu ? 'sampled' : 'none',
    peakRssBytes: summary.peakRssBytes,
    exitCode,
    signal,
    timedOut: stopReason === 'timeout',
    stdoutTail: stdout.text(),
    stderrTail: stderr.text(),
    stdoutBytes: stdout.bytes,
    stderrBytes: stderr.bytes,
    ...(whole && { stdout: whole.buffer() })
  };
}

/** SIGTERM to the group and the recorded descendants, SIGKILL after `graceMs`; resolves once all are gone. */
async function killTree(pid: number, graceMs: number): Promise<void> {
  const tree = new ProcessTree(pid);
  if (!tree.alive()) return; // the usual end: the command exited and left nothing behind
  await tree.record();
  tree.signal('SIGTERM');
  if (await tree.waitGone(graceMs)) return;
  await tree.record();
  tree.signal('SIGKILL');
  await tree.waitGone(KILL_WAIT_MS);
}

/** Waits for the pipes to close, at most {@link DRAIN_MS}, then lets go of them. */
async function drain(child: ChildProcess, closed: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise(resolve => (timer = setTimeout(resolve, DRAIN_MS)))]);
  clearTimeout(timer);
  for (const stream of child.stdio) stream?.destroy();
}

function checkCwd(cwd: string, label: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new CommandError(`${label}: working directory ${cwd} does not exist`);
  }
  if (!isDir) throw new CommandError(`${label}: working directory ${cwd} is not a directory`);
}

/** The command as a user wrote it, for messages. */
export function describeCommand(command: string | readonly string[]): string {
  return typeof command === 'string' ? command : command.map(w => JSON.stringify(w)).join(' ');
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

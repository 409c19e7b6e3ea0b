/**
 * The process tree of a started service: its process group plus every descendant seen so far, so
 * that a stop reaches children that left the group (setsid) or were re-parented when their parent died.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import pidtree from 'pidtree';
import { readProcFile } from './proc-file.js';

const LINUX = process.platform === 'linux';
const POLL_MS = 50;

/** The fields of `/proc/<pid>/stat` the tree needs (Linux only). */
interface ProcStat {
  pgrp: number;
  /** Clock ticks after boot: with the pid, identifies a process even after its pid is recycled. */
  startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
  if (!LINUX) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fixed fields follow its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/**
 * `kill(pid, 0)` succeeds on zombies too; a zombie is dead, only not yet reaped (some container inits
 * never reap). A multi-threaded process shows its main thread as a zombie while the other threads are
 * still exiting and its sockets still open, so every thread must be a zombie.
 */
function isZombie(pid: number): boolean {
  if (!LINUX) return false;
  try {
    return readdirSync(`/proc/${pid}/task`).every(tid => isDeadState(taskState(pid, tid)));
  } catch {
    return false;
  }
}

function taskState(pid: number, tid: string): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
  } catch {
    return undefined; // the thread is gone
  }
}

const isDeadState = (state: string | undefined) => state === undefined || state === 'Z' || state === 'X';

function trySignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // ESRCH: gone; EPERM: no longer ours (pid recycled by another user)
  }
}

/** True while a live (non-zombie) process with this pid exists and may be signalled by us. */
function isAlive(pid: number): boolean {
  return trySignal(pid, 0) && !isZombie(pid);
}

/** True while the process group holds a live (non-zombie) member. */
function isGroupAlive(pgid: number): boolean {
  if (process.platform === 'win32' || !trySignal(-pgid, 0)) return false;
  if (!LINUX) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (procStat(pid)?.pgrp === pgid && !isZombie(pid)) return true;
  }
  return false;
}

/** Descendants of `pid` (not `pid` itself), or none when it is gone or `ps` fails. */
async function descendants(pid: number): Promise<number[]> {
  try {
    return await pidtree(pid);
  } catch {
    return [];
  }
}

/**
 * The pids of a service's tree now: `rootPid` if alive, the members of its process group (a detached
 * service leads its group, and a member whose parent died is re-parented out of the root's subtree
 * but stays in the group), and every descendant of those. Linux reads `/proc/<pid>/stat` (ppid and
 * pgrp) with asynchronous reads into small buffers (`readProcFile`), so that a caller sampling once
 * a second neither blocks the load generator's event loop nor makes garbage that pauses it; elsewhere
 * `pidtree` (`ps`) lists the root and its descendants only.
 * Zombies are listed: they hold no memory and their CPU time stops growing.
 */
export async function treePids(rootPid: number): Promise<number[]> {
  if (!LINUX) return pidtree(rootPid, { root: true }).catch(() => []);
  const names = await readdir('/proc').catch(() => [] as string[]);
  const procs = await Promise.all(
    names
      .filter(name => /^\d+$/.test(name))
      .map(async name => {
        const text = await readProcFile(`/proc/${name}/stat`).catch(() => '');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        return { pid: Number(name), ppid: Number(fields[1]), pgrp: Number(fields[2]) };
      })
  );
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of procs) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = new Set(procs.filter(p => p.pid === rootPid || p.pgrp === rootPid).map(p => p.pid));
  // A Set's iteration visits the members added during it: this walks down to the last generation.
  for (const pid of found) for (const child of children.get(pid) ?? []) found.add(child);
  return [...found];
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * A service's process group (led by `rootPid`, spawned detached) and the descendants recorded so far.
 * Call `record()` before signalling: once a parent dies its children are re-parented and can no longer
 * be found from the root.
 */
export class ProcessTree {
  /** The root and its recorded descendants → their stat (Linux), so a recycled pid is never signalled. */
  private readonly known = new Map<number, ProcStat | undefined>();
  private groupGone = false;

  constructor(readonly rootPid: number) {
    this.known.set(rootPid, procStat(rootPid));
  }

  /** Adds the root's current descendants to the recorded set. */
  async record(): Promise<void> {
    for (const pid of await descendants(this.rootPid)) {
      if (this.known.has(pid)) continue;
      const stat = procStat(pid);
      if (LINUX && !stat) continue; // already gone
      this.known.set(pid, stat);
    }
  }

  /**
   * `SIGTERM` goes to the group and to recorded processes that left it (so a well-behaved escaped
   * child is not held for the whole grace period, and no group member gets a second SIGTERM, which
   * many servers take as "force quit"). `SIGKILL` goes to the group and to every recorded process.
   */
  signal(signal: 'SIGTERM' | 'SIGKILL'): void {
    this.checkGroup();
    if (!this.groupGone) {
      if (process.platform === 'win32') trySignal(this.rootPid, signal);
      else trySignal(-this.rootPid, signal);
    }
    for (const [pid, recorded] of this.known) {
      if (!this.isSameProcess(pid, recorded)) continue;
      const outsideGroup = pid !== this.rootPid && recorded !== undefined && recorded.pgrp !== this.rootPid;
      if (signal === 'SIGKILL' || outsideGroup) trySignal(pid, signal);
    }
  }

  /** True while any process of the tree is alive. */
  alive(): boolean {
    this.checkGroup();
    if (!this.groupGone) return true;
    for (const [pid, recorded] of this.known) {
      if (this.isSameProcess(pid, recorded) && isAlive(pid)) return true;
    }
    return false;
  }

  /** Polls until no process of the tree is alive; false when `timeoutMs` passed first. */
  async waitGone(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.alive()) {
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    }
    return true;
  }

  /** Once the group was seen empty it is never signalled again: its id may be recycled. */
  private checkGroup(): void {
    if (!this.groupGone && !isGroupAlive(this.rootPid)) this.groupGone = true;
  }

  private isSameProcess(pid: number, recorded: ProcStat | undefined): boolean {
    if (recorded === undefined) return true; // no /proc: trust the pid
    return procStat(pid)?.startTime === recorded.startTime;
  }
}

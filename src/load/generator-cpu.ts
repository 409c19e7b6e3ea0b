/**
 * CPU time of the load generator's own thread. Both models' clients run on perfgate's main thread,
 * so that thread's CPU time is the generator's: near one full core over a trial means the
 * generator, not the service, set the pace (SPEC §3). Process CPU is not the same figure: it adds
 * V8's GC and compiler threads, which would mark a generator as saturated while its thread still had
 * idle time.
 *
 * Sources, best first: `process.threadCpuUsage()` (Node ≥ 23.9), the main thread's
 * `/proc/self/task/<pid>/stat` on Linux (utime + stime in USER_HZ ticks, which Linux fixes at 100
 * per second for user space, proc(5)), else `process.cpuUsage()` of the whole process.
 */
import { readFileSync } from 'node:fs';

export interface CpuClock {
  /** CPU time used so far, in milliseconds. */
  read(): number;
  /** What the clock measures: the generator's thread, or (fallback) the whole process. */
  scope: 'thread' | 'process';
}

/** Linux exposes per-task times in these units to user space, whatever the kernel's HZ. */
const USER_HZ = 100;

type ThreadCpuUsage = () => NodeJS.CpuUsage;

export function generatorCpuClock(): CpuClock {
  const threadCpuUsage = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  if (typeof threadCpuUsage === 'function') {
    return { scope: 'thread', read: () => microsToMs(threadCpuUsage.call(process)) };
  }
  const statFile = `/proc/self/task/${process.pid}/stat`;
  if (process.platform === 'linux' && readTaskStat(statFile) !== undefined) {
    return { scope: 'thread', read: () => readTaskStat(statFile) ?? Number.NaN };
  }
  return { scope: 'process', read: () => microsToMs(process.cpuUsage()) };
}

function microsToMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

/** utime + stime of a task in ms, from its `stat` line; undefined when unreadable. */
export function readTaskStat(file: string): number | undefined {
  let line: string;
  try {
    line = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseTaskStat(line);
}

/**
 * Fields after the command name (which may hold spaces and parentheses, hence the last ")"):
 * state is field 3, utime field 14 and stime field 15 (proc(5)), i.e. indexes 11 and 12 here.
 */
export function parseTaskStat(line: string): number | undefined {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / USER_HZ;
}

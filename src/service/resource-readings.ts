/**
 * One reading of a process tree at one instant: per process, the CPU time it has used so far, its
 * resident memory and its age. The sampler in `resources.ts` turns two readings into a sample.
 *
 * Linux reads `/proc` with asynchronous reads (the libuv thread pool), because the load generator
 * runs on perfgate's main thread and a synchronous scan would stall its event loop once a second; into
 * small buffers (`readProcFile`), because a garbage collection would stall it too.
 * Elsewhere (macOS, Windows, or a Linux without `/proc`) `pidusage` reads `ps` or WMI.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pidusage from 'pidusage';
import { readProcFile } from './proc-file.js';

/** Where the figures come from. */
export type ResourceSource = 'proc' | 'pidusage';

/** One process at one instant. */
export interface ProcessReading {
  /** User + system CPU time used since the process started, in milliseconds. */
  cpuMs: number;
  /** Resident set size in bytes (0 for a zombie). */
  rssBytes: number;
  /** Time since the process started, in milliseconds. */
  ageMs: number;
}

/** The tree at one instant; a pid that vanished before it could be read is absent. */
export interface TreeReading {
  /** `performance.now()` at the middle of the reading, in milliseconds. */
  atMs: number;
  processes: Map<number, ProcessReading>;
}

/** Linux exposes times to user space in these units whatever the kernel's HZ (proc(5), times(2)). */
const USER_HZ = 100;
const MS_PER_TICK = 1000 / USER_HZ;

/** `/proc` on Linux when it is mounted, else `pidusage`. */
export function defaultSource(): ResourceSource {
  return process.platform === 'linux' && existsSync('/proc/self/stat') ? 'proc' : 'pidusage';
}

/** The times of a `/proc/<pid>/stat` line, in clock ticks. */
export interface ProcStatTimes {
  /** utime + stime (fields 14 and 15). */
  cpuTicks: number;
  /** Start time after boot (field 22). */
  startTicks: number;
}

/** The CPU times of a `/proc/<pid>/stat` line in clock ticks, its own and its reaped children's, and its start. */
export interface ProcStatFields {
  utime: number;
  stime: number;
  /** Children it waited for (fields 16 and 17). */
  cutime: number;
  cstime: number;
  startTicks: number;
}

/**
 * Parses a `/proc/<pid>/stat` line. The command name (field 2) may hold spaces and parentheses, so
 * the fixed fields are read after its last ')': state is field 3, i.e. index 0 there.
 */
export function parseProcStatFields(text: string): ProcStatFields | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map(i => Number(fields[i]));
  const start = Number(fields[19]);
  if (![utime, stime, start].every(n => Number.isInteger(n) && n! >= 0)) return undefined;
  const child = (n: number | undefined) => (Number.isInteger(n) && n! >= 0 ? n! : 0);
  return { utime: utime!, stime: stime!, cutime: child(cutime), cstime: child(cstime), startTicks: start };
}

/** utime + stime and the start of a `/proc/<pid>/stat` line (see parseProcStatFields). */
export function parseProcStat(text: string): ProcStatTimes | undefined {
  const f = parseProcStatFields(text);
  return f && { cpuTicks: f.utime + f.stime, startTicks: f.startTicks };
}

/**
 * `VmRSS` of a `/proc/<pid>/status` text in bytes (the kernel prints kB, meaning KiB). A zombie or a
 * kernel thread has no such line: 0.
 */
export function parseVmRssBytes(status: string): number {
  const match = /^VmRSS:\s*(\d+)\s*kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** `VmHWM` (the process's peak RSS so far) of a `/proc/<pid>/status` text in bytes; 0 when absent. */
export function parseVmHwmBytes(status: string): number {
  const match = /^VmHWM:\s*(\d+)\s*kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** The first figure of `/proc/uptime` (seconds since boot, two decimals) in milliseconds. */
export function parseUptimeMs(text: string): number | undefined {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return text.trim() !== '' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Reads `pids` now; never rejects (a pid that vanished or cannot be read is left out). */
export async function readTree(pids: readonly number[], source: ResourceSource): Promise<TreeReading> {
  const before = performance.now();
  const processes = source === 'proc' ? await readProc(pids) : await readPidusage(pids);
  return { atMs: (before + performance.now()) / 2, processes };
}

async function readProc(pids: readonly number[]): Promise<Map<number, ProcessReading>> {
  const uptime = readProcFile('/proc/uptime').then(parseUptimeMs, () => undefined);
  const entries = await Promise.all(
    pids.map(async pid => {
      const [stat, status] = await Promise.all([
        readProcFile(`/proc/${pid}/stat`).catch(() => ''),
        readProcFile(`/proc/${pid}/status`).catch(() => '')
      ]);
      return { pid, times: parseProcStat(stat), rssBytes: parseVmRssBytes(status) };
    })
  );
  const uptimeMs = await uptime;
  const processes = new Map<number, ProcessReading>();
  for (const { pid, times, rssBytes } of entries) {
    if (!times) continue;
    const ageMs = uptimeMs === undefined ? Infinity : uptimeMs - times.startTicks * MS_PER_TICK;
    processes.set(pid, { cpuMs: times.cpuTicks * MS_PER_TICK, rssBytes, ageMs });
  }
  return processes;
}

/**
 * pidusage's own `cpu` figure is the change since its previous call for that pid, in a history shared
 * by the whole process; its cumulative `ctime` and `elapsed` let the sampler do the same arithmetic
 * as on `/proc` instead. `ps` exits 1 when a pid is missing on some systems, failing the whole batch:
 * then each pid is asked alone.
 */
async function readPidusage(pids: readonly number[]): Promise<Map<number, ProcessReading>> {
  const processes = new Map<number, ProcessReading>();
  if (pids.length === 0) return processes;
  const add = (pid: number, stat: pidusage.Status | undefined) => {
    if (stat && Number.isFinite(stat.ctime)) {
      processes.set(pid, { cpuMs: stat.ctime, rssBytes: stat.memory, ageMs: stat.elapsed });
    }
  };
  // pidusage rewrites the array it is given: hand it a copy.
  const batch = await pidusage([...pids]).catch(() => undefined);
  if (batch) {
    for (const pid of pids) add(pid, batch[String(pid)]);
  } else {
    const single = await Promise.all(pids.map(pid => pidusage(pid).catch(() => undefined)));
    pids.forEach((pid, i) => add(pid, single[i]));
  }
  return processes;
}

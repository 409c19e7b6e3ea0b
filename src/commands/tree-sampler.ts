/**
 * Peak resident memory of a command's whole process tree (and, as a fallback, its CPU time), sampled
 * while it runs.
 *
 * Sampling sums VmRSS over the tree, every {@link SAMPLE_MS} ms at first and less often as the run
 * goes on (the interval doubles every {@link SAMPLES_PER_STEP} samples up to {@link MAX_SAMPLE_MS}
 * ms): each sample costs the runner about half a millisecond of CPU, which on a small runner is taken
 * from the command it measures. A short peak between two samples
 * (a child that lives less than a sampling interval, a spike freed within it) is missed by that sum.
 * Each process's own high-water mark (VmHWM) is read too: the tree's peak is at least the largest
 * single process's peak, so a one-process command's peak is exact as long as it was read once.
 * What stays invisible: a process that starts and exits between two samples, and the overlap of
 * several processes' peaks between samples. The result is a lower bound.
 *
 * On Linux the tree is walked from the root through `/proc/<pid>/task/<tid>/children` and read with
 * synchronous reads: a handful of small files every 10 ms costs far less than scanning all of `/proc`
 * (about 5 ms of CPU per scan on a quiet machine), and nothing else runs on the event loop meanwhile.
 * Every {@link SCAN_EVERY}th sample the whole process group is listed too (`treePids`), to find
 * children that were re-parented out of the walk when their parent died. Elsewhere `ps` (pidusage) is
 * read every {@link PS_SAMPLE_MS} ms, peak RSS only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { treePids } from '../service/process-tree.js';
import {
  defaultSource,
  parseProcStatFields,
  parseVmHwmBytes,
  parseVmRssBytes,
  readTree
} from '../service/resource-readings.js';
import type { CpuTimes } from './shell-times.js';

/** First sampling interval on Linux; it doubles every SAMPLES_PER_STEP samples up to MAX_SAMPLE_MS. */
export const SAMPLE_MS = 10;
const SAMPLES_PER_STEP = 5;
const MAX_SAMPLE_MS = 80;
const SCAN_EVERY = 10;
const PS_SAMPLE_MS = 100;
/** Linux reports times in these units whatever the kernel's HZ (proc(5)). */
const MS_PER_TICK = 10;

/** What the samples saw. */
export interface TreeSummary {
  peakRssBytes: number;
  /** The tree's CPU time at the last reading before the exit (Linux only). */
  lastCpu?: CpuTimes;
}

interface ProcReading {
  startTicks: string;
  userTicks: number;
  sysTicks: number;
  rssBytes: number;
  hwmBytes: number;
}

function readProcess(pid: number): ProcReading | undefined {
  try {
    const stat = parseProcStatFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (!stat) return undefined;
    return {
      startTicks: String(stat.startTicks),
      // A live process plus the children it waited for.
      userTicks: stat.utime + stat.cutime,
      sysTicks: stat.stime + stat.cstime,
      rssBytes: parseVmRssBytes(status),
      hwmBytes: parseVmHwmBytes(status)
    };
  } catch {
    return undefined; // gone
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap(tid =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
    );
  } catch {
    return [];
  }
}

/** Samples a tree from `start()` until `stop()`. */
export class TreeSampler {
  private readonly known = new Map<number, string>(); // pid → start time, so a recycled pid is not counted
  private peakRss = 0;
  private lastCpu?: CpuTimes;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private count = 0;
  private running?: Promise<void>;
  private readonly linux = defaultSource() === 'proc';

  constructor(private readonly rootPid: number) {}

  start(): void {
    this.tick();
  }

  /** Stops sampling (call once the root exited) and returns what was seen. */
  async stop(): Promise<TreeSummary> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    return { peakRssBytes: this.peakRss, ...(this.lastCpu && { lastCpu: this.lastCpu }) };
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = (this.linux ? this.sampleProc() : this.samplePs()).finally(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.interval());
    });
  }

  /** The wait before the next sample: 10 ms for the first samples, then 20, 40, 80 ms. */
  private interval(): number {
    if (!this.linux) return PS_SAMPLE_MS;
    return Math.min(MAX_SAMPLE_MS, SAMPLE_MS * 2 ** Math.floor(this.count / SAMPLES_PER_STEP));
  }

  private async sampleProc(): Promise<void> {
    if (this.count++ % SCAN_EVERY === SCAN_EVERY - 1) {
      for (const pid of await treePids(this.rootPid)) if (!this.known.has(pid)) this.known.set(pid, '');
      if (this.stopped) return;
    }
    const pids = new Set([this.rootPid, ...this.known.keys()]);
    for (const pid of pids) for (const child of children(pid)) pids.add(child);
    let rss = 0;
    let user = 0;
    let sys = 0;
    let rootSeen = false;
    for (const pid of pids) {
      const r = readProcess(pid);
      const recorded = this.known.get(pid);
      if (!r || (recorded && recorded !== r.startTicks)) {
        this.known.delete(pid);
        continue;
      }
      this.known.set(pid, r.startTicks);
      if (pid === this.rootPid) rootSeen = true;
      rss += r.rssBytes;
      this.peakRss = Math.max(this.peakRss, r.hwmBytes);
      user += r.userTicks;
      sys += r.sysTicks;
    }
    this.peakRss = Math.max(this.peakRss, rss);
    // Without the root, the times of the children it reaped are gone: keep the previous reading.
    if (rootSeen) this.lastCpu = { userMs: user * MS_PER_TICK, sysMs: sys * MS_PER_TICK };
  }

  private async samplePs(): Promise<void> {
    const reading = await readTree(await treePids(this.rootPid), 'pidusage');
    let rss = 0;
    for (const p of reading.processes.values()) rss += p.rssBytes;
    this.peakRss = Math.max(this.peakRss, rss);
  }
}

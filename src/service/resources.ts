/**
 * CPU and memory of a service's whole process tree while load runs, sampled once a second (by
 * default) so the report can say what a change cost in resources as well as in latency.
 *
 * Method: every interval the tree's pids are asked again (so workers forked mid-run are seen), each
 * process is read (`resource-readings.ts`), and the sample is the CPU time the tree used between two
 * readings over the wall time between them, and the tree's summed RSS at the later reading.
 */
import { defaultSource, readTree, type ResourceSource, type TreeReading } from './resource-readings.js';

export type { ResourceSource } from './resource-readings.js';

/** The tree over one interval. */
export interface ResourceSample {
  /**
   * Start of the interval, in seconds since the sampler's first reading, taken at its start (0-based,
   * to the microsecond): 0, ~1, ~2… at the default interval, strictly increasing.
   */
  second: number;
  /** CPU over the interval in % of one core: 250 is two and a half cores busy. */
  cpu: number;
  /**
   * Resident memory at the end of the interval in bytes, summed over the tree. Pages shared between
   * processes (a forked worker's copy-on-write pages, shared libraries) count once per process.
   */
  rss: number;
}

/** Peak and mean of one figure over the samples; both null when nothing was sampled. */
export interface ResourceStat {
  peak: number | null;
  /** Arithmetic mean over the samples (intervals are of near equal length). */
  mean: number | null;
}

/** What a sampler saw, for the report. */
export interface ResourceSummary {
  samples: ResourceSample[];
  cpu: ResourceStat;
  rss: ResourceStat;
  source: ResourceSource;
}

/** A running sampler. */
export interface ResourceSampler {
  /** Stops sampling (synchronously) and summarises what was sampled so far; safe to call twice. */
  stop(): ResourceSummary;
}

/** Options of `startResourceSampler`. */
export interface ResourceSamplerOptions {
  /** Length of an interval in milliseconds; the first sample ends about this long after the start. Default 1000. */
  intervalMs?: number;
  /** Default: `proc` on Linux, `pidusage` elsewhere. Forcing `pidusage` on Linux is for tests. */
  source?: ResourceSource;
}

/**
 * Starts sampling the tree whose current pids `pids()` returns (e.g. `() => treePids(handle.pid)`),
 * asked again at every interval. The timer is unref'd, so a sampler never keeps the process alive,
 * and never throws: a pid that vanished is skipped, and an interval in which `pids()` throws or a
 * reading is still running when the next one is due is merged into the next sample.
 *
 * @throws RangeError when `intervalMs` is not a positive number.
 */
export function startResourceSampler(
  pids: () => number[] | Promise<number[]>,
  opts: ResourceSamplerOptions = {}
): ResourceSampler {
  const intervalMs = opts.intervalMs ?? 1000;
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) {
    throw new RangeError(`intervalMs must be a positive number of milliseconds, got ${intervalMs}`);
  }
  const source = opts.source ?? defaultSource();
  const samples: ResourceSample[] = [];
  let first: TreeReading | undefined;
  let previous: TreeReading | undefined;
  let busy = false;
  let stopped = false;

  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const reading = await readTree(await pids(), source);
      if (stopped) return;
      first ??= reading;
      if (previous) samples.push(sampleOf(previous, reading, first.atMs));
      previous = reading;
    } catch {
      // pids() failed: this interval joins the next one.
    } finally {
      busy = false;
    }
  };

  void tick(); // the baseline reading
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      return summarize(samples, source);
    }
  };
}

/** The sample between two readings of the tree. */
export function sampleOf(previous: TreeReading, current: TreeReading, startMs: number): ResourceSample {
  return {
    second: Math.round((previous.atMs - startMs) * 1000) / 1e6,
    cpu: intervalCpuPercent(previous, current),
    rss: treeRssBytes(current)
  };
}

/**
 * CPU of the tree between two readings, in % of one core: the CPU time the tree used in between over
 * the wall time in between, × 100. Per process:
 * - present at both ends: the growth of its CPU time (0 if it shrank, which a sound kernel never shows);
 * - started after the previous reading (its age is at most the interval; this also catches a pid
 *   recycled by a new process): all its CPU time, which was all used in the interval;
 * - older but first seen now (`pids()` missed it before): nothing; it counts from its first sight;
 * - gone at the later reading: nothing; the CPU it used since the previous reading is lost, which
 *   undercounts short-lived processes (one spawned per request, for instance).
 */
export function intervalCpuPercent(previous: TreeReading, current: TreeReading): number {
  const wallMs = current.atMs - previous.atMs;
  if (!(wallMs > 0)) return 0;
  let cpuMs = 0;
  for (const [pid, now] of current.processes) {
    if (now.ageMs <= wallMs) {
      cpuMs += now.cpuMs;
      continue;
    }
    const before = previous.processes.get(pid);
    if (before) cpuMs += Math.max(0, now.cpuMs - before.cpuMs);
  }
  return (cpuMs / wallMs) * 100;
}

/** Resident memory of the tree in bytes: the sum over its processes. */
export function treeRssBytes(reading: TreeReading): number {
  let total = 0;
  for (const { rssBytes } of reading.processes.values()) total += rssBytes;
  return total;
}

/** Peaks and arithmetic means of the samples; null for both when there is none. */
export function summarize(samples: ResourceSample[], source: ResourceSource): ResourceSummary {
  return {
    samples: [...samples],
    cpu: stat(samples.map(s => s.cpu)),
    rss: stat(samples.map(s => s.rss)),
    source
  };
}

function stat(values: number[]): ResourceStat {
  if (values.length === 0) return { peak: null, mean: null };
  return {
    peak: Math.max(...values),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length
  };
}

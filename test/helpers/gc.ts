import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

/** Whether a `gc` performance entry is a major collection that was forced (e.g. by `gc()`). */
export function forcedMajorGc(entry: PerformanceEntry): boolean {
  const { kind, flags } = (entry as PerformanceEntry & { detail: { kind: number; flags: number } }).detail;
  return (
    kind === constants.NODE_PERFORMANCE_GC_MAJOR && (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0
  );
}

/**
 * What `body` returns, and the `gc` entries this process reported while it ran (an observer delivers
 * them in a later turn: it is read 10 ms after `body` settles).
 */
export async function observeGc<T>(
  body: () => T | Promise<T>
): Promise<{ result: T; entries: PerformanceEntry[] }> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver(list => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await body();
    await new Promise(resolve => setTimeout(resolve, 10));
    return { result, entries };
  } finally {
    observer.disconnect();
  }
}

import { constants, type PerformanceEntry } from 'node:perf_hooks';

/** Whether a `gc` performance entry is a major collection that was forced (e.g. by `gc()`). */
export function forcedMajorGc(entry: PerformanceEntry): boolean {
  const { kind, flags } = (entry as PerformanceEntry & { detail: { kind: number; flags: number } }).detail;
  return (
    kind === constants.NODE_PERFORMANCE_GC_MAJOR && (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0
  );
}

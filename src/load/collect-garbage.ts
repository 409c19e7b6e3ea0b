/**
 * A full garbage collection of this process, run just before a trial's measured window (SPEC §3):
 * the collector then has nothing due from what perfgate allocated before (loading its modules, the
 * config, the warmup, the trials before), so a major collection — a pause of several ms that
 * lands in the tail of every request in flight — does not fall inside the window. Benchmark harnesses
 * do the same between iterations (JMH's `-gc true`, BenchmarkDotNet's forced collections).
 *
 * Node exposes a collector call only with `--expose-gc`, which an Action's `node24` runtime cannot
 * be given: the flag is set for one moment to create a context that carries `gc`, and set back, so
 * no other context (a test runner's, a user's hook) sees the global.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/** Collects; false when this runtime gives no way to (the trial then runs without it). */
export function collectGarbage(): boolean {
  if (collect === undefined) collect = collector();
  if (!collect) return false;
  collect();
  return true;
}

function collector(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

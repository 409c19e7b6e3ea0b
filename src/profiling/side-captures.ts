/**
 * One side's captures (SPEC §11): through its pprof endpoint when `profiling.pprof` names one, else
 * through the Node inspector of the process perfgate started that serves the side's target
 * (node-inspector.ts finds it, node-captures.ts records). A side that cannot be profiled — no
 * endpoint for it, a service perfgate did not start, not Node, an inspector that does not answer —
 * gets one warning, and no captures.
 */
import type { ProfilingConfig, ResolvedConfig } from '../config/types.js';
import type { Reporter } from '../reporter.js';
import type { ServiceHandle } from '../service/types.js';
import { InspectorSession } from './inspector.js';
import { nodeCaptures } from './node-captures.js';
import { findInspector, INSPECT_FLAG } from './node-inspector.js';
import { pprofCaptures } from './pprof-capture.js';
import type { ProfileCapture } from './types.js';

/** A pprof request's own time limit (a CPU profile's request adds its seconds). */
const PPROF_TIMEOUT_MS = 10_000;

export interface SideCaptureOptions {
  profiling: ProfilingConfig;
  side: 'head' | 'base';
  config: Pick<ResolvedConfig, 'target' | 'base'>;
  /** The services perfgate started. */
  services: ServiceHandle[];
  reporter: Reporter;
  /** Says what cannot be profiled (into the results' warnings and the log). */
  warn: (message: string) => void;
}

/**
 * The side's captures that `profiling` asks for, or none and a warning saying why. Never throws:
 * a side that cannot be profiled leaves the run unprofiled on that side.
 */
export async function sideCaptures(opts: SideCaptureOptions): Promise<ProfileCapture[]> {
  const { profiling, side, warn } = opts;
  const none = (why: string): ProfileCapture[] => {
    warn(`profiling: the ${side} is not profiled: ${why}`);
    return [];
  };
  if (profiling.pprof) {
    const url = profiling.pprof[side];
    if (!url) return none('profiling.pprof names no endpoint for it (give pprof: { head: URL, base: URL })');
    return pprofCaptures({
      url,
      side,
      cpu: profiling.cpu,
      heap: profiling.heap,
      timeoutMs: PPROF_TIMEOUT_MS,
      warn
    });
  }
  const service = opts.services.find(s => s.side === side);
  const target = side === 'base' ? opts.config.base?.target : opts.config.target;
  if (!service || !target) {
    return none(
      `Node's inspector needs a service perfgate starts (with ${INSPECT_FLAG}); ` +
        'for a service already running, give profiling.pprof'
    );
  }
  const found = await findInspector(service, target);
  if ('missing' in found) return none(found.missing);
  let session: InspectorSession | undefined;
  try {
    session = await InspectorSession.connect(found.webSocketUrl);
    const captures = await nodeCaptures(session, profiling);
    const pid = found.pid !== undefined ? ` (pid ${found.pid})` : '';
    opts.reporter.info(
      `profiling ${side}${pid} through its inspector: ${captures.map(c => c.kind).join(', ')}`
    );
    return captures;
  } catch (err) {
    await session?.close();
    return none(`its inspector could not be used: ${err instanceof Error ? err.message : String(err)}`);
  }
}

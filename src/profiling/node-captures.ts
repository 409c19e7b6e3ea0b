/**
 * CPU and sampled-heap captures through a Node service's inspector (SPEC §11), one recording per
 * measured trial: `Profiler.start` / `HeapProfiler.startSampling` right before the trial's load and
 * `…stop` right after it. A recording never spans a warmup or the pause between trials, and the
 * service serialises each profile between trials, never inside a measured window. The recordings of
 * a load profile are merged when it ends: one native artifact (cpu-profile.ts, heap-profile.ts) and
 * the call tree of every trial's tree merged. A failed command (the service exited, the inspector
 * stopped answering) is recorded, not thrown; later trials are still tried.
 */
import type { ProfileKind } from '../model-profiling.js';
import { mergeTrees, type CallTree } from './call-tree.js';
import { cpuProfileTree, mergeCpuProfiles, type CpuProfile } from './cpu-profile.js';
import { heapProfileTree, mergeHeapProfiles, type HeapProfile } from './heap-profile.js';
import type { InspectorSession } from './inspector.js';
import type { CaptureOutcome, CaptureWindow, ProfileCapture } from './types.js';

/** Longest a `…stop` may take: the service serialises the trial's whole profile. */
const STOP_TIMEOUT_MS = 60_000;

export interface NodeCaptureOptions {
  cpu: boolean;
  heap: boolean;
  /** CPU sampling interval, µs. */
  intervalUs: number;
  /** Mean bytes between heap samples. */
  heapIntervalBytes: number;
}

/** How one kind of profile is recorded and merged. */
interface Recorder<P> {
  kind: ProfileKind;
  start(): Promise<unknown>;
  stop(): Promise<P>;
  tree(p: P): CallTree;
  merge(ps: P[]): P;
  extension: string;
}

/**
 * The captures `opts` asks for over `session`, which they share and which the last of them to be
 * closed closes (or the service, when it exits). The CPU profiler is enabled and its interval set
 * here, before any trial.
 *
 * @throws InspectorError when the profiler cannot be set up.
 */
export async function nodeCaptures(
  session: InspectorSession,
  opts: NodeCaptureOptions
): Promise<ProfileCapture[]> {
  // A Node process with a session attached waits at its exit until the session is gone ("Waiting
  // for the debugger to disconnect..."): let go at once, so that a service exits — and a crash is
  // seen — as it would unprofiled.
  session.on('NodeRuntime.waitingForDisconnect', () => void session.close('the service is exiting'));
  await session.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
  const recorders: Array<Recorder<CpuProfile> | Recorder<HeapProfile>> = [];
  if (opts.cpu) {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: opts.intervalUs });
    recorders.push({
      kind: 'cpu',
      start: () => session.send('Profiler.start'),
      stop: async () =>
        (await session.send<{ profile: CpuProfile }>('Profiler.stop', {}, STOP_TIMEOUT_MS)).profile,
      tree: cpuProfileTree,
      merge: mergeCpuProfiles,
      extension: '.cpuprofile'
    });
  }
  if (opts.heap) {
    recorders.push({
      kind: 'heap',
      start: () => session.send('HeapProfiler.startSampling', { samplingInterval: opts.heapIntervalBytes }),
      stop: async () =>
        (await session.send<{ profile: HeapProfile }>('HeapProfiler.stopSampling', {}, STOP_TIMEOUT_MS))
          .profile,
      tree: heapProfileTree,
      merge: mergeHeapProfiles,
      extension: '.heapprofile'
    });
  }
  let open = recorders.length;
  const release = async () => {
    if (--open === 0) await session.close();
  };
  return recorders.map(r => new NodeCapture(r as Recorder<unknown>, release));
}

/** One kind of profile of one side's service, recorded trial by trial. */
class NodeCapture<P> implements ProfileCapture {
  readonly source = 'node-inspector';
  private recordings: Array<{ profile: P; ms: number }> = [];
  private running?: { window: CaptureWindow; since: number };
  private failure?: string;
  private closed = false;

  constructor(
    private readonly recorder: Recorder<P>,
    private readonly release: () => Promise<void>
  ) {}

  get kind(): ProfileKind {
    return this.recorder.kind;
  }

  async begin(window: CaptureWindow): Promise<void> {
    if (this.closed) return;
    try {
      await this.recorder.start();
      this.running = { window, since: performance.now() };
    } catch (err) {
      this.fail(err, window);
    }
  }

  async end(window: CaptureWindow): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    const ms = performance.now() - running.since;
    try {
      this.recordings.push({ profile: await this.recorder.stop(), ms });
    } catch (err) {
      this.fail(err, window);
    }
  }

  async take(): Promise<CaptureOutcome> {
    const recordings = this.recordings;
    const failure = this.failure;
    this.recordings = [];
    this.failure = undefined;
    const outcome: CaptureOutcome = {
      kind: this.kind,
      source: this.source,
      windows: recordings.length,
      windowMs: recordings.reduce((sum, r) => sum + r.ms, 0),
      ...(failure !== undefined && { missing: failure })
    };
    if (recordings.length === 0) return outcome;
    const profiles = recordings.map(r => r.profile);
    try {
      const tree = mergeTrees(profiles.map(p => this.recorder.tree(p)));
      const artifact = {
        data: JSON.stringify(this.recorder.merge(profiles)),
        extension: this.recorder.extension
      };
      return { ...outcome, tree, artifact };
    } catch (err) {
      // A profile the service sent that cannot be read: nothing of this load profile is usable.
      const why = `the ${this.kind} profiles the inspector sent could not be read: ${message(err)}`;
      return { ...outcome, windows: 0, windowMs: 0, missing: failure ? `${failure}; ${why}` : why };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  /** Keeps the first failure of the load profile: the later ones usually follow from it. */
  private fail(err: unknown, window: CaptureWindow): void {
    this.failure ??= `${message(err)} (trial ${window.trial + 1})`;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

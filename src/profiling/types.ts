/**
 * The seams of profiling (SPEC §11): a `ProfileCapture` records one kind of profile of one side's
 * service over the windows it is told of — the measured trials of a load profile, never start-up or
 * warmup — and hands back what it recorded as a call tree plus the artifact in its native format.
 * Node's inspector (profiling/node-*.ts) and pprof endpoints (profiling/pprof*.ts) are two
 * captures; profiling/profiler.ts drives them and turns their outcomes into `ProfilingResult`
 * through the source-blind call tree (profiling/call-tree.ts).
 */
import type { ProfileKind, ProfileSource } from '../model-profiling.js';
import type { CallTree } from './call-tree.js';

/** One measured window: a trial of the load profile. */
export interface CaptureWindow {
  /** The load profile's name. */
  profile: string;
  side: 'head' | 'base';
  /** The trial's index (as in `TrialResult.index`). */
  trial: number;
  /** The trial's planned duration, ms (a pprof CPU capture asks for this many seconds, rounded up). */
  durationMs: number;
}

/** What a capture recorded over one load profile's windows of one side. */
export interface CaptureOutcome {
  kind: ProfileKind;
  source: ProfileSource;
  /** The merged call tree of every captured window; absent when nothing was captured. */
  tree?: CallTree;
  /**
   * The artifact in its native format, merged over the windows (`.cpuprofile` JSON, `.heapprofile`
   * JSON, `.pb.gz`), and the file extension it is saved with (with its dot).
   */
  artifact?: { data: Uint8Array | string; extension: string };
  /** Windows captured in full. */
  windows: number;
  /** Time covered, ms. */
  windowMs: number;
  /** Why the capture is missing or partial; absent when every window was captured. */
  missing?: string;
}

/** A capture of one kind of profile of one side's service. Never throws for a fault of the service: it records it in `missing`. */
export interface ProfileCapture {
  readonly kind: ProfileKind;
  readonly source: ProfileSource;
  /** Called right before the window's load starts; resolves once recording runs. */
  begin(window: CaptureWindow): Promise<void>;
  /** Called right after the window's load ended. */
  end(window: CaptureWindow): Promise<void>;
  /** After the load profile's last trial of this side: everything recorded since the last `take`, then reset. */
  take(profile: string): Promise<CaptureOutcome>;
  /** Releases connections; idempotent. */
  close(): Promise<void>;
}

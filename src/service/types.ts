import type { PortState } from './port-listeners.js';

/** The running service under test, as the gate sees it. */
export interface ServiceHandle {
  readonly side: 'head' | 'base';
  readonly pid: number;
  /** Absolute path of the file that captures the service's stdout and stderr. */
  readonly logFile: string;
  /**
   * Settles when the service process exits for any reason; never rejects. The gate races load
   * against it to notice a crash mid-run.
   */
  readonly exited: Promise<ServiceExit>;
  /** Last `lines` lines of the service log (for error messages). */
  logTail(lines?: number): string;
  /**
   * Graceful stop: SIGTERM to the process group, then after the grace period SIGKILL to every
   * process of the tree. Resolves when no process of the tree is left. Safe to call twice.
   */
  stop(): Promise<StopOutcome>;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit was caused by `stop()`. */
  expected: boolean;
}

export interface StopOutcome {
  /** True when the tree outlived the grace period after SIGTERM and had to be killed. */
  forced: boolean;
  /**
   * The side's loopback ports that a process outside the stopped tree still listens on, where none
   * or another did before the start: the service escaped its tree (it daemonized or double-forked).
   */
  escaped?: PortState[];
}

/** How the pipeline talks to the person watching: the CLI prints to a terminal, the Action to the job log. */
import type { TrialProgress } from './load/types.js';

export interface TrialProgressEvent extends TrialProgress {
  profile: string;
  side: 'head' | 'base';
  /** 1-based trial number and the planned count. */
  trial: number;
  trials: number;
}

export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** About once a second during a trial. */
  progress(event: TrialProgressEvent): void;
}

/** Replaces every secret value in `text` by `***` (SPEC §1: substituted values never reach logs). */
export function maskSecrets(secrets: readonly string[]): (text: string) => string {
  const sorted = [...secrets].filter(s => s.length > 0).sort((a, b) => b.length - a.length);
  return text => sorted.reduce((t, s) => t.split(s).join('***'), text);
}

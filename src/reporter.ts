/** How the pipeline talks to the person watching: the CLI prints to a terminal, the Action to the job log. */
import type { TrialProgress } from './load/types.js';
import type { Results } from './model.js';
import { maskStrings, secretMask } from './secret-masking.js';

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

/**
 * Replaces every secret value in `text` by `***`, in whatever form a writer escaped it into, and the
 * password of every URL (SPEC §1: substituted values never reach logs). See secret-masking.ts.
 */
export function maskSecrets(secrets: readonly string[]): (text: string) => string {
  return secretMask(secrets);
}

/** Fields of the result model that hold encoded data, not text (see maskStrings). */
const ENCODED_FIELDS: ReadonlySet<string> = new Set(['histogram']);

/**
 * A copy of the results with every secret masked, for whatever leaves the process: the report
 * files, the job summary, the PR comment, stored baselines. Histograms are kept byte for byte.
 */
export function maskResults(results: Results, mask: (text: string) => string): Results {
  return maskStrings(results, mask, ENCODED_FIELDS);
}

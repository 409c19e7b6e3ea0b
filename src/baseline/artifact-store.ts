/**
 * The `artifact` baseline store (SPEC §6): the baseline is the report artifact (`results.json` at
 * its root) of the newest successful baseline run of the same workflow on the default branch. The
 * GitHub side — finding that run, downloading its artifact — is behind `ArtifactSource`
 * (github/baseline-run.ts); this module decides what is usable. Nothing here throws for a missing,
 * expired or corrupt baseline: the caller gets the reason and decides (a notice, or a failure
 * when `baseline.required`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../model.js';
import { readBaseline } from './file-store.js';
import { whyNotTrusted, type StoredBaseline } from './trust.js';

/** A workflow run whose artifact may hold the baseline. */
export interface StoredRun {
  id: number;
  event: string;
  headSha: string;
  createdAt: string;
  url: string;
}

/** Where artifact baselines come from: GitHub's REST API in the Action, a fake in tests. */
export interface ArtifactSource {
  /** The newest successful trusted run of this workflow on the default branch, or why there is none. */
  findRun(): Promise<StoredRun | { missing: string }>;
  /** Downloads and unpacks artifact `name` of `run` into `dir`; returns why not when it cannot. */
  download(run: StoredRun, name: string, dir: string): Promise<{ missing: string } | undefined>;
}

export type FetchedBaseline = StoredBaseline<{ run: StoredRun }>;

/**
 * Fetches and validates the baseline: a complete perfgate results file of this schema, correct in
 * every detail (results-schema.ts), written by a trusted event, whose gate did not fail. The download goes to a temporary directory
 * under `tmpRoot`, removed afterwards.
 */
export async function fetchArtifactBaseline(
  source: ArtifactSource,
  name: string,
  tmpRoot: string
): Promise<FetchedBaseline> {
  const run = await source.findRun();
  if ('missing' in run) return { results: null, reason: run.missing };
  const label = `artifact "${name}" of run ${run.id} (${run.event}, ${run.headSha.slice(0, 7)})`;
  const dir = mkdtempSync(path.join(tmpRoot, 'perfgate-baseline-'));
  try {
    const failed = await source.download(run, name, dir);
    if (failed)
      return { results: null, reason: `the baseline ${label} could not be downloaded: ${failed.missing}` };
    const file = path.join(dir, 'results.json');
    let results: Results | null;
    try {
      // Named by its place in the artifact: the temporary path says nothing to the reader.
      results = readBaseline(file, 'results.json');
    } catch (err) {
      return { results: null, reason: `the baseline ${label} is not usable: ${(err as Error).message}` };
    }
    if (!results) return { results: null, reason: `the baseline ${label} has no results.json at its root` };
    const distrust = whyNotTrusted(results);
    if (distrust) return { results: null, reason: `the baseline ${label} is not used: ${distrust}` };
    return { results, label, run };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

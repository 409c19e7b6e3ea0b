/**
 * The Action's side of stored baselines: which mode a run is in (`auto` from the event), and the
 * gate options that follow — the baseline to compare with in `gate` mode, the baseline to carry the
 * history of in `baseline` mode. Trust (SPEC §6): a pull request never writes a baseline, and the
 * artifact lookup never reads one from a pull request (github/baseline-run.ts).
 */
import os from 'node:os';
import * as core from '@actions/core';
import { fetchArtifactBaseline, type FetchedBaseline } from '../baseline/artifact-store.js';
import { readBaseline } from '../baseline/file-store.js';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { GateOptions } from '../gate.js';
import { githubArtifactSource } from './baseline-run.js';
import { readPayload } from './pull-request.js';

export type RunMode = 'gate' | 'baseline';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
const BASELINE_EVENTS = ['push', 'schedule', 'workflow_dispatch'];

export function isPullRequestEvent(event: string | undefined): boolean {
  return PULL_REQUEST_EVENTS.includes(event ?? '');
}

/**
 * `auto`: push, schedule and manual dispatch make a baseline, anything else gates — and so does a
 * push to another branch than the default one, when the payload names it.
 */
export function effectiveMode(mode: 'auto' | RunMode, env: NodeJS.ProcessEnv): RunMode {
  if (mode !== 'auto') return mode;
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!BASELINE_EVENTS.includes(event)) return 'gate';
  const defaultBranch = readPayload(env.GITHUB_EVENT_PATH).repository?.default_branch;
  const ref = env.GITHUB_REF ?? '';
  if (
    event === 'push' &&
    defaultBranch &&
    ref.startsWith('refs/heads/') &&
    ref !== `refs/heads/${defaultBranch}`
  ) {
    return 'gate';
  }
  return 'baseline';
}

type BaselineOptions = Pick<GateOptions, 'baseline' | 'asBaseline' | 'notes'>;

/**
 * The gate options for the stored baseline. Gate mode: the `file` store is read by the gate; the
 * `artifact` store is fetched here, and a missing, expired or corrupt one gives a notice and a run
 * without comparison — or a UsageError with `baseline.required`. Baseline mode: no comparison;
 * the previous baseline (if any) is fetched only to carry its history on.
 */
export async function baselineOptions(
  config: ResolvedConfig,
  mode: RunMode,
  io: { token: string; artifactName: string; env: NodeJS.ProcessEnv }
): Promise<BaselineOptions> {
  const stored = config.baseline;
  if (mode === 'baseline') return baselineRun(config, io);
  if (!stored) return {};
  if (stored.store === 'file') return { baseline: { file: stored.path, required: stored.required } };
  if (config.base) return { notes: ['Paired mode: the stored baseline artifact was not fetched.'] };
  const fetched = await fetchArtifact(stored.name ?? io.artifactName, io);
  if (fetched.results) {
    core.info(`perfgate: comparing with the baseline ${fetched.label}: ${fetched.run.url}`);
    return { baseline: { results: fetched.results, label: fetched.label } };
  }
  if (stored.required)
    throw new UsageError(`no usable baseline (baseline.required is true): ${fetched.reason}`);
  core.notice(`No baseline to compare with: ${fetched.reason}. Only thresholds are gated.`, {
    title: 'perfgate baseline'
  });
  return { notes: [`No baseline to compare with: ${fetched.reason}.`] };
}

async function baselineRun(
  config: ResolvedConfig,
  io: { token: string; artifactName: string; env: NodeJS.ProcessEnv }
): Promise<BaselineOptions> {
  const event = io.env.GITHUB_EVENT_NAME;
  if (isPullRequestEvent(event)) {
    const why = `mode baseline on a ${event} event: a pull request never writes a baseline, so this run is only gated by its thresholds`;
    core.warning(why, { title: 'perfgate baseline' });
    return { notes: [`Not a baseline: ${why}.`] };
  }
  const notes = [
    'Baseline run: not compared; if it passes, its results are the baseline of later gate runs.'
  ];
  const stored = config.baseline;
  if (!stored || stored.history === 0) return { asBaseline: { previous: null }, notes };
  let previous = null;
  if (stored.store === 'file') {
    try {
      previous = readBaseline(stored.path);
    } catch (err) {
      core.info(`perfgate: ${(err as Error).message}: the history starts anew`);
    }
  } else {
    const fetched = await fetchArtifact(stored.name ?? io.artifactName, io);
    if (fetched.results) core.info(`perfgate: carrying on the history of the baseline ${fetched.label}`);
    else core.info(`perfgate: no previous baseline, the history starts anew: ${fetched.reason}`);
    previous = fetched.results;
  }
  return { asBaseline: { previous }, notes };
}

function fetchArtifact(
  name: string,
  io: { token: string; env: NodeJS.ProcessEnv }
): Promise<FetchedBaseline> {
  return fetchArtifactBaseline(
    githubArtifactSource(io.env, io.token),
    name,
    io.env.RUNNER_TEMP || os.tmpdir()
  );
}

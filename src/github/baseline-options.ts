/**
 * The Action's side of stored baselines: which mode a run is in (`auto` from the event), and the
 * gate options that follow — the baseline to compare with in `gate` mode, the baseline to carry the
 * history of in `baseline` mode. Trust (SPEC §6): a pull request never writes a baseline, and the
 * artifact lookup never reads one from a pull request (github/baseline-run.ts).
 */
import os from 'node:os';
import { logInfo, logNotice, logWarning } from './action-log.js';
import { fetchArtifactBaseline } from '../baseline/artifact-store.js';
import { readBranchBaseline, type Written } from '../baseline/branch-store.js';
import { readBaseline } from '../baseline/file-store.js';
import { TRUSTED_EVENTS, type StoredBaseline } from '../baseline/trust.js';
import type { BaselineConfig, ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { GateOptions } from '../gate.js';
import type { Results } from '../model.js';
import { githubArtifactSource } from './baseline-run.js';
import { dataBranch, gitBackoff, storeOnBranch, whyNotWritable } from './data-branch.js';
import { readPayload } from './pull-request.js';

export type RunMode = 'gate' | 'baseline';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

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
  if (!TRUSTED_EVENTS.includes(event)) return 'gate';
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

export type BaselineOptions = Pick<GateOptions, 'baseline' | 'asBaseline' | 'notes'> & {
  /**
   * Baseline mode with the `branch` store, on a run that may write it: stores the results after
   * the gate (run-action.ts calls it only for a run that qualifies as a baseline).
   */
  save?: (results: Results) => Promise<Written>;
};

interface Io {
  token: string;
  artifactName: string;
  /** The config path as given to the Action, for the data branch's commit messages. */
  configLabel: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The gate options for the stored baseline. Gate mode: the `file` store is read by the gate; the
 * `artifact` and `branch` stores are fetched here, and a missing, expired or corrupt baseline gives
 * a notice and a run without comparison — or a UsageError with `baseline.required`. Baseline mode:
 * no comparison; the previous baseline (if any) is fetched only to carry its history on.
 */
export async function baselineOptions(
  config: ResolvedConfig,
  mode: RunMode,
  io: Io
): Promise<BaselineOptions> {
  const stored = config.baseline;
  if (mode === 'baseline') return baselineRun(config, io);
  if (!stored) return {};
  if (stored.store === 'file') return { baseline: { file: stored.path, required: stored.required } };
  if (config.base)
    return { notes: [`Paired mode: the stored baseline (${stored.store} store) was not fetched.`] };
  const fetched = await fetchStored(config, stored, io);
  if (fetched.results) {
    logInfo(
      `perfgate: comparing with the baseline ${fetched.label}${fetched.link ? `: ${fetched.link}` : ''}`
    );
    return { baseline: { results: fetched.results, label: fetched.label } };
  }
  if (stored.required)
    throw new UsageError(`no usable baseline (baseline.required is true): ${fetched.reason}`);
  logNotice(`No baseline to compare with: ${fetched.reason}. Only thresholds are gated.`, {
    title: 'perfgate baseline'
  });
  return { notes: [`No baseline to compare with: ${fetched.reason}.`] };
}

async function baselineRun(config: ResolvedConfig, io: Io): Promise<BaselineOptions> {
  const event = io.env.GITHUB_EVENT_NAME;
  if (isPullRequestEvent(event)) {
    const why = `mode baseline on a ${event} event: a pull request never writes a baseline, so this run is only gated by its thresholds`;
    logWarning(why, { title: 'perfgate baseline' });
    return { notes: [`Not a baseline: ${why}.`] };
  }
  const stored = config.baseline;
  let save: BaselineOptions['save'];
  let notes = ['Baseline run: not compared; if it passes, its results are the baseline of later gate runs.'];
  if (stored?.store === 'branch') {
    const writer = await branchWriter(config, stored, io);
    if ('why' in writer) {
      logWarning(`This baseline run is not stored: ${writer.why}.`, { title: 'perfgate baseline' });
      notes = [`Baseline run, not stored: ${writer.why}.`];
    } else {
      save = writer.save;
    }
  }
  if (!stored || stored.history === 0)
    return { asBaseline: { previous: null }, notes, ...(save && { save }) };
  let previous = null;
  if (stored.store === 'file') {
    try {
      previous = readBaseline(stored.path);
    } catch (err) {
      logInfo(`perfgate: ${(err as Error).message}: the history starts anew`);
    }
  } else {
    const fetched = await fetchStored(config, stored, io);
    if (fetched.results) logInfo(`perfgate: carrying on the history of the baseline ${fetched.label}`);
    else logInfo(`perfgate: no previous baseline, the history starts anew: ${fetched.reason}`);
    previous = fetched.results;
  }
  return { asBaseline: { previous }, notes, ...(save && { save }) };
}

type RemoteStore = Exclude<BaselineConfig, { store: 'file' }>;

/** The baseline of the `artifact` or `branch` store, validated; `link` to the run it came from. */
async function fetchStored(
  config: ResolvedConfig,
  stored: RemoteStore,
  io: Io
): Promise<StoredBaseline<{ link?: string }>> {
  if (stored.store === 'artifact') {
    const fetched = await fetchArtifactBaseline(
      githubArtifactSource(io.env, io.token),
      stored.name ?? io.artifactName,
      tmpRoot(io)
    );
    return fetched.results ? { ...fetched, link: fetched.run.url } : fetched;
  }
  const store = dataBranch(stored, config.file, io.token, io.env);
  if ('missing' in store) return { results: null, reason: `no data branch: ${store.missing}` };
  return readBranchBaseline(store, tmpRoot(io), {
    wait: gitBackoff(io.env),
    onRetry: message => logInfo(`perfgate: ${message}`)
  });
}

/** What stores this run on the data branch, or why this run must not write it. */
async function branchWriter(
  config: ResolvedConfig,
  stored: Extract<BaselineConfig, { store: 'branch' }>,
  io: Io
): Promise<{ save: NonNullable<BaselineOptions['save']> } | { why: string }> {
  const store = dataBranch(stored, config.file, io.token, io.env);
  if ('missing' in store) return { why: store.missing };
  const why = await whyNotWritable(io.env, io.token, store, tmpRoot(io));
  if (why) return { why };
  return {
    save: results =>
      storeOnBranch(store, results, {
        configs: config.profiles,
        keep: stored.history,
        configLabel: io.configLabel,
        env: io.env,
        tmpRoot: tmpRoot(io),
        log: message => logInfo(`perfgate: ${message}`),
        warn: message => logWarning(message, { title: 'perfgate baseline' })
      })
  };
}

/** Where scratch files go: the runner's temporary directory. */
function tmpRoot(io: Io): string {
  return io.env.RUNNER_TEMP || os.tmpdir();
}

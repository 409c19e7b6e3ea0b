/**
 * The GitHub side of the `branch` baseline store (baseline/branch-store.ts): which repository and
 * file, the token git authenticates with, and who may write.
 *
 * - Remote: `GITHUB_SERVER_URL/GITHUB_REPOSITORY.git`, so GitHub Enterprise Server works too.
 * - Credentials: the token goes to git as an `http.<server>/.extraheader` (as actions/checkout
 *   does) through `GIT_CONFIG_*` variables — never on a command line or in a URL, and never sent
 *   to another host. Reads need `contents: read`, writes `contents: write`.
 * - Trust (SPEC §6): only a push, schedule or manual run on the default branch writes; a pull
 *   request never does, whatever its `mode` says.
 */
import path from 'node:path';
import type { Results } from '../model.js';
import type { ProfileConfig } from '../config/types.js';
import { mergeBaseline } from '../baseline/history.js';
import { TRUSTED_EVENTS } from '../baseline/trust.js';
import { remoteHead, writeBranchBaseline, type DataBranch, type Written } from '../baseline/branch-store.js';
import { backoff, retryOptionsFromEnv } from './api.js';
import { repositoryFacts } from './baseline-run.js';

/** The identity of the commits: GitHub's own Actions bot, as its web UI shows it. */
const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** The job's GIT_* variables git may keep: certificate settings. Others could redirect or change it. */
const GIT_VARS_KEPT = new Set(['GIT_SSL_CAINFO', 'GIT_SSL_CAPATH']);

/**
 * The data branch of this repository: `branch`, holding `file` (default: from the config file's
 * path in the workspace). `token`: the job's GITHUB_TOKEN or another; empty reads a public one.
 */
export function dataBranch(
  stored: { branch: string; path?: string },
  configFile: string,
  token: string,
  env: NodeJS.ProcessEnv
): DataBranch | { missing: string } {
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
    return { missing: 'GITHUB_REPOSITORY is not set (expected owner/repo)' };
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const gitEnv: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith('GIT_') || GIT_VARS_KEPT.has(k))
  );
  // Config from the environment comes last: it clears any credential helper and extra header of
  // the runner's own git config (an empty value resets either list), then sets this token's header.
  const header = `http.${server}/.extraheader`;
  const config: Array<[string, string]> = [
    ['credential.helper', ''],
    [header, ''],
    ...(token ? [[header, `AUTHORIZATION: basic ${basicCredential(token)}`] as [string, string]] : [])
  ];
  Object.assign(gitEnv, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: BOT.name,
    GIT_AUTHOR_EMAIL: BOT.email,
    GIT_COMMITTER_NAME: BOT.name,
    GIT_COMMITTER_EMAIL: BOT.email,
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([key, value], i) => [
        [`GIT_CONFIG_KEY_${i}`, key],
        [`GIT_CONFIG_VALUE_${i}`, value]
      ])
    )
  });
  return {
    remote: `${server}/${repository}.git`,
    repository,
    branch: stored.branch,
    file: stored.path ?? defaultFile(configFile, env.GITHUB_WORKSPACE || process.cwd()),
    env: gitEnv
  };
}

/** The credential git sends: `x-access-token:<token>` in base64, as actions/checkout sends it. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

/**
 * `perfgate/<config path in the workspace without its extension>.json`: one file per config, so
 * several configs share a branch (`perfgate.yml` → `perfgate/perfgate.json`,
 * `services/api/perf.yaml` → `perfgate/services/api/perf.json`). A config outside the workspace
 * goes by its file name.
 */
export function defaultFile(configFile: string, workspace: string): string {
  let relative = path.relative(path.resolve(workspace), path.resolve(configFile));
  if (relative.startsWith('..') || path.isAbsolute(relative)) relative = path.basename(configFile);
  const parts = relative.split(path.sep).filter(p => p !== '' && p !== '.');
  const name = parts.join('/').replace(/\.(ya?ml|json)$/i, '');
  return `perfgate/${name}.json`;
}

/**
 * Why this run must not write the data branch, or undefined when it may: a trusted event on the
 * default branch (from the event payload, else the REST API; unknown counts as no), measuring the
 * commit the default branch is at now — a re-run of an older commit, or a run a newer push
 * overtook, is not stored (the newer commit's run is) — and a data branch that is not the default
 * branch itself.
 */
export async function whyNotWritable(
  env: NodeJS.ProcessEnv,
  token: string,
  store: DataBranch,
  tmpRoot: string
): Promise<string | undefined> {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!TRUSTED_EVENTS.includes(event)) {
    return `a ${event || 'unknown'} event never writes the baseline (only ${TRUSTED_EVENTS.join(', ')} on the default branch do)`;
  }
  const facts = await repositoryFacts(env, token);
  if ('missing' in facts) return `cannot tell the default branch: ${facts.missing}`;
  const ref = env.GITHUB_REF ?? '';
  if (ref !== `refs/heads/${facts.branch}`) {
    return `${ref || 'this ref'} is not the default branch ${facts.branch}; only runs on it write the baseline`;
  }
  if (store.branch === facts.branch) {
    return `baseline.branch is the default branch ${facts.branch}: the data branch must be a branch of its own`;
  }
  const sha = env.GITHUB_SHA ?? '';
  // Unreachable now: the write will say so with git's own message.
  const head = await remoteHead(store, ref, tmpRoot).catch(() => undefined);
  if (sha && head && head !== sha) {
    return `this run measured ${sha.slice(0, 7)}, but ${facts.branch} is at ${head.slice(0, 7)} now (a re-run of an older commit, or overtaken by a newer push, whose run stores instead)`;
  }
  return undefined;
}

/**
 * Stores `results` (a qualifying baseline run) on the branch, merged with whatever the branch holds
 * by then; `keep` history entries. Logs each retry with `log`.
 */
export function storeOnBranch(
  store: DataBranch,
  results: Results,
  opts: {
    configs: readonly ProfileConfig[];
    keep: number;
    configLabel: string;
    env: NodeJS.ProcessEnv;
    tmpRoot: string;
    log: (message: string) => void;
    warn: (message: string) => void;
  }
): Promise<Written> {
  const sha = (results.git.sha ?? '').slice(0, 7) || 'unknown commit';
  const run = opts.env.GITHUB_RUN_ID ? ` run ${opts.env.GITHUB_RUN_ID}` : '';
  return writeBranchBaseline(
    store,
    stored => mergeBaseline(stored, results, opts.configs, opts.keep),
    opts.tmpRoot,
    {
      message: `perfgate baseline: ${opts.configLabel} at ${sha} (${results.git.event ?? 'manual'}${run})`,
      wait: gitBackoff(opts.env),
      onRetry: opts.log,
      onWarning: opts.warn
    }
  );
}

/** The wait after git attempt `n` failed: the same backoff as the REST API's (api.ts). */
export function gitBackoff(env: NodeJS.ProcessEnv): (attempt: number) => number {
  const retry = retryOptionsFromEnv(env);
  return attempt => backoff(attempt - 1, retry);
}

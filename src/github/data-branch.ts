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
import { writeBranchBaseline, type DataBranch, type Written } from '../baseline/branch-store.js';
import { retryOptionsFromEnv } from './api.js';
import { repositoryFacts } from './baseline-run.js';

/** The identity of the commits: GitHub's own Actions bot, as its web UI shows it. */
const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** Variables of the job that would point git at another repository, index or config. */
const GIT_LOCATION_VARS =
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|COMMON_DIR|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|CONFIG_PARAMETERS)$/;

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
    Object.entries(env).filter(([k]) => !GIT_LOCATION_VARS.test(k))
  );
  Object.assign(gitEnv, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: BOT.name,
    GIT_AUTHOR_EMAIL: BOT.email,
    GIT_COMMITTER_NAME: BOT.name,
    GIT_COMMITTER_EMAIL: BOT.email,
    ...(token && {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${server}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basicCredential(token)}`
    })
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
 * default branch (from the event payload, else the REST API). Unknown counts as no.
 */
export async function whyNotWritable(env: NodeJS.ProcessEnv, token: string): Promise<string | undefined> {
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
      backoffMs: retryOptionsFromEnv(opts.env).baseMs,
      onRetry: opts.log
    }
  );
}

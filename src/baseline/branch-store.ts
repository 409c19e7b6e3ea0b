/**
 * The `branch` baseline store (SPEC §6): the baseline is a results file on a data branch of the
 * repository — the newest trusted run, carrying the bounded history of the runs before it
 * (baseline/history.ts). A data branch is permanent, unlike artifacts, so it holds the months of
 * history that trends and change points need.
 *
 * Git does the work, in a scratch bare repository under `tmpRoot`: a shallow fetch of the branch
 * tip, then a commit of the new file built with plumbing (no checkout, no working tree, nothing
 * touched in the user's clone) and a plain push. A push is never forced: when another run pushed
 * first, the push is refused, the tip is fetched again and the two runs are merged
 * (`mergeBaseline`), so concurrent runs lose nothing. The GitHub side — the remote, the token, who
 * may write — is in github/data-branch.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PerfgateError, RuntimeError } from '../errors.js';
import type { Results } from '../model.js';
import { notReplacingNewer, ResultsFileError } from '../results-file.js';
import { parseBaseline } from './file-store.js';
import { git, GitError } from './git.js';
import { whyNotTrusted, type StoredBaseline } from './trust.js';

export interface DataBranch {
  /** The repository to fetch from and push to, as git takes it (`https://github.com/o/r.git`). */
  remote: string;
  /** How the repository is named in messages (`acme/shop`). */
  repository: string;
  branch: string;
  /** The baseline file on the branch. */
  file: string;
  /** The environment git runs with: PATH, HOME, credentials, author. */
  env: NodeJS.ProcessEnv;
}

export interface RetryOptions {
  /** Attempts before giving up on a lost race or a server fault. Default 5 for writes, 3 for reads. */
  attempts?: number;
  /** The wait before attempt `n + 1` after attempt `n` failed (the caller's backoff policy). */
  wait: (attempt: number) => number;
  /** Told why it is tried again. */
  onRetry?: (why: string) => void;
}

export interface WriteOptions extends RetryOptions {
  /** The commit message. */
  message: string;
  /** Told when the file on the branch is replaced rather than merged (corrupt, untrusted). */
  onWarning?: (why: string) => void;
}

export interface Written {
  /** The commit that holds the new file; null when nothing was written (the branch had the run). */
  commit: string | null;
  attempts: number;
  /** The file on the branch afterwards. */
  stored: Results | null;
}

/** The ref the fetched tip is kept under in the scratch repository. */
const TIP = 'refs/perfgate/tip';
/** The oldest git with `GIT_CONFIG_COUNT`, how the credentials reach git. */
const MIN_GIT = [2, 31] as const;

/** How the store is named in messages. */
export function describeStore(store: DataBranch): string {
  return `data branch "${store.branch}" of ${store.repository} (${store.file})`;
}

/**
 * The baseline on the branch, validated (a complete results file of this schema, from a trusted
 * event, whose gate did not fail); or why there is none. A branch or file that does not exist yet,
 * a corrupt file and an unreachable repository are reasons, not exceptions; a server or network
 * fault is tried again first.
 */
export async function readBranchBaseline(
  store: DataBranch,
  tmpRoot: string,
  opts: RetryOptions
): Promise<StoredBaseline<{ commit: string }>> {
  let tip: Tip;
  try {
    tip = await withScratch(tmpRoot, store, scratch =>
      retrying({ attempts: 3, ...opts }, () => fetchTip(scratch, store))
    );
  } catch (err) {
    return { results: null, reason: `cannot fetch the ${describeStore(store)}: ${fetchFailure(err)}` };
  }
  if (!tip.commit) {
    return {
      results: null,
      reason: `the ${describeStore(store)} does not exist yet (a baseline run creates it)`
    };
  }
  const label = `${describeStore(store)} at ${tip.commit.slice(0, 7)}`;
  if (tip.text === null) {
    return { results: null, reason: `the ${label} has no such file yet (a baseline run writes it)` };
  }
  let results: Results;
  try {
    results = parseBaseline(tip.text, `the baseline on the ${label}`);
  } catch (err) {
    return { results: null, reason: (err as Error).message };
  }
  const distrust = whyNotTrusted(results);
  if (distrust) return { results: null, reason: `the baseline on the ${label} is not used: ${distrust}` };
  return { results, label, commit: tip.commit };
}

/**
 * Stores a run on the branch: fetches the tip, lets `merge` decide the file's new content from what
 * is stored there now (null: nothing to write), commits it on top and pushes — never forced. When a
 * push fails, the branch itself tells what happened, whatever git's wording: it moved (another run
 * pushed first: fetch again and merge), it holds our commit (the push landed after all), or neither
 * (a server or network fault is tried again). Refused credentials are not tried again. Throws
 * RuntimeError naming the branch and git's message.
 */
export async function writeBranchBaseline(
  store: DataBranch,
  merge: (stored: Results | null) => Results | null,
  tmpRoot: string,
  opts: WriteOptions
): Promise<Written> {
  const attempts = opts.attempts ?? 5;
  try {
    return await withScratch(tmpRoot, store, async scratch => {
      for (let attempt = 1; ; attempt++) {
        let pushed: { parent: string | null; commit: string; next: Results } | undefined;
        try {
          const tip = await fetchTip(scratch, store);
          const stored = tip.text === null ? null : storedOrNull(tip.text, store, opts.onWarning);
          const next = mergeOrReplace(merge, stored, store, opts.onWarning);
          if (!next) return { commit: null, attempts: attempt, stored };
          const commit = await commitFile(scratch, store, tip.commit, next, opts.message);
          pushed = { parent: tip.commit, commit, next };
          await git(
            [
              'push',
              '--quiet',
              '--no-verify',
              '--no-signed',
              store.remote,
              `${commit}:refs/heads/${store.branch}`
            ],
            { cwd: scratch, env: store.env }
          );
          return { commit, attempts: attempt, stored: next };
        } catch (err) {
          if (!(err instanceof GitError)) throw err;
          let failure = err.failure;
          if (failure === 'denied') throw new RuntimeError(deniedMessage(store, err));
          if (pushed) {
            const now = await remoteHead(store, `refs/heads/${store.branch}`, scratch).catch(() => undefined);
            if (now === pushed.commit)
              return { commit: pushed.commit, attempts: attempt, stored: pushed.next };
            if (now !== undefined && now !== pushed.parent) failure = 'race';
          }
          if (failure === 'other' || attempt >= attempts) {
            throw new RuntimeError(
              `cannot store the baseline on the ${describeStore(store)} after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${err.message}`
            );
          }
          opts.onRetry?.(
            failure === 'race'
              ? `another run pushed to ${store.branch} first; merging with it (attempt ${attempt + 1} of ${attempts})`
              : `${err.message}; trying again (attempt ${attempt + 1} of ${attempts})`
          );
          await sleep(opts.wait(attempt));
        }
      }
    });
  } catch (err) {
    // Already worded (a RuntimeError from the loop), else: git missing or too old, no scratch space.
    if (err instanceof PerfgateError) throw err;
    throw new RuntimeError(
      `cannot store the baseline on the ${describeStore(store)}: ${err instanceof Error ? err.message : String(err)}`
    );
  }
}

/**
 * The commit `ref` of the store's repository points at, or null when there is no such ref
 * (`git ls-remote`; no repository needed). Throws GitError.
 */
export async function remoteHead(store: DataBranch, ref: string, cwd: string): Promise<string | null> {
  const out = await git(['ls-remote', '--quiet', store.remote, ref], { cwd, env: store.env });
  const line = out.split('\n').find(l => l.endsWith(`\t${ref}`));
  return line ? line.split('\t')[0]! : null;
}

interface Tip {
  /** The branch's commit; null when the branch does not exist. */
  commit: string | null;
  /** The baseline file at that commit; null when it is not there. */
  text: string | null;
}

/** Fetches the branch tip (one commit deep) into the scratch repository and reads the file there. */
async function fetchTip(scratch: string, store: DataBranch): Promise<Tip> {
  const ref = `refs/heads/${store.branch}`;
  try {
    await git(['fetch', '--quiet', '--no-tags', '--depth=1', store.remote, `+${ref}:${TIP}`], {
      cwd: scratch,
      env: store.env
    });
  } catch (err) {
    if (err instanceof GitError && /couldn't find remote ref/i.test(err.stderr)) {
      return { commit: null, text: null };
    }
    throw err;
  }
  const commit = (await git(['rev-parse', `${TIP}^{commit}`], { cwd: scratch, env: store.env })).trim();
  const listed = await git(['ls-tree', '-z', '--name-only', commit, '--', store.file], {
    cwd: scratch,
    env: store.env
  });
  if (!listed.split('\0').includes(store.file)) return { commit, text: null };
  const text = await git(['cat-file', 'blob', `${commit}:${store.file}`], { cwd: scratch, env: store.env });
  return { commit, text };
}

/**
 * The stored baseline, or null (replaced, with a warning) when it is not a usable results file or
 * not a trusted one — a file committed by hand from a pull request's run never joins the history.
 * A file of a newer schema is left alone: the run fails rather than wipe another version's history.
 */
function storedOrNull(text: string, store: DataBranch, warn?: (why: string) => void): Results | null {
  const name = `the baseline on the ${describeStore(store)}`;
  let stored: Results;
  try {
    stored = parseBaseline(text, name);
  } catch (err) {
    if (err instanceof ResultsFileError && err.newerSchema !== undefined) {
      throw notReplacingNewer(name, err.newerSchema, 'set another baseline.branch or baseline.path');
    }
    warn?.(`${(err as Error).message}: it is replaced and the history starts anew`);
    return null;
  }
  const distrust = whyNotTrusted(stored);
  if (distrust) {
    warn?.(`${name} is not used: ${distrust}: it is replaced and the history starts anew`);
    return null;
  }
  return stored;
}

/** `merge(stored)`; a stored file too malformed to merge with (a profile without trials) is replaced. */
function mergeOrReplace(
  merge: (stored: Results | null) => Results | null,
  stored: Results | null,
  store: DataBranch,
  warn?: (why: string) => void
): Results | null {
  if (!stored) return merge(null);
  try {
    return merge(stored);
  } catch (err) {
    warn?.(
      `the baseline on the ${describeStore(store)} cannot be merged with (${(err as Error).message}): it is replaced and the history starts anew`
    );
    return merge(null);
  }
}

/**
 * A commit on top of `parent` (null: the branch's first commit) with the file set to `results`,
 * built with plumbing in a scratch index. A new branch gets a README that says what it is.
 */
async function commitFile(
  scratch: string,
  store: DataBranch,
  parent: string | null,
  results: Results,
  message: string
): Promise<string> {
  const env = { ...store.env, GIT_INDEX_FILE: path.join(scratch, 'perfgate-index') };
  const run = (args: string[], input?: string) =>
    git(args, { cwd: scratch, env, ...(input !== undefined && { input }) }).then(s => s.trim());
  await run(parent ? ['read-tree', parent] : ['read-tree', '--empty']);
  const add = async (file: string, text: string) => {
    const blob = await run(['hash-object', '-w', '--stdin'], text);
    await run(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`]);
  };
  await add(store.file, `${JSON.stringify(results, null, 2)}\n`);
  if (!parent && store.file !== 'README.md') await add('README.md', BRANCH_README);
  const tree = await run(['write-tree']);
  return run(['commit-tree', '--no-gpg-sign', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
}

const BRANCH_README = [
  '# perfgate data',
  '',
  `This branch holds the performance baselines perfgate stores (\`baseline.store: branch\`): one`,
  'results file per config, the newest trusted run with the history of the runs before it.',
  'perfgate commits here from push, schedule and manual runs on the default branch; it never',
  'force-pushes. Do not merge this branch into another.',
  ''
].join('\n');

/**
 * A scratch bare repository for one read or write, removed afterwards. Checks first that git is new
 * enough to take the credentials from the environment.
 */
async function withScratch<T>(
  tmpRoot: string,
  store: DataBranch,
  body: (scratch: string) => Promise<T>
): Promise<T> {
  const scratch = mkdtempSync(path.join(tmpRoot, 'perfgate-data-'));
  try {
    await checkGitVersion(scratch, store.env);
    await git(['init', '--quiet', '--bare', scratch], { cwd: scratch, env: store.env });
    return await body(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function checkGitVersion(cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const text = await git(['version'], { cwd, env });
  const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number);
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new GitError(
      ['version'],
      `git ${MIN_GIT.join('.')} or newer is needed, found: ${text.trim()}`,
      false
    );
  }
}

/** Runs `attempt`, trying again on a server or network fault (a GitError of kind transient). */
async function retrying<T>(opts: RetryOptions, attempt: () => Promise<T>): Promise<T> {
  const attempts = opts.attempts ?? 3;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof GitError) || err.failure !== 'transient' || n >= attempts) throw err;
      opts.onRetry?.(`${err.message}; trying again (attempt ${n + 1} of ${attempts})`);
      await sleep(opts.wait(n));
    }
  }
}

function fetchFailure(err: unknown): string {
  if (err instanceof GitError && err.failure === 'denied') {
    return `${err.message} (does the token have \`contents: read\`?)`;
  }
  return err instanceof Error ? err.message : String(err);
}

function deniedMessage(store: DataBranch, err: GitError): string {
  const text = err.stderr;
  const hint = /protected branch/i.test(text)
    ? `the branch "${store.branch}" is protected; let the workflow's token push to it, or pick another branch with baseline.branch`
    : /GH013|rule violations/i.test(text)
      ? `a repository ruleset refuses the push; exempt "${store.branch}" from it (perfgate's commits are unsigned and pushed by the workflow's token), or pick another branch with baseline.branch`
      : /hook declined/i.test(text)
        ? "a pre-receive hook of the server refused the push; see git's message"
        : 'give the job `permissions: contents: write` (the default GITHUB_TOKEN can push to the repository; a fork pull request cannot)';
  return `cannot store the baseline on the ${describeStore(store)}: ${err.message} — ${hint}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The `branch` baseline store end to end: the bundle `dist/index.js` run as a runner runs it, against
 * a real git server (`git http-backend` over HTTP, test/helpers/git-server.ts) playing github.com's
 * git endpoint. The baseline is a results file on the data branch `perfgate-data`, written only by
 * trusted runs on the default branch, never force-pushed, merged when runs race; what a push run
 * commits is what a later pull request compares with. Every case checks the bare repository itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { historyEntry } from '../../src/baseline/history.js';
import type { Results } from '../../src/model.js';
import { exampleConfig } from '../helpers/example-config.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import {
  OTHER_RUNNER,
  branchLog,
  commitToBranch,
  movedOnlyForward,
  readBranchFile,
  startGitServer,
  type GitServer
} from '../helpers/git-server.js';
import { runAction } from '../helpers/run-action.js';

const TOKEN = 'ghs_branch_store_token';
const BRANCH = 'perfgate-data';
/** Where the store puts the results of `perfgate.yml` at the workspace root. */
const FILE = 'perfgate/perfgate.json';
const BOT = 'github-actions[bot]';
const PASSING = 'http_reqs: ["count>0"]';

let server: GitServer;
let github: FakeGitHub;

/** The first baseline run of the file, on acme/shop: its output and the file it stored; seeds later cases. */
let first: { run: RunOutput; text: string; results: Results };
const SHOP = 'acme/shop';

beforeAll(async () => {
  server = await startGitServer({ token: TOKEN });
  github = await FakeGitHub.start({ token: TOKEN });
  const bare = createRepo(SHOP);
  const cfg = await config('{ store: branch }');
  const r = await run(cfg.dir, SHOP, 'push', 101);
  const text = readBranchFile(bare, BRANCH, FILE) ?? '';
  first = { run: r, text, results: (text ? JSON.parse(text) : null) as Results };
}, 60_000);
afterAll(async () => {
  await server?.close();
  await github?.close();
});

/** A short config for the example service (two trials of 500 ms) with `baseline:` set to `baseline`. */
async function config(baseline: string, thresholds = PASSING) {
  const cfg = await exampleConfig({ thresholds });
  const text = readFileSync(cfg.file, 'utf8').replace(
    'warmup: 500ms, duration: 1s',
    'warmup: 200ms, duration: 500ms'
  );
  writeFileSync(cfg.file, `${text}baseline: ${baseline}\n`);
  return cfg;
}

const createRepo = (repo: string) => server.createRepo(repo);

/** Runs the Action for `event` as run `runId` of `repo`, with git at the local server. */
function run(
  dir: string,
  repo: string,
  event: string,
  runId: number,
  extra: Record<string, string> = {},
  envOpts: { ref?: string } = {}
) {
  return runAction(dir, {
    ...github.actionEnv({ repo, event, runId: String(runId), ...envOpts }),
    GITHUB_SERVER_URL: server.url,
    'INPUT_GITHUB-TOKEN': TOKEN,
    PERFGATE_RETRY_BASE_MS: '5',
    INPUT_COMMENT: 'never',
    ...extra
  });
}

type RunOutput = Awaited<ReturnType<typeof run>>;

/** The results file a run wrote to its report directory. */
const reportOf = (r: RunOutput): Results => JSON.parse(readFileSync(r.outputs.results!, 'utf8')) as Results;

/** The baseline file on the data branch of `bare`, parsed (fails the test when absent). */
function stored(bare: string): Results {
  const text = readBranchFile(bare, BRANCH, FILE);
  expect(text).not.toBeNull();
  return JSON.parse(text!) as Results;
}

function bareGit(bare: string, args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
  return execFileSync('git', ['--git-dir', bare, ...args], {
    env: { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
    encoding: 'utf8'
  });
}

/** The data branch only ever moved forward (no force push), and every commit is in the log. */
function expectLinearNoForcePush(bare: string): void {
  expect(movedOnlyForward(bare, BRANCH)).toBe(true);
}

const pushesTo = (repo: string) =>
  server.requests.filter(r => r.method === 'POST' && r.path === `/${repo}.git/git-receive-pack`);
const requestsTo = (repo: string) => server.requests.filter(r => r.path.startsWith(`/${repo}.git/`));

describe('baseline store: branch', () => {
  const REPO = SHOP;
  let bare: string;
  beforeAll(() => (bare = server.repoPath(REPO)));

  it('(1) a push to the default branch stores its results on perfgate-data, with a README, as the Actions bot', () => {
    const r = first.run;
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode baseline (auto, event push)');
    expect(r.stdout).toContain(
      `perfgate: no previous baseline, the history starts anew: the data branch "${BRANCH}" of ${REPO} (${FILE}) does not exist yet (a baseline run creates it)`
    );
    const log = branchLog(bare, BRANCH);
    expect(log).toEqual([
      {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        message: 'perfgate baseline: perfgate.yml at c0ffee0 (push run 101)',
        author: BOT,
        files: ['README.md', FILE]
      }
    ]);
    expect(r.stdout).toContain(
      `perfgate: stored as the baseline (with 0 earlier runs) in commit ${log[0]!.sha.slice(0, 7)}`
    );
    expect(bareGit(bare, ['log', '-1', '--format=%ae %cn %ce', `refs/heads/${BRANCH}`]).trim()).toBe(
      `41898282+github-actions[bot]@users.noreply.github.com ${BOT} 41898282+github-actions[bot]@users.noreply.github.com`
    );
    expect(readBranchFile(bare, BRANCH, 'README.md')).toMatch(/^# perfgate data\n/);
    // Only the data branch: nothing else of the repository was touched.
    expect(bareGit(bare, ['for-each-ref', '--format=%(refname)']).trim()).toBe(`refs/heads/${BRANCH}`);

    // The stored file is this run's report, pretty-printed.
    expect(first.results).toMatchObject({
      schemaVersion: 2,
      tool: { name: 'perfgate' },
      status: 'complete',
      verdict: 'pass',
      comparisons: [],
      git: {
        event: 'push',
        ref: 'refs/heads/main',
        repository: REPO,
        sha: 'c0ffee0000000000000000000000000000000000'
      }
    });
    expect(first.results.history).toBeUndefined();
    expect(first.text).toBe(`${JSON.stringify(first.results, null, 2)}\n`);
    expect(first.results.createdAt).toBe(reportOf(r).createdAt);

    // git sent the token on every request (the header, not a URL or a prompt), and pushed once.
    const requests = requestsTo(REPO);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every(q => q.authorized && q.status === 200)).toBe(true);
    expect(pushesTo(REPO)).toEqual([expect.objectContaining({ status: 200, authorized: true })]);
    // The token and the credential made of it are masked before anything could print them.
    const credential = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const leaks = r.stdout.split('\n').filter(l => l.includes(TOKEN) || l.includes(credential));
    expect(leaks).toEqual([`::add-mask::${TOKEN}`, `::add-mask::${credential}`]);
  });

  it('(2) a pull request reads it and compares unpaired; the branch is left as it was', async () => {
    const before = branchLog(bare, BRANCH);
    const pushes = pushesTo(REPO).length;
    // The pull request changes the config (a threshold), so the report says which baseline it used.
    const pr = await config('{ store: branch }', 'http_reqs: ["count>1"]');
    const r = await run(pr.dir, REPO, 'pull_request', 102);
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode gate (auto, event pull_request)');
    const label = `data branch "${BRANCH}" of ${REPO} (${FILE}) at ${before[0]!.sha.slice(0, 7)}`;
    expect(r.stdout).toContain(`perfgate: comparing with the baseline ${label}`);
    const results = reportOf(r);
    expect(results.git.event).toBe('pull_request');
    expect(results.comparisons.length).toBeGreaterThan(0);
    for (const c of results.comparisons) expect(c.test).toBe('mann-whitney-u');
    expect(results.notes.join('\n')).not.toMatch(/No baseline|No base to compare/);
    expect(results.notes).toContain(
      `Compared with the baseline ${label} (measured ${first.results.createdAt} at c0ffee0, push).`
    );
    expect(results.notes).toContain(
      `The baseline ${label} was measured with a different config (hash ${first.results.configHash.slice(0, 12)}).`
    );
    expect(r.summary).toContain('### Base vs head');
    expect(r.summary).toContain(`The baseline ${label} was measured with a different config`);
    expect(r.outputs.verdict).toMatch(/^(pass|inconclusive)$/);

    expect(branchLog(bare, BRANCH)).toEqual(before);
    expect(pushesTo(REPO)).toHaveLength(pushes);
    expect(readBranchFile(bare, BRANCH, FILE)).toBe(first.text);
  }, 60_000);
});

describe('baseline store: branch, history', () => {
  const REPO = 'acme/history';

  it('(3) trusted runs accumulate a bounded history: with history 2, four runs keep the newest and two before it', async () => {
    const bare = createRepo(REPO);
    // One config for all runs, as a repository has: the same file, the same hash.
    const cfg = await config('{ store: branch, history: 2 }');
    const events = ['push', 'schedule', 'push', 'schedule'];
    const reports: Results[] = [];
    for (const [i, event] of events.entries()) {
      const r = await run(cfg.dir, REPO, event, 301 + i);
      expect(r.stdout).not.toContain('::error');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`perfgate: mode baseline (auto, event ${event})`);
      const earlier = Math.min(i, 2);
      expect(r.stdout).toContain(
        `perfgate: stored as the baseline (with ${earlier} earlier run${earlier === 1 ? '' : 's'}) in commit`
      );
      reports.push(reportOf(r));
    }
    const baseline = stored(bare);
    expect(baseline.createdAt).toBe(reports[3]!.createdAt);
    expect(baseline).toMatchObject({ status: 'complete', git: { event: 'schedule' } });
    expect(baseline.history?.map(h => h.createdAt)).toEqual([reports[1]!.createdAt, reports[2]!.createdAt]);
    for (const h of baseline.history!) expect(Object.keys(h.profiles)).toEqual(['hello']);

    const log = branchLog(bare, BRANCH);
    expect(log.map(c => [c.author, c.message, c.files])).toEqual([
      [BOT, 'perfgate baseline: perfgate.yml at c0ffee0 (push run 301)', ['README.md', FILE]],
      [BOT, 'perfgate baseline: perfgate.yml at c0ffee0 (schedule run 302)', [FILE]],
      [BOT, 'perfgate baseline: perfgate.yml at c0ffee0 (push run 303)', [FILE]],
      [BOT, 'perfgate baseline: perfgate.yml at c0ffee0 (schedule run 304)', [FILE]]
    ]);
    expectLinearNoForcePush(bare);
    expect(pushesTo(REPO).map(p => p.status)).toEqual([200, 200, 200, 200]);
  }, 90_000);
});

describe('baseline store: branch, trust', () => {
  const REPO = 'acme/trust';
  let bare: string;
  let seed: string;
  beforeAll(() => {
    bare = createRepo(REPO);
    // A baseline from an earlier push run, as another runner left it.
    seed = commitToBranch(bare, BRANCH, { [FILE]: first.text }, 'an earlier baseline');
  });

  const unchanged = (pushes: number) => {
    expect(branchLog(bare, BRANCH).map(c => c.sha)).toEqual([seed]);
    expect(readBranchFile(bare, BRANCH, FILE)).toBe(first.text);
    expect(pushesTo(REPO)).toHaveLength(pushes);
    expect(requestsTo(REPO).filter(q => q.service === 'git-receive-pack')).toHaveLength(pushes);
  };

  it('(4) mode baseline on a pull request never writes (a warning), and never even looks', async () => {
    const cfg = await config('{ store: branch }');
    const asked = requestsTo(REPO).length;
    const r = await run(cfg.dir, REPO, 'pull_request', 401, { INPUT_MODE: 'baseline' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode baseline\n');
    expect(r.stdout).toContain(
      '::warning title=perfgate baseline::mode baseline on a pull_request event: a pull request never writes a baseline'
    );
    expect(reportOf(r)).toMatchObject({
      status: 'complete',
      comparisons: [],
      git: { event: 'pull_request' }
    });
    expect(reportOf(r).history).toBeUndefined();
    expect(reportOf(r).notes.join('\n')).toContain('Not a baseline: mode baseline on a pull_request event');
    expect(requestsTo(REPO)).toHaveLength(asked);
    unchanged(0);
  }, 60_000);

  it('(4) mode baseline on a push to another branch than the default one does not write', async () => {
    const cfg = await config('{ store: branch }');
    const r = await run(
      cfg.dir,
      REPO,
      'push',
      402,
      { INPUT_MODE: 'baseline' },
      { ref: 'refs/heads/feature' }
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::warning title=perfgate baseline::This baseline run is not stored: refs/heads/feature is not the default branch main; only runs on it write the baseline.'
    );
    expect(reportOf(r)).toMatchObject({
      status: 'complete',
      git: { event: 'push', ref: 'refs/heads/feature' }
    });
    expect(reportOf(r).notes).toContain(
      'Baseline run, not stored: refs/heads/feature is not the default branch main; only runs on it write the baseline.'
    );
    expect(r.stdout).not.toContain('perfgate: stored as the baseline');
    unchanged(0);
  }, 60_000);

  it('(4) a baseline run on the default branch that fails its gate does not write', async () => {
    const cfg = await config('{ store: branch }', 'http_req_duration: ["p(50)<0.001"]');
    const r = await run(cfg.dir, REPO, 'push', 403);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('perfgate: mode baseline (auto, event push)');
    expect(r.stdout).toContain('::warning::this run is not a baseline: it failed its gate');
    expect(r.stdout).toContain('::error::perfgate: gate failed: 1 threshold(s) broken');
    expect(r.outputs.verdict).toBe('fail');
    expect(reportOf(r)).toMatchObject({ status: 'complete', verdict: 'fail' });
    expect(r.stdout).not.toContain('perfgate: stored as the baseline');
    unchanged(0);
  }, 60_000);
});

describe('baseline store: branch, an outdated commit', () => {
  it('(4) a run of a commit the default branch has moved past (a re-run) does not write', async () => {
    const REPO = 'acme/rerun';
    const bare = createRepo(REPO);
    const seed = commitToBranch(bare, BRANCH, { [FILE]: first.text }, 'an earlier baseline');
    // The default branch is at a newer commit than the run's GITHUB_SHA (c0ffee0).
    const head = commitToBranch(bare, 'main', { 'app.js': 'v2' }, 'a newer commit');
    const r = await run((await config('{ store: branch }')).dir, REPO, 'workflow_dispatch', 404);
    expect(r.code).toBe(0);
    const why = `this run measured c0ffee0, but main is at ${head.slice(0, 7)} now (a re-run of an older commit, or overtaken by a newer push, whose run stores instead)`;
    expect(r.stdout).toContain(`::warning title=perfgate baseline::This baseline run is not stored: ${why}.`);
    expect(reportOf(r).notes).toContain(`Baseline run, not stored: ${why}.`);
    expect(branchLog(bare, BRANCH).map(c => c.sha)).toEqual([seed]);
    expect(pushesTo(REPO)).toHaveLength(0);
  }, 60_000);
});

describe('baseline store: branch, concurrency', () => {
  it('(5) two baseline runs at the same moment both end up in the store; the branch only moves forward', async () => {
    const REPO = 'acme/race';
    const bare = createRepo(REPO);
    const seed = commitToBranch(bare, BRANCH, { [FILE]: first.text }, 'an earlier baseline');
    const [a, b] = await Promise.all([
      config('{ store: branch }').then(cfg => run(cfg.dir, REPO, 'push', 501)),
      config('{ store: branch }').then(cfg => run(cfg.dir, REPO, 'schedule', 502))
    ]);
    for (const r of [a, b]) {
      expect(r.stdout).not.toContain('::error');
      expect(r.code).toBe(0);
      // The older run says where it went when the newer one pushed first.
      expect(r.stdout).toMatch(
        /perfgate: (stored as the baseline|a newer run is the baseline; stored this one in its history)/
      );
    }
    // The newer run is the baseline; the other one and the seed are its history, oldest first.
    const baseline = stored(bare);
    const runs = [reportOf(a), reportOf(b)];
    const newer = runs.find(x => x.createdAt === baseline.createdAt && x.configHash === baseline.configHash);
    expect(newer).toBeDefined();
    const older = runs.find(x => x !== newer)!;
    expect(Date.parse(newer!.createdAt)).toBeGreaterThanOrEqual(Date.parse(older.createdAt));
    expect(baseline.git.event).toBe(newer!.git.event);
    expect(baseline.history?.map(h => [h.createdAt, h.configHash])).toEqual([
      [first.results.createdAt, first.results.configHash],
      [older.createdAt, older.configHash]
    ]);

    const log = branchLog(bare, BRANCH);
    expect(log[0]!.sha).toBe(seed);
    expect(log.slice(1).map(c => c.author)).toEqual([BOT, BOT]);
    expect(
      log
        .slice(1)
        .map(c => c.message)
        .sort()
    ).toEqual([
      'perfgate baseline: perfgate.yml at c0ffee0 (push run 501)',
      'perfgate baseline: perfgate.yml at c0ffee0 (schedule run 502)'
    ]);
    expectLinearNoForcePush(bare);
    // Whether the two pushes collided depends on timing; a push that lost the race was refused by
    // the server and made again on top of the winner (the checks above), never forced.
    expect(pushesTo(REPO).length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('(5) a commit landing just before the push: the run fetches again, merges and pushes on top', async () => {
    const REPO = 'acme/race-hook';
    const bare = createRepo(REPO);
    const seed = commitToBranch(bare, BRANCH, { [FILE]: first.text }, 'an earlier baseline');
    const cfg = await config('{ store: branch }');
    // Another runner's baseline run, started just before this one, that pushed first; it carried
    // the seed on as its history.
    const other: Results = {
      ...first.results,
      createdAt: new Date().toISOString(),
      git: { ...first.results.git, event: 'schedule' },
      history: [historyEntry(first.results, [])]
    };
    let theirs = '';
    server.beforeNextPush(() => {
      theirs = commitToBranch(bare, BRANCH, { [FILE]: `${JSON.stringify(other, null, 2)}\n` }, 'another run');
    });

    const r = await run(cfg.dir, REPO, 'push', 503);

    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(theirs).not.toBe('');
    expect(r.stdout).toContain(
      `perfgate: another run pushed to ${BRANCH} first; merging with it (attempt 2 of 5)`
    );
    expect(r.stdout).toMatch(
      /perfgate: stored as the baseline \(with 2 earlier runs\) in commit [0-9a-f]{7} after 2 attempts/
    );
    const baseline = stored(bare);
    const ours = reportOf(r);
    expect(Date.parse(ours.createdAt)).toBeGreaterThan(Date.parse(other.createdAt));
    expect(baseline.createdAt).toBe(ours.createdAt);
    expect(baseline.history?.map(h => h.createdAt)).toEqual([first.results.createdAt, other.createdAt]);
    const log = branchLog(bare, BRANCH);
    expect(log.map(c => [c.sha, c.author])).toEqual([
      [seed, OTHER_RUNNER.name],
      [theirs, OTHER_RUNNER.name],
      [expect.any(String), BOT]
    ]);
    expectLinearNoForcePush(bare);
    expect(pushesTo(REPO).map(p => p.status)).toEqual([200, 200]);
  }, 60_000);
});

describe('baseline store: branch, faults', () => {
  it('(6) the first push answered 500: tried again, stored', async () => {
    const REPO = 'acme/flaky';
    const bare = createRepo(REPO);
    const cfg = await config('{ store: branch }');
    server.failNextPushes(1, 500);
    const r = await run(cfg.dir, REPO, 'push', 601);
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/perfgate: git push failed: .*500.*; trying again \(attempt 2 of 5\)/);
    expect(r.stdout).toMatch(
      /perfgate: stored as the baseline \(with 0 earlier runs\) in commit [0-9a-f]{7} after 2 attempts/
    );
    expect(pushesTo(REPO).map(p => p.status)).toEqual([500, 200]);
    expect(stored(bare).createdAt).toBe(reportOf(r).createdAt);
    expect(branchLog(bare, BRANCH)).toHaveLength(1);
  }, 60_000);

  it('(6) a token that may not push: the job fails naming the branch and contents: write; the report is kept', async () => {
    const REPO = 'acme/readonly';
    const bare = createRepo(REPO);
    const cfg = await config('{ store: branch }');
    const r = await run(cfg.dir, REPO, 'push', 602, { 'INPUT_GITHUB-TOKEN': 'ghs_a_token_without_write' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(
      `::error::perfgate: measured, but this baseline run was not stored: cannot store the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}): git push failed`
    );
    expect(r.stdout).toContain('`permissions: contents: write`');
    expect(r.stdout).not.toMatch(/\n\s+at /);
    // Refused credentials are not tried again.
    expect(
      requestsTo(REPO)
        .filter(q => q.service === 'git-receive-pack')
        .map(q => q.status)
    ).toEqual([401]);
    expect(pushesTo(REPO)).toEqual([]);
    expect(requestsTo(REPO).every(q => !q.authorized)).toBe(true);
    expect(branchLog(bare, BRANCH)).toEqual([]);
    // What was measured is kept.
    expect(existsSync(r.outputs.results!)).toBe(true);
    expect(reportOf(r)).toMatchObject({ status: 'complete', verdict: 'pass', git: { event: 'push' } });
    expect(reportOf(r).profiles[0]!.head.trials).toHaveLength(2);
  }, 60_000);

  it('(6) gate mode with baseline.required and no data branch yet: a clear failure', async () => {
    const REPO = 'acme/empty';
    createRepo(REPO);
    const cfg = await config('{ store: branch, required: true }');
    const r = await run(cfg.dir, REPO, 'pull_request', 603);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `::error::perfgate: no usable baseline (baseline.required is true): the data branch "${BRANCH}" of ${REPO} (${FILE}) does not exist yet (a baseline run creates it)`
    );
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.summary).toContain('perfgate: run failed');
  }, 60_000);

  it('(6) gate mode without baseline.required and no data branch yet: a notice, thresholds only', async () => {
    const REPO = 'acme/empty';
    const cfg = await config('{ store: branch }');
    const r = await run(cfg.dir, REPO, 'pull_request', 604);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `::notice title=perfgate baseline::No baseline to compare with: the data branch "${BRANCH}" of ${REPO} (${FILE}) does not exist yet (a baseline run creates it). Only thresholds are gated.`
    );
    const results = reportOf(r);
    expect(results).toMatchObject({ status: 'complete', verdict: 'pass', comparisons: [] });
    expect(results.thresholds.length).toBeGreaterThan(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(branchLog(server.repoPath(REPO), BRANCH)).toEqual([]);
  }, 60_000);
});

describe('baseline store: branch, a corrupt file', () => {
  it('(7) a pull request gives a notice naming it and gates thresholds only; the next baseline run replaces it', async () => {
    const REPO = 'acme/corrupt';
    const bare = createRepo(REPO);
    const broken = commitToBranch(bare, BRANCH, { [FILE]: '{not json' }, 'a broken file');
    const at = `data branch "${BRANCH}" of ${REPO} (${FILE}) at ${broken.slice(0, 7)}`;

    const pr = await run((await config('{ store: branch }')).dir, REPO, 'pull_request', 701);
    expect(pr.code).toBe(0);
    expect(pr.stdout).toContain(
      `::notice title=perfgate baseline::No baseline to compare with: the baseline on the ${at}: not valid JSON at line 1, column 2: `
    );
    expect(pr.stdout).toContain('Only thresholds are gated.');
    expect(reportOf(pr)).toMatchObject({ status: 'complete', verdict: 'pass', comparisons: [] });
    expect(branchLog(bare, BRANCH).map(c => c.sha)).toEqual([broken]);

    const push = await run((await config('{ store: branch }')).dir, REPO, 'push', 702);
    expect(push.stdout).not.toContain('::error');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain(
      `perfgate: no previous baseline, the history starts anew: the baseline on the ${at}: not valid JSON at line 1, column 2: `
    );
    expect(push.stdout).toMatch(/: it is replaced and the history starts anew/);
    const baseline = stored(bare);
    expect(baseline).toMatchObject({
      status: 'complete',
      createdAt: reportOf(push).createdAt,
      git: { event: 'push' }
    });
    expect(baseline.history).toBeUndefined();
    const log = branchLog(bare, BRANCH);
    expect(log.map(c => [c.author, c.files])).toEqual([
      [OTHER_RUNNER.name, [FILE]],
      [BOT, [FILE]]
    ]);
    expectLinearNoForcePush(bare);
  }, 60_000);
});

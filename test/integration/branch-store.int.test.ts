/**
 * The `branch` store's git side against a real git server (`git http-backend` over HTTP on
 * 127.0.0.1, test/helpers/git-server.ts): reading and writing the data branch, bounded history,
 * lost push races, server faults, refused credentials and corrupt files. The Action around it is
 * tested in baseline-branch.int.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  readBranchBaseline,
  writeBranchBaseline,
  type DataBranch,
  type WriteOptions
} from '../../src/baseline/branch-store.js';
import { mergeBaseline } from '../../src/baseline/history.js';
import type { ProfileConfig } from '../../src/config/types.js';
import { dataBranch } from '../../src/github/data-branch.js';
import type { Results } from '../../src/model.js';
import {
  branchLog,
  commitToBranch,
  movedOnlyForward,
  readBranchFile,
  startGitServer,
  type GitServer
} from '../helpers/git-server.js';
import { sampleResults } from '../helpers/results.js';

const TOKEN = 'ghs_branch_store_token';
const REPO = 'acme/shop';
const BRANCH = 'perfgate-data';
const FILE = 'perfgate/api.json';
const configs = [{ name: 'hello', compare: { 'http_req_duration.med': 0.05 } }] as unknown as ProfileConfig[];
const tmp = os.tmpdir();

let server: GitServer;
let bare: string;
beforeEach(async () => {
  server = await startGitServer({ token: TOKEN });
  bare = server.createRepo(REPO);
});
afterEach(() => server.close());

/** The store as the Action builds it, pointed at the local server. */
function store(token = TOKEN): DataBranch {
  const env = {
    PATH: process.env.PATH,
    HOME: tmp,
    GIT_CONFIG_NOSYSTEM: '1',
    GITHUB_REPOSITORY: REPO,
    GITHUB_SERVER_URL: server.url
  };
  return dataBranch({ branch: BRANCH, path: FILE }, '/w/perfgate.yml', token, env) as DataBranch;
}

/** A trusted baseline run on day `d` of November. */
function run(d: number, over: Partial<Results> = {}): Results {
  const day = String(d).padStart(2, '0');
  return sampleResults({
    createdAt: `2026-11-${day}T03:00:00.000Z`,
    git: { sha: `${day}`.repeat(20), event: 'schedule' },
    verdict: 'pass',
    ...over
  });
}

/** Writes `ours` the way the Action does: merged with what the branch holds, `keep` entries. */
function save(ours: Results, keep = 20, opts: Partial<WriteOptions> = {}, s = store()) {
  return writeBranchBaseline(s, stored => mergeBaseline(stored, ours, configs, keep), tmp, {
    message: `perfgate baseline: ${ours.createdAt}`,
    wait: () => 1,
    ...opts
  });
}

const stored = (): Results => JSON.parse(readBranchFile(bare, BRANCH, FILE)!) as Results;
const days = (r: Results) => [
  ...(r.history ?? []).map(h => Number(h.createdAt.slice(8, 10))),
  Number(r.createdAt.slice(8, 10))
];
const linear = () => movedOnlyForward(bare, BRANCH);
const pushes = () => server.requests.filter(r => r.method === 'POST' && r.path.endsWith('/git-receive-pack'));

describe('branch store', () => {
  it('says the branch does not exist yet before the first baseline run', async () => {
    await expect(readBranchBaseline(store(), tmp, { wait: () => 1 })).resolves.toEqual({
      results: null,
      reason: `the data branch "${BRANCH}" of ${REPO} (${FILE}) does not exist yet (a baseline run creates it)`
    });
  });

  it('creates the branch with the results file and a README, then reads it back', async () => {
    const written = await save(run(1));
    expect(written).toMatchObject({ attempts: 1, stored: run(1) });
    const log = branchLog(bare, BRANCH);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      sha: written.commit,
      message: 'perfgate baseline: 2026-11-01T03:00:00.000Z',
      author: 'github-actions[bot]'
    });
    expect(log[0]!.files.sort()).toEqual(['README.md', FILE]);
    expect(stored()).toEqual(run(1));
    // Pushed with the token, over HTTP.
    expect(pushes().every(r => r.authorized && r.status === 200)).toBe(true);

    const read = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect(read).toEqual({
      results: run(1),
      label: `data branch "${BRANCH}" of ${REPO} (${FILE}) at ${written.commit!.slice(0, 7)}`,
      commit: written.commit
    });
  });

  it('keeps a bounded history, one commit per run, each on top of the last (never forced)', async () => {
    for (const d of [1, 2, 3, 4, 5]) await save(run(d), 3);
    expect(days(stored())).toEqual([2, 3, 4, 5]);
    const log = branchLog(bare, BRANCH);
    expect(log).toHaveLength(5);
    expect(log.slice(1).every(c => c.files.length === 1 && c.files[0] === FILE)).toBe(true);
    expect(linear()).toBe(true);
  });

  it('merges with a run that pushed first, losing neither', async () => {
    await save(run(1));
    // Another runner's run of day 2 lands after this one fetched, before it pushes.
    server.beforeNextPush(() => {
      const theirs = mergeBaseline(run(1), run(2), configs, 20)!;
      commitToBranch(bare, BRANCH, { [FILE]: `${JSON.stringify(theirs, null, 2)}\n` });
    });
    const retries: string[] = [];
    const written = await save(run(3), 20, { onRetry: m => retries.push(m) });
    expect(written.attempts).toBe(2);
    expect(retries).toEqual([`another run pushed to ${BRANCH} first; merging with it (attempt 2 of 5)`]);
    expect(days(stored())).toEqual([1, 2, 3]);
    expect(branchLog(bare, BRANCH)).toHaveLength(3);
    expect(linear()).toBe(true);
  });

  it('keeps a newer run that pushed first as the baseline and files the older one in its history', async () => {
    await save(run(1));
    server.beforeNextPush(() => {
      const theirs = mergeBaseline(run(1), run(4), configs, 20)!;
      commitToBranch(bare, BRANCH, { [FILE]: `${JSON.stringify(theirs)}\n` });
    });
    await save(run(3));
    expect(days(stored())).toEqual([1, 3, 4]);
  });

  it('tries again after a server error, and gives up after the last attempt with git’s message', async () => {
    server.failNextPushes(1, 500);
    const retries: string[] = [];
    await expect(save(run(1), 20, { onRetry: m => retries.push(m) })).resolves.toMatchObject({ attempts: 2 });
    expect(retries[0]).toMatch(
      /^git push failed: error: RPC failed; HTTP 500 .*; trying again \(attempt 2 of 5\)$/
    );
    expect(days(stored())).toEqual([1]);

    server.failNextPushes(3, 502);
    await expect(save(run(2), 20, { attempts: 3 })).rejects.toThrow(
      new RegExp(
        `^cannot store the baseline on the data branch "${BRANCH}" of ${REPO} \\(${FILE}\\) after 3 attempts: git push failed: .*502`
      )
    );
    expect(days(stored())).toEqual([1]);
  });

  it('tells a lost race from the branch itself, whatever git says (here a 500 after another push landed)', async () => {
    await save(run(1));
    server.beforeNextPush(() => {
      commitToBranch(bare, BRANCH, {
        [FILE]: `${JSON.stringify(mergeBaseline(run(1), run(2), configs, 20))}\n`
      });
    });
    server.failNextPushes(1, 500);
    const retries: string[] = [];
    await expect(save(run(3), 20, { onRetry: m => retries.push(m) })).resolves.toMatchObject({ attempts: 2 });
    expect(retries).toEqual([`another run pushed to ${BRANCH} first; merging with it (attempt 2 of 5)`]);
    expect(days(stored())).toEqual([1, 2, 3]);
  });

  it("ignores the runner's own credential helper and extra headers: only this token is sent", async () => {
    const home = mkdtempSync(path.join(tmp, 'perfgate-home-'));
    writeFileSync(
      path.join(home, '.gitconfig'),
      [
        '[http]',
        `\textraheader = AUTHORIZATION: basic ${Buffer.from('x-access-token:someone-else').toString('base64')}`,
        '[credential]',
        '\thelper = "!f() { echo username=intruder; echo password=nope; }; f"',
        '[push]',
        '\tgpgSign = true',
        '[commit]',
        '\tgpgSign = true'
      ].join('\n')
    );
    const s = store();
    await save(run(1), 20, {}, { ...s, env: { ...s.env, HOME: home } });
    expect(pushes().map(r => [r.status, r.authorized])).toEqual([[200, true]]);
    expect(days(stored())).toEqual([1]);
  });

  it('leaves a file of a newer perfgate alone and fails, naming it, whatever its shape', async () => {
    // A newer schema may be shaped otherwise: that is no reason to wipe its history.
    const newer = JSON.stringify({ ...run(1), schemaVersion: 99, profiles: { reshaped: true } });
    const sha = commitToBranch(bare, BRANCH, { [FILE]: newer });
    const read = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect('reason' in read && read.reason).toBe(
      `the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}) at ${sha.slice(0, 7)}: written by a newer perfgate (schemaVersion 99; this one reads 2): upgrade perfgate to read it`
    );
    await expect(save(run(2))).rejects.toThrow(
      `the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}) was written by a newer perfgate (schemaVersion 99, this one writes 2): not replacing it — upgrade perfgate, or set another baseline.branch or baseline.path`
    );
    expect(readBranchFile(bare, BRANCH, FILE)).toBe(newer);
  });

  it('fails at once, naming the permission, when the token may not push', async () => {
    await expect(save(run(1), 20, {}, store('ghs_wrong'))).rejects.toThrow(
      `cannot store the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}): git push failed: fatal: could not read Username for '${server.url}': terminal prompts disabled — give the job \`permissions: contents: write\``
    );
    expect(pushes()).toHaveLength(0);
    expect(readBranchFile(bare, BRANCH, FILE)).toBeNull();
  });

  it('writes nothing when the branch already holds the run (an attempt that landed after all)', async () => {
    await save(run(1));
    await save(run(2));
    await expect(save(run(2))).resolves.toMatchObject({ commit: null, attempts: 1 });
    await expect(save(run(1))).resolves.toMatchObject({ commit: null });
    expect(branchLog(bare, BRANCH)).toHaveLength(2);
  });

  it('reports a corrupt or untrusted file as a reason, and a baseline run replaces a corrupt one', async () => {
    const sha = commitToBranch(bare, BRANCH, { [FILE]: '{not json' });
    const read = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect(read.results).toBeNull();
    expect('reason' in read && read.reason).toBe(
      `the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}) at ${sha.slice(0, 7)}: not valid JSON at line 1, column 2: expected a key in double quotes or '}', got "not"`
    );
    const warnings: string[] = [];
    await save(run(1), 20, { onWarning: m => warnings.push(m) });
    expect(warnings[0]).toMatch(/: not valid JSON at .*: it is replaced and the history starts anew$/);
    expect(stored()).toEqual(run(1));

    // Valid JSON of the wrong shape, deep down: a reason naming the path; a baseline run replaces it.
    const bad = run(2);
    (bad.profiles[0]!.head as unknown as { trials: string }).trials = 'many';
    const badSha = commitToBranch(bare, BRANCH, { [FILE]: JSON.stringify(bad) });
    const shape = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect('reason' in shape && shape.reason).toBe(
      `the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}) at ${badSha.slice(0, 7)}: profiles[0].head.trials: expected a list, got "many"`
    );
    await save(run(3), 20, { onWarning: m => warnings.push(m) });
    expect(warnings[1]).toBe(
      `the baseline on the data branch "${BRANCH}" of ${REPO} (${FILE}): profiles[0].head.trials: expected a list, got "many": it is replaced and the history starts anew`
    );
    expect(stored()).toEqual(run(3));

    commitToBranch(bare, BRANCH, { [FILE]: JSON.stringify(run(2, { git: { event: 'pull_request' } })) });
    const untrusted = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect('reason' in untrusted && untrusted.reason).toMatch(
      /is not used: it was measured on a pull_request event \(baselines come from push, schedule, workflow_dispatch\)$/
    );
    commitToBranch(bare, BRANCH, { [FILE]: JSON.stringify(run(3, { verdict: 'fail' })) });
    const failed = await readBranchBaseline(store(), tmp, { wait: () => 1 });
    expect('reason' in failed && failed.reason).toMatch(/is not used: that run failed its gate$/);
  });

  it('never merges an untrusted file into the history: a baseline run replaces it', async () => {
    // Newer than ours, from a pull request: it must neither stay the baseline nor join the history.
    const untrusted = run(9, { git: { event: 'pull_request' }, history: [] });
    commitToBranch(bare, BRANCH, { [FILE]: JSON.stringify(untrusted) });
    const warnings: string[] = [];
    await save(run(2), 20, { onWarning: m => warnings.push(m) });
    expect(warnings).toEqual([
      expect.stringMatching(
        /is not used: it was measured on a pull_request event .*: it is replaced and the history starts anew$/
      )
    ]);
    expect(stored()).toEqual(run(2));
  });

  it('says the file is missing when the branch holds only other configs', async () => {
    const sha = commitToBranch(bare, BRANCH, { 'perfgate/other.json': '{}' });
    await expect(readBranchBaseline(store(), tmp, { wait: () => 1 })).resolves.toEqual({
      results: null,
      reason: `the data branch "${BRANCH}" of ${REPO} (${FILE}) at ${sha.slice(0, 7)} has no such file yet (a baseline run writes it)`
    });
    await save(run(1));
    expect(readBranchFile(bare, BRANCH, 'perfgate/other.json')).toBe('{}');
  });

  it('names the repository it cannot reach', async () => {
    const s = store();
    const gone = { ...s, remote: 'http://127.0.0.1:9/acme/shop.git' };
    const read = await readBranchBaseline(gone, tmp, { wait: () => 1 });
    expect('reason' in read && read.reason).toMatch(
      new RegExp(
        `^cannot fetch the data branch "${BRANCH}" of ${REPO} \\(${FILE}\\): git fetch failed: .*(refused|Failed to connect)`
      )
    );
  });
});

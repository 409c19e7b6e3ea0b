/**
 * The git server helper (test/helpers/git-server.ts) driven by the real git CLI, so tests that push
 * through it cannot pass against a silently broken server: clone, push, auth, a lost race, a 5xx.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  OTHER_RUNNER,
  branchLog,
  commitToBranch,
  readBranchFile,
  startGitServer,
  type GitServer
} from '../helpers/git-server.js';
import type { RunResult } from '../helpers/run-node.js';

const TOKEN = 'ghs_git_server_token';
const REPO = 'acme/shop';

let server: GitServer;
let home: string;

beforeEach(async () => {
  server = await startGitServer({ token: TOKEN });
  server.createRepo(REPO);
  home = mkdtempSync(path.join(os.tmpdir(), 'perfgate-git-home-'));
});

afterEach(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

/** The header git sends with `http.extraheader`, as perfgate builds it. */
function authHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

/** Runs the git CLI (asynchronously: the server answers in this process) with an isolated config. */
function git(args: string[], opts: { cwd?: string; token?: string } = {}): Promise<RunResult> {
  const auth = opts.token === undefined ? [] : ['-c', `http.extraheader=${authHeader(opts.token)}`];
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...auth, ...args], {
      cwd: opts.cwd ?? home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'perfgate',
        GIT_AUTHOR_EMAIL: 'perfgate@example.com',
        GIT_COMMITTER_NAME: 'perfgate',
        GIT_COMMITTER_EMAIL: 'perfgate@example.com'
      },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Clones REPO with the token into a fresh working copy; its path. */
async function clone(name = 'work'): Promise<string> {
  const result = await git(['clone', `${server.url}/${REPO}.git`, name], { token: TOKEN });
  expect(result).toMatchObject({ code: 0 });
  return path.join(home, name);
}

/** Writes and commits `file` in the working copy `dir`. */
async function commitFile(dir: string, file: string, content: string, message: string): Promise<void> {
  writeFileSync(path.join(dir, file), content);
  expect(await git(['add', file], { cwd: dir })).toMatchObject({ code: 0 });
  expect(await git(['commit', '-q', '-m', message], { cwd: dir })).toMatchObject({ code: 0 });
}

const pushes = () => server.requests.filter(r => r.method === 'POST' && r.path.endsWith('/git-receive-pack'));

describe('the git server', () => {
  it('serves a clone of an empty repository and takes a push with the token', async () => {
    const work = await clone();
    expect(await git(['checkout', '-q', '-b', 'perf-data'], { cwd: work })).toMatchObject({ code: 0 });
    await commitFile(work, 'result.json', '{"p50":12}\n', 'perf result');

    const push = await git(['push', 'origin', 'perf-data'], { cwd: work, token: TOKEN });

    expect(push.code).toBe(0);
    const bare = server.repoPath(REPO);
    expect(readBranchFile(bare, 'perf-data', 'result.json')).toBe('{"p50":12}\n');
    expect(readBranchFile(bare, 'perf-data', 'missing.json')).toBeNull();
    expect(readBranchFile(bare, 'main', 'result.json')).toBeNull();
    expect(branchLog(bare, 'perf-data')).toEqual([
      {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        message: 'perf result',
        author: 'perfgate',
        files: ['result.json']
      }
    ]);
    expect(server.requests).toContainEqual({
      method: 'GET',
      path: `/${REPO}.git/info/refs`,
      service: 'git-receive-pack',
      status: 200,
      authorized: true
    });
    expect(pushes()).toEqual([expect.objectContaining({ status: 200, authorized: true })]);
  });

  it('takes a push larger than http.postBuffer (a chunked request body) and serves it back', async () => {
    const work = await clone();
    const big = randomBytes(3 * 1024 * 1024).toString('base64');
    await commitFile(work, 'big.txt', big, 'big');

    server.failNextPushes(1, 500);

    const failed = await git(['push', 'origin', 'HEAD:main'], { cwd: work, token: TOKEN });
    const push = await git(['push', 'origin', 'HEAD:main'], { cwd: work, token: TOKEN });
    const again = await git(['clone', `${server.url}/${REPO}.git`, 'again']);

    // git probes with a small POST first; the injected failure waits for the real push.
    expect(pushes().map(r => r.status)).toEqual([200, 500, 200, 200]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('error: RPC failed; HTTP 500');
    expect(push.code).toBe(0);
    expect(again.code).toBe(0);
    expect(readBranchFile(server.repoPath(REPO), 'main', 'big.txt')).toBe(big);
  });

  it('refuses a push without the token, or with a wrong one, with 401', async () => {
    const work = await clone();
    await commitFile(work, 'a.txt', 'a\n', 'a');

    const anonymous = await git(['push', 'origin', 'HEAD:main'], { cwd: work });
    const wrong = await git(['push', 'origin', 'HEAD:main'], { cwd: work, token: 'not-the-token' });

    for (const result of [anonymous, wrong]) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `fatal: could not read Username for '${server.url}': terminal prompts disabled`
      );
    }
    const refused = server.requests.filter(r => r.status === 401);
    expect(refused).toHaveLength(2);
    expect(refused.every(r => r.service === 'git-receive-pack' && !r.authorized)).toBe(true);
    expect(pushes()).toEqual([]);
    expect(readBranchFile(server.repoPath(REPO), 'main', 'a.txt')).toBeNull();
  });

  it('lets anyone fetch unless reads need the token', async () => {
    expect((await git(['clone', `${server.url}/${REPO}.git`, 'open'])).code).toBe(0);
    await server.close();
    server = await startGitServer({ token: TOKEN, readNeedsToken: true });
    server.createRepo(REPO);

    const anonymous = await git(['clone', `${server.url}/${REPO}.git`, 'private']);
    const withToken = await git(['clone', `${server.url}/${REPO}.git`, 'private'], { token: TOKEN });

    expect(anonymous.code).not.toBe(0);
    expect(withToken.code).toBe(0);
    expect(server.requests[0]).toMatchObject({ service: 'git-upload-pack', status: 401, authorized: false });
  });

  it('lands a concurrent commit before the push with beforeNextPush, so the push is rejected', async () => {
    const bare = server.repoPath(REPO);
    const base = commitToBranch(bare, 'perf-data', { 'history.json': '[]\n' }, 'start');
    const work = await clone();
    expect(await git(['checkout', '-q', 'perf-data'], { cwd: work })).toMatchObject({ code: 0 });
    await commitFile(work, 'history.json', '[1]\n', 'ours');
    let other = '';
    server.beforeNextPush(() => {
      other = commitToBranch(bare, 'perf-data', { 'other.json': '{}\n' }, 'theirs');
    });

    const lost = await git(['push', 'origin', 'perf-data'], { cwd: work, token: TOKEN });

    expect(lost.code).not.toBe(0);
    expect(lost.stderr).toContain(`remote: error: cannot lock ref 'refs/heads/perf-data': is at ${other}`);
    expect(lost.stderr).toContain(' ! [remote rejected] perf-data -> perf-data (failed to update ref)');
    expect(lost.stderr).toContain(`error: failed to push some refs to '${server.url}/${REPO}.git'`);
    expect(branchLog(bare, 'perf-data').map(c => [c.sha, c.message, c.author])).toEqual([
      [base, 'start', OTHER_RUNNER.name],
      [other, 'theirs', OTHER_RUNNER.name]
    ]);

    // The hook ran once: rebasing on the other runner's commit and pushing again succeeds.
    const pull = await git(['pull', '-q', '--rebase', 'origin', 'perf-data'], { cwd: work, token: TOKEN });
    expect(pull.code).toBe(0);
    expect((await git(['push', 'origin', 'perf-data'], { cwd: work, token: TOKEN })).code).toBe(0);
    expect(branchLog(bare, 'perf-data').map(c => c.message)).toEqual(['start', 'theirs', 'ours']);
    expect(readBranchFile(bare, 'perf-data', 'history.json')).toBe('[1]\n');
    expect(readBranchFile(bare, 'perf-data', 'other.json')).toBe('{}\n');
  });

  it('rejects a push behind the branch before sending it (the race lost earlier)', async () => {
    const bare = server.repoPath(REPO);
    commitToBranch(bare, 'perf-data', { 'history.json': '[]\n' }, 'start');
    const work = await clone();
    expect(await git(['checkout', '-q', 'perf-data'], { cwd: work })).toMatchObject({ code: 0 });
    await commitFile(work, 'history.json', '[1]\n', 'ours');
    commitToBranch(bare, 'perf-data', { 'other.json': '{}\n' }, 'theirs');

    const behind = await git(['push', 'origin', 'perf-data'], { cwd: work, token: TOKEN });

    expect(behind.code).not.toBe(0);
    expect(behind.stderr).toContain(' ! [rejected]        perf-data -> perf-data (fetch first)');
    expect(pushes()).toEqual([]);
  });

  it('fails the next pushes with failNextPushes, then takes them again', async () => {
    const work = await clone();
    await commitFile(work, 'a.txt', 'a\n', 'a');
    server.failNextPushes(1, 500);

    const failed = await git(['push', 'origin', 'HEAD:main'], { cwd: work, token: TOKEN });
    const retried = await git(['push', 'origin', 'HEAD:main'], { cwd: work, token: TOKEN });

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('error: RPC failed; HTTP 500');
    expect(retried.code).toBe(0);
    expect(pushes().map(r => r.status)).toEqual([500, 200]);
    expect(readBranchFile(server.repoPath(REPO), 'main', 'a.txt')).toBe('a\n');
  });

  it('commits to a bare repository directly, creating the branch', () => {
    const bare = server.repoPath(REPO);
    const first = commitToBranch(bare, 'notes', { 'a/b.txt': 'one\n' });
    const second = commitToBranch(bare, 'notes', { 'a/b.txt': 'two\n', 'c.txt': 'three\n' }, 'second');

    expect(branchLog(bare, 'notes')).toEqual([
      { sha: first, message: 'a commit of another runner', author: OTHER_RUNNER.name, files: ['a/b.txt'] },
      { sha: second, message: 'second', author: OTHER_RUNNER.name, files: ['a/b.txt', 'c.txt'] }
    ]);
    expect(readBranchFile(bare, 'notes', 'a/b.txt')).toBe('two\n');
    expect(branchLog(bare, 'missing')).toEqual([]);
  });
});

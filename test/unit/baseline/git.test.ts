import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, GitError } from '../../../src/baseline/git.js';

/** What git 2.39 prints (recorded against test/helpers/git-server.ts and GitHub's documented messages). */
const STDERR = {
  lockRace: [
    "remote: error: cannot lock ref 'refs/heads/perfgate-data': is at d0d14a66 but expected 8fd9f25e",
    'To http://127.0.0.1:39515/acme/shop.git',
    ' ! [remote rejected] perfgate-data -> perfgate-data (failed to update ref)',
    "error: failed to push some refs to 'http://127.0.0.1:39515/acme/shop.git'"
  ],
  fetchFirst: [
    'To http://127.0.0.1:39515/acme/shop.git',
    ' ! [rejected]        perfgate-data -> perfgate-data (fetch first)',
    "error: failed to push some refs to 'http://127.0.0.1:39515/acme/shop.git'"
  ],
  noCredentials: ["fatal: could not read Username for 'http://127.0.0.1:45215': terminal prompts disabled"],
  forbidden: [
    'remote: Permission to acme/shop.git denied to github-actions[bot].',
    "fatal: unable to access 'https://github.com/acme/shop.git/': The requested URL returned error: 403"
  ],
  protectedBranch: [
    'remote: error: GH006: Protected branch update failed for refs/heads/perfgate-data.',
    ' ! [remote rejected] perfgate-data -> perfgate-data (protected branch hook declined)'
  ],
  serverError: [
    'error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500',
    'send-pack: unexpected disconnect while reading sideband packet',
    'fatal: the remote end hung up unexpectedly',
    'Everything up-to-date'
  ],
  unreachable: [
    "fatal: unable to access 'https://github.example/acme/shop.git/': Could not resolve host: github.example"
  ],
  other: ["fatal: 'perfgate-data' is not a valid branch name"]
};

const failure = (lines: string[], timedOut = false) =>
  new GitError(['push'], lines.join('\n'), timedOut).failure;

describe('GitError.failure', () => {
  it('calls a push that lost to another push a race, in the forms git prints', () => {
    expect(failure(STDERR.lockRace)).toBe('race');
    expect(failure(STDERR.fetchFirst)).toBe('race');
    // git ≥ 2.50 (batched ref updates)
    expect(
      failure([' ! [remote rejected] perfgate-data -> perfgate-data (incorrect old value provided)'])
    ).toBe('race');
    expect(failure([' ! [remote rejected] perfgate-data -> perfgate-data (reference already exists)'])).toBe(
      'race'
    );
  });

  it('calls missing or refused credentials and a protected branch denied', () => {
    expect(failure(STDERR.noCredentials)).toBe('denied');
    expect(failure(STDERR.forbidden)).toBe('denied');
    expect(failure(STDERR.protectedBranch)).toBe('denied');
    expect(
      failure([
        'remote: error: GH013: Repository rule violations found for refs/heads/perfgate-data.',
        ' ! [remote rejected] perfgate-data -> perfgate-data (push declined due to repository rule violations)'
      ])
    ).toBe('denied');
  });

  it('calls server errors, unreachable hosts and time-outs transient', () => {
    expect(failure(STDERR.serverError)).toBe('transient');
    expect(failure(STDERR.unreachable)).toBe('transient');
    expect(failure(['fatal: early EOF'], true)).toBe('transient');
    // Whatever the URL holds: a repository named like a status code, or "denied".
    expect(
      failure([
        "fatal: unable to access 'http://127.0.0.1:40312/acme/http-403-denied.git/': The requested URL returned error: 500"
      ])
    ).toBe('transient');
  });

  it('calls anything else other, so it is not tried again', () => {
    expect(failure(STDERR.other)).toBe('other');
  });

  it("names the command and git's telling lines in its message, else its last ones", () => {
    const message = (lines: string[]) => new GitError(['push', 'origin'], lines.join('\n'), false).message;
    expect(message(STDERR.lockRace)).toBe(
      "git push failed: remote: error: cannot lock ref 'refs/heads/perfgate-data': is at d0d14a66 but expected 8fd9f25e / ! [remote rejected] perfgate-data -> perfgate-data (failed to update ref)"
    );
    expect(message(STDERR.serverError)).toBe(
      'git push failed: error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500'
    );
    expect(message(['Counting objects: 3', 'the server went away'])).toBe(
      'git push failed: Counting objects: 3 / the server went away'
    );
    expect(new GitError(['fetch'], '', true).message).toBe('git fetch failed: timed out');
  });
});

describe('git', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'perfgate-git-'));
  const env = { PATH: process.env.PATH, HOME: cwd };

  it('returns stdout, with stdin passed in', async () => {
    await git(['init', '--quiet', '--bare', cwd], { cwd, env });
    const blob = (await git(['hash-object', '-w', '--stdin'], { cwd, env, input: 'hello\n' })).trim();
    expect(blob).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(await git(['cat-file', 'blob', blob], { cwd, env })).toBe('hello\n');
  });

  it("rejects with git's stderr", async () => {
    const err = (await git(['cat-file', 'blob', 'no-such-object'], { cwd, env }).catch(e => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(err.stderr).toMatch(/no-such-object/);
    expect(err.failure).toBe('other');
  });

  it('says so when git is not on PATH', async () => {
    const err = (await git(['--version'], { cwd, env: { PATH: cwd } }).catch(e => e)) as GitError;
    expect(err.message).toBe('git --version failed: git is not installed (or not on PATH)');
  });
});

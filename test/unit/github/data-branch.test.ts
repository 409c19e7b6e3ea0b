import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataBranch } from '../../../src/baseline/branch-store.js';
import { basicCredential, dataBranch, defaultFile, whyNotWritable } from '../../../src/github/data-branch.js';
import { commitToBranch } from '../../helpers/git-server.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-data-branch-'));
const payload = path.join(dir, 'event.json');
writeFileSync(payload, JSON.stringify({ repository: { id: 1, default_branch: 'main' } }));
const bare = path.join(dir, 'bare-event.json');
writeFileSync(bare, JSON.stringify({ repository: { full_name: 'acme/shop' } }));

describe('defaultFile', () => {
  it.each([
    ['/w/perfgate.yml', 'perfgate/perfgate.json'],
    ['/w/services/api/perf.yaml', 'perfgate/services/api/perf.json'],
    ['/w/perf/load.config.YML', 'perfgate/perf/load.config.json'],
    ['/w/perfgate.json', 'perfgate/perfgate.json'],
    ['/elsewhere/ci/perfgate.yml', 'perfgate/perfgate.json']
  ])('%s in workspace /w → %s', (config, file) => {
    expect(defaultFile(config, '/w')).toBe(file);
  });
});

describe('dataBranch', () => {
  const env = {
    PATH: '/usr/bin',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SERVER_URL: 'https://ghe.example/',
    GITHUB_WORKSPACE: '/w',
    GIT_DIR: '/w/.git',
    GIT_INDEX_FILE: '/w/.git/index',
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_1: 'core.hooksPath',
    GIT_CONFIG_VALUE_1: '/tmp/hooks',
    GIT_ASKPASS: '/usr/bin/ask',
    GIT_CONFIG_GLOBAL: '/home/runner/.gitconfig-other',
    GIT_CURL_VERBOSE: '1',
    GIT_SSL_CAINFO: '/etc/ssl/corp.pem'
  };

  it('pushes to the server of the job, with the token as an extra header scoped to that server', () => {
    const store = dataBranch({ branch: 'perfgate-data' }, '/w/perfgate.yml', 'ghs_secret', env) as DataBranch;
    expect(store).toMatchObject({
      remote: 'https://ghe.example/acme/shop.git',
      repository: 'acme/shop',
      branch: 'perfgate-data',
      file: 'perfgate/perfgate.json'
    });
    expect(store.env).toMatchObject({
      PATH: '/usr/bin',
      GIT_SSL_CAINFO: '/etc/ssl/corp.pem',
      GIT_TERMINAL_PROMPT: '0',
      // The runner's credential helpers and extra headers cleared, then this token's header.
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://ghe.example/.extraheader',
      GIT_CONFIG_VALUE_1: '',
      GIT_CONFIG_KEY_2: 'http.https://ghe.example/.extraheader',
      GIT_CONFIG_VALUE_2: `AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`,
      GIT_AUTHOR_NAME: 'github-actions[bot]',
      GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com'
    });
    // The token is never in the remote URL, and the job's other GIT_* variables are dropped.
    expect(store.remote).not.toContain('ghs_secret');
    for (const key of ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_ASKPASS', 'GIT_CONFIG_GLOBAL', 'GIT_CURL_VERBOSE']) {
      expect(store.env[key]).toBeUndefined();
    }
  });

  it('takes the file from the config, defaults the server to github.com, and adds no header without a token', () => {
    const { GITHUB_SERVER_URL: _server, ...rest } = env;
    const store = dataBranch(
      { branch: 'data', path: 'perf/api.json' },
      '/w/perfgate.yml',
      '',
      rest
    ) as DataBranch;
    expect(store.remote).toBe('https://github.com/acme/shop.git');
    expect(store.file).toBe('perf/api.json');
    expect(store.env.GIT_CONFIG_COUNT).toBe('2');
    expect(store.env.GIT_CONFIG_KEY_2).toBeUndefined();
  });

  it('needs GITHUB_REPOSITORY', () => {
    expect(dataBranch({ branch: 'd' }, '/w/p.yml', '', {})).toEqual({
      missing: 'GITHUB_REPOSITORY is not set (expected owner/repo)'
    });
  });

  it('encodes the credential as actions/checkout does', () => {
    expect(basicCredential('abc')).toBe('eC1hY2Nlc3MtdG9rZW46YWJj');
  });
});

describe('whyNotWritable', () => {
  const env = (event: string, ref: string, eventPath = payload, sha = '') => ({
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_EVENT_NAME: event,
    GITHUB_REF: ref,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: sha
  });
  /** The data branch of a local bare repository (git takes a path as a remote). */
  const bareRepo = path.join(dir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', bareRepo]);
  const store = (branch = 'perfgate-data') => ({
    ...(dataBranch({ branch }, '/w/p.yml', '', env('push', '')) as DataBranch),
    remote: bareRepo
  });
  const check = (e: NodeJS.ProcessEnv, branch?: string) => whyNotWritable(e, '', store(branch), dir);

  it.each([
    ['push', 'refs/heads/main'],
    ['schedule', 'refs/heads/main'],
    ['workflow_dispatch', 'refs/heads/main']
  ])('lets %s on the default branch write', async (event, ref) => {
    await expect(check(env(event, ref))).resolves.toBeUndefined();
  });

  it.each([
    ['pull_request', 'refs/pull/7/merge', 'a pull_request event never writes the baseline'],
    ['pull_request_target', 'refs/heads/main', 'a pull_request_target event never writes the baseline'],
    ['workflow_run', 'refs/heads/main', 'a workflow_run event never writes the baseline'],
    ['push', 'refs/heads/feature', 'refs/heads/feature is not the default branch main'],
    ['push', 'refs/tags/v1.0.0', 'refs/tags/v1.0.0 is not the default branch main'],
    ['workflow_dispatch', 'refs/heads/experiment', 'refs/heads/experiment is not the default branch main']
  ])('refuses %s on %s', async (event, ref, why) => {
    await expect(check(env(event, ref))).resolves.toContain(why);
  });

  it('refuses when the default branch cannot be told', async () => {
    await expect(check(env('push', 'refs/heads/main', bare))).resolves.toBe(
      'cannot tell the default branch: the event payload does not name it and there is no github-token to ask with'
    );
  });

  it('refuses a data branch that is the default branch', async () => {
    await expect(check(env('schedule', 'refs/heads/main'), 'main')).resolves.toBe(
      'baseline.branch is the default branch main: the data branch must be a branch of its own'
    );
  });

  it('refuses a run of a commit the default branch has moved past (a re-run, or overtaken by a push)', async () => {
    const head = commitToBranch(bareRepo, 'main', { 'app.js': '1' });
    await expect(check(env('push', 'refs/heads/main', payload, head))).resolves.toBeUndefined();
    const newer = commitToBranch(bareRepo, 'main', { 'app.js': '2' });
    await expect(check(env('workflow_dispatch', 'refs/heads/main', payload, head))).resolves.toBe(
      `this run measured ${head.slice(0, 7)}, but main is at ${newer.slice(0, 7)} now (a re-run of an older commit, or overtaken by a newer push, whose run stores instead)`
    );
  });
});

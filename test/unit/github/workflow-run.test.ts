/** The workflow_run event of the comment follow-up: what is taken from it, and what is refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../src/errors.js';
import { followedRun, gateRunUrl } from '../../../src/github/workflow-run.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const repo = (full: string, id: number) => ({ id, full_name: full, owner: { login: full.split('/')[0] } });
const run = (over: Record<string, unknown> = {}) => ({
  id: 6001,
  event: 'pull_request',
  head_sha: SHA,
  head_branch: 'feature',
  head_repository: repo('contributor/shop', 2),
  repository: repo('acme/shop', 1),
  pull_requests: [],
  ...over
});

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-wr-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(payload: unknown, over: Record<string, string> = {}): NodeJS.ProcessEnv {
  const file = path.join(dir, `${Math.random()}.json`);
  writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: file,
    GITHUB_REPOSITORY: 'acme/shop',
    ...over
  };
}

describe('followedRun', () => {
  it('takes the run, its head and its pull requests from the event', () => {
    expect(followedRun(env({ workflow_run: run() }))).toEqual({
      run: {
        id: 6001,
        headSha: SHA,
        headBranch: 'feature',
        headRepository: { id: 2, fullName: 'contributor/shop', owner: 'contributor' },
        repository: { id: 1, fullName: 'acme/shop', owner: 'acme' },
        pullRequests: []
      }
    });
  });

  it.each(['push', 'schedule', 'workflow_dispatch'])(
    'a run triggered by %s is a skip, not an error',
    event => {
      expect(followedRun(env({ workflow_run: run({ event }) }))).toEqual({
        skip: `the gate run was triggered by "${event}", not by a pull request`
      });
    }
  );

  it.each<[string, () => NodeJS.ProcessEnv, RegExp]>([
    [
      'another event',
      () => env({ workflow_run: run() }, { GITHUB_EVENT_NAME: 'pull_request' }),
      /workflow triggered by workflow_run \(this one: "pull_request"\)/
    ],
    [
      'no event file',
      () => ({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REPOSITORY: 'acme/shop' }),
      /GITHUB_EVENT_PATH is not set/
    ],
    ['an unreadable event', () => env('{ nope'), /cannot read the event payload/],
    ['no workflow_run', () => env({ pull_request: { number: 7 } }), /workflow_run is missing or malformed/],
    [
      'a short head_sha',
      () => env({ workflow_run: run({ head_sha: 'abc123' }) }),
      /workflow_run\.head_sha is missing or malformed \("abc123"\)/
    ],
    [
      'no head repository (a deleted fork)',
      () => env({ workflow_run: run({ head_repository: null }) }),
      /workflow_run\.head_repository is missing/
    ],
    [
      'an empty head branch',
      () => env({ workflow_run: run({ head_branch: '' }) }),
      /workflow_run\.head_branch/
    ],
    [
      'pull_requests not a list',
      () => env({ workflow_run: run({ pull_requests: {} }) }),
      /workflow_run\.pull_requests/
    ],
    [
      'a run of another repository',
      () => env({ workflow_run: run({ repository: repo('other/shop', 9) }) }),
      /about a run of other\/shop, not of "acme\/shop"/
    ]
  ])('%s: a usage error', (_what, makeEnv, message) => {
    const e = makeEnv();
    expect(() => followedRun(e)).toThrow(UsageError);
    expect(() => followedRun(e)).toThrow(message);
  });
});

describe('gateRunUrl', () => {
  it('is the gate run page on the server the runner names', () => {
    const r = followedRun(env({ workflow_run: run() }));
    if ('skip' in r) throw new Error('expected a run');
    expect(gateRunUrl(r.run, { GITHUB_SERVER_URL: 'https://ghe.example/' })).toBe(
      'https://ghe.example/acme/shop/actions/runs/6001'
    );
    expect(gateRunUrl(r.run, {})).toBe('https://github.com/acme/shop/actions/runs/6001');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullRequestTarget } from '../../../src/github/pull-request.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-pr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function event(name: string, payload: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

const pr = (head: string | null) => ({
  pull_request: {
    number: 7,
    head: { repo: head === null ? null : { full_name: head } },
    base: { repo: { full_name: 'acme/shop' } }
  }
});

describe('pullRequestTarget', () => {
  it.each<[string, NodeJS.ProcessEnv, number | undefined, unknown]>([
    [
      'pull_request from a branch',
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: event('same', pr('acme/shop')) },
      undefined,
      { owner: 'acme', repo: 'shop', number: 7, fromFork: false }
    ],
    [
      'pull_request from a fork',
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: event('fork', pr('someone/shop')) },
      undefined,
      { number: 7, fromFork: true }
    ],
    [
      'pull_request from a deleted fork',
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: event('gone', pr(null)) },
      undefined,
      { fromFork: true }
    ],
    [
      'issue_comment on a pull request',
      {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_PATH: event('ic', { issue: { number: 9, pull_request: { url: 'x' } } })
      },
      undefined,
      { number: 9, fromFork: false }
    ],
    [
      'issue_comment on a plain issue',
      {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_NAME: 'issue_comment',
        GITHUB_EVENT_PATH: event('issue', { issue: { number: 9 } })
      },
      undefined,
      { skip: 'not a pull request (event issue_comment)' }
    ],
    [
      'push',
      {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event('push', { ref: 'x' })
      },
      undefined,
      { skip: 'not a pull request (event push)' }
    ],
    [
      'workflow_run follow-up with the number given',
      {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_PATH: event('wr', { workflow_run: { pull_requests: [] } })
      },
      12,
      { number: 12, fromFork: false }
    ],
    [
      'repository from the payload',
      { GITHUB_EVENT_PATH: event('repo', { ...pr('acme/shop'), repository: { full_name: 'acme/shop' } }) },
      undefined,
      { owner: 'acme', repo: 'shop' }
    ],
    ['no repository', {}, 3, { skip: 'GITHUB_REPOSITORY is not set (expected owner/repo)' }],
    [
      'missing event file',
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: path.join(dir, 'nope.json') },
      undefined,
      { skip: 'not a pull request (event unknown)' }
    ]
  ])('%s', (_, env, number, expected) =>
    expect(pullRequestTarget(env, number)).toMatchObject(expected as object)
  );
});

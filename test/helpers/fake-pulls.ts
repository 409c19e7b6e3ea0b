/**
 * The pull requests of the fake GitHub (fake-github.ts) and GitHub's filters on listing them:
 *
 *   GET /repos/:owner/:repo/pulls        `state` (open, closed, all; default open), `head` (`owner:branch`,
 *                                        as GitHub matches it: the head repository's owner and the
 *                                        branch), `base`, `per_page`, `page`; newest first
 *   GET /repos/:owner/:repo/pulls/:n     one pull request, 404 when there is none
 *
 * Repository ids: the base repository is REPOSITORY.id; a fork gets a stable id of its own.
 */
import { createHash } from 'node:crypto';
import { REPOSITORY } from './fake-github.js';

/** A repository as the pulls API and the workflow_run event show it. */
export interface FakeRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
}

export interface FakePull {
  id: number;
  number: number;
  state: 'open' | 'closed';
  title: string;
  html_url: string;
  user: { login: string };
  head: { label: string; ref: string; sha: string; repo: FakeRepository | null; user: { login: string } };
  base: { label: string; ref: string; sha: string; repo: FakeRepository };
  created_at: string;
}

/** `owner/name` with its id: REPOSITORY.id for `base`, else a stable id derived from the name. */
export function fakeRepository(fullName: string, base?: string): FakeRepository {
  const [owner = '', name = ''] = fullName.split('/');
  const id =
    fullName === base
      ? REPOSITORY.id
      : REPOSITORY.id + 1 + (createHash('sha1').update(fullName).digest().readUInt32BE(0) % 1_000_000);
  return { id, name, full_name: fullName, owner: { login: owner } };
}

/** A pull request of `repo` from `head` (`owner/name`, default `repo` itself) at `sha`. */
export function fakePull(
  repo: string,
  p: { number: number; branch: string; sha: string; head?: string; state?: 'open' | 'closed'; base?: string }
): FakePull {
  const headRepo = fakeRepository(p.head ?? repo, repo);
  const owner = headRepo.owner.login;
  return {
    id: 500_000 + p.number,
    number: p.number,
    state: p.state ?? 'open',
    title: `pull request ${p.number}`,
    html_url: `https://github.example/${repo}/pull/${p.number}`,
    user: { login: owner },
    head: {
      label: `${owner}:${p.branch}`,
      ref: p.branch,
      sha: p.sha,
      repo: headRepo,
      user: { login: owner }
    },
    base: {
      label: `${repo.split('/')[0]}:${p.base ?? REPOSITORY.defaultBranch}`,
      ref: p.base ?? REPOSITORY.defaultBranch,
      sha: createHash('sha1').update(`base of ${p.number}`).digest('hex'),
      repo: fakeRepository(repo, repo)
    },
    created_at: new Date(Date.UTC(2026, 10, 1) + p.number * 60_000).toISOString()
  };
}

/**
 * GitHub's filters on `GET /repos/{o}/{r}/pulls`. `head` is `owner:branch`; with `ignoreHead` the
 * filter is not applied, as by a server that does not know it (the caller must check anyway).
 */
export function filterPulls(
  all: readonly FakePull[],
  repo: string,
  q: URLSearchParams,
  ignoreHead = false
): FakePull[] {
  const state = q.get('state') ?? 'open';
  const head = q.get('head');
  const base = q.get('base');
  return all
    .filter(p => p.base.repo.full_name === repo)
    .filter(p => state === 'all' || p.state === state)
    .filter(p => ignoreHead || !head || p.head.label === head)
    .filter(p => !base || p.base.ref === base)
    .sort((a, b) => b.number - a.number);
}

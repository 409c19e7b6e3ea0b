/**
 * A local HTTP server that plays the part of the GitHub REST API that perfgate's pull-request
 * comment uses. Code under test is pointed at it with `GITHUB_API_URL`; no module mocks.
 *
 *   GET   /user                                        200 with the login (a PAT) or 403 (an installation token)
 *   POST  /graphql                                     `query { viewer { login } }` only
 *   GET   /repos/:owner/:repo/issues/:n/comments       `per_page` (default 30, max 100), `page`, `Link` header
 *   POST  /repos/:owner/:repo/issues/:n/comments       creates, as the token's user
 *   PATCH /repos/:owner/:repo/issues/comments/:id      edits (any comment, as a token with write access could)
 *   GET   /repos/:owner/:repo/issues                   `state` (default open), `creator`, `per_page`, `page`,
 *         `Link` header; newest first, as GitHub lists them
 *   POST  /repos/:owner/:repo/issues                   opens an issue (`title`, `body`) as the token's user
 *   PATCH /repos/:owner/:repo/issues/:n                edits `title`, `body`, `state`, `state_reason`
 *   GET   /repos/:owner/:repo                          id and default_branch
 *   GET   /repos/:owner/:repo/pulls                    `state`, `head` (owner:branch), `base`, pages (fake-pulls.ts)
 *   GET   /repos/:owner/:repo/pulls/:n                 one pull request
 *   GET   /repos/:owner/:repo/actions/workflows/:file/runs   `branch` (head branch name only, as
 *         GitHub does), `status` (a status or a conclusion), `event`, `per_page`, `page`; newest first
 *   GET   /repos/:owner/:repo/actions/runs/:id/artifacts     `name`; expired artifacts are listed
 *   GET   /repos/:owner/:repo/actions/artifacts/:id/zip      302 to a blob URL of this server, 410 when expired
 *   GET   /_blobs/:id.zip                              the zip, without authentication (a signed URL)
 *
 * Every request must carry `authorization: token <t>` or `Bearer <t>` (else 401 "Bad credentials").
 * Failures are injected per route with `failNext`; `requests` logs what arrived.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fakePull, filterPulls, type FakePull } from './fake-pulls.js';

export const Routes = {
  User: 'GET /user',
  GraphQL: 'POST /graphql',
  ListComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  CreateComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  UpdateComment: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  ListIssues: 'GET /repos/{owner}/{repo}/issues',
  CreateIssue: 'POST /repos/{owner}/{repo}/issues',
  UpdateIssue: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  GetRepo: 'GET /repos/{owner}/{repo}',
  ListPulls: 'GET /repos/{owner}/{repo}/pulls',
  GetPull: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  ListWorkflowRuns: 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
  ListRunArtifacts: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
  DownloadArtifact: 'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip',
  Blob: 'GET /_blobs/{artifact_id}.zip'
} as const;
export type Route = (typeof Routes)[keyof typeof Routes];

export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  html_url: string;
  issue_url: string;
  created_at: string;
  updated_at: string;
}

/** An issue of a repository (`GET /repos/{owner}/{repo}/issues` lists pull requests too; these are issues). */
export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  html_url: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/** A workflow run, with the fields perfgate's baseline lookup reads. */
export interface FakeRun {
  id: number;
  /** The workflow's file name (`perf.yml`). */
  workflow: string;
  event: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  head_branch: string;
  head_sha: string;
  /** Another repository's id for a pull request from a fork. */
  head_repository: { id: number; full_name: string };
  repository: { id: number; full_name: string };
  created_at: string;
  html_url: string;
}

/** An artifact of a run: a zip of its files. */
export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired: boolean;
  created_at: string;
}

/** The repository's id (an owner's fork gets another) and default branch. */
export const REPOSITORY = { id: 1296269, defaultBranch: 'main' };

/** A zip of a directory's files at its root (the `zip` command). */
export function zipDirectory(dir: string): Buffer {
  return execFileSync('zip', ['-q', '-r', '-', '.'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
}

/** An answer to inject instead of the normal one. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Carry out the request first, then answer the fault (a 502 after the comment was written). */
  applied?: boolean;
}

/** The failures GitHub really produces. */
export const faults = {
  serverError: (status = 502): Fault => ({ status, body: { message: 'Server Error' } }),
  /** What a read-only `GITHUB_TOKEN` (fork pull request) gets on a write. */
  integration: (): Fault => ({
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403'
    }
  }),
  secondaryRateLimit: (retryAfterSeconds?: number): Fault => ({
    status: 403,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
    }
  }),
  primaryRateLimit: (resetEpochSeconds: number): Fault => ({
    status: 403,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetEpochSeconds) },
    body: { message: 'API rate limit exceeded for installation ID 1.' }
  })
};

export interface FakeGitHubOptions {
  /** The one token accepted. */
  token?: string;
  /** The token's user; its comments carry this login. */
  login?: string;
  /**
   * `GET /user`: 'ok' as for a PAT, 'integration' (403) as for an installation token.
   * Default: 'integration' for a `[bot]` login.
   */
  restUser?: 'ok' | 'integration';
  /** Whether `POST /graphql` answers the viewer query (else a GraphQL error). */
  graphqlViewer?: boolean;
  /** Largest accepted comment body, in UTF-16 code units (422 above). */
  bodyLimit?: number;
  /** `GET …/pulls` ignores its `head` filter (lists every pull request), to test that callers check. */
  ignoreHeadFilter?: boolean;
}

export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  route?: Route;
  authorization?: string;
  body?: unknown;
  status: number;
}

interface Matched {
  route: Route;
  params: Record<string, string>;
}

const PATTERNS: [Route, RegExp][] = [
  [Routes.User, /^GET \/user$/],
  [Routes.GraphQL, /^POST \/graphql$/],
  [
    Routes.ListComments,
    /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues\/(?<issue_number>\d+)\/comments$/
  ],
  [
    Routes.CreateComment,
    /^POST \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues\/(?<issue_number>\d+)\/comments$/
  ],
  [
    Routes.UpdateComment,
    /^PATCH \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues\/comments\/(?<comment_id>\d+)$/
  ],
  [Routes.ListIssues, /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues$/],
  [Routes.CreateIssue, /^POST \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues$/],
  [Routes.UpdateIssue, /^PATCH \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/issues\/(?<issue_number>\d+)$/],
  [Routes.GetRepo, /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)$/],
  [Routes.ListPulls, /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/pulls$/],
  [Routes.GetPull, /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/pulls\/(?<pull_number>\d+)$/],
  [
    Routes.ListWorkflowRuns,
    /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/actions\/workflows\/(?<workflow_id>[^/]+)\/runs$/
  ],
  [
    Routes.ListRunArtifacts,
    /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/actions\/runs\/(?<run_id>\d+)\/artifacts$/
  ],
  [
    Routes.DownloadArtifact,
    /^GET \/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/actions\/artifacts\/(?<artifact_id>\d+)\/zip$/
  ],
  [Routes.Blob, /^GET \/_blobs\/(?<artifact_id>\d+)\.zip$/]
];

export class FakeGitHub {
  readonly requests: LoggedRequest[] = [];
  readonly token: string;
  readonly login: string;
  private readonly opts: Required<Omit<FakeGitHubOptions, 'token' | 'login'>>;
  private readonly threads = new Map<string, FakeComment[]>();
  /** Issues of every repository, keyed `owner/repo`. */
  private readonly issueLists = new Map<string, FakeIssue[]>();
  /** Workflow runs and their artifacts, of every repository (`repository.full_name`). */
  readonly runs: FakeRun[] = [];
  readonly artifacts: FakeArtifact[] = [];
  /** Pull requests of every repository (`base.repo.full_name`). */
  readonly pulls: FakePull[] = [];
  private readonly faultQueue = new Map<Route, Fault[]>();
  private nextId = 1000;
  private readonly tempDirs: string[] = [];

  private constructor(
    private readonly server: http.Server,
    options: FakeGitHubOptions
  ) {
    this.token = options.token ?? 'ghs_fake_installation_token';
    this.login = options.login ?? 'github-actions[bot]';
    this.opts = {
      restUser: options.restUser ?? (this.login.endsWith('[bot]') ? 'integration' : 'ok'),
      graphqlViewer: options.graphqlViewer ?? true,
      bodyLimit: options.bodyLimit ?? 65_536,
      ignoreHeadFilter: options.ignoreHeadFilter ?? false
    };
  }

  /** Starts on 127.0.0.1 with a port the OS picks. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const server = http.createServer();
    const fake = new FakeGitHub(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    for (const dir of this.tempDirs) rmSync(dir, { recursive: true, force: true });
  }

  /** The next `times` requests to `route` get `fault` instead of the normal answer. */
  failNext(route: Route, fault: Fault, times = 1): void {
    const queue = this.faultQueue.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faultQueue.set(route, queue);
  }

  /** Adds a comment as if `login` had written it. */
  seed(repo: string, issue: number, body: string, login: string = this.login): FakeComment {
    const [owner, name] = repo.split('/') as [string, string];
    return this.insert(owner, name, issue, body, login);
  }

  /**
   * Adds a completed workflow run of `repo` (a successful push to the default branch unless told);
   * `fork` makes its head repository another one, as for a pull request from a fork.
   */
  addRun(
    repo: string,
    run: Partial<Omit<FakeRun, 'head_repository' | 'repository'>> & { fork?: boolean } = {}
  ): FakeRun {
    const { fork, ...fields } = run;
    const id = fields.id ?? this.nextId++;
    const self = { id: REPOSITORY.id, full_name: repo };
    const created = new Date(Date.now() - 60_000 * (1000 - this.runs.length)).toISOString();
    const added: FakeRun = {
      id,
      workflow: 'perf.yml',
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      head_branch: REPOSITORY.defaultBranch,
      head_sha: createHash('sha1').update(String(id)).digest('hex'),
      created_at: created,
      html_url: `https://github.com/${repo}/actions/runs/${id}`,
      ...fields,
      head_repository: fork
        ? { id: REPOSITORY.id + 1, full_name: `contributor/${repo.split('/')[1]}` }
        : self,
      repository: self
    };
    this.runs.push(added);
    return added;
  }

  /** Adds artifact `name` to run `runId`: the zip of `files` (a directory, or zip bytes). */
  addArtifact(
    runId: number,
    name: string,
    files: string | Buffer,
    opts: { expired?: boolean } = {}
  ): FakeArtifact {
    const artifact: FakeArtifact = {
      id: this.nextId++,
      runId,
      name,
      zip: typeof files === 'string' ? zipDirectory(files) : files,
      expired: opts.expired ?? false,
      created_at: new Date().toISOString()
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Adds a pull request of `repo` from `head` (`owner/name`, default `repo`) whose head is `branch` at `sha`. */
  addPull(repo: string, pull: Parameters<typeof fakePull>[1]): FakePull {
    const added = fakePull(repo, pull);
    this.pulls.push(added);
    return added;
  }

  /** Adds an issue as if `login` had opened it (`state` open unless told). */
  seedIssue(
    repo: string,
    issue: { title?: string; body: string; login?: string; state?: 'open' | 'closed' }
  ): FakeIssue {
    const added = this.openIssue(repo, issue.title ?? 'an issue', issue.body, issue.login ?? this.login);
    if (issue.state === 'closed') Object.assign(added, { state: 'closed', closed_at: added.created_at });
    return added;
  }

  /** The issues of `repo`, oldest first. */
  issues(repo: string): FakeIssue[] {
    return this.issueLists.get(repo) ?? [];
  }

  /** The comments of an issue or pull request, oldest first. */
  comments(repo: string, issue: number): FakeComment[] {
    return this.threads.get(`${repo}#${issue}`) ?? [];
  }

  /** The requests that went to one route. */
  requestsTo(route: Route): LoggedRequest[] {
    return this.requests.filter(r => r.route === route);
  }

  /**
   * The variables a runner sets for an event on `repo` (by default a `pull_request` on `repo#number`),
   * pointing at this server; the event payload is written to a temporary file (removed by `close`).
   * The payload's `repository` carries its id and default branch unless `bareRepository`.
   */
  actionEnv(
    opts: {
      repo?: string;
      number?: number;
      fork?: boolean;
      runId?: string;
      event?: string;
      /** Default: the pull request's merge ref, or the default branch. */
      ref?: string;
      bareRepository?: boolean;
      /** More fields of the event payload (e.g. `workflow_run`). */
      payload?: Record<string, unknown>;
    } = {}
  ): Record<string, string> {
    const repo = opts.repo ?? 'acme/shop';
    const number = opts.number ?? 7;
    const event = opts.event ?? 'pull_request';
    const pullRequest = event === 'pull_request' || event === 'pull_request_target';
    const head = opts.fork ? `contributor/${repo.split('/')[1]}` : repo;
    const ref =
      opts.ref ?? (pullRequest ? `refs/pull/${number}/merge` : `refs/heads/${REPOSITORY.defaultBranch}`);
    const repository = {
      full_name: repo,
      ...(!opts.bareRepository && { id: REPOSITORY.id, default_branch: REPOSITORY.defaultBranch })
    };
    const payload = pullRequest
      ? {
          action: 'synchronize',
          number,
          pull_request: { number, head: { repo: { full_name: head } }, base: { repo: { full_name: repo } } },
          repository
        }
      : {
          ...(event === 'push' && { ref }),
          ...(event === 'schedule' && { schedule: '0 3 * * *' }),
          repository
        };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-event-'));
    this.tempDirs.push(dir);
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify({ ...payload, ...opts.payload }));
    return {
      GITHUB_API_URL: this.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: repo,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: ref,
      GITHUB_RUN_ID: opts.runId ?? '4242',
      GITHUB_WORKFLOW: 'perf',
      GITHUB_WORKFLOW_REF: `${repo}/.github/workflows/perf.yml@${ref}`
    };
  }

  private openIssue(repo: string, title: string, body: string, login: string): FakeIssue {
    const list = this.issueLists.get(repo) ?? [];
    const number = 100 + [...this.issueLists.values()].reduce((n, l) => n + l.length, 0);
    const now = new Date().toISOString();
    const issue: FakeIssue = {
      id: this.nextId++,
      number,
      title,
      body,
      state: 'open',
      state_reason: null,
      user: {
        login,
        id: 41898282 + (login === this.login ? 0 : 1),
        type: login.endsWith('[bot]') ? 'Bot' : 'User'
      },
      html_url: `https://github.example/${repo}/issues/${number}`,
      created_at: now,
      updated_at: now,
      closed_at: null
    };
    this.issueLists.set(repo, [...list, issue]);
    return issue;
  }

  private insert(owner: string, repo: string, issue: number, body: string, login: string): FakeComment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const comment: FakeComment = {
      id,
      node_id: `IC_${id}`,
      body,
      user: {
        login,
        id: 41898282 + (login === this.login ? 0 : 1),
        type: login.endsWith('[bot]') ? 'Bot' : 'User'
      },
      html_url: `https://github.example/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${owner}/${repo}/issues/${issue}`,
      created_at: now,
      updated_at: now
    };
    const key = `${owner}/${repo}#${issue}`;
    this.threads.set(key, [...(this.threads.get(key) ?? []), comment]);
    return comment;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const matched = match(req.method ?? 'GET', url.pathname);
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(matched && { route: matched.route }),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      ...(body !== undefined && { body }),
      status: 0
    };
    this.requests.push(entry);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      const text = JSON.stringify(data);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-github-request-id': `FAKE:${this.requests.length}`,
        ...headers
      });
      res.end(text);
    };

    if (matched?.route === Routes.Blob) {
      // A signed URL: no authorization header (the artifact client sends none).
      const artifact = this.artifacts.find(a => a.id === Number(matched.params.artifact_id));
      entry.status = artifact ? 200 : 404;
      res.writeHead(entry.status, { 'content-type': 'application/zip' });
      res.end(artifact?.zip);
      return;
    }
    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    if (auth?.[1] !== this.token) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    if (!matched) {
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const fault = this.faultQueue.get(matched.route)?.shift();
    if (fault && !fault.applied) {
      send(fault.status, fault.body ?? {}, fault.headers);
      return;
    }
    if (matched.route === Routes.DownloadArtifact && !fault) {
      const artifact = this.artifacts.find(a => a.id === Number(matched.params.artifact_id));
      if (artifact && !artifact.expired) {
        entry.status = 302;
        res.writeHead(302, {
          location: `${this.url}/_blobs/${artifact.id}.zip?sig=fake`,
          'content-length': '0'
        });
        res.end();
        return;
      }
    }
    const [status, data, headers] = this.answer(matched, url, body);
    if (fault) send(fault.status, fault.body ?? {}, fault.headers);
    else send(status, data, headers);
  }

  private answer(m: Matched, url: URL, body: unknown): [number, unknown, Record<string, string>?] {
    const { owner = '', repo = '', issue_number = '0', comment_id = '0' } = m.params;
    switch (m.route) {
      case Routes.GetRepo:
        return [
          200,
          {
            id: REPOSITORY.id,
            full_name: `${owner}/${repo}`,
            name: repo,
            default_branch: REPOSITORY.defaultBranch
          }
        ];
      case Routes.ListPulls:
        return this.paged(
          filterPulls(this.pulls, `${owner}/${repo}`, url.searchParams, this.opts.ignoreHeadFilter),
          url
        );
      case Routes.GetPull: {
        const pull = this.pulls.find(
          p => p.base.repo.full_name === `${owner}/${repo}` && p.number === Number(m.params.pull_number)
        );
        return pull ? [200, pull] : [404, { message: 'Not Found' }];
      }
      case Routes.ListWorkflowRuns:
        return this.listRuns(`${owner}/${repo}`, m.params.workflow_id ?? '', url);
      case Routes.ListRunArtifacts:
        return this.listArtifacts(owner, repo, Number(m.params.run_id), url);
      case Routes.DownloadArtifact: {
        const artifact = this.artifacts.find(a => a.id === Number(m.params.artifact_id));
        if (!artifact) return [404, { message: 'Not Found' }];
        return [410, { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest' }];
      }
      case Routes.Blob:
        return [404, { message: 'Not Found' }];
      case Routes.User:
        if (this.opts.restUser === 'ok') return [200, { login: this.login, id: 41898282, type: 'User' }];
        return [403, faults.integration().body];
      case Routes.GraphQL: {
        const query = (body as { query?: string } | undefined)?.query ?? '';
        if (this.opts.graphqlViewer && /\bviewer\b/.test(query))
          return [200, { data: { viewer: { login: this.login } } }];
        return [200, { data: null, errors: [{ type: 'FORBIDDEN', message: 'not answered by the fake' }] }];
      }
      case Routes.ListComments:
        return this.list(owner, repo, Number(issue_number), url);
      case Routes.ListIssues: {
        const state = url.searchParams.get('state') ?? 'open';
        const creator = url.searchParams.get('creator')?.toLowerCase();
        const shown = this.issues(`${owner}/${repo}`)
          .filter(i => state === 'all' || i.state === state)
          .filter(i => !creator || i.user.login.toLowerCase() === creator)
          .reverse();
        return this.paged(shown, url);
      }
      case Routes.CreateIssue: {
        const { title, body: text } = (body ?? {}) as { title?: unknown; body?: unknown };
        if (typeof title !== 'string' || title === '') {
          return [
            422,
            {
              message: 'Validation Failed',
              errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }]
            }
          ];
        }
        const invalid = text === undefined ? undefined : this.invalidBody(text);
        if (invalid) return invalid;
        return [
          201,
          this.openIssue(`${owner}/${repo}`, title, (text as string | undefined) ?? '', this.login)
        ];
      }
      case Routes.UpdateIssue: {
        const issue = this.issues(`${owner}/${repo}`).find(i => i.number === Number(issue_number));
        if (!issue) return [404, { message: 'Not Found' }];
        const patch = (body ?? {}) as Partial<Pick<FakeIssue, 'title' | 'body' | 'state' | 'state_reason'>>;
        if (patch.body !== undefined) {
          const invalid = this.invalidBody(patch.body);
          if (invalid) return invalid;
          issue.body = patch.body;
        }
        if (typeof patch.title === 'string') issue.title = patch.title;
        if (patch.state === 'open' || patch.state === 'closed') {
          if (patch.state !== issue.state)
            issue.closed_at = patch.state === 'closed' ? new Date().toISOString() : null;
          issue.state = patch.state;
          issue.state_reason = patch.state === 'closed' ? (patch.state_reason ?? 'completed') : 'reopened';
        }
        issue.updated_at = new Date().toISOString();
        return [200, issue];
      }
      case Routes.CreateComment: {
        const text = (body as { body?: unknown } | undefined)?.body;
        const invalid = this.invalidBody(text);
        if (invalid) return invalid;
        return [201, this.insert(owner, repo, Number(issue_number), text as string, this.login)];
      }
      case Routes.UpdateComment: {
        const text = (body as { body?: unknown } | undefined)?.body;
        const comment = [...this.threads.entries()]
          .filter(([key]) => key.startsWith(`${owner}/${repo}#`))
          .flatMap(([, list]) => list)
          .find(c => c.id === Number(comment_id));
        if (!comment) return [404, { message: 'Not Found' }];
        const invalid = this.invalidBody(text);
        if (invalid) return invalid;
        comment.body = text as string;
        comment.updated_at = new Date().toISOString();
        return [200, comment];
      }
    }
  }

  private list(
    owner: string,
    repo: string,
    issue: number,
    url: URL
  ): [number, unknown, Record<string, string>] {
    return this.paged(this.comments(`${owner}/${repo}`, issue), url);
  }

  /** One page of `all` per `per_page` (default 30, max 100) and `page`, with GitHub's `Link` header. */
  private paged(all: readonly unknown[], url: URL): [number, unknown, Record<string, string>] {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number): string => {
      const u = new URL(url.pathname, this.url);
      for (const [k, v] of url.searchParams) u.searchParams.set(k, v);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return u.toString();
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    return [
      200,
      all.slice((page - 1) * perPage, page * perPage),
      rels.length ? { link: rels.join(', ') } : {}
    ];
  }

  /** GitHub's filters: `branch` is the head branch name, `status` a status or a conclusion. */
  private listRuns(repo: string, workflow: string, url: URL): [number, unknown] {
    const q = url.searchParams;
    const runs = this.runs
      .filter(r => r.repository.full_name === repo && r.workflow === workflow)
      .filter(r => !q.get('branch') || r.head_branch === q.get('branch'))
      .filter(r => !q.get('event') || r.event === q.get('event'))
      .filter(r => !q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status'))
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const shown = runs.slice((page - 1) * perPage, page * perPage).map(({ workflow: _, ...r }) => ({
      ...r,
      name: 'perf',
      path: `.github/workflows/${workflow}`
    }));
    return [200, { total_count: runs.length, workflow_runs: shown }];
  }

  private listArtifacts(owner: string, repo: string, runId: number, url: URL): [number, unknown] {
    const run = this.runs.find(r => r.id === runId && r.repository.full_name === `${owner}/${repo}`);
    if (!run) return [404, { message: 'Not Found' }];
    const name = url.searchParams.get('name');
    const artifacts = this.artifacts
      .filter(a => a.runId === runId && (!name || a.name === name))
      .map(a => ({
        id: a.id,
        node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
        name: a.name,
        size_in_bytes: a.zip.length,
        url: `${this.url}/repos/${owner}/${repo}/actions/artifacts/${a.id}`,
        archive_download_url: `${this.url}/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`,
        expired: a.expired,
        digest: `sha256:${createHash('sha256').update(a.zip).digest('hex')}`,
        created_at: a.created_at,
        updated_at: a.created_at,
        expires_at: new Date(Date.parse(a.created_at) + 90 * 86_400_000).toISOString(),
        workflow_run: { id: run.id, head_branch: run.head_branch, head_sha: run.head_sha }
      }));
    return [200, { total_count: artifacts.length, artifacts }];
  }

  private invalidBody(text: unknown): [number, unknown] | undefined {
    if (typeof text !== 'string' || text === '') {
      return [422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' }];
    }
    if (text.length > this.opts.bodyLimit) {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${this.opts.bodyLimit} characters)`
            }
          ]
        }
      ];
    }
    return undefined;
  }
}

function match(method: string, pathname: string): Matched | undefined {
  const key = `${method} ${pathname}`;
  for (const [route, re] of PATTERNS) {
    const m = re.exec(key);
    if (m) return { route, params: { ...m.groups } };
  }
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

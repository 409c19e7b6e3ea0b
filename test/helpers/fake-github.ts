/**
 * A local HTTP server that plays the part of the GitHub REST API that perfgate's pull-request
 * comment uses. Code under test is pointed at it with `GITHUB_API_URL`; no module mocks.
 *
 *   GET   /user                                        200 with the login (a PAT) or 403 (an installation token)
 *   POST  /graphql                                     `query { viewer { login } }` only
 *   GET   /repos/:owner/:repo/issues/:n/comments       `per_page` (default 30, max 100), `page`, `Link` header
 *   POST  /repos/:owner/:repo/issues/:n/comments       creates, as the token's user
 *   PATCH /repos/:owner/:repo/issues/comments/:id      edits (any comment, as a token with write access could)
 *
 * Every request must carry `authorization: token <t>` or `Bearer <t>` (else 401 "Bad credentials").
 * Failures are injected per route with `failNext`; `requests` logs what arrived.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const Routes = {
  User: 'GET /user',
  GraphQL: 'POST /graphql',
  ListComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  CreateComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  UpdateComment: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}'
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
  ]
];

export class FakeGitHub {
  readonly requests: LoggedRequest[] = [];
  readonly token: string;
  readonly login: string;
  private readonly opts: Required<Omit<FakeGitHubOptions, 'token' | 'login'>>;
  private readonly threads = new Map<string, FakeComment[]>();
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
      bodyLimit: options.bodyLimit ?? 65_536
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

  /** The comments of an issue or pull request, oldest first. */
  comments(repo: string, issue: number): FakeComment[] {
    return this.threads.get(`${repo}#${issue}`) ?? [];
  }

  /** The requests that went to one route. */
  requestsTo(route: Route): LoggedRequest[] {
    return this.requests.filter(r => r.route === route);
  }

  /**
   * The variables a runner sets for a `pull_request` event on `repo#number`, pointing at this
   * server; the event payload is written to a temporary file (removed by `close`).
   */
  actionEnv(
    opts: { repo?: string; number?: number; fork?: boolean; runId?: string } = {}
  ): Record<string, string> {
    const repo = opts.repo ?? 'acme/shop';
    const number = opts.number ?? 7;
    const head = opts.fork ? `contributor/${repo.split('/')[1]}` : repo;
    const payload = {
      action: 'synchronize',
      number,
      pull_request: { number, head: { repo: { full_name: head } }, base: { repo: { full_name: repo } } },
      repository: { full_name: repo }
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-event-'));
    this.tempDirs.push(dir);
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    return {
      GITHUB_API_URL: this.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: repo,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: opts.runId ?? '4242',
      GITHUB_WORKFLOW: 'perf'
    };
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
    const [status, data, headers] = this.answer(matched, url, body);
    if (fault) send(fault.status, fault.body ?? {}, fault.headers);
    else send(status, data, headers);
  }

  private answer(m: Matched, url: URL, body: unknown): [number, unknown, Record<string, string>?] {
    const { owner = '', repo = '', issue_number = '0', comment_id = '0' } = m.params;
    switch (m.route) {
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
    const all = this.comments(`${owner}/${repo}`, issue);
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number): string => {
      const u = new URL(url.pathname, this.url);
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

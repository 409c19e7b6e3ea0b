/**
 * A real git server over smart HTTP for integration tests: `git http-backend` (CGI) behind a Node
 * `http` server on 127.0.0.1, playing github.com's git endpoint. Repositories are bare repositories
 * at `<url>/<owner>/<repo>.git` in a temporary directory (removed by `close`).
 *
 * Pushes need `Authorization: basic base64(<user>:<token>)` (what `http.extraheader` sends, and what
 * git sends for `http://user:token@…`); fetches need it only with `readNeedsToken`. Anything else
 * gets 401 with `WWW-Authenticate`. Pushes can be failed (`failNextPushes`) or raced (`beforeNextPush`);
 * `requests` logs what arrived. The other helpers read and write bare repositories directly.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** One request the server answered. */
export interface GitRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The `service` query parameter (`git-upload-pack`, `git-receive-pack`) of `info/refs`. */
  service?: string;
  status: number;
  /** Whether it carried the valid token. */
  authorized: boolean;
}

export interface GitServer {
  /** `http://127.0.0.1:PORT`; repositories are at `<url>/<owner>/<repo>.git`. */
  url: string;
  /**
   * Creates an empty bare repository for owner/repo (git init --bare, default branch main, pushes over
   * HTTP enabled); returns its path.
   */
  createRepo(fullName: string): string;
  /** Path of the bare repository of owner/repo. */
  repoPath(fullName: string): string;
  /**
   * Every request: method, path (without query), query service, status answered, whether it carried a
   * valid token. A push larger than `http.postBuffer` shows two POSTs: git's probe, then the push.
   */
  requests: GitRequest[];
  /**
   * Runs once before the next push (POST .../git-receive-pack; not the probe git POSTs first for a large
   * push) is handed to git http-backend — a test uses it to land a concurrent commit on the branch first,
   * so the push loses the race. Cleared after it ran.
   */
  beforeNextPush(hook: () => Promise<void> | void): void;
  /**
   * Answer the next N pushes with this HTTP status (e.g. 500) without passing them on (after the
   * `beforeNextPush` hook, which still runs).
   */
  failNextPushes(count: number, status: number): void;
  /** Stops the server and removes the repositories. */
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** The one token accepted (as the password of basic auth; any user name). */
  token: string;
  /** Whether fetches and clones need the token too (a private repository). */
  readNeedsToken?: boolean;
}

/** The author and committer of commits the helpers write: another runner. */
export const OTHER_RUNNER = { name: 'Other Runner', email: 'other-runner@example.com' };

/** What the server keeps between requests. */
interface State {
  root: string;
  opts: GitServerOptions;
  requests: GitRequest[];
  hook?: () => Promise<void> | void;
  failures: number[];
  children: Set<ChildProcess>;
}

/** Starts a git server on 127.0.0.1 with a port the OS picks. */
export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  const state: State = {
    root: mkdtempSync(path.join(os.tmpdir(), 'perfgate-git-')),
    opts,
    requests: [],
    failures: [],
    children: new Set()
  };
  const server = http.createServer((req, res) => void handle(state, req, res));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const repoPath = (fullName: string): string => repoPathIn(state.root, fullName);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: state.requests,
    repoPath,
    createRepo: fullName => createBareRepo(repoPath(fullName)),
    beforeNextPush: hook => {
      state.hook = hook;
    },
    failNextPushes: (count, status) => {
      for (let i = 0; i < count; i++) state.failures.push(status);
    },
    close: () => closeServer(server, state)
  };
}

async function closeServer(server: http.Server, state: State): Promise<void> {
  for (const child of state.children) child.kill('SIGKILL');
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
  rmSync(state.root, { recursive: true, force: true });
}

function repoPathIn(root: string, fullName: string): string {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(fullName);
  if (!m || fullName.includes('..')) throw new Error(`not an owner/repo: ${fullName}`);
  return path.join(root, m[1]!, `${m[2]!}.git`);
}

/** `git init --bare` with default branch main, accepting pushes over HTTP. */
function createBareRepo(dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '--bare', '--quiet', dir], { env: gitEnv() });
  git(dir, ['config', 'http.receivepack', 'true']);
  // A reflog of every ref update, so that `movedOnlyForward` can tell a force push.
  git(dir, ['config', 'core.logAllRefUpdates', 'always']);
  return dir;
}

async function handle(state: State, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const service = url.searchParams.get('service') ?? undefined;
  const user = basicUser(req.headers.authorization, state.opts.token);
  const entry: GitRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    ...(service !== undefined && { service }),
    status: 0,
    authorized: user !== undefined
  };
  state.requests.push(entry);
  try {
    const receivePack = url.pathname.endsWith('/git-receive-pack') || service === 'git-receive-pack';
    const pushPost = entry.method === 'POST' && url.pathname.endsWith('/git-receive-pack') && !isProbe(req);
    if (user === undefined && (receivePack || state.opts.readNeedsToken)) {
      await answer(req, res, entry, 401, 'Unauthorized', { 'www-authenticate': 'Basic realm="fake-github"' });
      return;
    }
    // The hook first: a concurrent commit can land before a push that then fails for another reason.
    if (pushPost) await runHook(state);
    const failure = pushPost ? state.failures.shift() : undefined;
    if (failure !== undefined) {
      await answer(req, res, entry, failure, `injected failure ${failure}`);
      return;
    }
    runBackend(state, req, res, entry, url, user);
  } catch (err) {
    console.error('git-server:', err);
    if (!res.headersSent) await answer(req, res, entry, 500, String(err));
    else res.destroy();
  }
}

/**
 * The probe git POSTs (a bare flush packet, `0000`) before a request body larger than `http.postBuffer`,
 * which it then sends chunked. Not the push itself: hooks and injected failures wait for the real one.
 */
function isProbe(req: http.IncomingMessage): boolean {
  return req.headers['content-length'] === '4';
}

async function runHook(state: State): Promise<void> {
  const hook = state.hook;
  state.hook = undefined;
  await hook?.();
}

/** The user name of `authorization: basic base64(user:token)` when the token is the valid one. */
function basicUser(header: string | undefined, token: string): string | undefined {
  const m = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || decoded.slice(colon + 1) !== token) return undefined;
  return decoded.slice(0, colon);
}

/** Answers a plain-text response of the server's own (after reading the request body). */
async function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  entry: GitRequest,
  status: number,
  body: string,
  headers: Record<string, string> = {}
): Promise<void> {
  await new Promise<void>(resolve => {
    req.on('end', resolve).on('error', () => resolve());
    req.resume();
  });
  entry.status = status;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${body}\n`);
}

/** Hands the request to `git http-backend` and relays its CGI answer. */
function runBackend(
  state: State,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  entry: GitRequest,
  url: URL,
  user: string | undefined
): void {
  const child = spawn('git', ['http-backend'], {
    env: cgiEnv(state.root, req, url, user),
    stdio: ['pipe', 'pipe', 'pipe']
  });
  state.children.add(child);
  // The backend may exit before reading the whole body (an error answer): not our error.
  child.stdin.on('error', () => undefined);
  req.pipe(child.stdin);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  relayCgiOutput(child.stdout, res, status => (entry.status = status));
  const failed = (reason: string): void => {
    if (res.headersSent) return void res.destroy();
    entry.status = 502;
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`git http-backend failed: ${reason}\n`);
  };
  child.on('error', err => failed(String(err)));
  child.on('close', code => {
    state.children.delete(child);
    if (!res.headersSent) failed(`exit ${code}: ${stderr}`);
  });
}

/** The CGI environment of one request. */
function cgiEnv(
  root: string,
  req: http.IncomingMessage,
  url: URL,
  user: string | undefined
): NodeJS.ProcessEnv {
  const header = (name: string, variable: string): Record<string, string> => {
    const value = req.headers[name];
    return typeof value === 'string' ? { [variable]: value } : {};
  };
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: '127.0.0.1',
    ...(user !== undefined && { REMOTE_USER: user }),
    ...header('content-type', 'CONTENT_TYPE'),
    ...header('content-length', 'CONTENT_LENGTH'),
    ...header('content-encoding', 'HTTP_CONTENT_ENCODING'),
    ...header('git-protocol', 'HTTP_GIT_PROTOCOL')
  };
}

/** Relays CGI output: headers to the blank line (`Status:` is the status, default 200), then the body. */
function relayCgiOutput(out: Readable, res: http.ServerResponse, onStatus: (status: number) => void): void {
  let head: Buffer | undefined = Buffer.alloc(0);
  const write = (chunk: Buffer): void => {
    if (res.write(chunk)) return;
    out.pause();
    res.once('drain', () => out.resume());
  };
  out.on('data', (chunk: Buffer) => {
    if (head === undefined) return write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (!end) return;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.start).toString('latin1'));
    onStatus(status);
    res.writeHead(status, headers);
    const rest = head.subarray(end.body);
    head = undefined;
    if (rest.length > 0) write(rest);
  });
  out.on('end', () => {
    if (head === undefined) res.end();
  });
}

/** Where the CGI header block ends (`\r\n\r\n` or `\n\n`) and the body starts. */
function headerEnd(buf: Buffer): { start: number; body: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { start: crlf, body: crlf + 4 };
  if (lf >= 0) return { start: lf, body: lf + 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 200;
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [previous, value].flat();
  }
  return { status, headers };
}

/** The helpers' git environment: no system or global config, and no GIT_* variables inherited. */
function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'));
  return {
    ...Object.fromEntries(inherited),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_AUTHOR_NAME: OTHER_RUNNER.name,
    GIT_AUTHOR_EMAIL: OTHER_RUNNER.email,
    GIT_COMMITTER_NAME: OTHER_RUNNER.name,
    GIT_COMMITTER_EMAIL: OTHER_RUNNER.email,
    ...extra
  };
}

/** Runs git on a bare repository; its stdout. */
function git(
  repoPath: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {}
): string {
  return execFileSync('git', ['--git-dir', repoPath, ...args], {
    env: gitEnv(opts.env),
    input: opts.input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024
  });
}

/** The object `rev` names (`rev-parse --verify`), or null when it does not exist. */
function revParse(repoPath: string, rev: string): string | null {
  try {
    return git(repoPath, ['rev-parse', '--verify', '--quiet', rev]).trim();
  } catch (err) {
    if ((err as { status?: number }).status === 1) return null;
    throw err;
  }
}

/**
 * Reads a file at a branch tip of a bare repo (like git show branch:path), or null when the branch or file
 * is missing.
 */
export function readBranchFile(repoPath: string, branch: string, file: string): string | null {
  const blob = revParse(repoPath, `refs/heads/${branch}:${file}`);
  return blob === null ? null : git(repoPath, ['cat-file', 'blob', blob]);
}

/**
 * Commits `files` (path → content) on top of `branch` in the bare repo directly (no server), like another
 * runner's push; creates the branch if missing. Returns the new commit sha.
 */
export function commitToBranch(
  repoPath: string,
  branch: string,
  files: Record<string, string>,
  message = 'a commit of another runner'
): string {
  const ref = `refs/heads/${branch}`;
  const parent = revParse(repoPath, `${ref}^{commit}`);
  const indexDir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-git-index-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(indexDir, 'index') };
    git(repoPath, parent === null ? ['read-tree', '--empty'] : ['read-tree', parent], { env });
    for (const [file, content] of Object.entries(files)) {
      const blob = git(repoPath, ['hash-object', '-w', '--stdin'], { input: content }).trim();
      git(repoPath, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { env });
    }
    const tree = git(repoPath, ['write-tree'], { env }).trim();
    const parents = parent === null ? [] : ['-p', parent];
    const commit = git(repoPath, ['commit-tree', tree, ...parents, '-m', message]).trim();
    // Only if the branch is still where it was (a zero old value: only if it still does not exist).
    git(repoPath, ['update-ref', ref, commit, parent ?? '0'.repeat(40)]);
    return commit;
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}

/** Commits on the branch, oldest first (git log), with the files each changed; [] for a missing branch. */
export function branchLog(
  repoPath: string,
  branch: string
): Array<{ sha: string; message: string; author: string; files: string[] }> {
  const ref = `refs/heads/${branch}`;
  if (revParse(repoPath, ref) === null) return [];
  // Each commit: RS sha US author US message US, then the changed files, one a line (--name-only).
  const out = git(repoPath, ['log', '--reverse', '--name-only', '--format=%x1e%H%x1f%an%x1f%B%x1f', ref]);
  return out
    .split('\x1e')
    .slice(1)
    .map(record => {
      const [sha = '', author = '', message = '', files = ''] = record.split('\x1f');
      return { sha, message: message.trim(), author, files: files.split('\n').filter(Boolean) };
    });
}

/**
 * Whether `branch` only ever moved forward: its history is one line (no commit with two parents, one
 * root) and every value the ref ever had (its reflog) is still an ancestor of the tip — no force push
 * dropped a commit. False for a missing branch.
 */
export function movedOnlyForward(repoPath: string, branch: string): boolean {
  const tip = `refs/heads/${branch}`;
  if (revParse(repoPath, tip) === null) return false;
  const lines = git(repoPath, ['rev-list', '--parents', tip]).trim().split('\n');
  const shape = lines.map(l => l.split(' ').length);
  if (shape.some(n => n > 2) || shape.filter(n => n === 1).length !== 1) return false;
  const values = git(repoPath, ['reflog', 'show', '--format=%H', tip]).trim().split('\n');
  return values.every(sha => {
    try {
      git(repoPath, ['merge-base', '--is-ancestor', sha, tip]);
      return true;
    } catch {
      return false;
    }
  });
}

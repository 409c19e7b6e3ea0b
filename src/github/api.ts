/**
 * The GitHub REST client perfgate uses: `@actions/github`'s Octokit (REST methods, pagination,
 * the runner's proxy settings) with a small retry wrapper on its `request` hook.
 *
 * Why not `@octokit/plugin-retry` / `@octokit/plugin-throttling`: throttling is not installed, and
 * plugin-retry is only a transitive dependency of `@actions/artifact` (not ours to import); it
 * does not honour `retry-after` nor recognise secondary rate limits either. The rules below follow
 * GitHub's "best practices for using the REST API": on a secondary rate limit wait for
 * `retry-after` if given, else until `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else at
 * least a minute.
 */
import { logInfo } from './action-log.js';
import { getOctokit } from '@actions/github';
import { setTimeout as sleep } from 'node:timers/promises';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** How failed requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay for 5xx and network errors; doubles on each retry (with jitter). */
  baseMs: number;
  /** Wait after a secondary rate limit that names no time (GitHub asks for at least a minute). */
  secondaryWaitMs: number;
  /** The longest single wait; a server asking for more (e.g. a primary limit resetting in 40 min) is not retried. */
  maxWaitMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  baseMs: 1000,
  secondaryWaitMs: 60_000,
  maxWaitMs: 60_000,
  timeoutMs: 30_000
};

/**
 * Retry options from the environment: `PERFGATE_RETRY_BASE_MS` scales the backoff and the
 * secondary-rate-limit wait together (60 × base), so tests and drills run fast;
 * `PERFGATE_RETRY_MAX_WAIT_MS` overrides the cap. A `retry-after` from the server is honoured as is.
 */
export function retryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RetryOptions {
  const opts = { ...DEFAULT_RETRY };
  const base = Number(env.PERFGATE_RETRY_BASE_MS);
  if (env.PERFGATE_RETRY_BASE_MS && Number.isFinite(base) && base >= 0) {
    opts.baseMs = base;
    opts.secondaryWaitMs = 60 * base;
  }
  const cap = Number(env.PERFGATE_RETRY_MAX_WAIT_MS);
  if (env.PERFGATE_RETRY_MAX_WAIT_MS && Number.isFinite(cap) && cap >= 0) opts.maxWaitMs = cap;
  return opts;
}

/** What went wrong with a request, as far as retrying is concerned. */
export interface Failure {
  kind: 'server' | 'network' | 'rate-limit' | 'forbidden' | 'other';
  status?: number;
  /** GitHub's own message, when it sent one. */
  message: string;
  /** The wait the server asked for (`retry-after`, or until `x-ratelimit-reset`). */
  waitMs?: number;
}

const SERVER_ERRORS = new Set([500, 502, 503, 504]);

/**
 * Classifies an Octokit error. Octokit reports a network failure or timeout as status 500 without a
 * response, which is how `network` is told apart from a real 500.
 */
export function classifyFailure(err: unknown, now = Date.now()): Failure {
  if (typeof err !== 'object' || err === null || typeof (err as { status?: unknown }).status !== 'number') {
    return { kind: 'other', message: errorMessage(err) };
  }
  const e = err as { status: number; message?: string; response?: { headers?: object; data?: unknown } };
  const status = e.status;
  const headers = (e.response?.headers ?? {}) as Record<string, string | undefined>;
  const data = e.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : (e.message ?? '');
  const waitMs = requestedWait(headers, now);
  if (SERVER_ERRORS.has(status)) {
    return {
      kind: e.response ? 'server' : 'network',
      status,
      message,
      ...(waitMs !== undefined && { waitMs })
    };
  }
  if (status === 403 || status === 429) {
    const limited =
      status === 429 ||
      headers['retry-after'] !== undefined ||
      headers['x-ratelimit-remaining'] === '0' ||
      /secondary rate limit|abuse detection/i.test(message);
    if (limited) return { kind: 'rate-limit', status, message, ...(waitMs !== undefined && { waitMs }) };
    return { kind: 'forbidden', status, message };
  }
  return { kind: 'other', status, message };
}

/** `retry-after` (seconds or an HTTP date), else the time until `x-ratelimit-reset` when none remain. */
function requestedWait(headers: Record<string, string | undefined>, now: number): number | undefined {
  const after = headers['retry-after'];
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset) && reset > 0) {
    // One second of margin for the clock difference between the runner and GitHub.
    return Math.max(0, reset * 1000 - now) + 1000;
  }
  return undefined;
}

/**
 * How long to wait before retry number `attempt + 1`, or undefined to give up. Server and network
 * errors are retried only for idempotent requests: a POST that timed out or got a 502 may still
 * have created its comment (the caller reconciles instead).
 */
export function retryDelay(
  failure: Failure,
  attempt: number,
  idempotent: boolean,
  opts: RetryOptions,
  random: () => number = Math.random
): number | undefined {
  if (attempt >= opts.retries) return undefined;
  if (failure.kind === 'rate-limit') {
    const wait = failure.waitMs ?? opts.secondaryWaitMs;
    return wait <= opts.maxWaitMs ? wait : undefined;
  }
  if ((failure.kind === 'server' || failure.kind === 'network') && idempotent) {
    if (failure.waitMs !== undefined) return failure.waitMs <= opts.maxWaitMs ? failure.waitMs : undefined;
    return backoff(attempt, opts, random);
  }
  return undefined;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoff(attempt: number, opts: RetryOptions, random: () => number = Math.random): number {
  const full = Math.min(opts.maxWaitMs, opts.baseMs * 2 ** attempt);
  return Math.round(full / 2 + (full / 2) * random());
}

/**
 * An Octokit for `GITHUB_API_URL` (read now, not at import) whose every request, pagination pages
 * and GraphQL included, is retried per `retryDelay`. Pass `request: { idempotent: true }` on a POST
 * that is safe to repeat (a GraphQL query).
 */
export function createClient(
  token: string,
  retry: RetryOptions,
  env: NodeJS.ProcessEnv = process.env
): GitHubClient {
  const baseUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const api = getOctokit(token, { baseUrl });
  api.hook.wrap('request', async (request, options) => {
    const idempotent = options.method !== 'POST' || options.request?.idempotent === true;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request({
          ...options,
          request: { ...options.request, signal: AbortSignal.timeout(retry.timeoutMs) }
        });
      } catch (err) {
        const failure = classifyFailure(err);
        const wait = retryDelay(failure, attempt, idempotent, retry);
        if (wait === undefined) throw err;
        const what = failure.status && failure.kind !== 'network' ? `answered ${failure.status}` : 'failed';
        logInfo(
          `GitHub API ${options.method} ${pathOf(options.url)} ${what} (${failure.message || failure.kind}); ` +
            `retry ${attempt + 1}/${retry.retries} in ${(wait / 1000).toFixed(1)} s`
        );
        await sleep(wait);
      }
    }
  });
  return api;
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '');
}

/** A one-line message for any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

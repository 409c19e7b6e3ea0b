import {
  DEFAULT_RETRY,
  backoff,
  classifyFailure,
  retryDelay,
  retryOptionsFromEnv,
  type Failure
} from '../../../src/github/api.js';

const NOW = Date.parse('2026-10-01T12:00:00Z');

/** Shaped as Octokit's RequestError: `status`, and `response` when the server answered. */
function httpError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, response: { status, headers, data: { message } } });
}

describe('classifyFailure', () => {
  it.each<[string, unknown, Partial<Failure>]>([
    ['502', httpError(502, 'Server Error'), { kind: 'server', status: 502 }],
    [
      '503 with retry-after',
      httpError(503, 'busy', { 'retry-after': '2' }),
      { kind: 'server', waitMs: 2000 }
    ],
    [
      'network (500 without response)',
      Object.assign(new Error('fetch failed'), { status: 500 }),
      { kind: 'network' }
    ],
    [
      '403 integration',
      httpError(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' }),
      { kind: 'forbidden', status: 403, message: 'Resource not accessible by integration' }
    ],
    [
      '403 retry-after',
      httpError(403, 'slow down', { 'retry-after': '1' }),
      { kind: 'rate-limit', waitMs: 1000 }
    ],
    ['429 without headers', httpError(429, 'Too Many Requests'), { kind: 'rate-limit' }],
    [
      '403 secondary rate limit message',
      httpError(403, 'You have exceeded a secondary rate limit. Please wait a few minutes.'),
      { kind: 'rate-limit' }
    ],
    [
      '403 primary limit resetting in 30 s',
      httpError(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000 + 30)
      }),
      { kind: 'rate-limit', waitMs: 31_000 }
    ],
    [
      'retry-after as an HTTP date',
      httpError(429, 'x', { 'retry-after': new Date(NOW + 5000).toUTCString() }),
      { kind: 'rate-limit', waitMs: 5000 }
    ],
    ['404', httpError(404, 'Not Found'), { kind: 'other', status: 404 }],
    ['a plain Error', new Error('boom'), { kind: 'other', message: 'boom' }]
  ])('%s', (_, err, expected) => expect(classifyFailure(err, NOW)).toMatchObject(expected));

  it('names no wait when GitHub names none', () => {
    expect(classifyFailure(httpError(429, 'Too Many Requests'), NOW)).not.toHaveProperty('waitMs');
  });
});

describe('retryDelay', () => {
  const opts = { ...DEFAULT_RETRY, baseMs: 100, secondaryWaitMs: 6000, maxWaitMs: 10_000 };
  const half = () => 0.5;
  const server: Failure = { kind: 'server', status: 502, message: '' };
  it.each<[string, Failure, number, boolean, number | undefined]>([
    ['5xx, first retry', server, 0, true, 75],
    ['5xx, third retry', server, 2, true, 300],
    ['5xx after the last retry', server, 3, true, undefined],
    ['5xx on a POST', server, 0, false, undefined],
    ['network on a GET', { kind: 'network', status: 500, message: '' }, 1, true, 150],
    ['5xx with retry-after', { ...server, waitMs: 2000 }, 0, true, 2000],
    ['secondary limit, no time given', { kind: 'rate-limit', message: '' }, 0, false, 6000],
    [
      'retry-after within the cap, on a POST',
      { kind: 'rate-limit', message: '', waitMs: 1000 },
      0,
      false,
      1000
    ],
    [
      'primary limit resetting after the cap',
      { kind: 'rate-limit', message: '', waitMs: 40 * 60_000 },
      0,
      true,
      undefined
    ],
    ['403 forbidden', { kind: 'forbidden', status: 403, message: '' }, 0, true, undefined],
    ['404', { kind: 'other', status: 404, message: '' }, 0, true, undefined]
  ])('%s', (_, failure, attempt, idempotent, expected) =>
    expect(retryDelay(failure, attempt, idempotent, opts, half)).toBe(expected)
  );

  it('backs off exponentially between half and all of base·2^n, capped', () => {
    expect(backoff(0, opts, () => 0)).toBe(50);
    expect(backoff(0, opts, () => 1)).toBe(100);
    expect(backoff(3, opts, () => 1)).toBe(800);
    expect(backoff(20, opts, () => 1)).toBe(10_000);
  });
});

describe('retryOptionsFromEnv', () => {
  it.each<[NodeJS.ProcessEnv, Partial<typeof DEFAULT_RETRY>]>([
    [{}, DEFAULT_RETRY],
    [{ PERFGATE_RETRY_BASE_MS: '5' }, { baseMs: 5, secondaryWaitMs: 300, maxWaitMs: 60_000 }],
    [{ PERFGATE_RETRY_MAX_WAIT_MS: '2000' }, { baseMs: 1000, maxWaitMs: 2000 }],
    [{ PERFGATE_RETRY_BASE_MS: 'soon' }, { baseMs: 1000 }]
  ])('%j', (env, expected) => expect(retryOptionsFromEnv(env)).toMatchObject(expected));
});

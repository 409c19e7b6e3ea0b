/**
 * The leaf values of the config: each schema knows what it expects, checks it, and converts it to
 * the form `ResolvedConfig` wants (durations to milliseconds, methods to upper case, …).
 */
import { z } from 'zod';
import { describeValue, expected } from './messages.js';

/** A string with at least one character. */
export function nonEmptyString(what: string) {
  return z.string(expected(what)).min(1);
}

/** An integer within bounds. */
export function integer(min: number, max: number) {
  return z
    .int(expected(`an integer from ${min} to ${max}`))
    .min(min)
    .max(max);
}

/**
 * A string, number or boolean, kept as a string: `PORT: 3000` in YAML is a number, but
 * environment variables and header values are strings.
 */
export function scalarString(what: string) {
  return z.union([z.string(), z.number(), z.boolean()], expected(what)).transform(String);
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The target: scheme, host and port only; resolved to its origin (`http://127.0.0.1:3000`). */
export const targetUrl = z
  .string(expected('an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000"'))
  .refine(text => {
    const url = httpUrl(text);
    // `new URL` turns "http://h:1" into pathname "/", so "/" is the only path it may have.
    return url !== undefined && url.pathname === '/' && !/[?#]/.test(text) && !url.username && !url.password;
  })
  .transform(text => new URL(text).origin);

/**
 * Any http(s) URL (the readiness check may have a path), but without `user:password@`: fetch
 * refuses a URL with credentials, so such a check could only fail (and its error would show them).
 */
export const readyUrl = z
  .string(expected('an http(s) URL like "http://127.0.0.1:3000/health"'))
  .refine(text => httpUrl(text) !== undefined)
  .refine(text => {
    const url = httpUrl(text);
    return url === undefined || (!url.username && !url.password);
  }, expected('an http(s) URL without user:password (a readiness check cannot send them)'));

/** An HTTP status code. */
export const status = z.int(expected('an HTTP status from 100 to 599')).min(100).max(599);

/** One status or a list of them, as a list. */
export const statusList = z
  .union(
    [status, z.array(status, expected('a non-empty list of HTTP statuses')).min(1)],
    expected('an HTTP status from 100 to 599 or a non-empty list of them')
  )
  .transform(value => (Array.isArray(value) ? value : [value]));

/** `host:port` (IPv6 hosts in brackets). */
export const hostPort = z
  .string(expected('"host:port" like "127.0.0.1:3000"'))
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]/]+):\d{1,5}$/)
  .refine(text => {
    const port = Number(text.slice(text.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  });

/** A JavaScript regular expression source, which must compile. */
export const regexSource = z.string(expected('a regular expression')).superRefine((text, ctx) => {
  try {
    new RegExp(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^.*: /, '') : String(err);
    ctx.addIssue({
      code: 'custom',
      message: `expected a valid regular expression, got ${describeValue(text)} (${reason})`
    });
  }
});

/** The HTTP methods a request may use. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

// Case-insensitive without a flag (`[Gg][Ee][Tt]|…`), because JSON Schema patterns have no flags.
const METHOD_PATTERN = `^(?:${METHODS.map(m => [...m].map(c => `[${c}${c.toLowerCase()}]`).join('')).join('|')})$`;

/** An HTTP method in any case, stored upper-case. */
export const method = z
  .string(expected(`one of ${METHODS.join(', ')}`))
  .regex(new RegExp(METHOD_PATTERN))
  .transform(text => text.toUpperCase());

/** A request path (and query), starting with `/`; no whitespace, which would break the request line. */
export const requestPath = z
  .string(expected('a path starting with "/" and without spaces, like "/hello"'))
  .regex(/^\/\S*$/);

/** A header name: an HTTP token (RFC 9110 §5.6.2). */
export const headerName = z
  .string(expected("a header name made of letters, digits and !#$%&'*+-.^_`|~"))
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);

/** A header value: no CR or LF, which would let a value smuggle in another header. */
export const headerValue = scalarString('a header value (a string)').refine(
  value => !/[\r\n]/.test(value),
  expected('a header value without line breaks')
);

/**
 * A git branch name that `git check-ref-format --branch` accepts: no spaces or control characters,
 * none of ~^:?*[\\, no `..` or `@{`, no component starting with `.` or ending with `.lock`, no
 * leading `-`, no leading, trailing or doubled `/`.
 */
export const branchName = z.string(expected('a git branch name like "perfgate-data"')).refine(
  name =>
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    /^[^\s~^:?*[\\\x00-\x1f\x7f]+$/.test(name) &&
    !/\.\.|@\{|\/\/|^[-/]|\/$|\.$|(^|\/)\.|\.lock(\/|$)/.test(name) &&
    name !== '@',
  expected('a git branch name like "perfgate-data" (no spaces, "..", "~^:?*[\\", leading "-" or "/")')
);

/** A relative path inside a repository: `/`-separated, no `..`, `.`, `.git` or empty component. */
export function isRepoPath(text: string): boolean {
  return (
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    !/[\x00-\x1f\x7f\\]/.test(text) &&
    text.split('/').every(c => c !== '' && c !== '.' && c !== '..' && c.toLowerCase() !== '.git')
  );
}

const CHANGE_PATTERN = /^\d+(?:\.\d+)?%$/;
const CHANGE_EXAMPLE = 'a minimum relevant change like "5%" or 0.05';

/** `5%` or `0.05` as a fraction, or undefined when it is neither. */
export function changeFraction(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  return CHANGE_PATTERN.test(value) ? Number(value.slice(0, -1)) / 100 : undefined;
}

/** A minimum relevant change δ with 0 < δ < 1, as a fraction. */
export const relevantChange = z
  .union(
    [z.string(expected(CHANGE_EXAMPLE)).regex(CHANGE_PATTERN), z.number(expected(CHANGE_EXAMPLE))],
    expected(CHANGE_EXAMPLE)
  )
  .refine(value => {
    const fraction = changeFraction(value);
    return fraction === undefined || (fraction > 0 && fraction < 1);
  }, expected('a change greater than 0 and less than 1 (0% to 100%, exclusive)'))
  .transform(value => changeFraction(value) ?? Number.NaN);

const RATE_EXAMPLE = 'a rate in requests per second like 200 or "200/s"';

/** An arrival rate in requests per second: a number, or a string like `200/s`. */
export const rate = z
  .union(
    [z.number(expected(RATE_EXAMPLE)), z.string(expected(RATE_EXAMPLE)).regex(/^\d+(?:\.\d+)?\s*\/\s*s$/)],
    expected(RATE_EXAMPLE)
  )
  .transform(value => (typeof value === 'number' ? value : Number.parseFloat(value)))
  .refine(
    value => value > 0 && value <= 1_000_000,
    expected('a rate greater than 0 and at most 1000000 req/s')
  );

/** A level of load: connections (an integer) in the closed model. */
export const connections = integer(1, 10000);

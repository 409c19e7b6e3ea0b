/**
 * HTTP/1.1 requests of a profile's mix as bytes, for the closed model's own client (net-driver.ts):
 * the request line, `Host`, the configured headers, `Content-Length` for a body, the body. A request
 * without `[<id>]` is serialised once; one with it, on every send (request-id.ts).
 */
import { METHODS } from 'node:http';
import type { RequestSpec } from '../config/types.js';
import { withFreshIds, type RequestParts } from './request-id.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Methods a request may use: Node's list but CONNECT, which asks for a tunnel. */
const SENDABLE = new Set(METHODS.filter(m => m !== 'CONNECT'));

/** A request of the mix, ready to write. */
export interface WireRequest {
  /** HEAD: the response has no body. */
  head: boolean;
  /** Bytes of the body to keep for the check against `expectBody` (its length + 1), else 0. */
  keep: number;
  /** The bytes to write (fresh ones on every call when the request has `[<id>]`). */
  bytes(): Buffer;
}

/**
 * The wire form of `spec` for the server at `host` (`hostname:port` as in a URL). Throws on what
 * cannot be sent as asked: an unknown method, whitespace or control characters in the path, a
 * header name that is not a token, CR, LF or NUL in a header value.
 */
export function wireRequest(
  spec: Pick<RequestSpec, 'method' | 'path' | 'headers' | 'body' | 'expectBody'>,
  host: string
): WireRequest {
  const method = spec.method.toUpperCase();
  if (!SENDABLE.has(method)) throw new Error(`${spec.method} HTTP method is not supported`);
  const parts = withFreshIds(spec);
  const fixed = parts();
  const serialise = (p: RequestParts): Buffer => {
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    if (!/^\/[^\s\x00-\x1f\x7f]*$/.test(p.path))
      throw new Error(`bad request path ${JSON.stringify(p.path)}`);
    let text = `${method} ${p.path} HTTP/1.1\r\n`;
    let hasHost = false;
    let hasLength = false;
    for (const [name, value] of Object.entries(p.headers)) {
      if (!TOKEN.test(name)) throw new Error(`bad header name ${JSON.stringify(name)}`);
      if (/[\r\n\0]/.test(value)) throw new Error(`bad value of header ${name}`);
      const lower = name.toLowerCase();
      if (lower === 'host') hasHost = true;
      else if (lower === 'content-length') hasLength = true;
      text += `${name}: ${value}\r\n`;
    }
    if (!hasHost) text = text.replace('\r\n', `\r\nHost: ${host}\r\n`);
    const body = p.body === undefined ? undefined : Buffer.from(p.body, 'utf8');
    if (body && !hasLength) text += `Content-Length: ${body.length}\r\n`;
    const head = Buffer.from(`${text}\r\n`, 'utf8');
    return body ? Buffer.concat([head, body]) : head;
  };
  const once = serialise(fixed);
  const fresh = parts() !== fixed;
  return new Wire(
    method === 'HEAD',
    spec.expectBody === undefined ? 0 : Buffer.byteLength(spec.expectBody, 'utf8') + 1,
    fresh ? undefined : once,
    fresh ? () => serialise(parts()) : undefined
  );
}

/**
 * A class, so that every run's requests share one `bytes` function: with a closure per request, as
 * it was, the client's write optimised in the warmup (which calls it) met another function in the
 * first trial, and V8 threw that code away at the trial's first write (`--trace-deopt`: wrong call
 * target).
 */
class Wire implements WireRequest {
  constructor(
    readonly head: boolean,
    readonly keep: number,
    private readonly once: Buffer | undefined,
    private readonly fresh: (() => Buffer) | undefined
  ) {}

  bytes(): Buffer {
    return this.once ?? this.fresh!();
  }
}

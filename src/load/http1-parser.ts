/**
 * A strict, incremental HTTP/1.1 response parser for the closed model's own client (net-driver.ts):
 * one response at a time (the client never pipelines), fed the socket's chunks as they come, split
 * anywhere. It knows the status line, header fields, `Content-Length` and chunked bodies (chunk
 * extensions and trailers read and dropped), bodies delimited by the connection's close, 1xx
 * interim responses, and what a response says about keeping the connection (RFC 9112 §9.3).
 * Anything else is an `HttpParseError`: a status line that is not `HTTP/1.x NNN`, a header line
 * without a token and a colon, obsolete line folding, bare CR or LF, conflicting lengths, both
 * `Transfer-Encoding` and `Content-Length` (RFC 9112 §6.3: a sign of smuggling), a head or a chunk
 * line past its limit, a bad chunk size or chunk end, a close before the end. A body is counted,
 * not kept, unless the caller asks for its first bytes (to compare with an expected body).
 */

/** Limits of one response, in bytes. */
export interface ParserLimits {
  /** Status line and header fields, and (separately) the trailer section. Node's default: 16 KiB. */
  maxHeaderBytes: number;
  /** One chunk-size line with its extensions. */
  maxChunkLineBytes: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = { maxHeaderBytes: 16 * 1024, maxChunkLineBytes: 4096 };

/** The response does not follow HTTP/1.1 (or breaks a limit); the connection cannot be reused. */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
}

/** A complete response. */
export interface ParsedResponse {
  status: number;
  /** Bytes of the whole response as received: status line, headers, framing, body, trailers. */
  bytes: number;
  /** The body's first bytes as UTF-8 when asked for (`expect(…, keep)`), else undefined. */
  body: string | undefined;
  /** The body was longer than the bytes kept. */
  truncated: boolean;
  /** Whether the connection may carry another request (HTTP/1.1 without `Connection: close`). */
  keepAlive: boolean;
}

const IDLE = 0;
const HEAD = 1;
const BODY = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILERS = 6;
const UNTIL_CLOSE = 7;
const DONE = 8;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: no control characters but HTAB (RFC 9110 §5.5). */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const CHUNK_LINE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;[\t\x20-\x7e\x80-\xff]*)?$/;

export class ResponseParser {
  private state = IDLE;
  private noBody = false;
  private keep = 0;
  /** The head (or a chunk or trailer line) gathered across chunks. */
  private pending = Buffer.allocUnsafe(0);
  private pendingLength = 0;
  private remaining = 0;
  private trailerBytes = 0;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private res: ParsedResponse = emptyResponse();

  constructor(private readonly limits: ParserLimits = DEFAULT_PARSER_LIMITS) {}

  /**
   * Expect the response to a request just written: `head` for a HEAD request (no body),
   * `keep` the number of body bytes to keep (0: none).
   */
  expect(head: boolean, keep = 0): void {
    this.state = HEAD;
    this.noBody = head;
    this.keep = keep;
    this.pendingLength = 0;
    this.kept = [];
    this.keptBytes = 0;
    this.res.status = 0;
    this.res.bytes = 0;
    this.res.body = undefined;
    this.res.truncated = false;
    this.res.keepAlive = true;
  }

  /** Whether a response is expected and not complete yet. */
  get busy(): boolean {
    return this.state !== IDLE && this.state !== DONE;
  }

  /** The last complete response (the same object each time: read it before the next `expect`). */
  get response(): ParsedResponse {
    return this.res;
  }

  /**
   * Parses `chunk[offset, end)` (`end`: a reused read buffer holds older bytes past it). Returns the
   * offset just past the end of the response when it ends within that range (bytes after it are
   * not this response's), else -1 (all consumed). Nothing of `chunk` is kept by reference: the
   * caller may overwrite it as soon as this returns. Throws `HttpParseError`, also for bytes when no
   * response is expected.
   */
  execute(chunk: Buffer, offset = 0, end = chunk.length): number {
    const start = offset;
    if (!this.busy && offset < end) throw new HttpParseError('bytes received with no request in flight');
    while (offset < end) {
      switch (this.state) {
        case HEAD:
          offset = this.readHead(chunk, offset, end);
          break;
        case BODY: {
          const n = Math.min(this.remaining, end - offset);
          this.keepBody(chunk, offset, n);
          this.remaining -= n;
          offset += n;
          if (this.remaining === 0) this.finish();
          break;
        }
        case UNTIL_CLOSE:
          this.keepBody(chunk, offset, end - offset);
          offset = end;
          break;
        case CHUNK_SIZE: {
          // The usual case, a bare size line whole in this chunk, without making a string.
          const next = this.pendingLength === 0 ? this.bareChunkSize(chunk, offset, end) : -1;
          if (next >= 0) {
            offset = next;
            break;
          }
          offset = this.readLine(chunk, offset, end, this.limits.maxChunkLineBytes, 'chunk-size line');
          if (offset >= 0) this.chunkSize(this.takeLine());
          else offset = end;
          break;
        }
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, end - offset);
          this.keepBody(chunk, offset, n);
          this.remaining -= n;
          offset += n;
          if (this.remaining === 0) {
            this.state = CHUNK_END;
            this.remaining = 2;
          }
          break;
        }
        case CHUNK_END:
          if (chunk[offset] !== (this.remaining === 2 ? 13 : 10))
            throw new HttpParseError('chunk data not followed by CRLF');
          offset++;
          if (--this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        case TRAILERS: {
          // The usual end of a chunked body, no trailer field: the empty line whole in this chunk.
          if (
            this.pendingLength === 0 &&
            this.trailerBytes === 0 &&
            offset + 1 < end &&
            chunk[offset] === 13 &&
            chunk[offset + 1] === 10
          ) {
            offset += 2;
            this.finish();
            break;
          }
          const next = this.readLine(
            chunk,
            offset,
            end,
            this.limits.maxHeaderBytes,
            'trailer section',
            this.trailerBytes
          );
          if (next < 0) {
            offset = end;
            break;
          }
          this.trailerBytes += this.pendingLength;
          const line = this.takeLine();
          if (line === '') this.finish();
          else fieldOf(line);
          offset = next;
          break;
        }
        default: // DONE
          this.res.bytes += offset - start;
          return offset;
      }
      if (this.state === DONE) {
        this.res.bytes += offset - start;
        return offset;
      }
    }
    this.res.bytes += offset - start;
    return -1;
  }

  /**
   * The connection ended (the server closed it). Returns true when that ends a response whose
   * body runs until the close; false when no response was under way; throws when one was cut short.
   */
  eof(): boolean {
    if (this.state === UNTIL_CLOSE) {
      this.finish();
      return true;
    }
    if (this.busy) throw new HttpParseError('connection closed before the response ended');
    return false;
  }

  /** Forget the response under way (the request was given up). */
  reset(): void {
    this.state = IDLE;
    this.kept = [];
  }

  private readHead(chunk: Buffer, offset: number, end: number): number {
    const max = this.limits.maxHeaderBytes;
    if (this.pendingLength === 0) {
      // The usual case: the whole head in one chunk.
      const past = this.head(chunk, offset, Math.min(end, offset + max));
      if (past >= 0) return past;
    }
    const before = this.pendingLength;
    const take = Math.min(end - offset, max - before);
    this.append(chunk, offset, take);
    const at = this.pending.subarray(0, this.pendingLength).indexOf(CRLFCRLF, Math.max(0, before - 3));
    if (at < 0) {
      if (this.pendingLength >= max) throw new HttpParseError(`response head longer than ${max} bytes`);
      return offset + take;
    }
    this.pendingLength = 0;
    this.head(this.pending, 0, at + 4);
    return offset + (at + 4 - before);
  }

  /**
   * The head in `buf[start, limit)`: the status line and the header fields, read byte by byte in one
   * pass up to the empty line that ends them. Returns the offset past that line, or -1 when `limit`
   * comes first (nothing is taken from a head that is not whole yet; a line already whole that breaks
   * HTTP/1.1 throws at once). No string is made but for unusual values of Transfer-Encoding and
   * Connection, so that a response leaves next to nothing for the garbage collector (its pauses are
   * in the tail of every request in flight). One pass, not `Buffer#indexOf` for the end of the head
   * and of each line: the client parses every response of a turn before it writes the next
   * requests, and a call into the runtime per line cost more than reading the bytes
   * (bench/response-parse.mjs, side by side: nginx's chunked answer 962 → 356 ns, a Node
   * Content-Length one 886 → 310 ns, 20 head lines 2913 → 1277 ns). Parsing each response in a bare
   * Node client beside nginx /slow (8 connections, 6 rounds) added 330 preemptions a second by the
   * server at the client's writes with indexOf, 120 in one pass (each one loosens the burst of
   * requests the server then answers: README, "closed model"); through the CLI, 10 rounds beside
   * the parser before, p90 / p99 read +3.0 / +2.1 % above wrk against +3.4 / +1.3 %, within the
   * rounds' spread.
   */
  private head(buf: Buffer, start: number, limit: number): number {
    const statusEnd = crlf(buf, start, limit);
    if (statusEnd < 0) return -1;
    const status = statusOf(buf, start, statusEnd);
    const http10 = buf[start + 7] === 0x30;
    let length = -1;
    let codings: string | undefined;
    let close = false;
    let keepAliveToken = false;
    let pos = statusEnd + 2;
    for (;;) {
      if (pos + 1 >= limit) return -1;
      if (buf[pos] === 13 && buf[pos + 1] === 10) break;
      let colon = pos;
      while (colon < limit && TOKEN_BYTE[buf[colon]!] === 1) colon++;
      if (colon >= limit) return -1;
      if (colon === pos || buf[colon] !== 0x3a) {
        const eol = crlf(buf, pos, limit);
        const line = buf.toString('latin1', pos, Math.min(eol < 0 ? limit : eol, pos + 80));
        throw new HttpParseError(`bad header line: ${JSON.stringify(line)}`);
      }
      let from = colon + 1;
      while (from < limit && (buf[from] === 0x20 || buf[from] === 0x09)) from++;
      // The value runs to the first control character but HTAB, which must be the CR of its CRLF.
      let eol = from;
      for (; eol < limit; eol++) {
        const b = buf[eol]!;
        if ((b < 0x20 && b !== 0x09) || b === 0x7f) break;
      }
      if (eol + 1 >= limit) return -1;
      if (buf[eol] !== 13 || buf[eol + 1] !== 10)
        throw new HttpParseError(`bad header value of ${buf.toString('latin1', pos, colon)}`);
      let to = eol;
      while (to > from && (buf[to - 1] === 0x20 || buf[to - 1] === 0x09)) to--;
      const n = colon - pos;
      if (n === 14 && nameIs(buf, pos, 'content-length')) {
        let value = 0;
        for (let i = from; i < to; i++) {
          const d = buf[i]! - 0x30;
          if (d < 0 || d > 9 || i - from >= 15) {
            value = -1;
            break;
          }
          value = value * 10 + d;
        }
        if (value < 0 || from === to)
          throw new HttpParseError(`bad Content-Length: ${JSON.stringify(buf.toString('latin1', from, to))}`);
        if (length >= 0 && value !== length) throw new HttpParseError('conflicting Content-Length fields');
        length = value;
      } else if (n === 17 && nameIs(buf, pos, 'transfer-encoding')) {
        // `chunked` alone (the usual value) without making a string of it.
        const value =
          to - from === 7 && nameIs(buf, from, 'chunked') ? 'chunked' : buf.toString('latin1', from, to);
        codings = codings === undefined ? value : `${codings},${value}`;
      } else if (n === 10 && nameIs(buf, pos, 'connection')) {
        // `keep-alive` or `close` alone (the usual values) without making a string of them.
        if (to - from === 10 && nameIs(buf, from, 'keep-alive')) keepAliveToken = true;
        else if (to - from === 5 && nameIs(buf, from, 'close')) close = true;
        else
          for (const t of buf.toString('latin1', from, to).split(',')) {
            const token = t.trim().toLowerCase();
            if (token === 'close') close = true;
            else if (token === 'keep-alive') keepAliveToken = true;
          }
      }
      pos = eol + 2;
    }
    this.frame(status, !close && (!http10 || keepAliveToken), length, codings);
    return pos + 2;
  }

  /** What follows a head with `status`: the body's framing from Content-Length and Transfer-Encoding. */
  private frame(status: number, keepAlive: boolean, length: number, codings: string | undefined): void {
    if (status < 200) {
      if (status === 101) throw new HttpParseError('unexpected 101 Switching Protocols');
      return; // an interim response: the final one follows (still HEAD)
    }
    this.res.status = status;
    this.res.keepAlive = keepAlive;
    if (this.noBody || status === 204 || status === 304) return this.finish();
    if (codings !== undefined) {
      if (length >= 0) throw new HttpParseError('both Transfer-Encoding and Content-Length');
      if (codings === 'chunked') {
        this.state = CHUNK_SIZE;
        return;
      }
      const list = codings.split(',').map(c => c.trim().toLowerCase());
      const chunked = list.indexOf('chunked');
      if (chunked >= 0 && chunked !== list.length - 1)
        throw new HttpParseError(`chunked is not the last transfer coding: ${JSON.stringify(codings)}`);
      if (chunked >= 0) {
        this.state = CHUNK_SIZE;
        return;
      }
    } else if (length >= 0) {
      if (length === 0) return this.finish();
      this.state = BODY;
      this.remaining = length;
      return;
    }
    // Neither, or a coding other than chunked last: the body runs until the close.
    this.res.keepAlive = false;
    this.state = UNTIL_CLOSE;
  }

  /**
   * A chunk-size line of hex digits alone (1 to 13, no extension, no whitespace) ended by CRLF
   * within `chunk[offset, end)`: takes its size and returns the offset past its LF; -1 for any
   * other line, left to `readLine` and `chunkSize` (which read it the same way, and judge the rest).
   */
  private bareChunkSize(chunk: Buffer, offset: number, end: number): number {
    let size = 0;
    let i = offset;
    for (; i < end && i - offset < 13; i++) {
      const digit = HEX_DIGIT[chunk[i]!]!;
      if (digit === 0xff) break;
      size = size * 16 + digit;
    }
    if (i === offset || i + 1 >= end || chunk[i] !== 13 || chunk[i + 1] !== 10) return -1;
    this.chunkSizeIs(size);
    return i + 2;
  }

  private chunkSize(line: string): void {
    const m = CHUNK_LINE.exec(line);
    if (!m) throw new HttpParseError(`bad chunk-size line: ${JSON.stringify(line.slice(0, 80))}`);
    this.chunkSizeIs(parseInt(m[1]!, 16));
  }

  private chunkSizeIs(size: number): void {
    if (size === 0) {
      this.state = TRAILERS;
      this.trailerBytes = 0;
    } else {
      this.state = CHUNK_DATA;
      this.remaining = size;
    }
  }

  /**
   * Gathers one CRLF-ended line into `pending` (at most `max` bytes with its CRLF and the `used`
   * bytes of earlier lines of its section); returns the
   * offset past its LF, or -1 when the chunk ended first.
   */
  private readLine(chunk: Buffer, offset: number, end: number, max: number, what: string, used = 0): number {
    const found = chunk.indexOf(10, offset);
    const lf = found >= end ? -1 : found;
    const to = lf < 0 ? end : lf + 1;
    if (used + this.pendingLength + (to - offset) > max)
      throw new HttpParseError(`${what} longer than ${max} bytes`);
    this.append(chunk, offset, to - offset);
    return lf < 0 ? -1 : to;
  }

  /** The line gathered by readLine, without its CRLF (a bare LF is an error). */
  private takeLine(): string {
    const n = this.pendingLength;
    this.pendingLength = 0;
    if (n < 2 || this.pending[n - 2] !== 13) throw new HttpParseError('line not ended by CRLF');
    const line = this.pending.toString('latin1', 0, n - 2);
    if (line.includes('\r')) throw new HttpParseError('bare CR in a line');
    return line;
  }

  private append(chunk: Buffer, offset: number, n: number): void {
    const need = this.pendingLength + n;
    if (need > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(256, need, this.pending.length * 2));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.pendingLength, offset, offset + n);
    this.pendingLength = need;
  }

  private keepBody(chunk: Buffer, offset: number, n: number): void {
    if (this.keep === 0 || n === 0) return;
    const room = this.keep - this.keptBytes;
    if (n > room) this.res.truncated = true;
    if (room <= 0) return;
    const take = Math.min(room, n);
    this.kept.push(Buffer.from(chunk.subarray(offset, offset + take)));
    this.keptBytes += take;
  }

  private finish(): void {
    this.state = DONE;
    if (this.keep > 0) this.res.body = Buffer.concat(this.kept).toString('utf8');
    this.kept = [];
  }
}

const HTTP_1 = Buffer.from('HTTP/1.');

/** Whether `buf` holds `HTTP/1.` at `start`. */
function startsWithHttp1(buf: Buffer, start: number): boolean {
  for (let i = 0; i < HTTP_1.length; i++) if (buf[start + i] !== HTTP_1[i]) return false;
  return true;
}

/** 1 for the bytes of an HTTP token (RFC 9110 §5.6.2). */
const TOKEN_BYTE = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TOKEN_BYTE[c.charCodeAt(0)] = 1;

/** Where the first CRLF in `buf[from, limit)` starts (its CR), -1 when none does. */
function crlf(buf: Buffer, from: number, limit: number): number {
  for (let i = from; i + 1 < limit; i++) if (buf[i] === 13 && buf[i + 1] === 10) return i;
  return -1;
}

/** The status code of `HTTP/1.x NNN[ reason]` in `buf[start, eol)`; throws when it is not one. */
function statusOf(buf: Buffer, start: number, eol: number): number {
  const d = (i: number) => buf[start + i]! - 0x30;
  let ok =
    eol - start >= 12 &&
    startsWithHttp1(buf, start) &&
    (d(7) === 0 || d(7) === 1) &&
    buf[start + 8] === 0x20 &&
    d(9) >= 1 &&
    d(9) <= 9 &&
    d(10) >= 0 &&
    d(10) <= 9 &&
    d(11) >= 0 &&
    d(11) <= 9 &&
    (eol - start === 12 || buf[start + 12] === 0x20);
  for (let i = start + 13; ok && i < eol; i++) {
    const b = buf[i]!;
    if ((b < 0x20 && b !== 0x09) || b === 0x7f) ok = false;
  }
  if (!ok)
    throw new HttpParseError(
      `bad status line: ${JSON.stringify(buf.toString('latin1', start, Math.min(eol, start + 80)))}`
    );
  return d(9) * 100 + d(10) * 10 + d(11);
}

/** The value of each hex digit's byte, 0xff for every other byte. */
const HEX_DIGIT = new Uint8Array(256).fill(0xff);
for (let d = 0; d < 16; d++) {
  HEX_DIGIT['0123456789abcdef'.charCodeAt(d)] = d;
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(d)] = d;
}

/** Whether the bytes at `pos` are `lower` (same length, any case; `lower` has letters and `-` only). */
function nameIs(buf: Buffer, pos: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((buf[pos + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** `[name, value]` of a trailer field line; throws when it is not one. */
function fieldOf(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon) : '';
  if (!TOKEN.test(name)) throw new HttpParseError(`bad header line: ${JSON.stringify(line.slice(0, 80))}`);
  const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (BAD_VALUE.test(value)) throw new HttpParseError(`bad header value of ${name}`);
  return [name, value];
}

function emptyResponse(): ParsedResponse {
  return { status: 0, bytes: 0, body: undefined, truncated: false, keepAlive: true };
}

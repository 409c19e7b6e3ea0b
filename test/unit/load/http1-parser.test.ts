/**
 * The strict HTTP/1.1 response parser of the net driver, fed whole, split at every byte, and broken
 * in the ways a server (or a network) can break a response.
 */
import {
  HttpParseError,
  ResponseParser,
  type ParsedResponse,
  type ParserLimits
} from '../../../src/load/http1-parser.js';

const CL = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '3;name=value;flag\r\nhel\r\n' +
  '2 ; x="quoted; still ext"\r\nlo\r\n' +
  '0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n';

/** Feeds `text` in pieces of `size` bytes; returns the response and where it ended in the last piece. */
function parse(
  text: string | Buffer,
  {
    size = Infinity,
    head = false,
    keep = 0,
    limits
  }: { size?: number; head?: boolean; keep?: number; limits?: ParserLimits } = {}
): { response: ParsedResponse; end: number; piece: number; pieces: number } {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const p = new ResponseParser(limits);
  p.expect(head, keep);
  const step = Math.min(size, bytes.length);
  const pieces = Math.ceil(bytes.length / step);
  for (let i = 0; i < pieces; i++) {
    const piece = bytes.subarray(i * step, (i + 1) * step);
    const end = p.execute(piece);
    if (end >= 0) return { response: p.response, end, piece: i, pieces };
  }
  throw new Error('incomplete');
}

describe('ResponseParser', () => {
  it.each([
    ['whole', Infinity],
    ['byte by byte', 1],
    ['in pieces of 7 bytes', 7]
  ])('reads a Content-Length response %s, counting every byte and keeping the body when asked', (_, size) => {
    const r = parse(CL, { size, keep: 6 });
    expect(r.response).toEqual({
      status: 200,
      bytes: CL.length,
      body: 'hello',
      truncated: false,
      keepAlive: true
    });
    expect(r.piece).toBe(r.pieces - 1);
  });

  it.each([
    ['whole', Infinity],
    ['byte by byte', 1],
    ['in pieces of 5 bytes', 5]
  ])('reads a chunked body with extensions and trailers %s', (_, size) => {
    const r = parse(CHUNKED, { size, keep: 100 });
    expect(r.response).toEqual({
      status: 200,
      bytes: CHUNKED.length,
      body: 'hello',
      truncated: false,
      keepAlive: true
    });
  });

  it.each([
    ['whole', Infinity],
    ['byte by byte', 1],
    ['in pieces of 2 bytes', 2],
    ['in pieces of 3 bytes', 3]
  ])('reads a chunked body without trailers (as nginx sends it) %s, and where it ends', (_, size) => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nConnection: keep-alive\r\n\r\n3\r\nok\n\r\n0\r\n\r\n';
    const r = parse(`${text}HTTP/1.1`, { size, keep: 10 });
    expect(r.response).toEqual({
      status: 200,
      bytes: text.length,
      body: 'ok\n',
      truncated: false,
      keepAlive: true
    });
    // Where it ended, counted from the start of all the bytes: the next response is left.
    expect(r.piece * Math.min(size, text.length + 8) + r.end).toBe(text.length);
  });

  it('keeps only the first bytes asked for and says the body was longer', () => {
    expect(parse(CL, { keep: 3 }).response).toMatchObject({ body: 'hel', truncated: true });
    expect(parse(CL, { keep: 0 }).response).toMatchObject({ body: undefined, truncated: false });
  });

  it('decodes the kept body as UTF-8, also when a character is split between chunks', () => {
    const body = Buffer.from('héllo', 'utf8');
    const res = Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`),
      body
    ]);
    expect(parse(res, { size: 1, keep: 10 }).response.body).toBe('héllo');
  });

  it('returns where the response ended: bytes after it are left to the caller', () => {
    const r = parse(`${CL}HTTP/1.1 200 OK\r\n`);
    expect(r.end).toBe(CL.length);
  });

  it.each([
    ['HEAD request', 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', true],
    ['204', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', false],
    ['304', 'HTTP/1.1 304 Not Modified\r\n\r\n', false],
    ['Content-Length: 0', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', false]
  ])('ends a response without a body at its head: %s', (_, text, head) => {
    const r = parse(text, { head });
    expect(r.end).toBe(text.length);
    expect(r.response.bytes).toBe(text.length);
  });

  it('skips interim 1xx responses and reads the final one', () => {
    const text = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${CL}`;
    const r = parse(text, { size: 3, keep: 10 });
    expect(r.response).toMatchObject({ status: 200, body: 'hello', bytes: text.length });
  });

  it.each([
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', false],
    [
      'a token list with close',
      'HTTP/1.1 200 OK\r\nConnection: upgrade, Close\r\nContent-Length: 0\r\n\r\n',
      false
    ],
    ['HTTP/1.0', 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', false],
    [
      'HTTP/1.0 with keep-alive',
      'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
      true
    ],
    ['Connection: CLOSE', 'HTTP/1.1 200 OK\r\nConnection: CLOSE\r\nContent-Length: 0\r\n\r\n', false],
    [
      'HTTP/1.0 with Keep-Alive',
      'HTTP/1.0 200 OK\r\nConnection:  Keep-Alive \r\nContent-Length: 0\r\n\r\n',
      true
    ],
    [
      'HTTP/1.1 with keep-alive',
      'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
      true
    ],
    ['HTTP/1.1', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', true],
    ['a status line without a reason', 'HTTP/1.1 200\r\ncontent-length: 0\r\n\r\n', true]
  ])('says whether the connection may be reused: %s', (_, text, keepAlive) => {
    expect(parse(text).response.keepAlive).toBe(keepAlive);
  });

  it('reads a body that runs until the close, and ends it at eof()', () => {
    const p = new ResponseParser();
    p.expect(false, 100);
    expect(p.execute(Buffer.from('HTTP/1.1 200 OK\r\n\r\nsome'))).toBe(-1);
    expect(p.execute(Buffer.from(' body'))).toBe(-1);
    expect(p.eof()).toBe(true);
    expect(p.response).toMatchObject({ status: 200, body: 'some body', keepAlive: false, bytes: 28 });
    expect(p.busy).toBe(false);
  });

  it('treats a transfer coding other than chunked last as a body until the close', () => {
    const p = new ResponseParser();
    p.expect(false);
    expect(p.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx'))).toBe(-1);
    expect(p.eof()).toBe(true);
  });

  it('allows duplicate Content-Length fields that agree', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok').response.status).toBe(
      200
    );
  });

  it.each([
    ['a bad status line', 'HTTP/1.1 OK\r\n\r\n', /bad status line/],
    ['HTTP/2 in the status line', 'HTTP/2 200 OK\r\n\r\n', /bad status line/],
    ['a two-digit status', 'HTTP/1.1 20 OK\r\n\r\n', /bad status line/],
    ['garbage instead of a response', 'garbage\r\n\r\n', /bad status line/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nnocolon\r\n\r\n', /bad header line/],
    ['a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n', /bad header line/],
    ['obsolete line folding', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\n\r\n', /bad header line/],
    ['a bare LF in the head', 'HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\n\r\n', /bad header value/],
    ['a bare CR in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\r2\r\n\r\n', /bad header value/],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n', /bad Content-Length/],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /bad Content-Length/],
    [
      'conflicting Content-Length fields',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      /conflicting/
    ],
    [
      'both Transfer-Encoding and Content-Length',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n',
      /both Transfer-Encoding and Content-Length/
    ],
    [
      'chunked not last',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      /not the last transfer coding/
    ],
    ['101 Switching Protocols', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n', /101/],
    [
      'a chunk size that is not hex',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      /bad chunk-size line/
    ],
    [
      'a chunk size too large',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000\r\n',
      /bad chunk-size/
    ],
    [
      'a chunk not ended by CRLF',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n',
      /not followed by CRLF/
    ],
    [
      'a chunk-size line ended by a bare LF',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n',
      /not ended by CRLF/
    ],
    [
      'a bad trailer',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n',
      /bad header line/
    ]
  ])('rejects %s, whole and byte by byte', (_, text, message) => {
    for (const size of [Infinity, 1]) {
      expect(() => parse(text, { size })).toThrow(HttpParseError);
      expect(() => parse(text, { size })).toThrow(message);
    }
  });

  it.each([
    [
      'a head',
      'HTTP/1.1 200 OK\r\nX-Big: ' + 'a'.repeat(200) + '\r\n\r\n',
      /response head longer than 128 bytes/
    ],
    [
      'a head that never ends',
      'HTTP/1.1 200 OK\r\nX-Big: ' + 'a'.repeat(200),
      /response head longer than 128 bytes/
    ],
    [
      'a chunk-size line',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;' + 'e'.repeat(100) + '\r\n',
      /chunk-size line longer than 64 bytes/
    ],
    [
      'the trailers',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n' +
        'X-T: 1234567890\r\n'.repeat(10) +
        '\r\n',
      /trailer section longer than 128 bytes/
    ]
  ])('enforces its limits: %s', (_, text, message) => {
    const limits = { maxHeaderBytes: 128, maxChunkLineBytes: 64 };
    for (const size of [Infinity, 1, 10]) expect(() => parse(text, { size, limits })).toThrow(message);
  });

  it('accepts a head of exactly the limit, split anywhere', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    const limits = { maxHeaderBytes: text.length, maxChunkLineBytes: 64 };
    for (const size of [Infinity, 1, 4]) expect(parse(text, { size, limits }).response.status).toBe(200);
    expect(() => parse(text, { limits: { ...limits, maxHeaderBytes: text.length - 1 } })).toThrow(
      /head longer/
    );
  });

  it('throws on bytes when no response is expected (pipelined garbage, a response never asked for)', () => {
    const p = new ResponseParser();
    expect(() => p.execute(Buffer.from(CL))).toThrow(/no request in flight/);
    p.expect(false);
    const end = p.execute(Buffer.from(`${CL}junk`));
    expect(end).toBe(CL.length);
    expect(() => p.execute(Buffer.from('junk'))).toThrow(/no request in flight/);
  });

  it.each([
    ['in the head', 'HTTP/1.1 200 OK\r\nContent-'],
    ['in a Content-Length body', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'],
    ['in a chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'],
    ['before the last chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'],
    ['in the trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n']
  ])('says a close before the end cut the response short: %s', (_, text) => {
    const p = new ResponseParser();
    p.expect(false);
    expect(p.execute(Buffer.from(text))).toBe(-1);
    expect(() => p.eof()).toThrow(/connection closed before the response ended/);
  });

  it('is idle at eof() when nothing was under way, and reusable after a response', () => {
    const p = new ResponseParser();
    expect(p.eof()).toBe(false);
    for (let i = 0; i < 3; i++) {
      p.expect(false, 10);
      expect(p.execute(Buffer.from(CHUNKED))).toBe(CHUNKED.length);
      expect(p.response).toMatchObject({ body: 'hello', bytes: CHUNKED.length });
    }
    expect(p.eof()).toBe(false);
  });

  it.each([
    ['whole', Infinity],
    ['byte by byte', 1]
  ])('reads hex sizes of either case and a Transfer-Encoding of any case (%s)', (_, size) => {
    const body = 'x'.repeat(0x1a) + 'y'.repeat(0xb);
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: ChUnKeD\r\n\r\n' +
      `1A\r\n${'x'.repeat(0x1a)}\r\n000b\r\n${'y'.repeat(0xb)}\r\n0000000000000\r\n\r\n`;
    const r = parse(text, { size, keep: 100 });
    expect(r.response).toMatchObject({ status: 200, body, bytes: text.length, truncated: false });
  });

  describe('in one reused read buffer (the net driver reads every socket into one)', () => {
    /**
     * Feeds `text` through a 64-byte buffer filled with `stale` first: each read overwrites the start
     * of the buffer and hands over its length, as `onread` does; the bytes past it are old ones.
     */
    function parseReused(text: string, stale: string, size: number, keep = 0) {
      const buffer = Buffer.alloc(64, stale, 'latin1');
      const bytes = Buffer.from(text, 'latin1');
      const p = new ResponseParser();
      p.expect(false, keep);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(buffer, 0, at, Math.min(at + size, bytes.length));
        const end = p.execute(buffer, 0, n);
        if (end >= 0) return { response: { ...p.response }, end, read: n };
      }
      return undefined;
    }

    it.each([1, 5, 16])(
      'never reads past the bytes of a read (%i at a time), whatever follows them',
      size => {
        // Old bytes that would end a head, a chunk-size line and a chunk early if they were read.
        for (const stale of ['\r\n\r\n', '\n', '0\r\n\r\n']) {
          const cl = parseReused(CL, stale, size, 10);
          expect(cl?.response).toMatchObject({
            status: 200,
            bytes: CL.length,
            body: 'hello',
            truncated: false
          });
          const chunked = parseReused(CHUNKED, stale, size, 10);
          expect(chunked?.response).toMatchObject({ status: 200, bytes: CHUNKED.length, body: 'hello' });
        }
      }
    );

    it('keeps no reference into the buffer: a head split across reads survives the next read', () => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n';
      const buffer = Buffer.alloc(64);
      const p = new ResponseParser();
      p.expect(false, 2);
      let n = buffer.write(head, 'latin1');
      expect(p.execute(buffer, 0, n)).toBe(-1);
      buffer.fill('X'); // the next read overwrites the first one's bytes
      n = buffer.write('\r\nok', 'latin1');
      expect(p.execute(buffer, 0, n)).toBe(n);
      expect(p.response).toMatchObject({ status: 200, body: 'ok', bytes: head.length + 4 });
    });

    it('stops an incomplete response at the end of the read without running on into old bytes', () => {
      const buffer = Buffer.from(`${CL}${CL}`, 'latin1');
      const p = new ResponseParser();
      p.expect(false);
      // Only the first 20 bytes are this read's: the rest is an old, complete response.
      expect(p.execute(buffer, 0, 20)).toBe(-1);
      expect(p.busy).toBe(true);
      expect(p.response.bytes).toBe(20);
    });
  });
});

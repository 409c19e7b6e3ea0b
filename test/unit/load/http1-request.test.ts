/** Requests of the mix as the net driver writes them. */
import { wireRequest } from '../../../src/load/http1-request.js';

const spec = (over: Partial<Parameters<typeof wireRequest>[0]> = {}) => ({
  method: 'GET',
  path: '/ok',
  headers: {},
  ...over
});
const text = (w: ReturnType<typeof wireRequest>) => w.bytes().toString('utf8');

describe('wireRequest', () => {
  it('writes the request line and Host, and nothing else for a plain GET', () => {
    const w = wireRequest(spec(), '127.0.0.1:8080');
    expect(text(w)).toBe('GET /ok HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n');
    expect(w.bytes()).toBe(w.bytes()); // serialised once
    expect(w).toMatchObject({ head: false, keep: 0 });
  });

  it('adds the headers, Content-Length of the UTF-8 body and the body', () => {
    const w = wireRequest(
      spec({ method: 'post', headers: { 'Content-Type': 'application/json' }, body: '{"é":1}' }),
      'h:1'
    );
    expect(text(w)).toBe(
      'POST /ok HTTP/1.1\r\nHost: h:1\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{"é":1}'
    );
  });

  it('keeps a Host and a Content-Length given in the config', () => {
    const w = wireRequest(
      spec({ headers: { host: 'example.test', 'content-length': '2' }, body: 'ab' }),
      'h:1'
    );
    expect(text(w)).toBe('GET /ok HTTP/1.1\r\nhost: example.test\r\ncontent-length: 2\r\n\r\nab');
  });

  it('puts a fresh id for every [<id>] on each call, with the body’s length recomputed', () => {
    const w = wireRequest(
      spec({ path: '/r/[<id>]', headers: { 'x-id': '[<id>]', 'content-length': '99' }, body: '[<id>]' }),
      'h:1'
    );
    const a = text(w);
    const b = text(w);
    expect(a).not.toBe(b);
    const m =
      /^GET \/r\/([0-9a-f-]{36}) HTTP\/1\.1\r\nHost: h:1\r\nx-id: \1\r\nContent-Length: 36\r\n\r\n\1$/.exec(
        a
      );
    expect(m).not.toBeNull();
  });

  it('keeps as many body bytes as the expected body has, plus one; HEAD has no body', () => {
    expect(wireRequest(spec({ expectBody: 'hé' }), 'h:1').keep).toBe(4);
    expect(wireRequest(spec({ expectBody: '' }), 'h:1').keep).toBe(1);
    expect(wireRequest(spec({ method: 'HEAD' }), 'h:1').head).toBe(true);
  });

  it.each([
    ['an unknown method', spec({ method: 'BREW' }), /^BREW HTTP method is not supported$/],
    ['CONNECT', spec({ method: 'CONNECT' }), /CONNECT HTTP method is not supported/],
    ['a space in the path', spec({ path: '/a b' }), /bad request path/],
    ['a path without a slash', spec({ path: 'a' }), /bad request path/],
    ['a header name that is not a token', spec({ headers: { 'x y': '1' } }), /bad header name/],
    ['CRLF in a header value', spec({ headers: { x: '1\r\nEvil: 1' } }), /bad value of header x/]
  ])('refuses %s', (_, s, message) => {
    expect(() => wireRequest(s, 'h:1')).toThrow(message);
  });
});

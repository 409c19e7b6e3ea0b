import { headerBytes } from '../../../src/load/open-model.js';

describe('headerBytes', () => {
  it.each<[string, number, string, Record<string, string | string[]>, number]>([
    // 'HTTP/1.1 200 OK\r\n' 17 + 'content-type: text/plain\r\n' 26 + 'content-length: 2\r\n' 19 + '\r\n' 2
    ['two headers', 200, 'OK', { 'content-type': 'text/plain', 'content-length': '2' }, 64],
    // 'HTTP/1.1 404 Not Found\r\n' 24 + '\r\n' 2
    ['none', 404, 'Not Found', {}, 26],
    // 17 + 'set-cookie: a=1\r\n' 17 + 'set-cookie: bb=2\r\n' 18 + 2
    ['a repeated header', 200, 'OK', { 'set-cookie': ['a=1', 'bb=2'] }, 54]
  ])('counts the status line and %s as sent', (_name, status, text, headers, bytes) => {
    expect(headerBytes(status, text, headers)).toBe(bytes);
  });
});

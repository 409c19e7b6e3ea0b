import { canonicalJson } from '../../../src/config/hash.js';
import { parseConfig } from '../../../src/config/load-config.js';

const TEXT = [
  'version: 1',
  'target: http://127.0.0.1:3000',
  'service: { command: node server.js, env: { API_TOKEN: "${API_TOKEN}" } }',
  'profiles:',
  '  - name: p',
  '    duration: 10s',
  '    requests: [{ path: /, headers: { authorization: "Bearer ${API_TOKEN}" } }]',
  '    thresholds: { http_req_duration: ["p(95)<50"] }',
  'report: { dir: out }'
].join('\n');

const ENV = { API_TOKEN: 'token-one' };

function hashOf(text: string, env: NodeJS.ProcessEnv = ENV, file = '/repo/perfgate.yml'): string {
  return parseConfig(text, file, env).hash;
}

describe('config hash', () => {
  const hash = hashOf(TEXT);

  it('is a SHA-256 in hex and the same for the same config', () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(TEXT)).toBe(hash);
  });

  it.each([
    ['a changed duration', TEXT.replace('duration: 10s', 'duration: 20s')],
    ['a changed threshold', TEXT.replace('p(95)<50', 'p(95)<60')],
    ['a changed header', TEXT.replace('Bearer', 'Token')],
    ['another profile name', TEXT.replace('name: p', 'name: q')]
  ])('changes with %s', (_, text) => {
    expect(hashOf(text)).not.toBe(hash);
  });

  it.each([
    ['a rotated secret', TEXT, { API_TOKEN: 'token-two' }, '/repo/perfgate.yml'],
    ['the same config checked out elsewhere', TEXT, ENV, '/elsewhere/checkout/perfgate.yml'],
    [
      'a default written out',
      TEXT.replace('duration: 10s', 'duration: 10s\n    trials: 12'),
      ENV,
      '/repo/perfgate.yml'
    ],
    [
      'the same value spelled differently',
      TEXT.replace('duration: 10s', 'duration: 10000ms'),
      ENV,
      '/repo/perfgate.yml'
    ],
    ['comments and moved lines', `# perf gate\n\n${TEXT}`, ENV, '/repo/perfgate.yml']
  ])('stays the same with %s', (_, text, env, file) => {
    expect(hashOf(text, env, file)).toBe(hash);
  });

  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":2,"f":1}]},"b":1}'
    );
  });
});

import { substituteEnv } from '../../../src/config/env-substitution.js';
import { parseConfig } from '../../../src/config/load-config.js';

const ENV = { TOKEN: 's3cr3t-token', PORT: '3917', HOST: '127.0.0.1', EMPTY: '', ON: '1' };

describe('substituteEnv', () => {
  it.each([
    ['${TOKEN}', 's3cr3t-token'],
    ['${{ env.TOKEN }}', 's3cr3t-token'],
    ['${{env.TOKEN}}', 's3cr3t-token'],
    ['Bearer ${TOKEN}', 'Bearer s3cr3t-token'],
    ['http://${HOST}:${{ env.PORT }}', 'http://127.0.0.1:3917'],
    ['$${TOKEN}', '${TOKEN}'],
    ['$${{ env.TOKEN }}', '${{ env.TOKEN }}'],
    ['a${EMPTY}b', 'ab'],
    ['$TOKEN and $ alone', '$TOKEN and $ alone'],
    ['no references', 'no references']
  ])('%s → %s', (text, out) => {
    const result = substituteEnv({ a: text }, ENV);
    expect(result.issues).toEqual([]);
    expect(result.value).toEqual({ a: out });
  });

  it('walks lists and maps, leaves keys and non-strings alone', () => {
    const result = substituteEnv({ '${TOKEN}': [1, true, null, { x: '${PORT}' }] }, ENV);
    expect(result.value).toEqual({ '${TOKEN}': [1, true, null, { x: '3917' }] });
    expect(result.substitutions).toEqual([
      { name: 'PORT', value: '3917', path: ['${TOKEN}', 3, 'x'], written: '${PORT}' }
    ]);
  });

  it.each([
    ['${MISSING}', 'expected environment variable MISSING to be set'],
    ['${{ env.MISSING }}', 'expected environment variable MISSING to be set'],
    [
      '${{ secrets.TOKEN }}',
      'expected ${NAME} or ${{ env.NAME }} (or $${ for a literal ${), got "${{ secrets.TOKEN }}"'
    ],
    ['${1X}', 'expected ${NAME} or ${{ env.NAME }} (or $${ for a literal ${), got "${1X}"'],
    ['${TOKEN', 'expected ${NAME} or ${{ env.NAME }} (or $${ for a literal ${), got "${TOKEN"']
  ])('%s is an issue at its value', (text, message) => {
    expect(substituteEnv({ list: ['ok', text] }, ENV).issues).toEqual([{ path: ['list', 1], message }]);
  });
});

describe('environment variables in a config', () => {
  const text = [
    'version: 1',
    'target: http://${HOST}:${PORT}',
    'service:',
    '  command: node server.js',
    '  env: { PORT: "${PORT}", FLAG: "${ON}", API_TOKEN: "${{ env.TOKEN }}" }',
    'profiles:',
    '  - name: p',
    '    requests:',
    '      - path: /',
    '        headers: { authorization: "Bearer ${TOKEN}" }'
  ].join('\n');

  it('substitutes every string value and keeps values of 3 characters or more as secrets', () => {
    const config = parseConfig(text, 'perfgate.yml', ENV);
    expect(config.target).toBe('http://127.0.0.1:3917');
    expect(config.service?.env).toEqual({ PORT: '3917', FLAG: '1', API_TOKEN: 's3cr3t-token' });
    expect(config.profiles[0]?.requests[0]?.headers).toEqual({ authorization: 'Bearer s3cr3t-token' });
    expect(config.service?.ready).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3917 });
    expect(config.secrets).toEqual(['127.0.0.1', '3917', 's3cr3t-token']);
  });

  it('reports every unset variable at once', () => {
    expect(() => parseConfig(text, 'perfgate.yml', { PORT: '1' })).toThrow(
      [
        'perfgate.yml:2:9 target: expected environment variable HOST to be set',
        'perfgate.yml:5:33 service.env.FLAG: expected environment variable ON to be set',
        'perfgate.yml:5:53 service.env.API_TOKEN: expected environment variable TOKEN to be set',
        'perfgate.yml:10:35 profiles[0].requests[0].headers.authorization: expected environment variable TOKEN to be set'
      ].join('\n')
    );
  });
});

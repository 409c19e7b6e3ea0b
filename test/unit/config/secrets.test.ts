import { parseConfig } from '../../../src/config/load-config.js';
import { describeValue } from '../../../src/config/messages.js';
import { protectIssues } from '../../../src/config/secrets.js';
import { configErrorOf } from '../../helpers/config-error.js';

const TOKEN = 's3cr3t-T0KEN';
const ENV: NodeJS.ProcessEnv = {
  TOKEN,
  BROKEN: `${TOKEN}\ninjected: yes`,
  LONG: `${TOKEN}-${'x'.repeat(80)}\n`,
  URL: `not a url ${TOKEN}`,
  TARGET: 'http://127.0.0.1:3000',
  PW: 'hunter2-pw',
  NAME: 'profile-secret-name',
  PATTERN: `(${TOKEN}`
};

function config(profile: string[] = [], top: string[] = [], target = 'http://127.0.0.1:3000'): string {
  return ['version: 1', `target: ${target}`, ...top, 'profiles:', '  - name: p', ...profile].join('\n');
}

const errorOf = (text: string) => configErrorOf(text, ENV);

const URL_EXPECTED =
  'expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000"';

/** Config errors about values that hold a secret: shown as written, or masked. */
const CASES: Array<{ name: string; text: string; lines: string[] }> = [
  {
    name: 'a header with a bad shape, its value from the environment',
    text: config(['    requests:', '      - { path: /, headers: { authorization: "Bearer ${BROKEN}" } }']),
    lines: [
      'perfgate.yml:6:46 profiles[0].requests[0].headers.authorization: expected a header value without line breaks, got "Bearer ${BROKEN}"'
    ]
  },
  {
    name: 'a long value, cut where the message shortens it',
    text: config(['    requests:', '      - { path: /, headers: { x-key: "${{ env.LONG }}" } }']),
    lines: [
      'perfgate.yml:6:38 profiles[0].requests[0].headers.x-key: expected a header value without line breaks, got "${{ env.LONG }}"'
    ]
  },
  {
    name: 'a target from the environment that is not a URL',
    text: config([], [], '${URL}'),
    lines: [`perfgate.yml:2:9 target: ${URL_EXPECTED}, got "\${URL}"`]
  },
  {
    name: "a target's password, written in the file",
    text: config([], [], 'http://user:hunter2@127.0.0.1:3000'),
    lines: [`perfgate.yml:2:9 target: ${URL_EXPECTED}, got "http://user:***@127.0.0.1:3000"`]
  },
  {
    name: "a base target's password, with a path",
    text: config(
      [],
      ['service:', '  command: x', '  base: { target: "http://admin:pa55word@127.0.0.1:3001/x" }']
    ),
    lines: [`perfgate.yml:5:19 service.base.target: ${URL_EXPECTED}, got "http://admin:***@127.0.0.1:3001/x"`]
  },
  {
    name: 'a ready URL with a password from the environment',
    text: config(
      [],
      ['service:', '  command: x', '  ready: { url: "http://admin:${PW}@127.0.0.1:3000/health" }']
    ),
    lines: [
      'perfgate.yml:5:17 service.ready.url: expected an http(s) URL without user:password (a readiness check cannot send them), got "http://admin:***@127.0.0.1:3000/health"'
    ]
  },
  {
    name: 'a ready URL with a written password and a long path, masked before it is cut',
    text: config(
      [],
      [
        'service:',
        '  command: x',
        `  ready: { url: "http://u:${'p'.repeat(40)}@127.0.0.1:3000/${'h'.repeat(40)}" }`
      ]
    ),
    lines: [
      `perfgate.yml:5:17 service.ready.url: expected an http(s) URL without user:password (a readiness check cannot send them), got "http://u:***@127.0.0.1:3000/${'h'.repeat(32)}…"`
    ]
  },
  {
    name: "a secret in another issue's message: the head's target in the base's",
    text: config([], ['service:', '  command: x', '  base: { target: "${TARGET}" }'], '${TARGET}'),
    lines: [
      "perfgate.yml:5:19 service.base.target: expected a target different from the head's (***), got the same"
    ]
  },
  {
    name: 'a secret in a name derived from a path',
    text: config(['    requests: [{ path: "/x?t=${TOKEN}" }, { path: "/x?t=${TOKEN}" }]']),
    lines: [
      'perfgate.yml:5:43 profiles[0].requests[1]: expected a request name unique within the profile, got "GET /x?t=***" again (a request without a name is called "METHOD path"; give it a name)'
    ]
  },
  {
    name: 'a duplicate profile name from the environment',
    text: config(['  - name: "${NAME}"', '  - name: "${NAME}"']),
    lines: [
      'perfgate.yml:6:11 profiles[2].name: expected a name unique among profiles, benchmarks and imports, got "${NAME}" again (the profile at perfgate.yml:5:11)'
    ]
  },
  {
    name: 'a readiness pattern from the environment that does not compile',
    text: config([], ['service:', '  command: x', '  ready: { log: "${PATTERN}" }']),
    lines: [
      'perfgate.yml:5:17 service.ready.log: expected a valid regular expression, got "${PATTERN}" (Unterminated group)'
    ]
  }
];

describe('config errors never show a secret', () => {
  it.each(CASES)('$name', ({ text, lines }) => {
    const err = errorOf(text);
    expect(err.message).toBe(lines.join('\n'));
    for (const secret of [TOKEN, 'hunter2', 'pa55word', 'profile-secret-name', 'p'.repeat(20)])
      expect(err.message).not.toContain(secret);
  });
});

describe('the secrets of a valid config', () => {
  const text = config(
    [
      '    duration: ${DURATION}',
      '    rate: ${RATE}',
      '    trials: ${TRIALS}',
      '    compare: { http_reqs.rate: "${DELTA}" }',
      '    requests:',
      '      - { path: "/items?key=${TOKEN}", method: "${METHOD}", headers: { x-short: "${SHORT}", x-empty: "a${EMPTY}" } }'
    ],
    [
      'service:',
      '  command: node server.js',
      '  env: { DB: "postgres://app:hunter2@db:5432/x", CACHE: "redis://u:p%40ss@cache", TINY: "http://u:ab@h" }'
    ]
  );
  const env = {
    TOKEN,
    DURATION: '30s',
    RATE: '200/s',
    TRIALS: 'auto',
    DELTA: '5%',
    METHOD: 'post',
    SHORT: 'ab',
    EMPTY: ''
  };

  it('are the values substituted into text and the URL passwords, not settings or keywords', () => {
    const config = parseConfig(text, 'perfgate.yml', env);
    expect([...config.secrets].sort()).toEqual(['hunter2', 'p%40ss', 'p@ss', TOKEN].sort());
    expect(config.profiles[0]).toMatchObject({ durationMs: 30_000, rate: 200, trials: 10 });
  });

  it('warns about a value too short to mask, at its place', () => {
    expect(parseConfig(text, 'perfgate.yml', env).warnings).toEqual([
      'perfgate.yml:13:81 profiles[0].requests[0].headers.x-short: the value of environment variable SHORT has 2 character(s), too few to mask without garbling every log and report: it is shown as is (a real secret is longer)'
    ]);
  });

  it('hash the same when a secret changes, differently when a setting does', () => {
    const hash = (more: NodeJS.ProcessEnv) => parseConfig(text, 'perfgate.yml', { ...env, ...more }).hash;
    expect(hash({ TOKEN: 'another-token' })).toBe(hash({}));
    expect(hash({ DURATION: '31s' })).not.toBe(hash({}));
  });
});

describe('protectIssues: a secret cut short in a message', () => {
  const long = `${TOKEN}-${'x'.repeat(80)}`;
  const substitution = { name: 'LONG', value: long, path: ['profiles', 0, 'name'], written: '${LONG}' };

  it.each([
    ['cut inside the secret', `another key quotes it: ${describeValue(`${'a'.repeat(55)}${long}`)}`],
    ['cut after the secret, inside the value', `another key quotes it: ${describeValue(long)}`]
  ])('%s: no part of it from its third character on is shown', (_, message) => {
    const value = { profiles: [{ name: long }] };
    const [issue] = protectIssues([{ path: ['profiles', 1, 'name'], message }], [substitution], value);
    expect(issue!.message).not.toContain(TOKEN.slice(0, 3));
    expect(issue!.message).toContain('***…');
  });
});

/**
 * Secrets through the real CLI (SPEC §1, issue 12 point 7): a value from the environment and a URL's
 * password appear in none of stdout, stderr and the report directory's files — also when a service
 * prints them to its log, and when the config error is about the very value that holds them.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { escapeMarkdown } from '../../src/report/format.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode, type RunResult } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const TOKEN = 'ghp_S3cr3t*T0k&en';
const DB_PASSWORD = 'db-Pa55word';
const LITERAL_PASSWORD = 'literal-pw-99';
const ENV = { ...process.env, CI: 'true', API_TOKEN: TOKEN, DB_PW: DB_PASSWORD };

/** Every form a secret could leak in: as is, and as each writer escapes it. */
const LEAKS = [TOKEN, DB_PASSWORD, LITERAL_PASSWORD].flatMap(s => [
  s,
  JSON.stringify(s).slice(1, -1),
  Handlebars.escapeExpression(s),
  escapeMarkdown(s),
  escapeMarkdown(s).slice(0, 8),
  encodeURIComponent(s),
  s.slice(0, 8) // a prefix: no secret is cut and shown in part
]);

/** A service that prints every secret it was given, at start and on its first request. */
const SERVER = `
import http from 'node:http';
const say = () => console.log('token=' + process.env.API_TOKEN + ' db=' + process.env.DB_URL + ' cache=' + process.env.CACHE_URL);
say();
let first = true;
http.createServer((req, res) => {
  if (first && req.url !== '/health') { first = false; say(); console.error('auth ' + req.headers.authorization); }
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

function perfgate(args: string[], cwd: string): Promise<RunResult> {
  return runNode([BIN, ...args], { cwd, env: ENV, timeoutMs: 60_000 });
}

function writeConfig(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath, entry.name));
}

function expectNoLeak(where: string, text: string): void {
  for (const leak of LEAKS) {
    if (text.includes(leak)) throw new Error(`${where} holds ${JSON.stringify(leak)}`);
  }
}

describe('secrets never reach the output or the report', () => {
  let dir: string;
  let port: number;
  const service = () => [
    'service:',
    '  command: node server.mjs',
    '  env:',
    `    PORT: "${port}"`,
    '    API_TOKEN: "${API_TOKEN}"',
    '    DB_URL: "postgres://admin:${{ env.DB_PW }}@db.internal:5432/app"',
    `    CACHE_URL: "redis://cache:${LITERAL_PASSWORD}@127.0.0.1:6379"`,
    `  ready: { url: "http://127.0.0.1:${port}/health", timeout: 10s }`,
    `target: http://127.0.0.1:${port}`
  ];

  beforeAll(async () => {
    buildLib();
    dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-secrets-'));
    port = await freePort();
    writeFileSync(path.join(dir, 'server.mjs'), SERVER);
  }, 120_000);

  it('run: stdout, stderr, results.json, summary.md, report.html and the service log hold none', async () => {
    const file = writeConfig(dir, 'perfgate.yml', [
      'version: 1',
      ...service(),
      'defaults: { connections: 2, warmup: 0s, duration: 500ms, trials: 2 }',
      'profiles:',
      '  - name: secret-bearing',
      '    requests:',
      '      - { path: "/items?key=${API_TOKEN}", headers: { authorization: "Bearer ${API_TOKEN}" } }',
      '    thresholds:',
      '      http_req_duration: ["p(95)<5000"]',
      'report: { dir: report }'
    ]);
    const r = await perfgate(['run', '-c', file], dir);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expectNoLeak('stdout', r.stdout);
    expectNoLeak('stderr', r.stderr);
    const files = filesUnder(path.join(dir, 'report'));
    expect(files.map(f => path.basename(f)).sort()).toEqual(
      expect.arrayContaining(['report.html', 'results.json', 'service-head.log', 'summary.md'])
    );
    for (const f of files) expectNoLeak(f, readFileSync(f, 'utf8'));

    // The places where the secrets were are there, masked: the test looked at the right text.
    const log = readFileSync(path.join(dir, 'report/service-head.log'), 'utf8');
    expect(log).toContain('token=*** db=postgres://admin:***@db.internal:5432/app cache=redis://cache:***@');
    expect(log).toContain('auth Bearer ***');
    const results = readFileSync(path.join(dir, 'report/results.json'), 'utf8');
    expect(results).toContain('/items?key=***');
    expect(results).toContain('token=***');
  }, 90_000);

  it('validate: a valid config prints no secret', async () => {
    const file = writeConfig(dir, 'valid.yml', [
      'version: 1',
      ...service(),
      'profiles: [{ name: p, requests: [{ path: "/x?key=${API_TOKEN}" }] }]'
    ]);
    const r = await perfgate(['validate', '-c', file], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
    expectNoLeak('stdout', r.stdout);
    expectNoLeak('stderr', r.stderr);
  });

  it('run: an error thrown after the config is loaded, outside the gate, is masked', async () => {
    // A report directory named with the secret, holding a file of the user's: refused by name.
    mkdirSync(path.join(dir, `out-${TOKEN}`));
    writeFileSync(path.join(dir, `out-${TOKEN}`, 'mine.txt'), 'mine\n');
    const file = writeConfig(dir, 'secret-dir.yml', [
      'version: 1',
      ...service(),
      'profiles: [{ name: p, requests: [{ path: "/x" }] }]',
      'report: { dir: "out-${API_TOKEN}" }'
    ]);
    const r = await perfgate(['run', '-c', file], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^perfgate: report\.dir in .*secret-dir\.yml: .*out-\*\*\* is not empty/);
    expectNoLeak('stderr', r.stderr);
    expectNoLeak('stdout', r.stdout);
  });

  it('validate: a target from the environment is masked, and a value too short to mask is warned about', async () => {
    const file = writeConfig(dir, 'target.yml', [
      'version: 1',
      'target: "${TARGET_URL}"',
      'profiles: [{ name: p, requests: [{ path: "/x", headers: { x-tiny: "${TINY}" } }] }]'
    ]);
    const target = `http://127.0.0.1:${port}`;
    const env = { ...ENV, TINY: 'ab', TARGET_URL: target };
    const r = await runNode([BIN, 'validate', '-c', file], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('targets ***)');
    expect(r.stdout).not.toContain(target);
    expect(r.stderr).toMatch(
      /^warning: .*target\.yml:3:\d+ profiles\[0\]\.requests\[0\]\.headers\.x-tiny: the value of environment variable TINY has 2 character\(s\), too few to mask/m
    );
  });

  it.each([
    [
      'a header with a bad shape, its secret the thing the error is about',
      [
        'target: http://127.0.0.1:1',
        'profiles: [{ name: p, requests: [{ path: /, headers: { x: "Bearer ${BAD}" } }] }]'
      ],
      'headers.x: expected a header value without line breaks, got "Bearer ${BAD}"'
    ],
    [
      'a target from the environment that is not a URL',
      ['target: "${API_TOKEN}"', 'profiles: [{ name: p }]'],
      'target: expected an http(s) URL'
    ],
    [
      "a target's password written in the file",
      [`target: "http://user:${LITERAL_PASSWORD}@127.0.0.1:3000"`, 'profiles: [{ name: p }]'],
      'got "http://user:***@127.0.0.1:3000"'
    ],
    [
      'a ready URL with a password from the environment',
      [
        'service: { command: x, ready: { url: "http://admin:${DB_PW}@127.0.0.1:1/health" } }',
        'target: http://127.0.0.1:1',
        'profiles: [{ name: p }]'
      ],
      'got "http://admin:***@127.0.0.1:1/health"'
    ]
  ])('validate and run: %s is shown as written or masked', async (_, lines, shown) => {
    const file = writeConfig(dir, 'bad.yml', ['version: 1', ...lines]);
    for (const cmd of ['validate', 'run']) {
      const r = await runNode([BIN, cmd, '-c', file], { cwd: dir, env: { ...ENV, BAD: `${TOKEN}\nx: y` } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(shown);
      expectNoLeak(`${cmd} stdout`, r.stdout);
      expectNoLeak(`${cmd} stderr`, r.stderr);
    }
  });
});

describe('YAML the library would warn about', () => {
  beforeAll(buildLib, 120_000);

  it('validate: a list as a key is an error at its place, with no Node warning on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-yaml-'));
    const file = writeConfig(dir, 'perfgate.yml', [
      'version: 1',
      'target: http://127.0.0.1:3000',
      '? [a, b]',
      ': 1',
      'profiles: [{ name: p }]'
    ]);
    const r = await perfgate(['validate', '-c', file], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:3: expected a plain key (a name), got a list as a key`);
    expect(r.stderr).not.toMatch(/Warning/);
  });
});

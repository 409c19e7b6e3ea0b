import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, parseConfig } from '../../../src/config/load-config.js';
import { AUTO_DEFAULTS, CHANGE_POINT_DEFAULTS } from '../../../src/config/resolve.js';
import type { ProfileConfig, ResolvedConfig } from '../../../src/config/types.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(REPO, 'test/fixtures/config');

const HASH = expect.stringMatching(/^[0-9a-f]{64}$/);

/** A profile with every setting at its built-in default. */
function defaultProfile(name: string): ProfileConfig {
  return {
    name,
    shape: 'steady',
    model: 'closed',
    stages: [{ name: 'steady', durationMs: 2000, from: 10, to: 10, measured: true }],
    connections: 10,
    warmupMs: 2000,
    durationMs: 2000,
    trials: 12,
    timeoutMs: 10000,
    requests: [{ name: 'GET /', method: 'GET', path: '/', headers: {}, weight: 1, expectStatus: [] }],
    thresholds: [],
    compare: {}
  };
}

describe('good configs', () => {
  it('resolves the three-line config with every default', async () => {
    const file = path.join(FIXTURES, 'minimal.yml');
    const config = await loadConfig(file, {});
    expect(config).toStrictEqual<ResolvedConfig>({
      version: 1,
      file,
      target: 'http://127.0.0.1:3000',
      profiles: [defaultProfile('home')],
      benchmarks: [],
      imports: [],
      statistics: { alpha: 0.05, auto: AUTO_DEFAULTS, changePoints: CHANGE_POINT_DEFAULTS },
      report: { dir: path.join(FIXTURES, 'perfgate-report'), comment: 'on-change' },
      secrets: [],
      warnings: [],
      hash: HASH
    });
  });

  it('resolves the full example', async () => {
    const file = path.join(FIXTURES, 'full.yml');
    const at = (line: number, col: number) => `${file}:${line}:${col}`;
    const config = await loadConfig(file, {});
    expect(config).toStrictEqual<ResolvedConfig>({
      version: 1,
      file,
      target: 'http://127.0.0.1:3000',
      service: {
        side: 'head',
        command: 'node server.js',
        cwd: path.join(FIXTURES, 'examples/hello'),
        env: { PORT: '3000', DEBUG: 'false' },
        ready: { kind: 'url', url: 'http://127.0.0.1:3000/health', status: 200 },
        readyTimeoutMs: 30000,
        stopTimeoutMs: 5000,
        cpus: 'shared'
      },
      profiles: [
        {
          name: 'hello',
          shape: 'steady',
          model: 'closed',
          stages: [{ name: 'steady', durationMs: 60000, from: 20, to: 20, measured: true }],
          connections: 20,
          warmupMs: 500,
          durationMs: 60000,
          trials: 3,
          timeoutMs: 2000,
          requests: [
            {
              name: 'hello',
              method: 'GET',
              path: '/hello',
              headers: {},
              body: '...',
              weight: 1,
              expectStatus: [200],
              expectBody: '...'
            },
            {
              name: 'POST /items',
              method: 'POST',
              path: '/items',
              headers: { 'content-type': 'application/json' },
              body: '{"a":1}',
              weight: 2.5,
              expectStatus: [200, 201]
            }
          ],
          thresholds: [
            {
              metric: 'http_req_duration',
              source: 'p(95)<50',
              parsed: { aggregation: { kind: 'percentile', p: 95 }, operator: '<', value: 50 },
              severity: 'fail',
              where: at(23, 27)
            },
            {
              metric: 'http_req_duration',
              source: 'p(99)<200ms',
              parsed: { aggregation: { kind: 'percentile', p: 99 }, operator: '<', value: 200 },
              severity: 'fail',
              where: at(23, 39)
            },
            {
              metric: 'http_req_duration{request:hello}',
              source: 'med<10',
              parsed: { aggregation: { kind: 'med' }, operator: '<', value: 10 },
              severity: 'fail',
              where: at(24, 44)
            },
            {
              metric: 'http_req_failed',
              source: 'rate<0.01',
              parsed: { aggregation: { kind: 'rate' }, operator: '<', value: 0.01 },
              severity: 'fail',
              where: at(25, 25)
            },
            {
              metric: 'http_reqs',
              source: 'rate>100',
              parsed: { aggregation: { kind: 'rate' }, operator: '>', value: 100 },
              severity: 'fail',
              where: at(26, 19)
            },
            {
              metric: 'http_reqs',
              source: 'count>0',
              parsed: { aggregation: { kind: 'count' }, operator: '>', value: 0 },
              severity: 'warn',
              where: at(26, 44)
            }
          ],
          compare: { 'http_req_duration.med': 0.05, 'http_req_duration.p(99)': 0.1, 'http_reqs.rate': 0.05 }
        },
        defaultProfile('defaults-only')
      ],
      benchmarks: [],
      imports: [],
      statistics: { alpha: 0.01, auto: AUTO_DEFAULTS, changePoints: CHANGE_POINT_DEFAULTS },
      baseline: {
        store: 'file',
        path: path.join(FIXTURES, 'perfgate-baseline.json'),
        history: 20,
        required: false
      },
      report: { dir: path.join(FIXTURES, 'perfgate-report'), comment: 'always' },
      secrets: [],
      warnings: [],
      hash: HASH
    });
  });

  it.each([
    ['store: artifact', { store: 'artifact', history: 20, required: false }],
    [
      'store: artifact, name: perf-baseline, required: true, history: 5',
      { store: 'artifact', name: 'perf-baseline', history: 5, required: true }
    ],
    ['store: branch', { store: 'branch', branch: 'perfgate-data', history: 20, required: false }],
    [
      'store: branch, branch: perf/data, path: services/api.json, history: 100, required: true',
      { store: 'branch', branch: 'perf/data', path: 'services/api.json', history: 100, required: true }
    ],
    [
      'required: true',
      { store: 'file', path: path.join(FIXTURES, 'perfgate-baseline.json'), history: 20, required: true }
    ],
    [
      'store: file, path: b.json, required: false',
      { store: 'file', path: path.join(FIXTURES, 'b.json'), history: 20, required: false }
    ]
  ])('resolves baseline: { %s }', (keys, expected) => {
    const text = [
      'version: 1',
      'target: http://127.0.0.1:3000',
      'profiles: [{ name: p }]',
      `baseline: { ${keys} }`
    ];
    const config = parseConfig(text.join('\n'), path.join(FIXTURES, 'perfgate.yml'), {});
    expect(config.baseline).toStrictEqual(expected);
  });

  it('lets profiles inherit `defaults:` and override them one by one', () => {
    const config = parseConfig(
      [
        'version: 1',
        'target: http://127.0.0.1:3000',
        'defaults: { connections: 3, warmup: 1s, duration: 2.5s, trials: 2, timeout: 250ms }',
        'profiles:',
        '  - name: a',
        '  - { name: b, trials: 7, warmup: 0s }'
      ].join('\n'),
      'perfgate.yml',
      {}
    );
    const settings = config.profiles.map(p => [
      p.connections,
      p.warmupMs,
      p.durationMs,
      p.trials,
      p.timeoutMs
    ]);
    expect(settings).toEqual([
      [3, 1000, 2500, 2, 250],
      [3, 0, 2500, 7, 250]
    ]);
  });

  it('resolves trials: auto with statistics.auto, inherited or per profile, and fixed trials beside it', () => {
    const config = parseConfig(
      [
        'version: 1',
        'target: http://127.0.0.1:3000',
        'defaults: { trials: auto, duration: 2s }',
        'profiles: [{ name: a }, { name: b, trials: 4 }, { name: c, trials: auto }]',
        'statistics: { auto: { min: 8, batch: 3, budget: 5m } }'
      ].join('\n'),
      'perfgate.yml',
      {}
    );
    const auto = { min: 8, batch: 3, max: AUTO_DEFAULTS.max, budgetMs: 300_000 };
    expect(config.statistics).toEqual({ alpha: 0.05, auto, changePoints: CHANGE_POINT_DEFAULTS });
    expect(config.profiles.map(p => [p.name, p.trials, p.auto])).toEqual([
      ['a', 8, auto],
      ['b', 4, undefined],
      ['c', 8, auto]
    ]);
  });

  it.each([
    ['{ pValue: 0.01 }', { pValue: 0.01, window: 30 }],
    ['{ minMagnitude: 10%, window: 12 }', { pValue: 0.001, window: 12, minMagnitude: 0.1 }],
    ['{ minMagnitude: 0.02 }', { pValue: 0.001, window: 30, minMagnitude: 0.02 }]
  ])('resolves statistics.changePoints %s', (text, expected) => {
    const config = parseConfig(
      [
        'version: 1',
        'target: http://127.0.0.1:3000',
        'profiles: [{ name: p }]',
        `statistics: { changePoints: ${text} }`
      ].join('\n'),
      'perfgate.yml',
      {}
    );
    expect(config.statistics.changePoints).toStrictEqual(expected);
  });

  it.each([
    [
      'no ready check: TCP on the target',
      'http://127.0.0.1:3917',
      undefined,
      { kind: 'tcp', host: '127.0.0.1', port: 3917 }
    ],
    [
      'no ready check, https without a port',
      'https://example.test',
      undefined,
      { kind: 'tcp', host: 'example.test', port: 443 }
    ],
    ['no ready check, IPv6 target', 'http://[::1]:8080', undefined, { kind: 'tcp', host: '::1', port: 8080 }],
    [
      'tcp',
      'http://127.0.0.1:1',
      '{ tcp: "localhost:4000" }',
      { kind: 'tcp', host: 'localhost', port: 4000 }
    ],
    [
      'log',
      'http://127.0.0.1:1',
      '{ log: "listening on \\\\d+" }',
      { kind: 'log', pattern: 'listening on \\d+' }
    ],
    [
      'url',
      'http://127.0.0.1:1',
      '{ url: "http://127.0.0.1:1/up", status: 204 }',
      { kind: 'url', url: 'http://127.0.0.1:1/up', status: 204 }
    ]
  ])('ready: %s', (_, target, ready, check) => {
    const text = [
      'version: 1',
      `target: ${target}`,
      'service:',
      '  command: node server.js',
      ...(ready ? [`  ready: ${ready}`] : []),
      'profiles: [{ name: p }]'
    ].join('\n');
    expect(parseConfig(text, 'perfgate.yml', {}).service?.ready).toEqual(check);
  });

  it('normalises methods, selectors and compare keys', () => {
    const config = parseConfig(
      [
        'version: 1',
        'target: http://127.0.0.1:3000/',
        'profiles:',
        '  - name: p',
        '    requests: [{ name: x, method: delete, path: /a?b=1 }]',
        '    thresholds: { "http_req_duration{ request: x }": ["p( 99.9 ) < 2s"] }',
        '    compare: { "http_req_duration{request: x}.p( 99.9 )": 1% }'
      ].join('\n'),
      'perfgate.yml',
      {}
    );
    const [profile] = config.profiles;
    expect(config.target).toBe('http://127.0.0.1:3000');
    expect(profile?.requests[0]).toMatchObject({ method: 'DELETE', path: '/a?b=1' });
    expect(profile?.thresholds[0]).toMatchObject({
      metric: 'http_req_duration{request:x}',
      source: 'p( 99.9 ) < 2s'
    });
    expect(profile?.thresholds[0]?.parsed).toEqual({
      aggregation: { kind: 'percentile', p: 99.9 },
      operator: '<',
      value: 2000
    });
    expect(profile?.compare).toEqual({ 'http_req_duration{request:x}.p(99.9)': 0.01 });
  });

  it('loads the bundled example', async () => {
    const config = await loadConfig(path.join(REPO, 'examples/hello/perfgate.yml'), {});
    expect(config.service?.cwd).toBe(path.join(REPO, 'examples/hello'));
    expect(config.profiles.length).toBeGreaterThan(0);
    expect(config.benchmarks.map(b => [b.name, b.head.command, b.head.cwd, b.runs])).toEqual([
      ['summarize', 'node summarize.mjs 20000', path.join(REPO, 'examples/hello'), 10]
    ]);
  });

  it('loads the paired example, whose benchmark has a base and a head that HEAD_ITEMS can slow down', async () => {
    const config = await loadConfig(path.join(REPO, 'examples/hello/perfgate.paired.yml'), {});
    const [b] = config.benchmarks;
    expect(b!.head.command).toBe('node summarize.mjs ${HEAD_ITEMS:-20000}');
    expect(b!.base).toMatchObject({ command: 'node summarize.mjs 20000', shell: true });
    expect(b!.compare).toEqual({ 'wall_time.med': 0.05 });
    // The dogfood workflow's paired job profiles both sides.
    expect(config.profiling).toMatchObject({ cpu: true, heap: true });
  });

  it('loads the example that the dogfood workflow stores on the data branch', async () => {
    const config = await loadConfig(path.join(REPO, 'examples/hello/perfgate.stored.yml'), {});
    expect(config.baseline).toEqual({
      store: 'branch',
      branch: 'perfgate-data',
      history: 60,
      required: false
    });
  });

  it('loads the example of every shape, each with its schedule', async () => {
    const config = await loadConfig(path.join(REPO, 'examples/hello/perfgate.shapes.yml'), {});
    expect(config.profiles.map(p => [p.name, p.shape, p.model, p.stages.length, p.durationMs])).toEqual([
      ['open-steady', 'steady', 'open', 1, 10_000],
      ['rampup', 'rampup', 'closed', 6, 20_000],
      ['spike', 'spike', 'open', 3, 25_000],
      ['soak', 'soak', 'closed', 1, 30_000],
      ['stress', 'stress', 'open', 10, 50_000],
      ['wave', 'wave', 'open', 20, 20_000]
    ]);
    const [, rampup, spike, , stress, wave] = config.profiles;
    expect(rampup!.stages.map(s => s.to)).toEqual([4, 5, 7, 8, 10, 10]); // 2 + 8·k/5, rounded
    expect(spike!.stages.map(s => [s.from, s.measured])).toEqual([
      [300, true],
      [1500, false],
      [300, false]
    ]);
    expect(stress!.stages.map(s => s.from)).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    expect(stress!.stopOnBreak).toBe(true);
    // The sine: 500 at 0 s, 900 at 2.5 s, 500 at 5 s, 100 at 7.5 s.
    expect(wave!.stages[0]!.from).toBeCloseTo(500, 9);
    expect(wave!.stages[2]!.to).toBeCloseTo(500 + 400 * Math.sin(0.6 * Math.PI), 9);
    expect(Math.max(...wave!.stages.map(s => s.to))).toBeLessThanOrEqual(900);
  });

  it.each([
    ['10.05s', [1000, 1050]],
    ['10.5s', [1000, 500]],
    ['10s', [1000, 1000]]
  ])('a wave of %s: a remainder under 100 ms joins the last step (last steps %j)', async (duration, last) => {
    const text = [
      'version: 1',
      'target: http://127.0.0.1:3000',
      'profiles:',
      `  - { name: w, shape: wave, connections: 4, duration: ${duration}, requests: [{ path: / }] }`
    ].join('\n');
    const stages = parseConfig(text, 'perfgate.yml', {}).profiles[0]!.stages;
    expect(stages.slice(-2).map(s => s.durationMs)).toEqual(last);
    expect(Math.min(...stages.map(s => s.durationMs))).toBeGreaterThanOrEqual(100);
    expect(stages.reduce((n, s) => n + s.durationMs, 0)).toBeCloseTo(parseFloat(duration) * 1000, 6);
  });
});

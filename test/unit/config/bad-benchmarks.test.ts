/**
 * `benchmarks:` in the config (SPEC §1, §4, §12): each mistake is one line with file:line:col, the
 * key path and what was expected; a full benchmark resolves with its paths and defaults.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, parseConfig } from '../../../src/config/load-config.js';
import { AUTO_DEFAULTS } from '../../../src/config/resolve.js';
import type { BenchmarkConfig } from '../../../src/config/types.js';
import { configErrorOf } from '../../helpers/config-error.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(REPO, 'test/fixtures/benchmarks');

/** A config with one benchmark `b`; `lines` go under it (indented by four spaces). */
function withBenchmark(lines: string[], top: string[] = []): string {
  return ['version: 1', ...top, 'benchmarks:', '  - name: b', ...lines.map(l => `    ${l}`)].join('\n');
}
/** The same, with `command: "true"` first. */
const withCommand = (lines: string[]) => withBenchmark(['command: "true"', ...lines]);

const errorOf = configErrorOf;

interface BadConfig {
  name: string;
  text: string;
  /** The error's full text, one line per issue. */
  lines: string[];
}

const KEYS =
  'name, command, shell, cwd, env, setup, prepare, cleanup, base, warmup, runs, timeout, allowFailure, format, output, thresholds, compare';
const METRICS = 'wall_time, user_time, sys_time, peak_rss, exit_code';

const CASES: BadConfig[] = [
  {
    name: 'unknown key (a typo of command): the missing command and the typo',
    text: withBenchmark(['comand: make']),
    lines: [
      'perfgate.yml:3:5 benchmarks[0].command: expected a shell command, or (with shell: false) a list of words like ["node", "bench.js"], got nothing',
      `perfgate.yml:4:5 benchmarks[0].comand: expected one of ${KEYS}, got "comand"`
    ]
  },
  {
    name: 'unknown key under base',
    text: withCommand(['base: { command: "true", runs: 3 }']),
    lines: [
      'perfgate.yml:5:30 benchmarks[0].base.runs: expected one of command, shell, cwd, env, setup, prepare, cleanup, got "runs"'
    ]
  },
  {
    name: 'runs: 0',
    text: withCommand(['runs: 0']),
    lines: ['perfgate.yml:5:11 benchmarks[0].runs: expected an integer from 1 to 10000, got 0']
  },
  {
    name: 'runs: many',
    text: withCommand(['runs: many']),
    lines: [
      'perfgate.yml:5:11 benchmarks[0].runs: expected an integer from 1 to 10000, or "auto", got "many"'
    ]
  },
  {
    name: 'runs: 2.5',
    text: withCommand(['runs: 2.5']),
    lines: ['perfgate.yml:5:11 benchmarks[0].runs: expected an integer from 1 to 10000, or "auto", got 2.5']
  },
  {
    name: 'warmup: -1',
    text: withCommand(['warmup: -1']),
    lines: ['perfgate.yml:5:13 benchmarks[0].warmup: expected an integer from 0 to 1000, got -1']
  },
  {
    name: 'timeout: 0 (a number)',
    text: withCommand(['timeout: 0']),
    lines: ['perfgate.yml:5:14 benchmarks[0].timeout: expected a duration like "30s", got 0']
  },
  {
    name: 'timeout: 0s',
    text: withCommand(['timeout: 0s']),
    lines: ['perfgate.yml:5:14 benchmarks[0].timeout: expected a duration greater than 0, got "0s"']
  },
  {
    name: 'an argv list without shell: false',
    text: withBenchmark(['command: [node, bench.js]']),
    lines: [
      'perfgate.yml:4:14 benchmarks[0].command: expected a command line (a string), got a list of words; set `shell: false` to run an argv without a shell'
    ]
  },
  {
    name: 'an argv list with shell: true',
    text: withBenchmark(['command: [node, bench.js]', 'shell: true']),
    lines: [
      'perfgate.yml:4:14 benchmarks[0].command: expected a command line (a string), got a list of words; set `shell: false` to run an argv without a shell'
    ]
  },
  {
    name: "an argv list in base without the base's shell: false",
    text: withBenchmark(['command: [node, bench.js]', 'shell: false', 'base: { command: [node, bench.js] }']),
    lines: [
      'perfgate.yml:6:22 benchmarks[0].base.command: expected a command line (a string), got a list of words; set `shell: false` to run an argv without a shell'
    ]
  },
  {
    name: 'an empty command',
    text: withBenchmark(['command: ""']),
    lines: ['perfgate.yml:4:14 benchmarks[0].command: expected a shell command, got ""']
  },
  {
    name: 'an empty argv',
    text: withBenchmark(['command: []', 'shell: false']),
    lines: ['perfgate.yml:4:14 benchmarks[0].command: expected a non-empty list of words, got an empty list']
  },
  {
    name: 'an empty setup',
    text: withCommand(['setup: ""']),
    lines: ['perfgate.yml:5:12 benchmarks[0].setup: expected a shell command, got ""']
  },
  {
    name: 'a benchmark without a name',
    text: ['version: 1', 'benchmarks:', '  - command: "true"'].join('\n'),
    lines: ['perfgate.yml:3:5 benchmarks[0].name: expected a benchmark name, got nothing']
  },
  {
    name: 'a threshold on an unknown metric',
    text: withCommand(["thresholds: { wall_tme: ['med<1s'] }"]),
    lines: [`perfgate.yml:5:19 benchmarks[0].thresholds.wall_tme: expected one of ${METRICS}, got "wall_tme"`]
  },
  {
    name: 'a threshold on a metric of profiles',
    text: withCommand(["thresholds: { http_req_duration: ['p(95)<1s'] }"]),
    lines: [
      `perfgate.yml:5:19 benchmarks[0].thresholds.http_req_duration: expected one of ${METRICS}, got "http_req_duration" (http_req_duration is a metric of profiles)`
    ]
  },
  {
    name: 'a tag on a benchmark metric',
    text: withCommand(["thresholds: { 'wall_time{request:x}': ['med<1s'] }"]),
    lines: [
      'perfgate.yml:5:19 benchmarks[0].thresholds["wall_time{request:x}"]: expected wall_time without tags, got "{request:x}"'
    ]
  },
  {
    name: 'a threshold with a bad value (med<fast)',
    text: withCommand(["thresholds: { wall_time: ['med<fast'] }"]),
    lines: [
      'perfgate.yml:5:31 benchmarks[0].thresholds.wall_time[0]: expected a number with an optional unit (250, 250ms, 2s), got "fast" in "med<fast"'
    ]
  },
  {
    name: 'a threshold with an aggregation of profiles (rate)',
    text: withCommand(["thresholds: { wall_time: ['rate<1'] }"]),
    lines: [
      'perfgate.yml:5:31 benchmarks[0].thresholds.wall_time[0]: wall_time allows avg, min, med, max, p(N), got "rate" in "rate<1"'
    ]
  },
  {
    name: 'a compare key other than .med',
    text: withCommand(['compare: { wall_time.p(99): 5% }']),
    lines: [
      'perfgate.yml:5:16 benchmarks[0].compare["wall_time.p(99)"]: expected an aggregation of wall_time (med), got "p(99)"'
    ]
  },
  {
    name: 'exit_code in compare',
    text: withCommand(['compare: { exit_code.med: 5% }']),
    lines: [
      'perfgate.yml:5:16 benchmarks[0].compare["exit_code.med"]: expected a metric that is compared, got exit_code (a threshold checks it)'
    ]
  },
  {
    name: 'a compare key of profiles',
    text: withCommand(['compare: { http_req_duration.med: 5% }']),
    lines: [
      `perfgate.yml:5:16 benchmarks[0].compare["http_req_duration.med"]: expected one of ${METRICS}, got "http_req_duration" (http_req_duration is a metric of profiles)`
    ]
  },
  {
    name: 'a compare value that is no change',
    text: withCommand(['compare: { wall_time.med: fast }']),
    lines: [
      'perfgate.yml:5:31 benchmarks[0].compare["wall_time.med"]: expected a minimum relevant change like "5%" or 0.05, got "fast"'
    ]
  },
  {
    name: 'a name shared by a profile and a benchmark',
    text: withBenchmark(['command: "true"'], ['target: http://127.0.0.1:3000', 'profiles:', '  - name: b']),
    lines: [
      'perfgate.yml:6:11 benchmarks[0].name: expected a name unique among profiles, benchmarks and imports, got "b" again (the profile at perfgate.yml:4:11)'
    ]
  },
  {
    name: 'a name shared by two benchmarks',
    text: `${withCommand([])}\n  - name: b\n    command: "true"`,
    lines: [
      'perfgate.yml:5:11 benchmarks[1].name: expected a name unique among profiles, benchmarks and imports, got "b" again (the benchmark at perfgate.yml:3:11)'
    ]
  },
  {
    name: 'neither profiles nor benchmarks',
    text: ['version: 1', 'target: http://127.0.0.1:3000'].join('\n'),
    lines: [
      'perfgate.yml:1:1 profiles: expected a non-empty list of profiles (or of benchmarks, or of imports), got nothing'
    ]
  },
  {
    name: 'an empty list of benchmarks',
    text: ['version: 1', 'benchmarks: []'].join('\n'),
    lines: ['perfgate.yml:2:13 benchmarks: expected a non-empty list of benchmarks, got an empty list']
  },
  {
    name: 'profiles with benchmarks but no target',
    text: withBenchmark(['command: "true"'], ['profiles:', '  - name: p']),
    lines: [
      'perfgate.yml:1:1 target: expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000" (profiles load it), got nothing'
    ]
  },
  {
    name: 'allowFailure: yes',
    text: withCommand(['allowFailure: yes']),
    lines: ['perfgate.yml:5:19 benchmarks[0].allowFailure: expected true or false, got "yes"']
  },
  {
    name: 'shell: no',
    text: withCommand(['shell: no']),
    lines: ['perfgate.yml:5:12 benchmarks[0].shell: expected true or false, got "no"']
  },
  {
    name: 'an env value that is a list',
    text: withCommand(['env: { A: [1] }']),
    lines: ['perfgate.yml:5:15 benchmarks[0].env.A: expected a string, got a list']
  }
];

describe('bad benchmark configs', () => {
  it.each(CASES)('$name', ({ text, lines }) => {
    const err = errorOf(text);
    expect(err.message).toBe(lines.join('\n'));
    expect(err.issues).toHaveLength(lines.length);
    expect(err.exitCode).toBe(2);
  });
});

describe('good benchmark configs', () => {
  it('a benchmarks-only config needs no target and no profiles', () => {
    const config = parseConfig(withCommand([]), 'perfgate.yml', {});
    expect(config.target).toBeUndefined();
    expect(config.profiles).toEqual([]);
    expect(config.benchmarks.map(b => b.name)).toEqual(['b']);
  });

  it('resolves every key, and the defaults: warmup 1, runs 10, timeout 10m, shell, the config dir', async () => {
    const file = path.join(FIXTURES, 'full.yml');
    const at = (line: number, col: number) => `${file}:${line}:${col}`;
    const config = await loadConfig(file, { BUILD_TOKEN: 'tok-123' });
    expect(config.secrets).toEqual(['tok-123']);
    expect(config.benchmarks).toStrictEqual<BenchmarkConfig[]>([
      {
        name: 'build',
        head: {
          command: 'npm run build',
          shell: true,
          cwd: path.join(FIXTURES, 'head'),
          cwdWhere: at(6, 10),
          env: { NODE_ENV: 'production', TOKEN: 'tok-123' },
          setup: 'npm ci',
          prepare: 'rm -rf dist',
          cleanup: 'git clean -fdx'
        },
        base: {
          command: ['node', 'build.js', '--out', 'dist dir'],
          shell: false,
          cwd: path.join(REPO, 'test/fixtures/base'),
          cwdWhere: at(14, 12),
          env: { NODE_ENV: 'production' },
          setup: 'npm ci'
        },
        warmup: 2,
        runs: 20,
        timeoutMs: 120_000,
        allowFailure: true,
        thresholds: [
          {
            metric: 'wall_time',
            source: 'med<30s',
            parsed: { aggregation: { kind: 'med' }, operator: '<', value: 30_000 },
            severity: 'fail',
            where: at(22, 19)
          },
          {
            metric: 'wall_time',
            source: 'p(95)<1m',
            parsed: { aggregation: { kind: 'percentile', p: 95 }, operator: '<', value: 60_000 },
            severity: 'fail',
            where: at(22, 30)
          },
          {
            metric: 'peak_rss',
            source: 'max<1GB',
            parsed: { aggregation: { kind: 'max' }, operator: '<', value: 1024 ** 3 },
            severity: 'fail',
            where: at(23, 18)
          },
          {
            metric: 'exit_code',
            source: 'max<1',
            parsed: { aggregation: { kind: 'max' }, operator: '<', value: 1 },
            severity: 'fail',
            where: at(24, 19)
          }
        ],
        compare: { 'wall_time.med': 0.05, 'peak_rss.med': 0.1 }
      },
      {
        name: 'quick',
        head: { command: 'true', shell: true, cwd: FIXTURES, cwdWhere: at(27, 14), env: {} },
        warmup: 1,
        runs: 10,
        timeoutMs: 600_000,
        allowFailure: false,
        thresholds: [],
        compare: {}
      },
      {
        name: 'sampled',
        head: { command: ['./bench'], shell: false, cwd: FIXTURES, cwdWhere: at(29, 14), env: {} },
        warmup: 1,
        runs: AUTO_DEFAULTS.min,
        auto: AUTO_DEFAULTS,
        timeoutMs: 600_000,
        allowFailure: false,
        thresholds: [],
        compare: {}
      }
    ]);
  });
});

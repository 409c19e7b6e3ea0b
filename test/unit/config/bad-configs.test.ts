import { configErrorOf as errorOf } from '../../helpers/config-error.js';

/** A config with one profile; `extra` lines go under the profile, `top` lines at the top level. */
function withProfile(extra: string[] = [], top: string[] = []): string {
  return [
    'version: 1',
    'target: http://127.0.0.1:3000',
    ...top,
    'profiles:',
    '  - name: hello',
    ...extra
  ].join('\n');
}

interface BadConfig {
  name: string;
  text: string;
  env?: NodeJS.ProcessEnv;
  /** The error's full text, one line per issue. */
  lines: string[];
}

const CASES: BadConfig[] = [
  {
    name: 'YAML syntax error',
    text: ['version: 1', 'target: [http://127.0.0.1:3000', 'profiles: [{ name: hello }]'].join('\n'),
    lines: [
      'perfgate.yml:3:1: expected valid YAML, got flow sequence in block collection must be sufficiently indented and end with a ]'
    ]
  },
  {
    name: 'duplicate key',
    text: withProfile(['    trials: 2', '    trials: 3']),
    lines: ['perfgate.yml:6:5: expected each key once in a map, got "trials" again']
  },
  {
    name: 'tab indentation',
    text: ['version: 1', 'profiles:', '\t- name: x'].join('\n'),
    lines: ['perfgate.yml:3:1: expected spaces for indentation, got a tab']
  },
  {
    name: 'alias without anchor',
    text: withProfile(['    duration: *long']),
    lines: ['perfgate.yml:5:15: expected an anchor &long defined before this alias, got *long']
  },
  {
    name: 'empty file',
    text: '',
    lines: ['perfgate.yml:1:1: expected a map of perfgate settings, got an empty value']
  },
  {
    name: 'a list instead of a map',
    text: '- 1\n',
    lines: ['perfgate.yml:1:1: expected a map of perfgate settings, got a list']
  },
  {
    name: 'unknown top-level key',
    text: withProfile([], ['servce: { command: x }']),
    lines: [
      'perfgate.yml:3:1 servce: expected one of version, service, target, defaults, profiles, benchmarks, imports, profiling, findings, statistics, baseline, report, got "servce"'
    ]
  },
  {
    name: 'unknown nested key',
    text: withProfile(['    durration: 10s']),
    lines: [
      'perfgate.yml:5:5 profiles[0].durration: expected one of name, shape, connections, warmup, duration, trials, timeout, rate, stages, rampup, spike, stress, wave, requests, thresholds, compare, got "durration"'
    ]
  },
  {
    name: 'unknown key in a request',
    text: withProfile(['    requests: [{ path: /, params: { a: 1 } }]']),
    lines: [
      'perfgate.yml:5:27 profiles[0].requests[0].params: expected one of name, method, path, headers, body, weight, expect, got "params"'
    ]
  },
  {
    name: 'wrong type: a string for the profile list',
    text: ['version: 1', 'target: http://127.0.0.1:3000', 'profiles: hello'].join('\n'),
    lines: ['perfgate.yml:3:11 profiles: expected a non-empty list of profiles, got "hello"']
  },
  {
    name: 'wrong type: a string for connections',
    text: withProfile(['    connections: ten']),
    lines: ['perfgate.yml:5:18 profiles[0].connections: expected an integer from 1 to 10000, got "ten"']
  },
  {
    name: 'wrong type: a map for the service',
    text: withProfile([], ['service: node server.js']),
    lines: [
      'perfgate.yml:3:10 service: expected a map with command, cwd, env, ready, stopTimeout, cpus, base, got "node server.js"'
    ]
  },
  {
    name: 'service.cpus: a word it does not know',
    text: withProfile([], ['service: { command: node a.js, cpus: separate }']),
    lines: [
      'perfgate.yml:3:38 service.cpus: expected shared, apart, or the CPUs of the service like "0-2" (the load generator takes the others), got "separate" ("separate" is not a CPU number or a range like 0-3)'
    ]
  },
  {
    name: 'service.cpus: a range that runs backwards',
    text: withProfile([], ['service: { command: node a.js, cpus: 3-1 }']),
    lines: [
      'perfgate.yml:3:38 service.cpus: expected shared, apart, or the CPUs of the service like "0-2" (the load generator takes the others), got "3-1" (the range 3-1 runs backwards)'
    ]
  },
  {
    name: 'service.cpus: a negative CPU',
    text: withProfile([], ['service: { command: node a.js, cpus: -1 }']),
    lines: [
      'perfgate.yml:3:38 service.cpus: expected shared, apart, or the CPUs of the service like "0-2" (the load generator takes the others), got -1 ("-1" is not a CPU number or a range like 0-3)'
    ]
  },
  {
    name: 'service.cpus on the base (one setting places both)',
    text: withProfile(
      [],
      [
        'service:',
        '  command: node a.js',
        '  base: { command: node b.js, target: "http://127.0.0.1:3001", cpus: apart }'
      ]
    ),
    lines: [
      'perfgate.yml:5:64 service.base.cpus: expected one of command, cwd, env, ready, stopTimeout, target, got "cpus"'
    ]
  },
  {
    name: 'duration in words',
    text: withProfile(['    duration: thirty']),
    lines: ['perfgate.yml:5:15 profiles[0].duration: expected a duration like "30s", got "thirty"']
  },
  {
    name: 'duration without a unit',
    text: withProfile(['    duration: 30']),
    lines: ['perfgate.yml:5:15 profiles[0].duration: expected a duration like "30s", got 30']
  },
  {
    name: 'negative duration',
    text: withProfile(['    warmup: -5s']),
    lines: ['perfgate.yml:5:13 profiles[0].warmup: expected a duration like "30s", got "-5s"']
  },
  {
    name: 'zero duration where it must be positive',
    text: withProfile([], ['defaults: { duration: 0s }']),
    lines: ['perfgate.yml:3:23 defaults.duration: expected a duration greater than 0, got "0s"']
  },
  {
    name: 'bad threshold expression',
    text: withProfile(['    thresholds:', '      http_req_duration: ["p(95)<50", "p95<50"]']),
    lines: [
      'perfgate.yml:6:39 profiles[0].thresholds.http_req_duration[1]: unknown aggregation "p95" in "p95<50"; http_req_duration allows avg, min, med, max, p(N)'
    ]
  },
  {
    name: 'threshold aggregation the metric does not have',
    text: withProfile([
      '    thresholds:',
      '      http_req_failed: [{ threshold: "p(95)<5", severity: warn }]'
    ]),
    lines: [
      'perfgate.yml:6:38 profiles[0].thresholds.http_req_failed[0].threshold: http_req_failed allows rate, got "p(95)" in "p(95)<5"'
    ]
  },
  {
    name: 'threshold severity',
    text: withProfile(['    thresholds:', '      http_reqs: [{ threshold: "count>0", severity: error }]']),
    lines: [
      'perfgate.yml:6:53 profiles[0].thresholds.http_reqs[0].severity: expected one of warn, fail, got "error"'
    ]
  },
  {
    name: 'threshold list written as a string',
    text: withProfile(['    thresholds:', '      http_reqs: "count>0"']),
    lines: [
      'perfgate.yml:6:18 profiles[0].thresholds.http_reqs: expected a list of threshold expressions like ["p(95)<250"], got "count>0"'
    ]
  },
  {
    name: 'unknown metric',
    text: withProfile(['    thresholds:', '      http_req_latency: ["p(95)<50"]']),
    lines: [
      'perfgate.yml:6:7 profiles[0].thresholds.http_req_latency: expected one of http_req_duration, http_req_failed, http_reqs, service_cpu, service_rss, got "http_req_latency"'
    ]
  },
  {
    name: 'threshold tag naming a missing request',
    text: withProfile([
      '    requests: [{ name: home, path: / }, { path: /about }]',
      '    thresholds:',
      '      "http_req_duration{request:hom}": ["p(95)<50"]'
    ]),
    lines: [
      'perfgate.yml:7:7 profiles[0].thresholds["http_req_duration{request:hom}"]: expected a request of profile "hello" ("home", "GET /about"), got "hom"'
    ]
  },
  {
    name: 'missing target',
    text: ['version: 1', 'profiles: [{ name: hello }]'].join('\n'),
    lines: [
      'perfgate.yml:1:1 target: expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000" (profiles load it), got nothing'
    ]
  },
  {
    name: 'target with a path',
    text: ['version: 1', 'target: http://127.0.0.1:3000/api', 'profiles: [{ name: hello }]'].join('\n'),
    lines: [
      'perfgate.yml:2:9 target: expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000", got "http://127.0.0.1:3000/api"'
    ]
  },
  {
    name: 'missing profiles',
    text: ['version: 1', 'target: http://127.0.0.1:3000'].join('\n'),
    lines: [
      'perfgate.yml:1:1 profiles: expected a non-empty list of profiles (or of benchmarks, or of imports), got nothing'
    ]
  },
  {
    name: 'empty profiles',
    text: ['version: 1', 'target: http://127.0.0.1:3000', 'profiles: []'].join('\n'),
    lines: ['perfgate.yml:3:11 profiles: expected a non-empty list of profiles, got an empty list']
  },
  {
    name: 'profiles key with no value',
    text: ['version: 1', 'target: http://127.0.0.1:3000', 'profiles:'].join('\n'),
    lines: ['perfgate.yml:3:1 profiles: expected a non-empty list of profiles, got an empty value']
  },
  {
    name: 'profile without a name',
    text: ['version: 1', 'target: http://127.0.0.1:3000', 'profiles:', '  - trials: 2'].join('\n'),
    lines: ['perfgate.yml:4:5 profiles[0].name: expected a profile name, got nothing']
  },
  {
    name: 'duplicate profile names',
    text: withProfile(['  - name: other', '  - name: hello']),
    lines: [
      'perfgate.yml:6:11 profiles[2].name: expected a name unique among profiles, benchmarks and imports, got "hello" again (the profile at perfgate.yml:4:11)'
    ]
  },
  {
    name: 'negative trials',
    text: withProfile(['    trials: -1']),
    lines: ['perfgate.yml:5:13 profiles[0].trials: expected an integer from 1 to 1000, got -1']
  },
  {
    name: 'trials neither a number nor auto',
    text: withProfile(['    trials: many']),
    lines: ['perfgate.yml:5:13 profiles[0].trials: expected an integer from 1 to 1000, or "auto", got "many"']
  },
  {
    name: 'auto sampling with max below min',
    text: withProfile(['    trials: auto'], ['statistics: { auto: { min: 12, max: 8 } }']),
    lines: ['perfgate.yml:3:37 statistics.auto.max: expected max (8) to be at least min (12)']
  },
  {
    name: 'auto sampling with an unknown key',
    text: withProfile(['    trials: auto'], ['statistics: { auto: { mni: 4 } }']),
    lines: ['perfgate.yml:3:23 statistics.auto.mni: expected one of min, batch, max, budget, got "mni"']
  },
  {
    name: 'auto sampling whose first look does not fit the budget',
    text: withProfile(['    trials: auto', '    duration: 30s'], ['statistics: { auto: { budget: 2m } }']),
    lines: [
      'perfgate.yml:3:31 statistics.auto.budget: expected a budget (statistics.auto.budget, 2m) of at least 5m for profile "hello": 10 trials of 30s come before the first look'
    ]
  },
  {
    name: 'auto from defaults whose first look does not fit the default budget (paired)',
    text: [
      'version: 1',
      'service:',
      '  command: node s.js',
      '  base: { target: http://127.0.0.1:3001 }',
      'target: http://127.0.0.1:3000',
      'defaults: { trials: auto, duration: 30s }',
      'profiles: [{ name: hello }]'
    ].join('\n'),
    lines: [
      'perfgate.yml:6:21 defaults.trials: expected a budget (statistics.auto.budget, 10m) of at least 11m for profile "hello": 22 trials of 30s come before the first look'
    ]
  },
  {
    name: 'zero connections',
    text: withProfile([], ['defaults:', '  connections: 0']),
    lines: ['perfgate.yml:4:16 defaults.connections: expected an integer from 1 to 10000, got 0']
  },
  {
    name: 'unknown shape',
    text: withProfile(['    shape: ramp']),
    lines: [
      'perfgate.yml:5:12 profiles[0].shape: expected one of steady, rampup, spike, soak, stress, wave, got "ramp"'
    ]
  },
  {
    name: 'zero stage duration',
    text: withProfile(['    stages: [{ duration: 0s, connections: 2 }]']),
    lines: ['perfgate.yml:5:26 profiles[0].stages[0].duration: expected a duration greater than 0, got "0s"']
  },
  {
    name: 'negative stage duration',
    text: withProfile(['    stages: [{ duration: -5s, connections: 2 }]']),
    lines: ['perfgate.yml:5:26 profiles[0].stages[0].duration: expected a duration like "30s", got "-5s"']
  },
  {
    name: 'a stage with neither connections nor rate, and one with both',
    text: withProfile([
      '    stages:',
      '      - { duration: 5s }',
      '      - { duration: 5s, connections: 2, rate: 100 }'
    ]),
    lines: [
      'perfgate.yml:6:9 profiles[0].stages[0]: expected connections (closed model) or rate (open model), got neither',
      'perfgate.yml:7:9 profiles[0].stages[1]: expected either connections (closed model) or rate (open model), got both'
    ]
  },
  {
    name: 'stages mixing the closed and the open model',
    text: withProfile([
      '    stages:',
      '      - { duration: 5s, rate: 100 }',
      '      - { duration: 5s, connections: 2 }'
    ]),
    lines: [
      'perfgate.yml:7:9 profiles[0].stages[1]: expected every stage in the open model like the first (rate), got the other'
    ]
  },
  {
    name: 'a shape and custom stages together',
    text: withProfile(['    shape: spike', '    stages: [{ duration: 5s, connections: 2 }]']),
    lines: ['perfgate.yml:5:12 profiles[0].shape: expected either a shape or custom stages, got both']
  },
  {
    name: 'no measured stage',
    text: withProfile(['    stages: [{ duration: 5s, connections: 2, measured: false }]']),
    lines: ['perfgate.yml:5:13 profiles[0].stages: expected at least one measured stage, got none']
  },
  {
    name: 'a wave whose period is longer than its duration, and max below min',
    text: withProfile([
      '    shape: wave',
      '    duration: 10s',
      '    wave: { min: 20, max: 10, period: 30s }'
    ]),
    lines: [
      'perfgate.yml:7:27 profiles[0].wave.max: expected max above min (20), got 10',
      'perfgate.yml:7:39 profiles[0].wave.period: expected a period no longer than the profile duration (10s), got 30s'
    ]
  },
  {
    name: 'settings of another shape',
    text: withProfile(['    shape: rampup', '    spike: { to: 50 }']),
    lines: [
      'perfgate.yml:6:12 profiles[0].spike: expected spike settings only with shape: spike, got shape rampup'
    ]
  },
  {
    name: 'a spike no higher than the steady level',
    text: withProfile(['    shape: spike', '    connections: 10', '    spike: { to: 8 }']),
    lines: ['perfgate.yml:7:18 profiles[0].spike.to: expected a peak above the profile level (10), got 8']
  },
  {
    name: 'a ramp starting above its target',
    text: withProfile(['    shape: rampup', '    rate: 100', '    rampup: { from: 150 }']),
    lines: ["perfgate.yml:7:21 profiles[0].rampup.from: expected a level below the profile's (100), got 150"]
  },
  {
    name: 'a rate that is not a rate',
    text: withProfile(['    rate: fast']),
    lines: [
      'perfgate.yml:5:11 profiles[0].rate: expected a rate in requests per second like 200 or "200/s", got "fast"'
    ]
  },
  {
    name: 'a zero rate',
    text: withProfile(['    rate: 0']),
    lines: [
      'perfgate.yml:5:11 profiles[0].rate: expected a rate greater than 0 and at most 1000000 req/s, got 0'
    ]
  },
  {
    name: 'empty request list',
    text: withProfile(['    requests: []']),
    lines: [
      'perfgate.yml:5:15 profiles[0].requests: expected a non-empty list of at most 1000 requests, got an empty list'
    ]
  },
  {
    name: 'a weight of zero (weights must add up to more than zero; each is positive)',
    text: withProfile(['    requests: [{ path: /a, weight: 0 }, { path: /b, weight: -1 }]']),
    lines: [
      'perfgate.yml:5:36 profiles[0].requests[0].weight: expected a number greater than 0, got 0',
      'perfgate.yml:5:61 profiles[0].requests[1].weight: expected a number greater than 0, got -1'
    ]
  },
  {
    name: 'bad method',
    text: withProfile(['    requests: [{ method: FETCH, path: / }]']),
    lines: [
      'perfgate.yml:5:26 profiles[0].requests[0].method: expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"'
    ]
  },
  {
    name: 'bad header name',
    text: withProfile(['    requests:', '      - path: /', '        headers: { "x api key": abc }']),
    lines: [
      'perfgate.yml:7:20 profiles[0].requests[0].headers["x api key"]: expected a header name made of letters, digits and !#$%&\'*+-.^_`|~, got "x api key"'
    ]
  },
  {
    name: 'header value with a line break',
    text: withProfile([
      '    requests:',
      '      - path: /',
      '        headers: { x-token: "abc\\r\\nx-admin: 1" }'
    ]),
    lines: [
      'perfgate.yml:7:29 profiles[0].requests[0].headers.x-token: expected a header value without line breaks, got "abc\\r\\nx-admin: 1"'
    ]
  },
  {
    name: 'path without a slash',
    text: withProfile(['    requests: [{ path: hello }]']),
    lines: [
      'perfgate.yml:5:24 profiles[0].requests[0].path: expected a path starting with "/" and without spaces, like "/hello", got "hello"'
    ]
  },
  {
    name: 'zero weight',
    text: withProfile(['    requests: [{ path: /a, weight: 0 }, { path: /b }]']),
    lines: ['perfgate.yml:5:36 profiles[0].requests[0].weight: expected a number greater than 0, got 0']
  },
  {
    name: 'status out of range in a list',
    text: withProfile(['    requests: [{ path: /, expect: { status: [200, 700] } }]']),
    lines: [
      'perfgate.yml:5:51 profiles[0].requests[0].expect.status[1]: expected an HTTP status from 100 to 599, got 700'
    ]
  },
  {
    name: 'duplicate request names by default',
    text: withProfile(['    requests:', '      - { path: /a }', '      - { path: /a, weight: 2 }']),
    lines: [
      'perfgate.yml:7:9 profiles[0].requests[1]: expected a request name unique within the profile, got "GET /a" again (a request without a name is called "METHOD path"; give it a name)'
    ]
  },
  {
    name: 'two ready kinds at once',
    text: withProfile(
      [],
      [
        'service:',
        '  command: node server.js',
        '  ready: { url: http://127.0.0.1:3000/health, tcp: 127.0.0.1:3000 }'
      ]
    ),
    lines: ['perfgate.yml:5:10 service.ready: expected exactly one of url, tcp, log, got url and tcp']
  },
  {
    name: 'status with a tcp check',
    text: withProfile(
      [],
      ['service:', '  command: node server.js', '  ready: { tcp: "127.0.0.1:3000", status: 204 }']
    ),
    lines: ['perfgate.yml:5:43 service.ready.status: expected status only with url, got status with tcp']
  },
  {
    name: 'tcp without a host',
    text: withProfile([], ['service:', '  command: node server.js', '  ready: { tcp: 3000 }']),
    lines: ['perfgate.yml:5:17 service.ready.tcp: expected "host:port" like "127.0.0.1:3000", got 3000']
  },
  {
    name: 'invalid log regex',
    text: withProfile([], ['service:', '  command: node server.js', '  ready: { log: "listening on (" }']),
    lines: [
      'perfgate.yml:5:17 service.ready.log: expected a valid regular expression, got "listening on (" (Unterminated group)'
    ]
  },
  {
    name: 'compare aggregation the metric does not have',
    text: withProfile(['    compare:', '      http_req_failed.p(99): 5%']),
    lines: [
      'perfgate.yml:6:7 profiles[0].compare["http_req_failed.p(99)"]: expected an aggregation of http_req_failed (rate), got "p(99)"'
    ]
  },
  {
    name: 'compare key without an aggregation',
    text: withProfile(['    compare:', '      http_req_duration: 5%']),
    lines: [
      'perfgate.yml:6:7 profiles[0].compare.http_req_duration: expected "metric.aggregation" like "http_req_duration.p(95)" or "http_reqs.rate", got "http_req_duration"'
    ]
  },
  {
    name: 'compare tag naming a missing request',
    text: withProfile(['    compare:', '      "http_req_duration{request:nope}.med": 5%']),
    lines: [
      'perfgate.yml:6:7 profiles[0].compare["http_req_duration{request:nope}.med"]: expected a request of profile "hello" ("GET /"), got "nope"'
    ]
  },
  {
    name: 'compare change out of range',
    text: withProfile(['    compare:', '      http_reqs.rate: 150%']),
    lines: [
      'perfgate.yml:6:23 profiles[0].compare["http_reqs.rate"]: expected a change greater than 0 and less than 1 (0% to 100%, exclusive), got "150%"'
    ]
  },
  {
    name: 'the same compare key twice',
    text: withProfile([
      '    compare:',
      '      http_req_duration.p(99): 5%',
      '      "http_req_duration.p( 99 )": 10%'
    ]),
    lines: [
      'perfgate.yml:7:7 profiles[0].compare["http_req_duration.p( 99 )"]: expected each compare key once, got "http_req_duration.p(99)" again'
    ]
  },
  {
    name: 'ready without a check',
    text: withProfile([], ['service:', '  command: node server.js', '  ready: { timeout: 5s }']),
    lines: ['perfgate.yml:5:10 service.ready: expected exactly one of url, tcp, log, got none']
  },
  {
    name: 'bad comment policy',
    text: withProfile([], ['report: { comment: sometimes }']),
    lines: ['perfgate.yml:3:20 report.comment: expected one of always, on-change, never, got "sometimes"']
  },
  {
    name: 'baseline store unknown',
    text: withProfile([], ['baseline: { store: s3 }']),
    lines: ['perfgate.yml:3:20 baseline.store: expected one of file, artifact, branch, got "s3"']
  },
  {
    name: 'baseline required not a boolean',
    text: withProfile([], ['baseline: { store: artifact, required: yes please }']),
    lines: ['perfgate.yml:3:40 baseline.required: expected true or false, got "yes please"']
  },
  {
    name: 'baseline artifact name empty',
    text: withProfile([], ['baseline: { store: artifact, name: "" }']),
    lines: ['perfgate.yml:3:36 baseline.name: expected an artifact name, got ""']
  },
  {
    name: 'baseline path with the artifact store',
    text: withProfile([], ['baseline: { store: artifact, path: base.json }']),
    lines: [
      'perfgate.yml:3:36 baseline.path: expected path only with store file or branch, got path with store artifact'
    ]
  },
  {
    name: 'baseline artifact name with the file store (the default)',
    text: withProfile([], ['baseline: { name: perf }']),
    lines: [
      'perfgate.yml:3:19 baseline.name: expected name only with store artifact, got name with store file'
    ]
  },
  {
    name: 'baseline data branch with the artifact store',
    text: withProfile([], ['baseline: { store: artifact, branch: main }']),
    lines: [
      'perfgate.yml:3:38 baseline.branch: expected branch only with store branch, got branch with store artifact'
    ]
  },
  {
    name: 'baseline artifact name with the branch store',
    text: withProfile([], ['baseline: { store: branch, name: perf }']),
    lines: [
      'perfgate.yml:3:34 baseline.name: expected name only with store artifact, got name with store branch'
    ]
  },
  ...[
    'perf data',
    '-data',
    'a..b',
    'data.lock',
    'x~1',
    'data/',
    '/data',
    '.hidden',
    'a//b',
    'a:b',
    'at@{1}'
  ].map(branch => ({
    name: `baseline data branch ${JSON.stringify(branch)}`,
    text: withProfile([], [`baseline: { store: branch, branch: ${JSON.stringify(branch)} }`]),
    lines: [
      `perfgate.yml:3:36 baseline.branch: expected a git branch name like "perfgate-data" (no spaces, "..", "~^:?*[\\", leading "-" or "/"), got ${JSON.stringify(branch)}`
    ]
  })),
  ...['/abs/api.json', '../up.json', 'perf/./api.json', 'perf//api.json', 'perf/', '.git/config'].map(
    file => ({
      name: `baseline path on the data branch ${JSON.stringify(file)}`,
      text: withProfile([], [`baseline: { store: branch, path: ${JSON.stringify(file)} }`]),
      lines: [
        `perfgate.yml:3:34 baseline.path: expected a relative path on the data branch like "perfgate/api.json" (no leading "/", no ".", ".." or ".git" parts), got ${JSON.stringify(file)}`
      ]
    })
  ),
  {
    name: 'baseline unknown key',
    text: withProfile([], ['baseline: { store: artifact, bucket: perf }']),
    lines: [
      'perfgate.yml:3:30 baseline.bucket: expected one of store, path, name, branch, required, history, got "bucket"'
    ]
  },
  {
    name: 'alpha too large',
    text: withProfile([], ['statistics: { alpha: 0.7 }']),
    lines: ['perfgate.yml:3:22 statistics.alpha: expected a number greater than 0 and at most 0.5, got 0.7']
  },
  {
    name: 'change point p-value zero',
    text: withProfile([], ['statistics: { changePoints: { pValue: 0 } }']),
    lines: [
      'perfgate.yml:3:39 statistics.changePoints.pValue: expected a number greater than 0 and at most 0.5, got 0'
    ]
  },
  {
    name: 'change point window too small, magnitude not a change, unknown key',
    text: withProfile([], ['statistics: { changePoints: { window: 4, minMagnitude: big, alpha: 0.1 } }']),
    lines: [
      'perfgate.yml:3:39 statistics.changePoints.window: expected an integer from 6 to 1000, got 4',
      'perfgate.yml:3:56 statistics.changePoints.minMagnitude: expected a minimum relevant change like "5%" or 0.05, got "big"',
      'perfgate.yml:3:61 statistics.changePoints.alpha: expected one of pValue, minMagnitude, window, got "alpha"'
    ]
  },
  {
    name: 'version 2',
    text: ['version: 2', 'target: http://127.0.0.1:3000', 'profiles: [{ name: hello }]'].join('\n'),
    lines: ['perfgate.yml:1:10 version: expected 1, got 2']
  },
  {
    name: 'unset environment variable',
    text: withProfile([
      '    requests:',
      '      - path: /',
      '        headers: { authorization: "Bearer ${{ env.API_TOKEN }}" }'
    ]),
    lines: [
      'perfgate.yml:7:35 profiles[0].requests[0].headers.authorization: expected environment variable API_TOKEN to be set'
    ]
  },
  {
    name: 'unset environment variable where a URL is expected: one message',
    text: ['version: 1', 'target: ${TARGET}', 'profiles: [{ name: hello }]'].join('\n'),
    lines: ['perfgate.yml:2:9 target: expected environment variable TARGET to be set']
  },
  {
    name: 'an expression the config cannot substitute',
    text: withProfile([], ['service:', '  command: "deploy --token ${{ secrets.TOKEN }}"']),
    lines: [
      'perfgate.yml:4:12 service.command: expected ${NAME} or ${{ env.NAME }} (or $${ for a literal ${), got "${{ secrets.TOKEN }}"'
    ]
  },
  {
    name: "paired mode: a base on the head's own target",
    text: withProfile(
      [],
      [
        'service:',
        '  command: node a.js',
        '  base:',
        '    command: node b.js',
        '    target: http://127.0.0.1:3000/'
      ]
    ),
    lines: [
      "perfgate.yml:7:13 service.base.target: expected a target different from the head's (http://127.0.0.1:3000), got the same"
    ]
  },
  {
    name: 'paired mode: a base without a target',
    text: withProfile([], ['service:', '  command: node a.js', '  base:', '    command: node b.js']),
    lines: [
      'perfgate.yml:6:5 service.base.target: expected an http(s) URL with only a scheme, host and port, like "http://127.0.0.1:3000", got nothing'
    ]
  },
  {
    name: 'paired mode: start-up keys for a base perfgate does not start',
    text: withProfile(
      [],
      ['service:', '  command: node a.js', '  base:', '    cwd: ../base', '    target: http://127.0.0.1:3001']
    ),
    lines: [
      'perfgate.yml:6:5 service.base: expected a command with cwd, got none (omit them when the base already runs at its target)'
    ]
  },
  {
    name: 'paired mode: unknown key in the base',
    text: withProfile(
      [],
      [
        'service:',
        '  command: node a.js',
        '  base:',
        '    comand: node b.js',
        '    target: http://127.0.0.1:3001'
      ]
    ),
    lines: [
      'perfgate.yml:6:5 service.base.comand: expected one of command, cwd, env, ready, stopTimeout, target, got "comand"'
    ]
  },
  {
    name: 'several errors at once, sorted by position',
    text: [
      'version: 1',
      'target: http://127.0.0.1:3000',
      'report: { comment: sometimes }',
      'profiles:',
      '  - name: hello',
      '    duration: thirty',
      '    connections: 0',
      '  - name: other',
      '    requests: [{ path: nope }]',
      'statistics: { alpha: 0 }',
      'extra: true'
    ].join('\n'),
    lines: [
      'perfgate.yml:3:20 report.comment: expected one of always, on-change, never, got "sometimes"',
      'perfgate.yml:6:15 profiles[0].duration: expected a duration like "30s", got "thirty"',
      'perfgate.yml:7:18 profiles[0].connections: expected an integer from 1 to 10000, got 0',
      'perfgate.yml:9:24 profiles[1].requests[0].path: expected a path starting with "/" and without spaces, like "/hello", got "nope"',
      'perfgate.yml:10:22 statistics.alpha: expected a number greater than 0 and at most 0.5, got 0',
      'perfgate.yml:11:1 extra: expected one of version, service, target, defaults, profiles, benchmarks, imports, profiling, findings, statistics, baseline, report, got "extra"'
    ]
  }
];

describe('bad configs', () => {
  it.each(CASES)('$name', ({ text, env, lines }) => {
    const err = errorOf(text, env);
    expect(err.message).toBe(lines.join('\n'));
    expect(err.issues).toHaveLength(lines.length);
    expect(err.exitCode).toBe(2);
  });

  it("has many distinct cases, none of them in zod's own words", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    for (const { text, env } of CASES)
      expect(errorOf(text, env).message).not.toMatch(/Invalid input|received/);
  });
});

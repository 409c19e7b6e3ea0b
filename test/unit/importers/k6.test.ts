import { readdirSync, readFileSync, statSync } from 'node:fs';
import { k6Importer as importer, k6Judged } from '../../../src/importers/k6.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/** JSON of any shape, edited into bad input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Written from k6's source by scripts/fixtures/k6.mjs: one run, in both shapes (see the README). */
const dir = new URL('../../fixtures/imports/k6/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => importer.parse(fixture(name), name);
const find = (benchmarks: ImportedBenchmark[], name: string): ImportedBenchmark => {
  const found = benchmarks.find(b => b.name === name);
  if (!found) throw new Error(`no ${name} in ${benchmarks.map(b => b.name).join(' | ')}`);
  return found;
};
const edited = (name: string, edit: (raw: Json) => void): string => {
  const raw = JSON.parse(fixture(name)) as Json;
  edit(raw);
  return JSON.stringify(raw);
};

describe('k6: parse', () => {
  const handle = parse('handle-summary.json');
  const exported = parse('summary-export.json');

  it('one benchmark per metric, submetrics named exactly, then one per check', () => {
    expect(handle.map(b => b.name)).toEqual([
      'checks',
      'data_received',
      'data_sent',
      'dropped_iterations',
      'http_req_blocked',
      'http_req_connecting',
      'http_req_duration',
      'http_req_duration{expected_response:true}',
      'http_req_duration{scenario:checkout flow é}',
      'http_req_failed',
      'http_req_receiving',
      'http_req_sending',
      'http_req_tls_handshaking',
      'http_req_waiting',
      'http_reqs',
      'iteration_duration',
      'iterations',
      'vus',
      'vus_max',
      'cart_size',
      'payload_bytes',
      'order_errors',
      'checks{check:status is 200}',
      'checks{check:body has “items”}',
      'checks{group:::checkout flow,check:order created}'
    ]);
  });

  it('Trend of time: aggregations in ns, the median first, smaller is better', () => {
    expect(find(handle, 'http_req_duration').metrics).toEqual([
      { name: 'med', unit: 'ns', better: 'lower', value: expect.closeTo(32118700, 3) as number },
      { name: 'avg', unit: 'ns', better: 'lower', value: expect.closeTo(41293400, 3) as number },
      { name: 'min', unit: 'ns', better: 'lower', value: expect.closeTo(1041200, 3) as number },
      { name: 'max', unit: 'ns', better: 'lower', value: expect.closeTo(812445500, 3) as number },
      { name: 'p(90)', unit: 'ns', better: 'lower', value: expect.closeTo(88021100, 3) as number },
      { name: 'p(95)', unit: 'ns', better: 'lower', value: expect.closeTo(121504200, 3) as number }
    ]);
  });

  it('Rate: rate as a ratio; in http_req_failed `passes` are the failed requests, fewer is better', () => {
    expect(find(handle, 'http_req_failed').metrics).toEqual([
      { name: 'rate', unit: 'ratio', better: 'lower', value: 29 / 6000 },
      { name: 'passes', unit: 'count', better: 'lower', value: 29 },
      { name: 'fails', unit: 'count', better: 'higher', value: 5971 }
    ]);
    expect(find(handle, 'checks').metrics).toEqual([
      { name: 'rate', unit: 'ratio', better: 'higher', value: 10771 / 10800 },
      { name: 'passes', unit: 'count', better: 'higher', value: 10771 },
      { name: 'fails', unit: 'count', better: 'lower', value: 29 }
    ]);
  });

  it('Counter: rate first (ops/s, B/s for data), count; what went wrong is fewer-is-better', () => {
    expect(find(handle, 'http_reqs').metrics).toEqual([
      { name: 'rate', unit: 'ops/s', better: 'higher', value: 6000 / 30.004512 },
      { name: 'count', unit: 'count', better: 'higher', value: 6000 }
    ]);
    expect(find(handle, 'data_received').metrics.map(m => [m.name, m.unit, m.better, m.value])).toEqual([
      ['rate', 'B/s', 'higher', 52801234 / 30.004512],
      ['count', 'B', 'higher', 52801234]
    ]);
    expect(find(handle, 'dropped_iterations').metrics.map(m => m.better)).toEqual(['lower', 'lower']);
    expect(find(handle, 'order_errors').metrics.map(m => m.better)).toEqual(['lower', 'lower']);
  });

  it('Gauge: value, min, max', () => {
    expect(find(handle, 'vus').metrics).toEqual([
      { name: 'value', unit: 'unitless', better: 'higher', value: 50 },
      { name: 'min', unit: 'unitless', better: 'higher', value: 50 },
      { name: 'max', unit: 'unitless', better: 'higher', value: 50 }
    ]);
  });

  it('handleSummary knows a custom Trend’s unit from `contains`', () => {
    expect(find(handle, 'payload_bytes').metrics[0]).toEqual({
      name: 'med',
      unit: 'B',
      better: 'lower',
      value: 7420
    });
    expect(find(handle, 'cart_size').metrics[0]).toEqual({
      name: 'med',
      unit: 'unitless',
      better: 'lower',
      value: 3
    });
  });

  it('checks: each check’s pass rate, passes and fails, selected by k6’s check and group tags', () => {
    expect(find(handle, 'checks{group:::checkout flow,check:order created}').metrics).toEqual([
      { name: 'rate', unit: 'ratio', better: 'higher', value: 1180 / 1200 },
      { name: 'passes', unit: 'count', better: 'higher', value: 1180 },
      { name: 'fails', unit: 'count', better: 'lower', value: 20 }
    ]);
  });

  it('--summary-export: the same run reads the same, built-in metrics’ units known by name', () => {
    expect(exported.map(b => b.name)).toEqual(handle.map(b => b.name));
    for (const name of [
      'http_req_duration',
      'http_req_duration{scenario:checkout flow é}',
      'http_req_failed',
      'checks',
      'http_reqs',
      'data_received',
      'vus',
      'cart_size'
    ]) {
      expect(find(exported, name)).toEqual(find(handle, name));
    }
  });

  it('--summary-export: a custom Trend’s unit is lost, its values stay as k6 wrote them', () => {
    expect(find(exported, 'payload_bytes').metrics[0]).toEqual({
      name: 'med',
      unit: 'unitless',
      better: 'lower',
      value: 7420
    });
  });

  it('a check that k6 already wrote as a submetric (a threshold on it) is not added twice', () => {
    const text = edited('handle-summary.json', raw => {
      raw.metrics['checks{check:status is 200}'] = {
        type: 'rate',
        contains: 'default',
        values: { rate: 4791 / 4800, passes: 4791, fails: 9 },
        thresholds: { 'rate>0.99': { ok: true } }
      };
    });
    const names = importer.parse(text, 'h.json').map(b => b.name);
    expect(names.filter(n => n === 'checks{check:status is 200}')).toHaveLength(1);
  });
});

describe('k6: thresholds and checks as k6 judged them', () => {
  const at = (metric: string, expression: string): string =>
    `$.metrics${/^\w+$/.test(metric) ? `.${metric}` : `[${JSON.stringify(metric)}]`}.thresholds[${JSON.stringify(expression)}]`;
  const threshold = (
    metric: string,
    expression: string,
    ok: boolean,
    observed: number | null,
    unit: string
  ) => ({ metric, expression, ok, observed, unit, where: at(metric, expression) });
  const thresholds = [
    threshold('checks', 'rate>0.999', false, 0.9973148148148148, 'ratio'),
    threshold('http_req_duration', 'p(95)<500', true, 121.5042, 'ms'),
    // Not in the summary (k6's default summaryTrendStats stop at p(95)): observed is null.
    threshold('http_req_duration', 'p(99)<1000', true, null, 'ms'),
    threshold('http_req_duration{scenario:checkout flow é}', 'p(95)<100', false, 150.33, 'ms'),
    threshold('http_req_failed', 'rate<0.01', true, 0.004833333333333334, 'ratio'),
    threshold('http_reqs', 'rate>100', true, 199.9699245233517, 'req/s'),
    threshold('order_errors', 'count<10', false, 20, 'count')
  ];
  const checks = [
    { name: 'order created', group: '::checkout flow', passes: 1180, fails: 20 },
    { name: 'status is 200', passes: 4791, fails: 9 },
    { name: 'body has “items”', passes: 4800, fails: 0 }
  ];
  const sorted = (c: typeof checks) => [...c].sort((x, y) => x.name.localeCompare(y.name));

  it('handleSummary: ok as k6 says, with the value each expression reads', () => {
    const judged = k6Judged(fixture('handle-summary.json'), 'h.json');
    expect(judged.thresholds).toEqual(thresholds);
    expect(sorted(judged.checks)).toEqual(sorted(checks));
  });

  it("--summary-export: `true` means the threshold FAILED; a Rate's value is its rate", () => {
    expect(JSON.parse(fixture('summary-export.json')).metrics.checks.thresholds).toEqual({
      'rate>0.999': true
    });
    const judged = k6Judged(fixture('summary-export.json'), 's.json');
    expect(judged.thresholds).toEqual(thresholds);
    expect(sorted(judged.checks)).toEqual(sorted(checks));
  });

  it.each([
    ['p(95) < 500', 121.5042],
    ['  p(95)<=500', 121.5042],
    ['p(95.0)<500', 121.5042],
    ['avg<50', 41.2934],
    ['max>=1', 812.4455],
    ['p(99.9)<2000', null],
    ['nonsense', null]
  ])('reads the value of %j', (expression, observed) => {
    const text = edited('handle-summary.json', raw => {
      raw.metrics.http_req_duration.thresholds = { [expression]: { ok: true } };
    });
    const t = k6Judged(text, 'h.json').thresholds.find(x => x.metric === 'http_req_duration')!;
    expect([t.expression, t.observed]).toEqual([expression, observed]);
  });

  it("is the importer's judged(), which the importers of other formats do not have", () => {
    expect(importer.judged!(fixture('handle-summary.json'), 'h.json')).toEqual(
      k6Judged(fixture('handle-summary.json'), 'h.json')
    );
  });

  it('gives none for a summary without thresholds or checks', () => {
    const text = edited('handle-summary.json', raw => {
      for (const m of Object.values(raw.metrics) as Array<{ thresholds?: unknown }>) delete m.thresholds;
      delete raw.root_group;
    });
    expect(k6Judged(text, 'h.json')).toEqual({ thresholds: [], checks: [] });
  });
});

describe('k6: bad input', () => {
  it.each<[string, string, string]>([
    [
      'truncated JSON',
      fixture('summary-export.json').slice(0, 1500),
      'f.json: line 49, column 9 (k6): the JSON ends early (a truncated file?)'
    ],
    [
      'no metrics',
      edited('summary-export.json', raw => (raw.metrics = {})),
      'f.json: $.metrics (k6): no metrics: the summary lists none'
    ],
    [
      'no metrics key',
      '{"root_group": {}}',
      'f.json: $.metrics (k6): Invalid input: expected record, received undefined'
    ],
    [
      'NaN (null) in a value',
      edited('summary-export.json', raw => (raw.metrics.http_req_duration['p(95)'] = null)),
      'f.json: $.metrics.http_req_duration["p(95)"] (k6): expected a number, got null'
    ],
    [
      'a negative value',
      edited(
        'handle-summary.json',
        raw => (raw.metrics['http_req_duration{expected_response:true}'].values.min = -1)
      ),
      'f.json: $.metrics["http_req_duration{expected_response:true}"].min (k6): expected a value of 0 or more, got -1'
    ],
    [
      'an absurd value',
      edited('handle-summary.json', raw => (raw.metrics.http_reqs.values.count = 1e20)),
      'f.json: $.metrics.http_reqs.count (k6): expected a plausible measurement, got 100000000000000000000'
    ],
    [
      'a string for a number',
      edited('summary-export.json', raw => (raw.metrics.vus.max = '50')),
      'f.json: $.metrics.vus.max (k6): expected a number, got "50"'
    ],
    [
      'a metric of no known kind',
      edited('summary-export.json', raw => (raw.metrics.vus = { total: 3 })),
      'f.json: $.metrics.vus (k6): not a k6 metric: expected the values of a trend (avg, med, p(95)…), a counter (count, rate), a rate (value, passes, fails) or a gauge (value, min, max)'
    ],
    [
      'a check with a string count',
      edited('summary-export.json', raw => (raw.root_group.checks['status is 200'].passes = '4791')),
      'f.json: $.root_group.checks (k6): Invalid input'
    ]
  ])('%s', (_, text, message) => {
    let error: unknown;
    try {
      importer.parse(text, 'f.json');
    } catch (err) {
      error = err;
    }
    expect((error as Error | undefined)?.message).toBe(message);
    expect((error as { exitCode?: number } | undefined)?.exitCode).toBe(2);
  });
});

describe('k6: detect', () => {
  const root = new URL('../../fixtures/imports/', import.meta.url);
  const files = (format: string): string[] =>
    readdirSync(new URL(`${format}/`, root), { recursive: true, encoding: 'utf8' })
      .map(f => new URL(`${format}/${f}`, root).pathname)
      .filter(p => statSync(p).isFile() && !/README|VERSIONS/.test(p));

  it.each(['handle-summary.json', 'summary-export.json'])('is sure of its own output: %s', name =>
    expect(importer.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  it('knows a summary without root_group by k6’s metric names', () =>
    expect(importer.detect(edited('summary-export.json', raw => delete raw.root_group))).toBe(0.9));

  const others = readdirSync(root).filter(f => f !== 'k6' && statSync(new URL(f, root)).isDirectory());
  it.each(others.flatMap(files))('is 0 on another format’s output: %s', path =>
    expect(importer.detect(readFileSync(path, 'utf8'))).toBe(0)
  );

  it.each([
    ['generic JSON with metrics', '{"metrics": {"latency": {"value": 3}}}'],
    [
      'plain text',
      '     ✓ status is 200\n\n     http_req_duration..............: avg=41.29ms min=1.04ms med=32.11ms\n'
    ],
    ['nothing', '']
  ])('is 0 on %s', (_, text) => expect(importer.detect(text)).toBe(0));
});

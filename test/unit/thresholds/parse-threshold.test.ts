import {
  holds,
  parseMetricSelector,
  parseThreshold,
  type ThresholdExpression
} from '../../../src/thresholds/parse-threshold.js';

describe('parseThreshold: valid expressions', () => {
  const cases: Array<[string, string, ThresholdExpression]> = [
    [
      'http_req_duration',
      'p(95)<250',
      { aggregation: { kind: 'percentile', p: 95 }, operator: '<', value: 250 }
    ],
    [
      'http_req_duration',
      'p(99.9) <= 1s',
      { aggregation: { kind: 'percentile', p: 99.9 }, operator: '<=', value: 1000 }
    ],
    [
      'http_req_duration',
      'p( 90 )>0.5ms',
      { aggregation: { kind: 'percentile', p: 90 }, operator: '>', value: 0.5 }
    ],
    ['http_req_duration', 'avg<100', { aggregation: { kind: 'avg' }, operator: '<', value: 100 }],
    ['service_cpu', 'avg<80', { aggregation: { kind: 'avg' }, operator: '<', value: 80 }],
    ['service_cpu', 'max<150%', { aggregation: { kind: 'max' }, operator: '<', value: 150 }],
    ['service_rss', 'max<300MB', { aggregation: { kind: 'max' }, operator: '<', value: 300 * 1024 ** 2 }],
    ['service_rss', 'avg<1.5GB', { aggregation: { kind: 'avg' }, operator: '<', value: 1.5 * 1024 ** 3 }],
    [
      'service_rss',
      'p(95)<=512KiB',
      { aggregation: { kind: 'percentile', p: 95 }, operator: '<=', value: 512 * 1024 }
    ],
    ['service_rss', 'med<1000000', { aggregation: { kind: 'med' }, operator: '<', value: 1_000_000 }],
    ['http_req_duration', 'min>=250us', { aggregation: { kind: 'min' }, operator: '>=', value: 0.25 }],
    ['http_req_duration', 'med<2s', { aggregation: { kind: 'med' }, operator: '<', value: 2000 }],
    ['http_req_duration', 'max<1m', { aggregation: { kind: 'max' }, operator: '<', value: 60000 }],
    ['http_req_duration', 'max<500µs', { aggregation: { kind: 'max' }, operator: '<', value: 0.5 }],
    [
      'http_req_duration',
      'p(50)==10',
      { aggregation: { kind: 'percentile', p: 50 }, operator: '==', value: 10 }
    ],
    [
      'http_req_duration',
      'p(50)===10',
      { aggregation: { kind: 'percentile', p: 50 }, operator: '==', value: 10 }
    ],
    [
      'http_req_duration',
      'p(50)!=10',
      { aggregation: { kind: 'percentile', p: 50 }, operator: '!=', value: 10 }
    ],
    [
      'http_req_duration',
      'p(50)!==10',
      { aggregation: { kind: 'percentile', p: 50 }, operator: '!=', value: 10 }
    ],
    ['http_req_duration', 'p(0)>=0', { aggregation: { kind: 'percentile', p: 0 }, operator: '>=', value: 0 }],
    [
      'http_req_duration',
      'p(100)<3e3',
      { aggregation: { kind: 'percentile', p: 100 }, operator: '<', value: 3000 }
    ],
    ['http_req_failed', 'rate<0.01', { aggregation: { kind: 'rate' }, operator: '<', value: 0.01 }],
    ['http_req_failed', 'rate<=1%', { aggregation: { kind: 'rate' }, operator: '<=', value: 0.01 }],
    ['http_req_failed', 'rate==0', { aggregation: { kind: 'rate' }, operator: '==', value: 0 }],
    ['http_reqs', 'count>0', { aggregation: { kind: 'count' }, operator: '>', value: 0 }],
    ['http_reqs', 'rate>100', { aggregation: { kind: 'rate' }, operator: '>', value: 100 }],
    ['http_reqs', 'rate >= 100/s', { aggregation: { kind: 'rate' }, operator: '>=', value: 100 }]
  ];
  it.each(cases)('%s: %s', (metric, text, expected) => {
    expect(parseThreshold(metric, text)).toEqual({ ok: true, value: expected });
  });
});

describe('parseThreshold: malformed expressions', () => {
  const cases: Array<[string, string, string]> = [
    ['service_cpu', 'avg<80ms', 'expected a percentage like 80 or 80%, got "80ms" in "avg<80ms"'],
    ['service_rss', 'max<300XB', 'expected a size unit (B, KB, MB, GB), got "XB" in "max<300XB"'],
    ['service_cpu', 'rate<1', 'service_cpu allows avg, min, med, max, p(N), got "rate" in "rate<1"'],
    [
      'http_req_duration',
      '',
      'expected an expression like "p(95)<250" (aggregation, operator, value), got ""'
    ],
    [
      'http_req_duration',
      'p95<250',
      'unknown aggregation "p95" in "p95<250"; http_req_duration allows avg, min, med, max, p(N)'
    ],
    [
      'http_req_duration',
      'p(95)',
      'expected an expression like "p(95)<250" (aggregation, operator, value), got "p(95)"'
    ],
    [
      'http_req_duration',
      'p(95)<',
      'expected a number with an optional unit (250, 250ms, 2s), got "" in "p(95)<"'
    ],
    [
      'http_req_duration',
      'p(95)=>250',
      'expected an expression like "p(95)<250" (aggregation, operator, value), got "p(95)=>250"'
    ],
    [
      'http_req_duration',
      'p(101)<250',
      'expected a percentile p(N) with N from 0 to 100, got "p(101)" in "p(101)<250"; http_req_duration allows avg, min, med, max, p(N)'
    ],
    [
      'http_req_duration',
      'p()<250',
      'expected a percentile p(N) with N from 0 to 100, got "p()" in "p()<250"; http_req_duration allows avg, min, med, max, p(N)'
    ],
    [
      'http_req_duration',
      'p(x)<250',
      'expected a percentile p(N) with N from 0 to 100, got "p(x)" in "p(x)<250"; http_req_duration allows avg, min, med, max, p(N)'
    ],
    [
      'http_req_duration',
      'p(95)<fast',
      'expected a number with an optional unit (250, 250ms, 2s), got "fast" in "p(95)<fast"'
    ],
    ['http_req_duration', 'p(95)<250h', 'expected a duration unit (us, ms, s, m), got "h" in "p(95)<250h"'],
    ['http_req_duration', 'p(95)<-5', 'expected a value of 0 or more, got "-5" in "p(95)<-5"'],
    [
      'http_req_duration',
      'rate<0.1',
      'http_req_duration allows avg, min, med, max, p(N), got "rate" in "rate<0.1"'
    ],
    [
      'http_req_duration',
      'count>0',
      'http_req_duration allows avg, min, med, max, p(N), got "count" in "count>0"'
    ],
    ['http_req_failed', 'p(95)<1', 'http_req_failed allows rate, got "p(95)" in "p(95)<1"'],
    [
      'http_req_failed',
      'rate<2',
      'expected a ratio from 0 to 1 (or a percentage like 1%), got "2" in "rate<2"'
    ],
    ['http_req_failed', 'rate<150%', 'expected at most 100%, got "150%" in "rate<150%"'],
    ['http_req_failed', 'rate<1ms', 'expected a ratio like 0.01 or 1%, got "1ms" in "rate<1ms"'],
    ['http_reqs', 'avg>3', 'http_reqs allows count, rate, got "avg" in "avg>3"'],
    ['http_reqs', 'count>10s', 'expected a plain count, got "10s" in "count>10s"'],
    ['http_reqs', 'rate>10/m', 'expected requests per second like 100 or 100/s, got "10/m" in "rate>10/m"'],
    [
      'http_reqs',
      'rate>>10',
      'expected a number of requests per second (100 or 100/s), got ">10" in "rate>>10"'
    ],
    ['data_sent', 'count>0', 'unknown metric "data_sent"']
  ];
  it.each(cases)('%s: %j', (metric, text, message) => {
    expect(parseThreshold(metric, text)).toEqual({ ok: false, message });
  });
});

describe('parseMetricSelector', () => {
  it.each([
    ['http_req_duration', { name: 'http_req_duration', tags: {} }],
    [
      'http_req_duration{request:create-item}',
      { name: 'http_req_duration', tags: { request: 'create-item' } }
    ],
    ['http_reqs{ request : GET /a }', { name: 'http_reqs', tags: { request: 'GET /a' } }]
  ])('%s', (text, value) => expect(parseMetricSelector(text)).toEqual({ ok: true, value }));

  it.each([
    [
      'http_req_durations',
      'expected one of http_req_duration, http_req_failed, http_reqs, service_cpu, service_rss, got "http_req_durations"'
    ],
    ['http_req_duration{status:200}', 'expected a tag among request, got "status"'],
    [
      'service_rss{request:a}',
      'expected service_rss without tags (it is measured on the service, not per request), got "{request:a}"'
    ],
    ['http_req_duration{request}', 'expected tags as {request:NAME}, got "{request}"'],
    [
      'Bad Metric',
      'expected a metric name like "http_req_duration" or "http_req_duration{request:NAME}", got "Bad Metric"'
    ]
  ])('%s is rejected', (text, message) => expect(parseMetricSelector(text)).toEqual({ ok: false, message }));
});

describe('holds: every operator on both sides of its value', () => {
  const expr = (operator: ThresholdExpression['operator']): ThresholdExpression => ({
    aggregation: { kind: 'avg' },
    operator,
    value: 10
  });
  it.each([
    ['<', 9, true],
    ['<', 10, false],
    ['<=', 10, true],
    ['<=', 11, false],
    ['>', 11, true],
    ['>', 10, false],
    ['>=', 10, true],
    ['>=', 9, false],
    ['==', 10, true],
    ['==', 10.5, false],
    ['!=', 10.5, true],
    ['!=', 10, false]
  ] as const)('%s 10 with %d → %s', (op, observed, ok) => expect(holds(observed, expr(op))).toBe(ok));
});

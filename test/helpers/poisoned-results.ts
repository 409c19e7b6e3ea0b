/**
 * Results in which every string is hostile: each carries the line breaks CommonMark knows (a lone
 * `\r` among them) and the ones a renderer may break on, HTML, a forged marker, mentions,
 * references, links, controls, bidi overrides and workflow commands. A results file is the fork's to
 * write, so every rendering of one must hold up to this.
 */
import type { Results } from '../../src/model.js';
import { richResults } from './report-results.js';

/** What every string of the results ends with. */
export const PAYLOAD =
  ' x\r| \r\n#1 @team <!-- perfgate:comment config=x --> </details></summary><img src=x onerror=alert(1)>' +
  '\u2028::warning::pwned\n::add-mask::x\u0085\v\f\u2029\u202e\x1b[31m\0\x07\t https://evil.example www.evil.example ##[group]';

/** Strings the code branches on (enums, encodings): replacing them tests nothing but a crash. */
const KEPT = new Set([
  'status',
  'side',
  'verdict',
  'severity',
  'unit',
  'better',
  'test',
  'histogram',
  'source'
]);

/** `value` with every string in it suffixed with PAYLOAD (object keys included), enums kept. */
function poison<T>(value: T, key = ''): T {
  if (typeof value === 'string') {
    if (KEPT.has(key)) return value as T;
    // A compare key must parse: the payload goes into a tag's value (`{request:…}`), as a request name would.
    if (key === 'metric') return value.replace(/^(\w+)(\{[^}]*\})?/, `$1{request:${PAYLOAD}}`) as T;
    return (value + PAYLOAD) as T;
  }
  if (Array.isArray(value)) return value.map(v => poison(v, key)) as T;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [
      key === 'requests' || key === 'perRequest' ? k + PAYLOAD : k,
      poison(v, k)
    ]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}

/** Rich results (a paired profile, trends, a change point, a log tail) with every string poisoned. */
export function poisonedResults(): Results {
  const r = richResults({ trials: 4, seconds: 3 });
  const p = r.profiles[0]!;
  p.error = 'service stopped';
  p.mix = [{ name: 'hello', method: 'POST', path: '/items', weight: 1 }];
  p.auto = { min: 2, max: 8, batch: 2, looks: [], stopped: 'max' } as unknown as NonNullable<typeof p.auto>;
  for (const t of [...p.head.trials, ...p.base!.trials]) {
    t.stages = [
      { name: 'ramp', from: 1, to: 4, measured: true, startMs: 0, durationMs: 1000, metrics: t.metrics }
    ];
  }
  r.serviceLogs = [{ side: 'head', file: 'service-head.log', tail: ['listening', '````', 'end'] }];
  r.error = { kind: 'service', message: 'crashed' };
  r.notes = ['a note'];
  r.comparisons[0]!.reason = 'too few trials';
  r.comparisons[0]!.verdict = 'inconclusive';
  r.trends = [
    {
      profile: p.name,
      metric: 'http_req_duration.p(99)',
      points: [
        { createdAt: '2026-11-20T03:00:00.000Z', value: 3, current: false },
        { createdAt: '2026-11-21T03:00:00.000Z', value: 4, current: true }
      ]
    }
  ] as unknown as NonNullable<Results['trends']>;
  r.changePoints = [
    {
      profile: p.name,
      metric: 'http_req_duration.p(99)',
      index: 3,
      createdAt: '2026-11-20T03:00:00.000Z',
      before: 10,
      after: 12,
      change: 0.2,
      pValue: 1e-5,
      current: 12.1,
      points: 6,
      worse: true
    }
  ];
  return poison(r);
}

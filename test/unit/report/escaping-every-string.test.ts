/**
 * Every string of a results file is the fork's to choose (a `workflow_run` follow-up renders the
 * comment again from it): here each one carries line breaks CommonMark knows (a lone `\r`
 * among them) and the ones a renderer may break on, HTML, a forged marker, mentions, references,
 * links, controls, bidi overrides and workflow commands, and summary.md and comment.md must still
 * render as the tables and blocks they were written as, with nothing live in them.
 */
import type { Results } from '../../../src/model.js';
import { escapeHtmlText, escapeMarkdown } from '../../../src/report/escape-markdown.js';
import { renderComment, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import { richResults } from '../../helpers/report-results.js';

const PAYLOAD =
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

function poisonedResults(): Results {
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

const results = poisonedResults();
const hostileLink = {
  run: `https://x.example/run)\n\n[pwned](https://evil.example)${PAYLOAD}`,
  artifact: PAYLOAD
};
const renderings = {
  'summary.md': renderSummary(results),
  'comment.md': renderComment(buildReportModel(results), hostileLink)
};

describe.each(['summary.md', 'comment.md'] as const)(
  '%s from a results file where every string is hostile',
  name => {
    const md = renderings[name];
    const text = outsideCode(md);

    it('renders the poisoned strings (the test reaches them)', () => {
      expect(text).toContain(`**${escapeMarkdown(results.profiles[0]!.name)}**`);
      expect(md).toContain(
        `(head): the last lines of <code>${escapeHtmlText(`service-head.log${PAYLOAD}`)}</code>`
      );
      expect(md).toContain(escapeMarkdown(`too few trials${PAYLOAD}`));
    });

    it('holds no line break but its own, no control character, no bidi override', () => {
      expect(md).not.toMatch(/\r/);
      expect(md).not.toMatch(
        // eslint-disable-next-line no-control-regex -- the point of the test
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
      );
    });

    it("keeps every table row to its header's cells", () => {
      const all = md.split(/\r\n|\r|\n/);
      let tables = 0;
      for (let i = 0; i < all.length; i++) {
        if (!all[i]!.startsWith('|') || all[i - 1]?.startsWith('|')) continue;
        tables++;
        const cells = (row: string) => row.split(/(?<!\\)\|/).length;
        for (let j = i; j < all.length && all[j]!.startsWith('|'); j++) {
          expect({ row: all[j], cells: cells(all[j]!) }).toEqual({ row: all[j], cells: cells(all[i]!) });
        }
      }
      expect(tables).toBeGreaterThanOrEqual(name === 'summary.md' ? 7 : 5);
    });

    it('opens no HTML of its own, outside code or in: only the tags the templates write', () => {
      const tags = [...text.matchAll(/<\/?([a-zA-Z][\w-]*)[^>]*>/g)].map(m => m[0]);
      expect(tags.filter(t => !/^<\/?(details|summary|code|sub)>$/.test(t))).toEqual([]);
      expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length);
      // A marker in code is still in the comment's body, where the sticky comment is searched for.
      expect(md).not.toMatch(/<!--\s*perfgate/);
    });

    it('pings no one, references no issue, links nowhere but the run', () => {
      const prose = text.replace(/\]\([^)]*\)/g, '](…)');
      expect(prose).not.toMatch(/@(?!\u200b)\w/);
      expect(prose).not.toMatch(/#\d|GH-\d/);
      expect(prose).not.toMatch(/https?:\/\/|www\./);
      const links = [...text.matchAll(/\]\(([^)]*)\)/g)].map(m => m[1]!);
      expect(links).toEqual(
        name === 'comment.md' ? [expect.stringMatching(/^https:\/\/x\.example\/run%29%0A%0A%5Bpwned/)] : []
      );
    });
  }
);

/**
 * Every user-controlled string (SPEC §7) — profile and request names, the config path, an invalid
 * trial's reason, notes, threshold expressions, stage names, error messages — renders inertly in
 * summary.md, comment.md and report.html.
 */
import { codeSpan, escapeMarkdown } from '../../../src/report/format.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import type { Results } from '../../../src/model.js';
import { outsideCodeSpans } from '../../helpers/markdown-text.js';
import { HOSTILE, PAYLOADS, richResults } from '../../helpers/report-results.js';

function hostileResults(): Results {
  const r = richResults({ trials: 4, seconds: 3 });
  const p = r.profiles[0]!;
  p.error = `service stopped: ${HOSTILE}`;
  p.shape = 'ramp';
  for (const t of [...p.head.trials, ...p.base!.trials]) {
    t.stages = [0, 1].map(i => ({
      name: `${HOSTILE} ${i}`,
      from: 1,
      to: 4,
      measured: true,
      startMs: i * 1000,
      durationMs: 1000,
      metrics: t.metrics
    }));
  }
  p.mix = [{ name: HOSTILE, method: 'POST', path: `/items?q=${HOSTILE}`, weight: 1 }];
  r.serviceLogs = [
    { side: 'head', file: 'service-head.log', tail: ['listening', `log: ${HOSTILE}`, '````', 'end'] }
  ];
  r.error = { kind: 'service', message: `crashed: ${HOSTILE}` };
  r.git.ref = `refs/heads/${HOSTILE}`;
  const tagged = `http_req_duration{request:${HOSTILE}}.p(99)`;
  r.comparisons.push({ ...r.comparisons[0]!, metric: tagged, verdict: 'regressed' });
  r.changePoints = [
    {
      profile: HOSTILE,
      metric: tagged,
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
  return r;
}

const results = hostileResults();
const model = buildReportModel(results);
const renderings = {
  'summary.md': renderSummary(results),
  'comment.md': renderComment(model, { run: 'https://github.com/o/r/actions/runs/1', artifact: HOSTILE }),
  'report.html': renderHtml(model)
};

/** The cells of a markdown table row (GFM splits on pipes not escaped by a backslash). */
function cells(row: string): number {
  return row.split(/(?<!\\)\|/).length;
}

describe.each(['summary.md', 'comment.md'] as const)('%s with hostile strings', name => {
  const md = renderings[name];
  const text = outsideCodeSpans(md);

  it('holds no raw HTML from the payloads outside code spans (inside, it is literal text)', () => {
    expect(text).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(text).toContain(escapeMarkdown(HOSTILE));
    expect(md).toContain(codeSpan(`p(95)<1 ${HOSTILE}`));
  });

  it('cannot mention anyone', () => {
    expect(text).not.toMatch(/@(?!\u200b)team/);
    expect(text).toContain('@\u200bteam');
  });

  it('leaves no backtick that could open or close a code span', () => {
    expect(text).not.toMatch(/(?<!\\)`/);
    // The compare key with the hostile request name is one code span, fenced by two backticks.
    expect(md).toContain(codeSpan(`http_req_duration{request:${HOSTILE}}.p(99)`));
    expect(codeSpan(`a ${PAYLOADS[3]} b`)).toBe('``a `x` b``');
  });

  it("keeps every table row to its header's cells (pipes in names are escaped)", () => {
    const lines = md.split('\n');
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
      tables++;
      const header = cells(lines[i]!);
      for (let j = i; j < lines.length && lines[j]!.startsWith('|'); j++) {
        expect({ row: lines[j], cells: cells(lines[j]!) }).toEqual({ row: lines[j], cells: header });
      }
    }
    expect(tables).toBeGreaterThanOrEqual(4);
    expect(md).toContain('a\\|b');
  });
});

describe('report.html with hostile strings', () => {
  const html = renderings['report.html'];
  const TAGS = new Set(
    (
      'html head meta title style body main header footer section div p h1 h2 h3 ul li strong code br a ' +
      'details summary pre ' +
      'table thead tbody tr th td svg g rect line path circle text'
    ).split(' ')
  );

  it('contains no script, image or frame at all', () => {
    expect(html).not.toMatch(/<script|<img|<iframe|<object|<embed|<link|javascript:/i);
  });

  it('consists of well-formed known tags whose attributes hold no handler and load nothing', () => {
    const body = html.replace(/^<!doctype html>\n/i, '');
    const chunks = body.split('<').slice(1);
    expect(chunks.length).toBeGreaterThan(100);
    const attributes: Array<[string, string]> = [];
    for (const chunk of chunks) {
      const tag = /^\/?([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*(?:="[^"<>]*")?)*)\s*\/?>/.exec(
        chunk
      );
      expect({ chunk: chunk.slice(0, 80), wellFormed: Boolean(tag) }).toEqual({
        chunk: chunk.slice(0, 80),
        wellFormed: true
      });
      expect(TAGS).toContain(tag![1]!.toLowerCase());
      for (const [, n, v] of tag![2]!.matchAll(/\s([a-zA-Z][a-zA-Z0-9:-]*)(?:="([^"]*)")?/g)) {
        attributes.push([n!.toLowerCase(), v ?? '']);
      }
    }
    expect(attributes.filter(([n]) => n.startsWith('on') || n === 'src' || n === 'style')).toEqual([]);
    expect(attributes.filter(([n, v]) => n === 'href' && !/^#profile-\d+$/.test(v))).toEqual([]);
  });

  it('shows each payload as text', () => {
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;|&apos;/g, "'")
        .replace(/&#x60;/g, '`')
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
    const h2 = /<section class="profile" id="profile-0">\n<h2>([^<]*)<\/h2>/.exec(html);
    expect(decode(h2![1]!)).toBe(HOSTILE);
    const titles = [...html.matchAll(/<title>([^<]*)<\/title>/g)].map(m => decode(m[1]!));
    expect(titles).toContain(`Requests per second — ${HOSTILE}`);
    for (const text of [
      `log: ${HOSTILE}`,
      `POST /items?q=${HOSTILE}`,
      `note: ${HOSTILE}`,
      `generator saturated: ${HOSTILE}`,
      `p(95)<1 ${HOSTILE}`,
      `crashed: ${HOSTILE}`,
      `service stopped: ${HOSTILE}`,
      `configs/${HOSTILE}.yml`
    ]) {
      expect(decode(html)).toContain(text);
    }
  });

  it('forbids scripts and network access in its Content-Security-Policy', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`
    );
  });
});

describe('request paths and service log lines in markdown', () => {
  it.each(['summary.md', 'comment.md'] as const)(
    '%s: the path is one code span, the log one fenced block',
    name => {
      const md = renderings[name];
      expect(md).toContain(codeSpan(`POST /items?q=${HOSTILE}`));
      // The log's own ```` cannot close the block: the fence is longer than any backtick run inside.
      // In code, every tag opener is broken by a zero-width space (no <details> for the folding).
      const log = HOSTILE.replace(/<(?=[/a-z])/gi, '<\u200b');
      expect(md).toContain(`\`\`\`\`\`\nlistening\nlog: ${log}\n\`\`\`\`\nend\n\`\`\`\`\``);
      expect(outsideCodeSpans(md)).not.toContain('listening');
    }
  );
});

import {
  COMMENT_LIMIT,
  FOLD_NOTE,
  commentMarker,
  detailsBlocks,
  fitComment,
  truncationNote
} from '../../../src/github/comment-body.js';
import { renderComment } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import { sampleResults } from '../../helpers/results.js';

const RUN = 'https://github.com/acme/shop/actions/runs/4242';
const MARKER = commentMarker('cfg1');

/** A `<details>` section whose content is `size` characters of `fill`. */
function details(title: string, size: number, fill = 'x'): string {
  return `<details><summary>${title}</summary>\n\n${fill.repeat(size)}\n\n</details>`;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('commentMarker', () => {
  it.each([
    ['3f2a9c', '<!-- perfgate:comment config=3f2a9c -->'],
    ['perf/perfgate.yml', '<!-- perfgate:comment config=perf/perfgate.yml -->'],
    ['a b-->c', '<!-- perfgate:comment config=a_b--_c -->'],
    ['', '<!-- perfgate:comment config=_ -->']
  ])('%j → %s', (id, marker) => expect(commentMarker(id)).toBe(marker));

  it('does not match the marker of a config whose id extends this one', () => {
    expect(`${commentMarker('abcd')}\nreport`.includes(commentMarker('abc'))).toBe(false);
    expect(`${commentMarker('abc')}\nreport`.includes(commentMarker('abc'))).toBe(true);
  });
});

describe('fitComment at GitHub’s limit (65 536 UTF-16 code units)', () => {
  const room = COMMENT_LIMIT - MARKER.length - 1;

  it('puts the marker on the first line', () => {
    expect(fitComment(MARKER, 'hello', RUN)).toEqual({
      body: `${MARKER}\nhello`,
      folded: 0,
      truncated: false
    });
  });

  it('keeps a body that makes exactly 65 536 characters', () => {
    const fitted = fitComment(MARKER, 'a'.repeat(room), RUN);
    expect(fitted.body.length).toBe(COMMENT_LIMIT);
    expect(fitted).toMatchObject({ folded: 0, truncated: false });
  });

  it('truncates a body one character over, to at most 65 536, with the run link', () => {
    const fitted = fitComment(MARKER, 'a'.repeat(room + 1), RUN);
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fitted.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(fitted.body.endsWith(truncationNote(RUN))).toBe(true);
    expect(truncationNote(RUN)).toContain(`(${RUN})`);
    expect(truncationNote(RUN)).toContain('65 536');
  });

  it('folds rather than truncates when a <details> section is one character too many', () => {
    const head = '## perfgate\n\n';
    const filler = room - head.length - details('all', 0).length;
    const body = head + details('all', filler + 1);
    expect(MARKER.length + 1 + body.length).toBe(COMMENT_LIMIT + 1);
    const fitted = fitComment(MARKER, body, RUN);
    expect(fitted).toMatchObject({ folded: 1, truncated: false });
    expect(fitted.body).toContain(`<details><summary>all</summary>\n\n${FOLD_NOTE}\n\n</details>`);
  });

  it('counts an emoji as two and never leaves half of one', () => {
    const fitted = fitComment(MARKER, '😀'.repeat(room), RUN);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(loneSurrogate.test(fitted.body)).toBe(false);
  });

  it('fits a 2 MB report', () => {
    const report = Array.from({ length: 40 }, (_, i) => details(`profile ${i}`, 50_000, 'row\n')).join('\n');
    const fitted = fitComment(MARKER, report, RUN);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fitted.folded).toBeGreaterThan(0);
  });
});

describe('folding <details> sections', () => {
  const limit = 400;
  const fit = (body: string) => fitComment(MARKER, body, RUN, limit);

  it('folds the longest section first and stops as soon as it fits', () => {
    const body = ['# Report', details('small', 50), details('big', 300), details('mid', 100)].join('\n');
    const fitted = fit(body);
    expect(fitted).toMatchObject({ folded: 1, truncated: false });
    expect(fitted.body).toContain(`<summary>big</summary>\n\n${FOLD_NOTE}`);
    expect(fitted.body).toContain('x'.repeat(100));
    expect(fitted.body).toContain('x'.repeat(50));
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
  });

  it('folds several sections when one is not enough', () => {
    const body = ['# Report', details('a', 200), details('b', 200), details('c', 30)].join('\n');
    const fitted = fit(body);
    expect(fitted).toMatchObject({ folded: 2, truncated: false });
    expect(fitted.body).toContain('x'.repeat(30));
  });

  it('keeps everything outside the sections', () => {
    const body = `# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n${details('big', 500)}\n\nfooter`;
    const fitted = fit(body);
    expect(fitted.body).toContain('| 1 | 2 |');
    expect(fitted.body.endsWith('</details>\n\nfooter')).toBe(true);
  });

  it('folds an outer section with its nested ones in one step', () => {
    const body = `<details><summary>outer</summary>\n\n${details('inner', 300)}\n${'y'.repeat(100)}\n</details>`;
    const fitted = fit(body);
    expect(fitted).toMatchObject({ folded: 1, truncated: false });
    expect(fitted.body).not.toContain('inner');
    expect(fitted.body).toContain('<summary>outer</summary>');
  });

  it('folds a section without <summary> whole, and ignores an unmatched closing tag', () => {
    const body = `</details>\n<details open>\n${'z'.repeat(500)}\n</details>`;
    const fitted = fit(body);
    expect(fitted).toMatchObject({ folded: 1, truncated: false });
    expect(fitted.body).toBe(`${MARKER}\n</details>\n<details open>\n\n${FOLD_NOTE}\n\n</details>`);
  });

  it('finds nested blocks and skips a leading summary', () => {
    const text = '<details><summary>s</summary>A<details>B</details></details>';
    const blocks = detailsBlocks(text).map(b => text.slice(b.contentStart, b.contentEnd));
    expect(blocks).toEqual(['B', 'A<details>B</details>']);
  });
});

describe('truncating what folding cannot save', () => {
  const limit = 500;
  const fit = (body: string, runUrl = RUN) => fitComment(MARKER, body, runUrl, limit);
  const lines = (n: number, prefix = 'line') =>
    Array.from({ length: n }, (_, i) => `${prefix} ${i}`).join('\n');

  it.each([
    ['plain lines', lines(200)],
    ['a table', `| a | b |\n|---|---|\n${lines(200, '| 1 | 2 |')}`],
    ['one long line', 'w'.repeat(5000)],
    ['folded sections and more text', `${details('a', 300)}\n${lines(200)}`]
  ])('%s: at most the limit, ends with the note', (_, body) => {
    const fitted = fit(body);
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
    expect(fitted.body.endsWith(truncationNote(RUN, limit))).toBe(true);
  });

  it('cuts at a line end', () => {
    const fitted = fit(lines(200));
    const kept = fitted.body.slice(MARKER.length + 1, -truncationNote(RUN, limit).length);
    expect(lines(200).startsWith(kept)).toBe(true);
    expect(lines(200)[kept.length]).toBe('\n');
  });

  it('closes a code fence left open, so the note is not inside it', () => {
    const fitted = fit(`intro\n\`\`\`\n${lines(200)}\n\`\`\``);
    const kept = fitted.body.slice(0, -truncationNote(RUN, limit).length);
    expect(kept.match(/^```/gm)?.length).toBe(2);
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
  });

  it('closes a <details> left open (one whose content is too short to fold)', () => {
    const body = `<details><summary>${'t'.repeat(600)}</summary>tiny</details>`;
    const fitted = fit(body);
    expect(fitted.truncated).toBe(true);
    const kept = fitted.body.slice(0, -truncationNote(RUN, limit).length);
    expect(kept.endsWith('</details>')).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
  });

  it('says where the report is when there is no run link', () => {
    const fitted = fit(lines(200), '');
    expect(fitted.body).toContain("the full report is in the run's artifact");
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
  });
});

describe('folding a comment whose service log holds a </details> line', () => {
  it('keeps the log inside its code block: no mention, link, image or HTML of the log goes live', () => {
    const attack =
      '## ✅ perfgate: pass — @octocat please merge [sign in](https://evil.example/login) ' +
      '![t](https://evil.example/p.png) <b>bold</b>';
    const results = sampleResults();
    const tail = [...Array.from({ length: 3000 }, (_, i) => `line ${i} of a long log`), '</details>', attack];
    results.serviceLogs = [{ side: 'head', file: 'service-head.log', tail }];
    const body = renderComment(buildReportModel(results), { run: RUN, artifact: 'perfgate-report' });
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT);
    const fitted = fitComment(MARKER, body, RUN);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const live = outsideCode(fitted.body);
    for (const needle of ['@octocat', 'evil.example', '<b>', '[sign in]', '![t]']) {
      expect(live).not.toContain(needle);
    }
  });
});

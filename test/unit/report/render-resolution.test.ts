/**
 * What a run could resolve, in every rendering: each comparison's resolution (the smallest change it
 * could have called) in a column before the verdict; each gated inconclusive comparison listed once
 * with its interval and what would settle it — folded under the verdict in the comment, a list in the
 * job summary and report.html, not a warning banner.
 */
import type { Comparison, Results } from '../../../src/model.js';
import { COMMENT_LIMIT } from '../../../src/github/comment-body.js';
import { resolutionText, settleText } from '../../../src/report/comparison-view.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { buildReportModel, LEAD_REGRESSIONS } from '../../../src/report/report-model.js';
import { sampleResults } from '../../helpers/results.js';

function comparison(metric: string, over: Partial<Comparison>): Comparison {
  return {
    profile: 'hello',
    metric,
    better: 'lower',
    unit: 'ms',
    delta: 0.1,
    gated: true,
    alpha: 0.05,
    samples: 10,
    test: 'wilcoxon-signed-rank',
    method: 'exact',
    values: { base: 5, head: 5.1 },
    estimate: 0.02,
    interval: [-0.01, 0.05],
    pValue: 0.3,
    adjustedPValue: 0.6,
    verdict: 'unchanged',
    resolution: 0.1,
    ...over
  };
}

const P99 = comparison('http_req_duration.p(99)', {
  estimate: 0.12,
  interval: [-0.05, 0.31],
  resolution: 0.214,
  verdict: 'inconclusive',
  reason: 'the 95 % interval still reaches ±10 %',
  moreTrials: 14
});
const MED = comparison('http_req_duration.med', { delta: 0.05, resolution: 0.05 });
const RATE = comparison('http_reqs.rate', {
  better: 'higher',
  unit: 'req/s',
  delta: 0.05,
  resolution: 0.021 // hand-set: a spread wider than δ (cannot be below δ in a real run)
});

function results(comparisons: Comparison[] = [MED, P99, RATE]): Results {
  const r = sampleResults({ verdict: 'inconclusive' });
  r.thresholds = r.thresholds.filter(t => t.ok);
  r.comparisons = comparisons;
  return r;
}

const LINE =
  'changed by −5.0 % … +31 % — more trials would settle it (about 14 more per side; the 95 % interval still reaches ±10 %)';

describe('resolutionText', () => {
  it.each([
    ['the test sets it', { resolution: 0.0213, delta: 0.01 }, '±2.1 %'],
    ['above 10 %: whole per cents', { resolution: 0.214, delta: 0.1 }, '±21 %'],
    ['δ sets it', { resolution: 0.05, delta: 0.05 }, '±5.0 % (δ)'],
    [
      "the stored runs' spread sets it",
      { resolution: 0.167, delta: 0.05, history: { runs: 6, limit: 0.167 } },
      '±17 % (runs)'
    ],
    ['none: single values, or too few samples', { delta: 0.05 }, '–']
  ])('%s', (_, c, text) => {
    expect(resolutionText(c)).toBe(text);
  });
});

describe('settleText', () => {
  it('says where the change may lie and how much more would settle it', () => {
    expect(settleText(P99)).toBe(LINE);
  });

  it('gives the reason alone when more samples are not what it takes', () => {
    const c = { ...P99, moreTrials: undefined, reason: 'a paired run (service.base) would settle it' };
    expect(settleText(c)).toBe('changed by −5.0 % … +31 % — a paired run (service.base) would settle it');
  });

  it('without an interval: not settled, and why', () => {
    const c = comparison('x', {
      estimate: NaN,
      interval: [NaN, NaN],
      verdict: 'inconclusive',
      reason: 'no valid samples of both sides measured this metric'
    });
    expect(settleText(c)).toBe('not settled: no valid samples of both sides measured this metric');
  });

  it('an unbounded interval (too few pairs) is said so', () => {
    const c = {
      ...P99,
      interval: [-1, Infinity] as [number, number],
      reason: 'needs at least 5 valid pairs'
    };
    expect(settleText(c)).toMatch(/^changed by about \+12 % \(its interval is unbounded\) — more trials/);
  });
});

describe('the comparison tables show the resolution before the verdict', () => {
  it('summary.md', () => {
    const md = renderSummary(results());
    expect(md).toContain(
      '| Profile | Metric | Base | Head | Change | Interval | δ | Resolves | p (adj.) | Verdict |'
    );
    expect(md).toContain(
      '| hello | `http_req_duration.med` | 5.00 ms | 5.10 ms | +2.0 % | −1.0 % … +5.0 % | ±5 % | ±5.0 % (δ) | 0.60 | ✅ unchanged |'
    );
    expect(md).toContain('| ±10 % | ±21 % | 0.60 | ⚠️ inconclusive |');
    expect(md).toContain('| ±5 % | ±2.1 % | 0.60 | ✅ unchanged |');
  });

  it('report.html', () => {
    const page = renderHtml(buildReportModel(results()));
    expect(page).toMatch(
      /<th class="n">δ<\/th><th class="n"[^>]*>Resolves<\/th><th class="n">p \(adj\.\)<\/th><th>Verdict<\/th>/
    );
    expect(page).toContain(
      '<td class="n">±10 %</td><td class="n">±21 %</td><td class="n">0.60</td><td>⚠️ inconclusive</td>'
    );
  });

  it('the terminal, after the interval and before the p-value', () => {
    const text = renderTerminal(results(), { results: 'r.json', summary: 's.md' });
    expect(text).toContain(
      'INCONCLUSIVE hello  http_req_duration.p(99)  +12 % (−5.0 % … +31 %), resolves ±21 %, p 0.60'
    );
    expect(text).toContain(
      'UNCHANGED    hello  http_reqs.rate  +2.0 % (−1.0 % … +5.0 %), resolves ±2.1 %, p 0.60'
    );
  });
});

describe('an inconclusive comparison is said once, under the verdict', () => {
  it('in the comment: a <details> block under the headline, not a banner', () => {
    const md = renderComment(buildReportModel(results(), { distributions: false }));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ⚠️ perfgate: inconclusive');
    const open = lines.indexOf(
      '<details><summary>1 gated comparison inconclusive: not a failure, but more trials would settle it</summary>'
    );
    expect(open).toBe(2);
    expect(lines[open + 2]).toBe(`- **hello** \`http_req_duration.p(99)\` ${LINE}`);
    expect(lines[open + 4]).toBe('</details>');
    expect(md.split(LINE)).toHaveLength(2); // once
    expect(md).not.toMatch(/^⚠️ \d+ gated comparison/m);
  });

  it('in the job summary: one list after the lead, and the table marks the verdict only', () => {
    const md = renderSummary(results());
    expect(md).toContain('**Inconclusive** — not a failure, but more trials would settle it\n\n');
    expect(md).toContain(`- ⚠️ **hello** \`http_req_duration.p(99)\` ${LINE}\n`);
    expect(md.split(LINE)).toHaveLength(2);
    expect(md.indexOf('**Inconclusive**')).toBeLessThan(md.indexOf('### Base vs head'));
  });

  it('in report.html: a plain list, not the warning callout', () => {
    const page = renderHtml(buildReportModel(results()));
    expect(page).toContain('<div class="callout unsettled">');
    expect(page).not.toContain('callout warn');
    expect(page).toContain(`<li><strong>hello</strong> <code>http_req_duration.p(99)</code> ${LINE}</li>`);
  });

  it('nothing of it when every comparison settled', () => {
    const r = results([MED, RATE]);
    r.verdict = 'pass';
    for (const md of [renderSummary(r), renderComment(buildReportModel(r))]) {
      expect(md).not.toContain('inconclusive');
      expect(md).not.toContain('**Inconclusive**');
    }
  });

  it(`the comment lists at most ${LEAD_REGRESSIONS}, summary.md all of a few hundred, within the size limit`, () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      comparison(`http_req_duration.p(99)#${i}`, { ...P99, metric: `http_req_duration{request:r${i}}.p(99)` })
    );
    const r = results(many);
    const comment = renderComment(buildReportModel(r, { distributions: false }));
    const listed = comment.split('\n').filter(l => l.startsWith('- **hello**'));
    expect(listed).toHaveLength(LEAD_REGRESSIONS);
    expect(comment).toContain(`- … and ${250 - LEAD_REGRESSIONS} more (below and in the full report)`);
    expect(comment.length).toBeLessThan(COMMENT_LIMIT);
    const summary = renderSummary(r);
    expect(summary.split('\n').filter(l => l.startsWith('- ⚠️ **hello**'))).toHaveLength(250);
  });

  it('an informational comparison is not listed; its table row says why', () => {
    const info = { ...P99, gated: false };
    const md = renderSummary(results([MED, info]));
    expect(md).not.toContain('**Inconclusive**');
    expect(md).toContain('(info) | ');
    expect(md).toContain(
      '⚠️ inconclusive (the 95 % interval still reaches ±10 %; \\~14 more trials per side) |'
    );
  });
});

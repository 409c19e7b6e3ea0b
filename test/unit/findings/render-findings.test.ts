/**
 * The findings section of every rendering: summary.md lists all with their numbers, comment.md
 * only the warnings (one line each), report.html all with a table of numbers, the terminal all —
 * each escaping the strings of the results for its format, as the other sections do.
 */
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import type { Finding, Results } from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';

const NAME = 'api <b>x</b> *bold* [link](http://evil)';

function withFindings(): Results {
  const r = sampleResults({}, { profile: NAME, request: 'hello' });
  const warn: Finding = {
    kind: 'memory-growth',
    profile: NAME,
    side: 'head',
    severity: 'warn',
    title: 'RSS grew 42.0 MB/min: leak suspected',
    numbers: { slopeMbPerMin: 42, slopeLowMbPerMin: 40.5, note: '<script>alert(1)</script>' },
    message: 'the service’s RSS grew 42.00 MB/min <img src=x>'
  };
  const info: Finding = {
    kind: 'saturation-knee',
    profile: NAME,
    side: 'head',
    severity: 'info',
    title: 'saturation knee at 8 connections',
    numbers: { levelBefore: 8, levelAt: 16 },
    message: 'throughput stopped rising past 8 connections'
  };
  r.findings = [warn, info];
  return r;
}

describe('the findings section', () => {
  const r = withFindings();

  it('summary.md: every finding with its numbers, escaped', () => {
    const md = renderSummary(r);
    expect(md).toContain('### Findings');
    expect(md).toContain('⚠️ **');
    expect(md).toContain('RSS grew 42.0 MB/min: leak suspected');
    expect(md).toContain('saturation knee at 8 connections');
    expect(md).toContain('slopeMbPerMin 42 · slopeLowMbPerMin 40.5');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<b>x</b>');
  });

  it('comment.md: the warnings only, one line each', () => {
    const md = renderComment(buildReportModel(r, { distributions: false }));
    expect(md).toContain('**Findings**');
    expect(md).toContain('RSS grew 42.0 MB/min: leak suspected');
    expect(md).not.toContain('saturation knee');
    expect(md).not.toContain('slopeMbPerMin');
    expect(md).not.toContain('<b>x</b>');
  });

  it('comment.md and summary.md: no section without findings', () => {
    const none = { ...r, findings: [] };
    expect(renderSummary(none)).not.toContain('Findings');
    expect(renderComment(buildReportModel(none, { distributions: false }))).not.toContain('Findings');
    expect(renderComment(buildReportModel({ ...r, findings: [r.findings![1]!] }))).not.toContain('Findings');
  });

  it('report.html: every finding and the table of its numbers, HTML-escaped', () => {
    const html = renderHtml(buildReportModel(r));
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('<code>slopeMbPerMin</code></td><td class="n">42</td>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>x</b>');
  });

  it('the terminal: every finding on a line of its own', () => {
    const text = renderTerminal(r, { results: 'r.json', summary: 's.md' });
    expect(text).toContain('findings:');
    expect(text).toMatch(/^ {2}WARN api <b>x<\/b> .*RSS grew 42\.0 MB\/min: leak suspected: /m);
    expect(text).toMatch(/^ {2}info .*saturation knee at 8 connections/m);
  });
});

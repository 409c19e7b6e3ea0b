import { renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { sampleResults } from '../../helpers/results.js';

describe('renderSummary', () => {
  it('leads with the verdict and the broken thresholds, then the profile table', () => {
    const md = renderSummary(sampleResults());
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ perfgate: gate failed (1 threshold broken)');
    expect(md.indexOf('Broken thresholds')).toBeLessThan(md.indexOf('| Profile |'));
    expect(md).toContain('- ❌ **hello** `http_req_duration`: `p(95)<1` — observed 2.20 ms');
    expect(md).toContain('| hello | 2/2 | 500 | 1.10 ms | 1.90 ms | 4.50 ms | 12.00 ms | 4 (0.20 %) |');
    expect(md).toContain('| ✅ | hello | `http_reqs` | `count>0` | 2,000 |');
  });

  it('says pass when nothing is broken', () => {
    const r = sampleResults({ verdict: 'pass' });
    r.thresholds = r.thresholds.filter(t => t.ok);
    const md = renderSummary(r);
    expect(md.split('\n')[0]).toBe('## ✅ perfgate: pass');
    expect(md).not.toContain('Broken thresholds');
  });

  it('shows a failed run with its error and keeps the measured trials', () => {
    const md = renderSummary(
      sampleResults({
        status: 'failed',
        verdict: undefined,
        error: { kind: 'service', message: 'service (head) crashed' }
      })
    );
    expect(md.split('\n')[0]).toBe('## 💥 perfgate: run failed');
    expect(md).toContain('**The run failed (service):** service (head) crashed');
    expect(md).toContain('| 1 | 500 |');
  });

  it('shows the looks of trials: auto and the limit set by stored runs', () => {
    const r = sampleResults({ verdict: 'inconclusive' });
    r.profiles[0]!.auto = {
      min: 10,
      batch: 5,
      max: 30,
      budgetMs: 600_000,
      looks: [
        { trials: 10, alpha: 0.0226, open: ['http_req_duration.med'] },
        { trials: 15, alpha: 0.0084, open: [] }
      ],
      stopped: 'conclusive'
    };
    r.comparisons = [
      {
        profile: 'hello',
        metric: 'http_req_duration.med',
        better: 'lower',
        delta: 0.05,
        gated: true,
        alpha: 0.0084,
        samples: 15,
        test: 'mann-whitney-u',
        method: 'exact',
        values: { base: 1, head: 1.08 },
        estimate: 0.08,
        interval: [0.05, 0.11],
        pValue: 0.0001,
        adjustedPValue: 0.0003,
        verdict: 'inconclusive',
        history: { runs: 6, limit: 0.167 },
        reason: 'the change (+8.0 %) is within the run-to-run spread of the stored runs (±16.7 % over 6 runs)'
      }
    ];
    const md = renderSummary(r);
    expect(md).toContain(
      'trials: auto — 2 looks, stopped: every gated comparison is conclusive at 15 trials (alpha per look 0.023, 0.0084; min 10, batch 5, max 30)'
    );
    expect(md).toContain('| ±5 % (runs ±16.7 %, 6 runs) |');
    // Listed once, in the lead: the interval, then why it is not settled.
    expect(md).toContain(
      '- ⚠️ **hello** `http_req_duration.med` changed by +5.0 % … +11 % — the change (+8.0 %) is within the run-to-run spread'
    );
    expect(md).toContain('| < 0.001 | ⚠️ inconclusive |');
  });

  it('draws a trend as a mermaid chart that hostile names cannot break out of, with a table fallback', () => {
    const r = sampleResults();
    r.trends = [
      {
        profile: 'a"b`c\n```\n<script>',
        metric: 'http_req_duration.med',
        points: [
          { createdAt: '2026-11-01T00:00:00.000Z', value: 1.5 },
          { createdAt: '2026-11-02T00:00:00.000Z', value: 1.25 },
          { createdAt: '2026-11-23T00:00:00.000Z', value: 2, current: true }
        ]
      }
    ];
    const md = renderSummary(r);
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1]!;
    expect(block.split('\n')).toEqual([
      'xychart-beta',
      '  title "a_b_c______script_ http_req_duration.med"',
      '  x-axis ["2026-11-01", "2026-11-02", "this run"]',
      '  y-axis "ms"',
      '  line [1.5, 1.25, 2]'
    ]);
    expect(md).toContain('| this run | 2.000 ms |');
    expect(md).not.toContain('<script>');
    // The HTML report draws it too, with the same table.
    const html = renderHtml(buildReportModel(r));
    expect(html).toMatch(/<svg[^>]*data-chart="trend"/);
    expect(html).toContain('<tr><td>this run</td><td class="n">2.000</td></tr>');
    expect(html).not.toContain('<script>');
  });

  it('lists the change points of a baseline run in the summary and the HTML report', () => {
    const r = sampleResults();
    r.changePoints = [
      {
        profile: 'hello',
        metric: 'http_req_duration.med',
        index: 16,
        createdAt: '2026-11-17T03:00:00.000Z',
        before: 10,
        after: 11.5,
        change: 0.15,
        pValue: 2e-6,
        current: 11.6,
        points: 20,
        worse: true
      },
      {
        profile: 'hello',
        metric: 'http_reqs.rate',
        index: 18,
        createdAt: '2026-11-19T03:00:00.000Z',
        before: 900,
        after: 1000,
        change: 0.111,
        pValue: 1e-4,
        current: 1001,
        points: 20,
        worse: false
      }
    ];
    const md = renderSummary(r);
    expect(md).toContain('### Change points in the history');
    expect(md).toContain(
      '| hello | `http_req_duration.med` | run 17 of 20 (2026-11-17) | 10.00 ms | 11.50 ms | 11.60 ms | +15 % | < 0.001 | ⚠️ worse |'
    );
    const html = renderHtml(buildReportModel(r));
    expect(html).toContain('<h2>Change points in the history</h2>');
    const rows = [
      ...html.matchAll(
        /<tr( class="bad")?><td>(⚠️ worse|better)<\/td><td class="name">hello<\/td><td><code>([^<]+)<\/code><\/td><td>([^<]+)<\/td>/g
      )
    ];
    expect(rows.map(m => [m[1] ?? '', m[2], m[3], m[4]])).toEqual([
      [' class="bad"', '⚠️ worse', 'http_req_duration.med', 'run 17 of 20 (2026-11-17)'],
      ['', 'better', 'http_reqs.rate', 'run 19 of 20 (2026-11-19)']
    ]);
  });

  it('renders hostile profile and request names inertly', () => {
    const profile = '<script>alert(1)</script>|`x`@team';
    const request = '"><img src=x onerror=alert(1)>';
    const md = renderSummary(sampleResults({}, { profile, request }));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('@team');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\`@\u200bteam');
    expect(md).toContain('| "&gt;&lt;img src=x onerror=alert(1)&gt; |');
  });
});

/** Benchmarks in every rendering: summary.md, comment.md, report.html and the terminal summary. */
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { richResults } from '../../helpers/report-results.js';
import { benchComparison, benchmarkOnlyResults, pairedBenchmark } from './benchmark-fixture.js';

const WALL_ROW = '| wall time | 102 ms | 112 ms | +9.8 % | +7.0 % … +13 % | ±5.0 % (δ) | ❌ regressed |';

describe('summary.md of a run of benchmarks only', () => {
  const md = renderSummary(benchmarkOnlyResults());

  it('leads with where the regression is, and shows no empty profile table', () => {
    expect(md.split('\n')[0]).toBe(
      '## ❌ perfgate: gate failed (1 threshold broken, 1 regression in benchmark build)'
    );
    expect(md).not.toContain('| Profile | Valid trials');
    expect(md).not.toContain('Trials and requests');
  });

  it('has a section for the benchmark: its commands, runs, medians, change with interval, verdict', () => {
    const section = md.slice(md.indexOf('#### Benchmark build'));
    expect(section).toContain(
      '`npm run build` vs base `npm run build --base` — 5/5 pairs counted: 5 pairs, base and head interleaved'
    );
    expect(section).toContain(WALL_ROW);
    expect(section).toContain('| user CPU | 81.60 ms | 89.60 ms | – | – | – | – |\n');
    expect(section).toContain(
      '| peak RSS | 53.0 MB | 63.0 MB | +20 % | +19 % … +21 % | ±5.0 % (δ) | (info) ✅ unchanged |'
    );
  });

  it('charts the wall time of the counted pairs, head then base, as a mermaid xychart', () => {
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(md.slice(md.indexOf('#### Benchmark build')))?.[1];
    expect(block?.split('\n').slice(1)).toEqual([
      'xychart-beta',
      '  title "build: wall time per pair, head (blue) and base (orange)"',
      '  x-axis "pair" [2, 3, 4, 5, 6]',
      '  y-axis "ms"',
      '  line [112, 110, 114, 111, 113]',
      '  line [101, 100, 104, 102, 103]'
    ]);
  });

  it('folds every run and the full statistics of each side into a details block', () => {
    const runs = md.slice(md.indexOf('<details><summary>Benchmark runs</summary>'));
    expect(runs).toContain('| wall time | head | 112 ms | 112 ms | 110 ms | 114 ms |');
    expect(runs).toContain('| wall time | base | 102 ms | 102 ms | 100 ms | 104 ms |');
    expect(runs).toContain('| 1 base | 999 ms |');
    expect(runs).toMatch(/\| 1 head \| 998 ms \|[^\n]*\| no: discarded \(first pair\) \|/);
    expect(runs).toMatch(/\| 6 head \| 113 ms \|[^\n]*\| yes \|/);
  });
});

describe('comment.md of a run of benchmarks only', () => {
  const md = renderComment(buildReportModel(benchmarkOnlyResults(), { distributions: false }));

  it('holds the compact section in the folded results, without the runs', () => {
    const results = md.slice(md.indexOf('<details><summary>Results</summary>'), md.indexOf('</details>'));
    expect(results).toContain('#### Benchmark build');
    expect(results).toContain(WALL_ROW);
    expect(md).not.toContain('Benchmark runs');
    expect(md).not.toContain('| Profile | Valid trials');
    expect(md).not.toContain('Trials and requests');
  });

  it('says runs, not trials, would settle an inconclusive benchmark', () => {
    const r = benchmarkOnlyResults();
    r.thresholds = [];
    r.comparisons = [benchComparison('build', 'wall_time.med', 'inconclusive', 0.01, [-0.1, 0.1])];
    const text = renderComment(buildReportModel({ ...r, verdict: 'inconclusive' }));
    expect(text).toContain('not a failure, but more runs would settle it');
  });

  it('shows a benchmark that stopped early', () => {
    const r = benchmarkOnlyResults();
    r.benchmarks![0]!.error = 'the command exited with 2';
    expect(renderComment(buildReportModel(r))).toContain('> Stopped early: the command exited with 2');
  });
});

describe('a benchmark that stopped before its first run', () => {
  it('says why, with no empty table and no chart of nothing', () => {
    const r = benchmarkOnlyResults();
    r.benchmarks![0]!.runs = [];
    r.benchmarks![0]!.error = 'setup failed';
    r.comparisons = [];
    const md = renderSummary(r);
    expect(md).toContain('— 0/5 pairs counted');
    expect(md).toContain('> Stopped early: setup failed');
    expect(md).not.toContain('| Metric | Base (median)');
    expect(md).not.toContain('| Metric | Side |');
    expect(md).not.toContain('| Pair |');
    expect(md).not.toContain('```mermaid');
    expect(renderHtml(buildReportModel(r))).toContain('>no runs</text>');
  });
});

describe('report.html with a benchmark beside a profile', () => {
  const r = richResults({ hostile: false, trials: 3, seconds: 2 });
  const b = benchmarkOnlyResults();
  r.benchmarks = b.benchmarks;
  r.comparisons.push(...b.comparisons);
  r.thresholds.push(...b.thresholds);
  const html = renderHtml(buildReportModel(r));
  const section = html.slice(html.indexOf('<section class="benchmark" id="benchmark-0">'));

  it('keeps the profiles and adds an overview of the benchmarks linked to their sections', () => {
    expect(html).toContain('<h2>Profiles</h2>');
    expect(html).toContain(
      '<tr><td class="name"><a href="#benchmark-0">build</a></td><td class="n">5/5 pairs</td><td class="n">112 ms</td>' +
        '<td class="n">102 ms</td><td class="nw">+9.8 % (+7.0 % … +13 %)</td><td class="n">63.0 MB</td></tr>'
    );
    expect(html).toContain(
      'gate failed (2 thresholds broken, 2 regressions in profile profile-1 and benchmark build)'
    );
  });

  it('draws the wall time of every run of both sides, the discarded pair hollow', () => {
    expect(section).toContain('<h2>Benchmark build</h2>');
    const chart = /<svg[^>]*data-chart="runs"[\s\S]*?<\/svg>/.exec(section)?.[0] ?? '';
    expect(chart).toContain('aria-label="Wall time per pair — build"');
    for (const side of ['head', 'base']) {
      const g = new RegExp(`<g class="series" data-side="${side}">(.*?)</g>`).exec(chart)?.[1] ?? '';
      expect(g.match(/data-counted="true"/g)).toHaveLength(5);
      expect(g.match(/data-counted="false"/g)).toHaveLength(1);
    }
    // and the per-run comparison of the gated wall_time.med
    expect(section).toMatch(
      /<svg[^>]*data-chart="comparison"[^>]*aria-label="wall_time\.med: regressed — build"/
    );
  });

  it('tabulates each metric per side with its comparison, and lists every run', () => {
    expect(section).toContain(
      '<td>head</td><td class="n">112 ms</td><td class="n">112 ms</td><td class="n">110 ms</td><td class="n">114 ms</td>' +
        '<td class="n" rowspan="2">+9.8 %</td><td class="nw" rowspan="2">+7.0 % … +13 %</td><td class="n" rowspan="2">±5.0 % (δ)</td><td rowspan="2">❌ regressed</td>'
    );
    expect(section).toContain(
      '<li>❌ <code>wall_time</code> <code>med&lt;100ms</code>: observed 112 ms</li>'
    );
    expect(section).toMatch(/<tr class="invalid"><td class="n">1 head<\/td><td class="n">998 ms<\/td>/);
  });
});

describe('renderTerminal with benchmarks', () => {
  const files = { results: 'out/results.json', summary: 'out/summary.md' };

  it('prints a benchmark table and no empty profile table', () => {
    const r = benchmarkOnlyResults();
    r.benchmarks!.push({ ...pairedBenchmark('lint', [50, 52, 51], [50, 51, 50]), base: undefined });
    r.benchmarks![1]!.runs = r.benchmarks![1]!.runs.filter(x => x.side === 'head' && !x.warmupDiscarded);
    const lines = renderTerminal(r, files).split('\n');
    expect(lines.some(l => /^profile\s+trials/.test(l))).toBe(false);
    const header = lines.findIndex(l => l.startsWith('benchmark '));
    expect(lines[header]!.split(/\s{2,}/)).toEqual([
      'benchmark',
      'runs',
      'wall med (head)',
      'wall med (base)',
      'peak RSS med'
    ]);
    expect(lines[header + 1]!.split(/\s{2,}/)).toEqual(['build', '5/5 pairs', '112 ms', '102 ms', '63.0 MB']);
    expect(lines[header + 2]!.split(/\s{2,}/)).toEqual(['lint', '3/3 runs', '51.00 ms', '–', '62.0 MB']);
    expect(lines).toContain('perfgate: gate failed (1 threshold broken, 1 regression in benchmark build)');
  });

  it('says how many more runs would settle an inconclusive benchmark', () => {
    const r = benchmarkOnlyResults();
    r.comparisons = [
      {
        ...benchComparison('build', 'wall_time.med', 'inconclusive', 0, [-0.1, 0.1]),
        reason: 'wide',
        moreTrials: 9
      }
    ];
    expect(renderTerminal(r, files)).toContain('wide; about 9 more runs per side would likely settle it');
  });

  it('still prints the profile table when there are profiles', () => {
    const text = renderTerminal(richResults({ hostile: false, trials: 2, seconds: 1 }), files);
    expect(text).toMatch(/^profile\s+trials/m);
    expect(text).not.toMatch(/^benchmark /m);
  });
});

describe('the heading of the tables with rows of either kind of source', () => {
  it('says Benchmark for benchmarks only, Source for both, Profile for profiles only', () => {
    const only = renderSummary(benchmarkOnlyResults());
    expect(only).toContain('| Benchmark | Metric | Base | Head |');
    expect(only).toContain('| | Benchmark | Metric | Threshold | Observed |');
    const both = { ...richResults(), benchmarks: benchmarkOnlyResults().benchmarks };
    both.comparisons = [...both.comparisons, ...benchmarkOnlyResults().comparisons];
    expect(renderSummary(both)).toContain('| Source | Metric | Base | Head |');
    expect(renderHtml(buildReportModel(both))).toContain('<th>Source</th><th>Metric</th>');
    expect(renderSummary(richResults())).toContain('| Profile | Metric | Base | Head |');
  });
});

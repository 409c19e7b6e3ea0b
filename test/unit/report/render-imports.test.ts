/**
 * Other tools' benchmarks in every rendering — an import's section and a `format:` benchmark's tool
 * table in summary.md, comment.md, report.html and the terminal: names exactly as the tool wrote
 * them (escaped), values in their unit, change, interval, verdict and the statistic behind each, the
 * benchmarks only one side has, and a comment that stays short for an import of hundreds.
 */
import Handlebars from 'handlebars';
import type { Results } from '../../../src/model.js';
import { COMMENT_LIMIT } from '../../../src/github/comment-body.js';
import { MAX_RUN_CHARTS } from '../../../src/report/format-benchmark-view.js';
import { formatCompared } from '../../../src/report/comparison-view.js';
import { COMMENT_ROWS, SUMMARY_ROWS, statisticText, toolView } from '../../../src/report/import-view.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { buildReportModel, COMMENT_NOTES, LEAD_REGRESSIONS } from '../../../src/report/report-model.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import {
  formatBenchmarkResults,
  importComparison,
  importResults,
  largeImportResults,
  NAMES
} from './import-fixture.js';

const comment = (r: Results) => renderComment(buildReportModel(r, { distributions: false }));
const html = (r: Results) => renderHtml(buildReportModel(r));
const terminal = (r: Results) => renderTerminal(r, { results: 'results.json', summary: 'summary.md' });
const esc = Handlebars.escapeExpression;

const HEADER = '| Benchmark | Metric | Base | Head | Change | Interval | Resolves | Verdict | Statistic |';
const ROWS = {
  single:
    '| `parse small` | time | 10.0 ns | 10.8 ns | +8.0 % | – | – | ❌ regressed | one value per side: δ only |',
  samples:
    '| `BenchmarkParse/size=1 KiB-8` | time | 4.14 µs | 4.15 µs | +0.2 % | −1.8 % … +2.2 % | ±5.0 % (δ) | ✅ unchanged | rank test (Mann–Whitney U), Hodges–Lehmann interval (5 samples per side) |',
  memory:
    '| `BenchmarkParse/size=1 KiB-8` | memory | 1.0 KB | 2.0 KB | +100 % | +98 % … +102 % | ±5.0 % (δ) | (info) ❌ regressed | rank test (Mann–Whitney U), Hodges–Lehmann interval (3 samples per side) |',
  // The tag is broken by a zero-width space in code (escape-markdown.ts), so it cannot open.
  summary:
    "| `<\u200bscript>alert(1)<\u200b/script>` | time | 3.00 ms | 2.50 ms | −17 % | −19 % … −15 % | ±12 % | 🚀 improved | Welch's t from summary statistics (mean of 30 per side) |",
  info: '| `` pipe \\| and `tick` `` | time | 40.0 ns | 50.0 ns | +25 % | – | – | (info) ❌ regressed | one value per side: δ only |',
  added: '| `nouveau ünïcode ✓` | time | – | 1.00 ns | – | – | – | ➕ added | not compared (head one value) |'
};
const COUNTS =
  '5 benchmarks, 4 compared; gated: 1 regressed, 1 improved, 1 unchanged; informational: 1 regressed; 1 added, 1 removed';

/** The cells of a markdown table row (a pipe escaped by a backslash does not split). */
const cells = (row: string) => row.split(/(?<!\\)\|/).length;

describe('summary.md of a run with an import', () => {
  const md = renderSummary(importResults());
  const section = md.slice(md.indexOf('#### Import suite/é'));

  it('names the import, its format, the head file and the base file, and counts its verdicts', () => {
    expect(section).toContain(`\`generic-smaller\` · head \`head.json\` vs base \`base.json\` — ${COUNTS}`);
  });

  it('shows every benchmark as the tool named it, with values, change, interval, verdict and statistic', () => {
    const table = section.slice(section.indexOf(HEADER)).split('\n\n')[0]!.split('\n');
    expect(table.slice(2)).toEqual([
      ROWS.single,
      ROWS.samples,
      ROWS.memory,
      ROWS.summary,
      ROWS.info,
      ROWS.added
    ]);
    for (const row of table) expect(cells(row)).toBe(cells(HEADER));
  });

  it('lists the benchmarks only one side has', () => {
    expect(section).toContain('Added (only in the head): `nouveau ünïcode ✓`');
    expect(section).toContain('Removed (only in the base): `gone \\| old`');
  });

  it("leaves the import's comparisons out of the shared table, and opens no HTML", () => {
    expect(md).not.toContain('### Base vs head');
    expect([...outsideCode(md).matchAll(/<\/?[a-zA-Z][^>]*>/g)].map(m => m[0])).toEqual(['<sub>', '</sub>']);
  });

  it('says a single-value regression in the lead has no interval', () => {
    expect(md).toContain(
      '- ❌ **suite/é** `parse small`: +8.0 % (one value per side: no interval), 10.0 ns → 10.8 ns, p = –'
    );
  });

  it('says where the base came from: a stored baseline, or none', () => {
    const stored = importResults();
    delete stored.imports![0]!.base;
    expect(renderSummary(stored)).toContain('`generic-smaller` · head `head.json` vs the stored baseline — ');
    const none = importResults();
    none.imports![0] = { ...none.imports![0]!, added: [], removed: [] };
    delete none.imports![0]!.base;
    none.comparisons = [];
    none.series = none.series!.map(s => ({
      ...s,
      base: 'none',
      samples: { ...s.samples, base: [] },
      summaries: s.summaries?.head && { head: s.summaries.head }
    }));
    const text = renderSummary(none);
    expect(text).toContain(
      '`generic-smaller` · head `head.json` · no base: thresholds only, not compared — 5 benchmarks, 0 compared\n'
    );
    expect(text).toContain(
      '| `parse small` | time | – | 10.8 ns | – | – | – | not compared | not compared (head one value) |'
    );
    expect(text).toContain('| – | not compared | not compared (head 5 samples) |');
  });
});

describe('comment.md of a run with an import', () => {
  const md = comment(importResults());

  it('holds the counts and only the gated comparisons that did not come out unchanged', () => {
    const results = md.slice(md.indexOf('<details><summary>Results</summary>'), md.lastIndexOf('</details>'));
    expect(results).toContain('#### Import suite/é');
    expect(results).toContain(COUNTS);
    const rows = results.split('\n').filter(l => l.startsWith('| `'));
    expect(rows).toEqual([ROWS.single, ROWS.summary]);
    expect(results).toContain('Added (only in the head): `nouveau ünïcode ✓`');
  });

  it('stays short for an import of hundreds: counts, the regressions, no unchanged row', () => {
    const text = comment(largeImportResults(500, 3));
    expect(text).toContain('500 benchmarks, 500 compared; gated: 3 regressed, 497 unchanged');
    expect(text.split('\n').filter(l => l.startsWith('| `pkg.'))).toHaveLength(3);
    expect(text).not.toContain('✅ unchanged');
    expect(text.length).toBeLessThan(3_000);
  });

  it('caps the rows, the lead and the names of many regressions, and says how many more', () => {
    const r = largeImportResults(800, 60);
    r.imports![0]!.added = Array.from({ length: 40 }, (_, i) => `new ${i}`);
    r.notes = r.imports![0]!.added.map(
      n => `Import "go" (go): "${n}" only in the head (added, not compared).`
    );
    const text = comment(r);
    const results = text.slice(text.indexOf('<details><summary>Results</summary>'));
    expect(results.split('\n').filter(l => l.startsWith('| `pkg.'))).toHaveLength(COMMENT_ROWS);
    expect(results).toContain(`… and ${60 - COMMENT_ROWS} more in report.html.`);
    const lead = text.slice(0, text.indexOf('<details>'));
    expect(lead.split('\n').filter(l => l.startsWith('- ❌'))).toHaveLength(LEAD_REGRESSIONS);
    expect(lead).toContain(`- … and ${60 - LEAD_REGRESSIONS} more (below and in the full report)`);
    expect(results).toContain('`new 9` and 30 more');
    expect(text.split('\n').filter(l => l.startsWith('> Import "go"'))).toHaveLength(COMMENT_NOTES);
    expect(text).toContain(`> … and ${40 - COMMENT_NOTES} more notes in the full report.`);
    // summary.md keeps every note.
    expect(
      renderSummary(r)
        .split('\n')
        .filter(l => l.startsWith('> Import "go"'))
    ).toHaveLength(40);
    expect(text.length).toBeLessThan(COMMENT_LIMIT / 4);
  });
});

describe('summary.md of an import of hundreds', () => {
  it(`shows at most ${SUMMARY_ROWS} rows, the changed ones among them wherever they are`, () => {
    const r = largeImportResults(500, 3);
    r.imports![0]!.benchmarks.reverse(); // the regressed ones last in the file
    const md = renderSummary(r);
    const rows = md.split('\n').filter(l => l.startsWith('| `pkg.'));
    expect(rows).toHaveLength(SUMMARY_ROWS);
    expect(rows.filter(l => l.includes('❌ regressed'))).toHaveLength(3);
    expect(md).toContain(`… and ${500 - SUMMARY_ROWS} more in report.html.`);
  });
});

describe('report.html of a run with an import', () => {
  const page = html(importResults());

  it('has a section per import with its files, counts, and every benchmark escaped as text', () => {
    const section = page.slice(page.indexOf('<section class="import" id="import-0">'));
    expect(section).toContain('<h2>Import suite/é</h2>');
    expect(section).toContain(
      '<code>generic-smaller</code> · head <code>head.json</code> vs base <code>base.json</code>'
    );
    expect(section).toContain(`<p class="meta">${esc(COUNTS)}</p>`);
    expect(section).toContain(
      `<tr class="bad"><td class="name"><code>parse small</code></td><td>time</td><td class="n">10.0 ns</td><td class="n">10.8 ns</td><td class="n">+8.0 %</td><td class="nw">–</td><td class="n">–</td><td>❌ regressed</td><td>one value per side: δ only</td></tr>`
    );
    expect(section).toContain(`<code>${esc(NAMES.summary)}</code>`);
    expect(section).toContain(`<code>${esc(NAMES.info)}</code>`);
    expect(section).toContain(`Removed (only in the base): <code>${esc(NAMES.removed)}</code>`);
    expect(page).not.toMatch(/<script/i);
  });

  it('shows every benchmark of an import of hundreds', () => {
    const page500 = html(largeImportResults(500, 3));
    expect(page500.match(/<td class="name"><code>pkg\.BenchmarkCase/g)).toHaveLength(500);
  });
});

describe('a command benchmark with format: in the renderings', () => {
  it("shows the tool's benchmarks in the benchmark's section, paired by run, its own wall time in the shared table", () => {
    const md = renderSummary(formatBenchmarkResults(3, 1));
    const section = md.slice(md.indexOf('#### Benchmark gotest'));
    expect(section).toContain(
      'go benchmarks read from `stdout` — 3 benchmarks, 3 compared; gated: 1 regressed, 2 unchanged'
    );
    expect(section).toContain(
      '| `BenchmarkTool/0 ✓` | time | 1.00 µs | 1.20 µs | +20 % | +18 % … +22 % | ±5.0 % (δ) | ❌ regressed | signed-rank test on pairs, Hodges–Lehmann interval (3 pairs) |'
    );
    const shared = md.slice(md.indexOf('### Base vs head'));
    expect(shared).toContain('`wall_time.med`');
    expect(shared).not.toContain('BenchmarkTool');
  });

  it(`charts each run of both sides for the gated changed ones, at most ${MAX_RUN_CHARTS}`, () => {
    const page = html(formatBenchmarkResults(40, 15));
    const charts = [...page.matchAll(/<svg [^>]*data-chart="runs"[^>]*aria-label="([^"]*)"/g)].map(m => m[1]);
    expect(charts).toHaveLength(1 + MAX_RUN_CHARTS); // the wall time's, then the tool's
    expect(charts[1]).toBe(esc('BenchmarkTool/0 ✓: regressed +20 % per pair — gotest'));
    const first = page.slice(page.indexOf(`aria-label="${charts[1]}"`));
    const svg = first.slice(0, first.indexOf('</svg>'));
    // Three counted pairs and the discarded first one, on each side.
    for (const side of ['head', 'base']) {
      const group = svg.slice(svg.indexOf(`data-side="${side}"`));
      expect(group.slice(0, group.indexOf('</g>')).match(/<circle/g)).toHaveLength(4);
    }
    expect(page).toContain(`<p class="meta">${15 - MAX_RUN_CHARTS} more gated comparisons`);
  });

  it('keeps the comment to the changed tool benchmarks', () => {
    const md = comment(formatBenchmarkResults(40, 2));
    expect(md.split('\n').filter(l => l.startsWith('| `BenchmarkTool'))).toHaveLength(2);
  });
});

describe('the terminal summary', () => {
  it("prints an import's files, counts and a row per benchmark, not again in base vs head", () => {
    const text = terminal(importResults());
    expect(text).toContain(`import suite/é (generic-smaller): head head.json vs base base.json — ${COUNTS}`);
    const row = text.split('\n').find(l => l.includes('parse small'))!;
    expect(row.split(/\s{2,}/).filter(Boolean)).toEqual([
      'parse small',
      'time',
      '10.0 ns',
      '10.8 ns',
      '+8.0 %',
      '–',
      'regressed',
      'one value per side: δ only'
    ]);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('  removed (only in the base): gone | old');
    expect(text).not.toContain('base vs head');
  });

  it("prints a format benchmark's tool table under the benchmarks", () => {
    const text = terminal(formatBenchmarkResults(2, 1));
    expect(text).toContain(
      'benchmark gotest: go from stdout — 2 benchmarks, 2 compared; gated: 1 regressed, 1 unchanged'
    );
    expect(text).toMatch(
      /BenchmarkTool\/0 ✓ +time +1\.00 µs +1\.20 µs +\+20 % \(\+18 % … \+22 %\) +±5\.0 % \(δ\) +regressed/
    );
  });
});

describe('the statistic behind a comparison', () => {
  const c = (test: Parameters<typeof importComparison>[2], more = {}) =>
    importComparison('s', 'k', test, 'unchanged', 0, { base: 1, head: 1 }, more);
  it.each([
    ['samples, unpaired', c('mann-whitney-u'), 'rank test (Mann–Whitney U), Hodges–Lehmann interval'],
    [
      'samples, paired',
      c('wilcoxon-signed-rank', { samples: 8 }),
      'signed-rank test on pairs, Hodges–Lehmann interval (8 pairs)'
    ],
    ['summaries', c('welch-t'), "Welch's t from summary statistics"],
    ['single values', c('single-value'), 'one value per side: δ only'],
    [
      'single values with history',
      c('single-value', { history: { runs: 6, limit: 0.03 } }),
      "one value per side: δ and the stored runs' spread (6 runs)"
    ],
    ['nothing compared', undefined, 'not compared (head one value)'],
    [
      'zeros on both sides',
      c('mann-whitney-u', { estimate: NaN }),
      'not tested: no positive values on both sides'
    ]
  ])('%s', (_, comparison, text) => {
    expect(statisticText(comparison, undefined, 'value')).toBe(text);
  });

  it("takes a format benchmark's values from its counted runs when the results hold no series", () => {
    const r = formatBenchmarkResults(1, 1);
    const b = r.benchmarks![0]!;
    const counted = (side: 'head' | 'base') => b.runs.filter(x => x.side === side && !x.warmupDiscarded);
    const view = toolView('gotest', b.imported!, [], [], { head: counted('head'), base: counted('base') });
    expect(view.rows[0]).toMatchObject({
      base: '1.00 µs',
      head: '1.20 µs',
      verdict: 'not compared',
      statistic: 'not compared (3 runs per side)'
    });
  });
});

describe("values in a tool's units", () => {
  it.each([
    [167.5, 'ns', '167.5 ns'],
    [4_150, 'ns', '4.15 µs'],
    [2048, 'B', '2.0 KB'],
    [845.53e6, 'B/s', '806.4 MB/s'],
    [1234.5, 'ops/s', '1,235 ops/s'],
    // Units perfgate does not scale: the decimals the size needs, no trailing zeros.
    [1, 'allocs', '1 allocs'],
    [0.75, 'hits/op', '0.75 hits/op'],
    [12.345, 'items/s', '12.35 items/s'],
    [199_299_991, 'items/s', '199,299,991 items/s'],
    [3879, 'instructions', '3,879 instructions']
  ])('%d %s reads %s', (value, unit, text) => {
    expect(formatCompared(value, 'any', unit)).toBe(text);
  });
});

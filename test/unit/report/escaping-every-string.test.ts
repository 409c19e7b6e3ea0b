/**
 * Every string of a results file is the fork's to choose (a `workflow_run` follow-up renders the
 * comment again from it): here each one carries line breaks CommonMark knows (a lone `\r`
 * among them) and the ones a renderer may break on, HTML, a forged marker, mentions, references,
 * links, controls, bidi overrides and workflow commands, and summary.md and comment.md must still
 * render as the tables and blocks they were written as, with nothing live in them; report.html too.
 */
import Handlebars from 'handlebars';
import type { Results } from '../../../src/model.js';
import { escapeXml } from '../../../src/report/svg-charts.js';
import { mermaidText } from '../../../src/report/trend-view.js';
import { codeSpan, escapeHtmlText, escapeMarkdown } from '../../../src/report/escape-markdown.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import { PAYLOAD, poisonedResults } from '../../helpers/poisoned-results.js';
import { benchComparison, benchThreshold, pairedBenchmark } from './benchmark-fixture.js';
import { importResults } from './import-fixture.js';

/** The poisoned results with a paired benchmark whose every string is hostile too. */
function withBenchmark(r: Results): Results {
  const name = `build${PAYLOAD}`;
  const b = pairedBenchmark(name, [12, 11, 13], [10, 10, 11], `make${PAYLOAD}`);
  b.base = { command: `make base${PAYLOAD}` };
  b.error = `stopped${PAYLOAD}`;
  b.auto = { min: 2, max: 8, batch: 2, budgetMs: 1, looks: [{ trials: 2, alpha: 0.01, open: [PAYLOAD] }] };
  for (const run of b.runs.filter(x => x.warmupDiscarded)) run.warmupDiscarded = `warmup${PAYLOAD}`;
  b.runs.push({ ...b.runs.at(-1)!, index: 4, signal: `SIGKILL${PAYLOAD}`, exitCode: null });
  r.benchmarks = [b];
  r.comparisons.push(
    { ...benchComparison(name, 'wall_time.med', 'regressed', 0.1, [0.05, 0.2], { base: 10, head: 12 }) },
    { ...benchComparison(name, 'peak_rss.med', 'inconclusive', 0, [-1, 1]), reason: `wide${PAYLOAD}` }
  );
  r.thresholds.push({ ...benchThreshold(name, 'wall_time', `med<1${PAYLOAD}`, 12, false), where: PAYLOAD });
  return r;
}

/**
 * And an import whose every string is hostile: its name, files, format, benchmark and metric names,
 * the names only one side has, and a tool's own unit (a Go custom unit is the tool's to write).
 */
function withImport(r: Results): Results {
  const i = importResults();
  const p = (x: string) => `${x}${PAYLOAD}`;
  const source = p(i.imports![0]!.name);
  const imp = i.imports![0]!;
  r.imports = [
    {
      name: source,
      format: p(imp.format),
      path: p(imp.path),
      base: { format: p('other'), path: p(imp.base!.path) },
      benchmarks: imp.benchmarks.map(b => ({
        name: p(b.name),
        metrics: b.metrics.map(m => ({ ...m, name: p(m.name) }))
      })),
      added: imp.added.map(p),
      removed: imp.removed.map(p)
    }
  ];
  const key = (k: string) => k.split(' · ').map(p).join(' · ');
  r.series = i.series!.map(s => ({ ...s, source, key: key(s.key) }));
  r.comparisons.push(
    ...i.comparisons.map((c, n) => ({
      ...c,
      profile: source,
      metric: key(c.metric),
      ...(n === 0 && { unit: p('frobs/op') }),
      ...(c.reason && { reason: p(c.reason) })
    }))
  );
  return r;
}

const results = withImport(withBenchmark(poisonedResults()));
const imported = results.imports![0]!;
const benchmark = results.benchmarks![0]!;
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
      expect(text).toContain(`#### Benchmark ${escapeMarkdown(benchmark.name)}`);
      expect(md).toContain(`${codeSpan(benchmark.command)} vs base ${codeSpan(benchmark.base!.command)}`);
      expect(text).toContain(`Stopped early: ${escapeMarkdown(benchmark.error!)}`);
      expect(md).toContain(escapeMarkdown(`wide${PAYLOAD}`));
      // The benchmark's mermaid chart: its name reduced to what cannot end the quotes or the block.
      expect(md).toContain(
        `  title "${mermaidText(benchmark.name)}: wall time per pair, head (blue) and base (orange)"\n`
      );
      expect(mermaidText(benchmark.name)).toMatch(/^[\w .:{}()/-]+$/);
      if (name === 'summary.md')
        expect(text).toContain(`no: ${escapeMarkdown(`killed (SIGKILL${PAYLOAD})`)}`);
      // The import: its name, files and benchmarks, and a value in the tool's own unit.
      expect(text).toContain(`#### Import ${escapeMarkdown(imported.name)}`);
      expect(md).toContain(`head ${codeSpan(imported.path)} vs base ${codeSpan(imported.base!.path)}`);
      expect(md).toContain(
        `| ${codeSpan(imported.benchmarks[0]!.name)} | ${escapeMarkdown(imported.benchmarks[0]!.metrics[0]!.name)} |`
      );
      expect(md).toContain(escapeMarkdown(`10.8 frobs/op${PAYLOAD}`));
      expect(md).toContain(`Removed (only in the base): ${codeSpan(imported.removed[0]!)}`);
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

describe('report.html from the same results', () => {
  const html = renderHtml(buildReportModel(results));

  it('opens only the tags the templates write, with no handler and no link out', () => {
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)];
    const names = new Set(tags.map(m => m[1]!.toLowerCase()));
    expect(
      [...names].filter(n => ['script', 'img', 'iframe', 'object', 'embed', 'link'].includes(n))
    ).toEqual([]);
    // Attribute values are quoted, their quotes escaped: what is left outside the quotes is the tag's own.
    const bare = tags.map(m => m[0].replace(/"[^"]*"/g, '""'));
    expect(bare.filter(t => /\son\w+=|\ssrc=|javascript:/i.test(t))).toEqual([]);
    expect(html).not.toContain('<!--');
  });

  it('shows the names as text', () => {
    expect(html).toContain('&lt;/details&gt;&lt;/summary&gt;&lt;img src=x onerror=alert(1)&gt;');
    const esc = Handlebars.escapeExpression;
    expect(html).toContain(`<h2>Benchmark ${esc(benchmark.name)}</h2>`);
    expect(html).toContain(
      `<code>${esc(benchmark.command)}</code> vs base <code>${esc(benchmark.base!.command)}</code>`
    );
    expect(html).toContain(`<p class="callout warn">Stopped early: ${esc(benchmark.error!)}</p>`);
    expect(html).toContain(`aria-label="${escapeXml(`Wall time per pair — ${benchmark.name}`)}"`);
    expect(html).toContain(`<h2>Import ${esc(imported.name)}</h2>`);
    expect(html).toContain(`<td class="name"><code>${esc(imported.benchmarks[0]!.name)}</code></td>`);
    expect(html).toContain(`Added (only in the head): <code>${esc(imported.added[0]!)}</code>`);
  });
});

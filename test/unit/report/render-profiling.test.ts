/**
 * The profiling section of summary.md, comment.md and report.html: top functions by self and by
 * total with `file:line` relative to the working directory, the share changes in points, the
 * comment's folded top three beside the top growers, the flame graphs in report.html only, what
 * is missing and the warnings, and every string of it hostile without breaking a table or opening
 * a tag.
 */
import Handlebars from 'handlebars';
import type { Results } from '../../../src/model.js';
import type { ProfilingResult } from '../../../src/model-profiling.js';
import { shareChanges } from '../../../src/profiling/call-tree.js';
import { codeSpan, escapeMarkdown } from '../../../src/report/escape-markdown.js';
import { displayFile, profilingView } from '../../../src/report/profiling-view.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import { PAYLOAD } from '../../helpers/poisoned-results.js';
import { richResults } from '../../helpers/report-results.js';
import { baseCpu, captured, headCpu, pairedProfiling } from './profiling-fixture.js';

const withProfiling = (profiling: ProfilingResult | undefined): Results => {
  const r = richResults({ hostile: false, trials: 2, seconds: 2 });
  if (profiling) r.profiling = profiling;
  return r;
};

describe('displayFile', () => {
  it.each([
    ['file:///work/app/src/server.js', 'src/server.js'],
    ['file:///work/app/src/a%20b.js', 'src/a b.js'],
    ['file:///work/base/src/server.js', '/work/base/src/server.js'],
    ['file:///work/application.js', '/work/application.js'],
    ['node:internal/timers', 'node:internal/timers'],
    ['/usr/lib/go/src/runtime/proc.go', '/usr/lib/go/src/runtime/proc.go'],
    ['', '']
  ])('%s → %s', (file, shown) => {
    expect(displayFile(file, '/work/app')).toBe(shown);
  });
});

describe('summary.md', () => {
  const md = renderSummary(withProfiling(pairedProfiling()));

  it('each side and kind: artifact, samples, window and idle, then the top functions', () => {
    expect(md).toContain('### CPU and heap profiles');
    expect(md).toContain('#### api — CPU (head)');
    expect(md).toContain(
      'Node inspector: `profiles/api.head.cpuprofile` · 6 samples over 10 trials (50.0 s measured), 100 ms busy; idle 50.0 % of the recording, left out of the shares'
    );
    expect(md).toContain('| 1 | 50.0 % | hash | `src/server.js:30` | 50.00 ms |');
    expect(md).toContain('| 2 | 30.0 % | compress | `src/server.js:40` | 30.00 ms |');
    expect(md).toContain('| 4 | 5.0 % | (garbage collector) |  | 5.00 ms |');
    // By total: main and handle hold 90 % with their callees.
    expect(md).toContain('| 1 | 90.0 % | handle | `src/server.js:12` | 90.00 ms |');
    // The base's paths are in another checkout: shown whole, without file://.
    expect(md).toContain('`/elsewhere/base/src/server.js:30`');
    expect(md).toContain('#### api — heap (head)');
    expect(md).toContain('| 1 | 75.0 % | alloc | `src/server.js:50` | 3.0 MB |');
  });

  it('the share changes in points, grown and shrunk', () => {
    expect(md).toContain('#### api — CPU, base → head: share changes');
    expect(md).toContain('| compress | `src/server.js:40` | 0.0 % | 30.0 % | +30.0 pts |');
    expect(md).toContain('| hash | `src/server.js:30` | 70.0 % | 50.0 % | −20.0 pts |');
    expect(md).toContain('| handle | `src/server.js:12` | 20.0 % | 10.0 % | −10.0 pts |');
  });

  it('no flame graph in markdown; no section without profiling', () => {
    expect(md).not.toContain('<svg');
    expect(renderSummary(withProfiling(undefined))).not.toContain('CPU and heap profiles');
  });
});

describe('comment.md', () => {
  const comment = (p: ProfilingResult) => renderComment(buildReportModel(withProfiling(p)));

  it('folds the top three by self beside the top growers, with file:line', () => {
    const md = comment(pairedProfiling());
    expect(md).toContain(
      '<details><summary>CPU and heap profiles: the top functions and what grew</summary>'
    );
    expect(md).toContain('**api — CPU**');
    expect(md).toContain('| Top by self | share | Grew most | change |');
    expect(md).toContain('| hash `src/server.js:30` | 50.0 % | compress `src/server.js:40` | +30.0 pts |');
    expect(md).toContain(`| compress \`src/server.js:40\` | 30.0 % |  |  |`);
    expect(md).toContain(`| handle \`src/server.js:12\` | 10.0 % |  |  |`);
    // The heap profile has no base: its top three alone.
    expect(md).toContain(
      '**api — heap**\n\n| Top by self | share |\n|---|---:|\n| alloc `src/server.js:50` | 75.0 % |'
    );
    expect(md).not.toContain('<svg');
    const section = md.slice(md.indexOf('<details><summary>CPU and heap'));
    expect(section.indexOf('</details>')).toBeGreaterThan(0);
    expect(md).not.toContain('| 4 |');
  });

  it('says plainly what is missing and what could not be profiled', () => {
    const p = pairedProfiling();
    p.profiles.push(
      captured('api', 'base', 'heap', baseCpu(), {
        file: undefined,
        samples: 0,
        missing: 'the service exited in trial 4'
      })
    );
    p.warnings.push('profiling: the base service is not Node (no inspector); no profiles of it');
    const md = comment(p);
    expect(md).toContain('- ⚠️ api (base) heap: the service exited in trial 4');
    expect(md).toContain('- ⚠️ profiling: the base service is not Node (no inspector); no profiles of it');
    const summary = renderSummary(withProfiling(p));
    expect(summary).toContain('⚠️ Missing: the service exited in trial 4');
    expect(summary).toContain('- ⚠️ profiling: the base service is not Node');
  });
});

describe('report.html', () => {
  const html = renderHtml(buildReportModel(withProfiling(pairedProfiling())));

  it('the tables, a flame graph per capture, the differential graph, the artifacts linked', () => {
    expect(html).toContain('<h2>CPU and heap profiles</h2>');
    expect(html.match(/<svg [^>]*data-chart="flame"/g)).toHaveLength(3);
    expect(html.match(/<svg [^>]*data-chart="flame-diff"/g)).toHaveLength(1);
    expect(html).toContain(
      '<a href="profiles/api.head.cpuprofile"><code>profiles/api.head.cpuprofile</code></a>'
    );
    expect(html).toContain('<td class="name"><code>src/server.js:30</code></td>');
    expect(html).toContain('<td class="n">+30.0 pts</td>');
    // The hover text names the file relative to the working directory too.
    expect(html).toContain('hash — src/server.js:30');
  });
});

describe('hostile strings', () => {
  /** Every name, file, warning and reason of the profiling result ends with PAYLOAD. */
  function hostileProfiling(): ProfilingResult {
    const name = (s: string) => `${s}${PAYLOAD}`;
    const file = `file:///elsewhere/${encodeURIComponent(PAYLOAD)}/server.js`;
    const head = headCpu(name, file);
    const base = headCpu(s => (s === 'compress' ? 'other' : name(s)), file);
    const profile = `api${PAYLOAD}`;
    return {
      profiles: [
        captured(profile, 'head', 'cpu', head, { file: `profiles/${PAYLOAD}`, missing: `partial${PAYLOAD}` }),
        captured(profile, 'base', 'cpu', base)
      ],
      diffs: [{ profile, kind: 'cpu', ...shareChanges(base, head) }],
      warnings: [`warning${PAYLOAD}`]
    };
  }
  const results = withProfiling(hostileProfiling());

  it.each([
    ['summary.md', renderSummary(results)],
    ['comment.md', renderComment(buildReportModel(results))]
  ])('%s: tables keep their cells, no tag opens, names shown as text', (_, md) => {
    const text = outsideCode(md);
    expect(md).toContain(escapeMarkdown(`hash${PAYLOAD}`));
    const all = md.split(/\r\n|\r|\n/);
    for (let i = 0; i < all.length; i++) {
      if (!all[i]!.startsWith('|') || all[i - 1]?.startsWith('|')) continue;
      const cells = (row: string) => row.split(/(?<!\\)\|/).length;
      for (let j = i; j < all.length && all[j]!.startsWith('|'); j++)
        expect([all[j], cells(all[j]!)]).toEqual([all[j], cells(all[i]!)]);
    }
    const tags = [...text.matchAll(/<\/?([a-zA-Z][\w-]*)[^>]*>/g)].map(m => m[0]);
    expect(tags.filter(t => !/^<\/?(details|summary|code|sub)>$/.test(t))).toEqual([]);
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length);
    expect(md).not.toMatch(/\r/);
  });

  it('report.html: no script, handler or link out; the names as text', () => {
    const html = renderHtml(buildReportModel(results));
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)];
    expect(
      [...new Set(tags.map(m => m[1]!.toLowerCase()))].filter(n =>
        ['script', 'img', 'iframe', 'object', 'embed', 'link'].includes(n)
      )
    ).toEqual([]);
    const bare = tags.map(m => m[0].replace(/"[^"]*"/g, '""'));
    expect(bare.filter(t => /\son\w+=|\ssrc=|javascript:/i.test(t))).toEqual([]);
    expect(html).toContain(Handlebars.escapeExpression(`hash${PAYLOAD}`));
    expect(html).toContain('&lt;/details&gt;&lt;/summary&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('links an artifact only by a plain relative path', () => {
    const p = pairedProfiling();
    p.profiles[0]!.file = 'javascript:alert(1)';
    p.profiles[1]!.file = '../../etc/passwd';
    const html = renderHtml(buildReportModel(withProfiling(p)));
    expect(html).not.toMatch(/href="(javascript|\.\.)/);
    expect(html).toContain('<code>javascript:alert(1)</code>');
    expect(html).toContain('<a href="profiles/api.head.heapprofile">');
  });

  it('a kind a newer perfgate wrote is shown as it is', () => {
    const p = pairedProfiling();
    p.profiles[2]!.kind = 'goroutine' as 'heap';
    expect(profilingView(withProfiling(p))!.groups[0]!.captures.map(c => c.title)).toContain(
      'api — goroutine (head)'
    );
  });
});

describe('codeSpan of a where', () => {
  it('is what the tables use', () => {
    expect(codeSpan('src/server.js:30')).toBe('`src/server.js:30`');
  });
});

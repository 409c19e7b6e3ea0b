/** The CLI's closing summary: plain text columns that read well in a terminal and in CI logs. */
import type { Results } from '../model.js';
import { escapeTerminal } from './escape-terminal.js';
import { formatMs, formatNumber, formatObserved, formatPercent } from './format.js';
import { benchmarkView } from './benchmark-view.js';
import { comparisonView, sampleNoun } from './comparison-view.js';
import { changeText, importView, toolComparisons, type ToolView } from './import-view.js';
import { profileFacts } from './profile-facts.js';
import { headline } from './report-model.js';

/**
 * The summary as text. Every line is escaped for the terminal (escape-terminal.ts): a name from the
 * config or the results cannot print a control sequence or a new line, nor start a workflow command
 * in a runner's log. `mask` (secrets to `***`) runs on each line first, so it sees the raw values.
 */
export function renderTerminal(
  results: Results,
  files: { results: string; summary: string; html?: string },
  opts: { mask?: (text: string) => string } = {}
): string {
  const mask = opts.mask ?? ((text: string) => text);
  const clean = (text: string) => escapeTerminal(mask(text));
  const lines: string[] = [];
  const rows: string[][] = [['profile', 'trials', 'req/s', 'p50', 'p90', 'p99', 'max', 'failed']];
  const sides = (p: Results['profiles'][number]) =>
    p.base
      ? [
          { label: `${p.name} (head)`, s: p.head.summary },
          { label: `${p.name} (base)`, s: p.base.summary }
        ]
      : [{ label: p.name, s: p.head.summary }];
  for (const p of results.profiles) {
    for (const { label, s } of sides(p))
      rows.push([
        label,
        `${s?.validTrials ?? 0}/${p.trialsPlanned}`,
        formatNumber(s?.throughput ?? null),
        formatMs(s?.latency?.p50),
        formatMs(s?.latency?.p90),
        formatMs(s?.latency?.p99),
        formatMs(s?.latency?.max),
        s ? formatPercent(s.requests ? s.failed / s.requests : 0) : '–'
      ]);
  }
  // Cells are cleaned before the columns are measured, so an escape widens its column.
  // A run without profiles has no profile table (an empty header says nothing).
  if (results.profiles.length > 0 || (!results.benchmarks?.length && !results.imports?.length))
    lines.push('', ...table(rows.map(r => r.map(clean))));
  const benchmarks = (results.benchmarks ?? []).map(b =>
    benchmarkView(b, results.comparisons, [], () => '', results.series)
  );
  if (benchmarks.length > 0) {
    const paired = benchmarks.some(b => b.paired);
    const header = ['benchmark', 'runs', paired ? 'wall med (head)' : 'wall med', 'peak RSS med'];
    if (paired) header.splice(3, 0, 'wall med (base)');
    const benchRows = benchmarks.map(b => {
      const o = b.overview;
      return [b.name, b.runsText, o.wallHead, ...(paired ? [o.wallBase] : []), o.peakRssHead];
    });
    lines.push('', ...table([header, ...benchRows].map(r => r.map(clean))));
    for (const b of benchmarks) if (b.error) lines.push(`  ${b.name}: stopped early: ${b.error}`);
    for (const b of benchmarks) {
      if (!b.imported) continue;
      lines.push(
        '',
        `benchmark ${b.name}: ${b.imported.format} from ${b.imported.from} — ${b.imported.countsText}`
      );
      lines.push(...toolLines(b.imported, clean));
    }
  }
  for (const i of (results.imports ?? []).map(x => importView(x, results))) {
    const base = i.base ? `vs base ${i.base}` : i.stored ? 'vs the stored baseline' : 'no base: not compared';
    lines.push('', `import ${i.name} (${i.format}): head ${i.head} ${base} — ${i.countsText}`);
    lines.push(...toolLines(i, clean));
  }
  for (const p of results.profiles) {
    for (const fact of profileFacts(p)) lines.push(`  ${p.name}: ${fact}`);
  }
  if (results.thresholds.length > 0) {
    lines.push('', 'thresholds:');
    for (const t of results.thresholds) {
      const mark = t.ok ? 'ok  ' : t.severity === 'warn' ? 'WARN' : 'FAIL';
      lines.push(
        `  ${mark} ${t.profile}  ${t.metric}  ${t.expression}  (observed ${formatObserved(t.observed, t.unit)})`
      );
    }
  }
  if ((results.findings ?? []).length > 0) {
    lines.push('', 'findings:');
    for (const f of results.findings ?? []) {
      const where = results.profiles.some(p => p.base) ? `${f.profile} (${f.side})` : f.profile;
      lines.push(`  ${f.severity === 'warn' ? 'WARN' : 'info'} ${where}  ${f.title}: ${f.message}`);
    }
  }
  // Other tools' benchmarks are in their own tables above, each with the statistic behind it.
  const inSections = toolComparisons(results);
  const shared = results.comparisons.filter(c => !inSections.has(c));
  if (shared.length > 0) {
    lines.push('', 'base vs head (change of head, interval, the smallest change it could call, adjusted p):');
    for (const c of shared) {
      const v = comparisonView(c);
      const info = c.gated ? '' : ' (informational)';
      lines.push(
        `  ${c.verdict.toUpperCase().padEnd(12)} ${c.profile}  ${c.metric}  ${v.change} (${v.interval}), ` +
          `resolves ${v.resolution}, p ${v.p}${info}`
      );
      if (c.gated && c.reason) {
        const more = c.moreTrials
          ? `; about ${c.moreTrials} more ${sampleNoun(c.metric)} per side would likely settle it`
          : '';
        lines.push(`               ${c.reason}${more}`);
      }
    }
  }
  for (const problem of results.problems ?? []) lines.push('', `FAIL ${problem.message}`);
  for (const note of results.notes) lines.push('', `note: ${note}`);
  const h = headline(results);
  lines.push(
    '',
    `perfgate: ${h.text}`,
    `report: ${files.summary}`,
    ...(files.html ? [`html: ${files.html}`] : []),
    `results: ${files.results}`
  );
  // The table's lines are clean already; escaping twice changes nothing (no control is left to escape).
  return lines.map(clean).join('\n');
}

/**
 * A tool's benchmarks as an indented table (summary.md's rows: past its cap the changed ones), the
 * benchmarks only one side has by name.
 */
function toolLines(view: ToolView, clean: (text: string) => string): string[] {
  const rows = view.summary.rows.map(r => [
    r.benchmark,
    r.metric,
    r.base,
    r.head,
    changeText(r),
    r.resolution,
    `${r.word}${r.info ? ' (info)' : ''}`,
    r.statistic
  ]);
  const header = [
    'benchmark',
    'metric',
    'base',
    'head',
    'change (interval)',
    'resolves',
    'verdict',
    'statistic'
  ];
  const left = new Set([0, 1, 6, 7]);
  return [
    ...(rows.length > 0
      ? table(
          [header, ...rows].map(r => r.map(clean)),
          left
        )
      : []),
    ...(view.summary.more > 0 ? [`… and ${view.summary.more} more in the HTML report`] : []),
    ...(view.added.length > 0 ? [`added (only in the head): ${view.added.join(', ')}`] : []),
    ...(view.removed.length > 0 ? [`removed (only in the base): ${view.removed.join(', ')}`] : [])
  ].map(line => `  ${line}`);
}

/** Columns padded to their widest cell: the first (and `left`) to the left, the others to the right. */
function table(rows: string[][], left: ReadonlySet<number> = new Set([0])): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)));
  return rows.map(r =>
    r
      .map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()
  );
}

/**
 * Other tools' benchmarks in the report model (SPEC §4, §7): an imported file (`results.imports[]`)
 * and a command benchmark read with `format:` (`results.benchmarks[].imported`) are both a list of
 * the tool's benchmarks, each shown here with its metrics' values per side in their unit, the change
 * with its interval and verdict where the gate compared it, and the statistic that decided it (rank
 * test on samples, Welch on summaries, δ alone on single values). Formatting only: the comparisons
 * are the gate's, the values its series'.
 */
import type {
  BenchmarkRun,
  Comparison,
  ImportedBenchmarkRecord,
  ImportResult,
  Results,
  Series
} from '../model.js';
import { comparisonView, formatCompared, VERDICT_MARK } from './comparison-view.js';

/** Rows of one tool's benchmarks the PR comment shows at most; the rest are counted, and in report.html. */
export const COMMENT_ROWS = 20;
/** Rows summary.md shows at most (the job summary is cut at 1 MiB); report.html shows every row. */
export const SUMMARY_ROWS = 300;
/** Names of added or removed benchmarks the comment lists at most. */
export const COMMENT_NAMES = 10;

export type ToolView = ReturnType<typeof toolView>;
export type ToolRow = ToolView['rows'][number];
export type ImportView = ReturnType<typeof importView>;

/** What a tool reported, whichever source read it. */
export interface ToolRecord {
  benchmarks: ImportedBenchmarkRecord[];
  added: string[];
  removed: string[];
}

/** The series key of metric `index` of benchmark `name` (series/import.ts `importKey`). */
export function toolKey(name: string, metric: string, index: number): string {
  return index === 0 ? name : `${name} · ${metric}`;
}

/** Every series key of a tool's benchmarks, for leaving them out of the shared comparison table. */
export function toolKeys(record: ToolRecord): Set<string> {
  return new Set(record.benchmarks.flatMap(b => b.metrics.map((m, i) => toolKey(b.name, m.name, i))));
}

/**
 * The comparisons of other tools' benchmarks — an import's, and a `format:` benchmark's tool
 * metrics — which their sections show with the statistic behind each (import-view.ts).
 */
export function toolComparisons(results: Results): Set<Results['comparisons'][number]> {
  const imports = new Set((results.imports ?? []).map(i => i.name));
  const tools = new Map(
    (results.benchmarks ?? []).flatMap(b => (b.imported ? [[b.name, toolKeys(b.imported)] as const] : []))
  );
  return new Set(
    results.comparisons.filter(c => imports.has(c.profile) || tools.get(c.profile)?.has(c.metric))
  );
}

/** An import's section: where its sides came from, then its benchmarks. */
export function importView(imp: ImportResult, results: Results) {
  const series = (results.series ?? []).filter(s => s.source === imp.name);
  const stored = !imp.base && series.some(s => s.base === 'stored');
  return {
    name: imp.name,
    format: imp.format,
    head: imp.path,
    base: imp.base?.path ?? '',
    /** The base's format, when it is not the head's. */
    baseFormat: imp.base && imp.base.format !== imp.format ? imp.base.format : '',
    stored,
    /** Neither a base file nor a stored baseline: thresholds only, nothing compared. */
    noBase: !imp.base && !stored,
    ...toolView(imp.name, imp, results.comparisons, series)
  };
}

/**
 * A tool's benchmarks as rows, one per metric (the primary metric first), with the counts the
 * comment leads with and the rows each rendering shows: the comment the gated ones that did not
 * come out unchanged, summary.md every row up to {@link SUMMARY_ROWS} (the changed ones first).
 * `runs`: a command benchmark's counted runs of each side, whose values stand in for a series the
 * results do not hold.
 */
export function toolView(
  source: string,
  record: ToolRecord,
  comparisons: readonly Comparison[],
  series: readonly Series[],
  runs?: { head: BenchmarkRun[]; base: BenchmarkRun[] }
) {
  const added = new Set(record.added);
  const rows = record.benchmarks.flatMap(b =>
    b.metrics.map((m, i) => {
      const key = toolKey(b.name, m.name, i);
      const c = comparisons.find(x => x.profile === source && x.metric === key);
      const s = series.find(x => x.key === key);
      const value = (side: 'head' | 'base') => {
        const v = c?.values?.[side] ?? seriesValue(s, side) ?? runsValue(runs?.[side], key);
        return v === undefined ? '–' : formatCompared(v, key, c?.unit ?? m.unit);
      };
      const v = c && comparisonView(c);
      const single = c?.test === 'single-value';
      const notable = Boolean(c && c.gated && c.verdict !== 'unchanged');
      return {
        benchmark: b.name,
        metric: m.name,
        primary: i === 0,
        key,
        unit: m.unit,
        base: value('base'),
        head: value('head'),
        change: v ? v.change : '–',
        // Two single values have no interval: the change is all there is.
        interval: v && !single && Number.isFinite(c.estimate) ? v.interval : '–',
        /** The smallest change it could have called (none for single values). */
        resolution: v ? v.resolution : '–',
        // An informational inconclusive verdict says why here; a gated one in the lead's list.
        verdict:
          v && c.verdict === 'inconclusive'
            ? v.verdict
            : c
              ? VERDICT_MARK[c.verdict]
              : added.has(b.name)
                ? '➕ added'
                : 'not compared',
        /** The verdict's one word, for the terminal. */
        word: c ? c.verdict : added.has(b.name) ? 'added' : 'not compared',
        /** Why an inconclusive (or single-value) verdict is what it is. */
        reason: c?.reason ?? '',
        gated: Boolean(c?.gated),
        /** Compared but not gated: reported only. */
        info: Boolean(c && !c.gated),
        regressed: Boolean(c?.gated && c.verdict === 'regressed'),
        changed: c?.verdict === 'regressed' || c?.verdict === 'improved',
        notable,
        statistic: statisticText(c, s, m.data, runs)
      };
    })
  );
  const primary = rows.filter(r => r.primary);
  const compared = primary.filter(r => r.word !== 'added' && r.word !== 'not compared');
  const count = (word: string) => compared.filter(r => r.word === word).length;
  const notable = rows.filter(r => r.notable);
  return {
    rows,
    counts: {
      benchmarks: record.benchmarks.length,
      compared: compared.length,
      gated: compared.filter(r => r.gated).length,
      regressed: count('regressed'),
      improved: count('improved'),
      unchanged: count('unchanged'),
      inconclusive: count('inconclusive'),
      added: record.added.length,
      removed: record.removed.length
    },
    countsText: countsText(record, compared),
    /** summary.md: every row, or past SUMMARY_ROWS the changed and notable ones and the first others. */
    summary: {
      ...capped(rows, SUMMARY_ROWS, r => r.notable || r.changed),
      added: names(record.added, SUMMARY_ROWS),
      removed: names(record.removed, SUMMARY_ROWS)
    },
    /** comment.md: the gated comparisons that did not come out unchanged, and a few names. */
    comment: {
      rows: notable.slice(0, COMMENT_ROWS),
      more: Math.max(0, notable.length - COMMENT_ROWS),
      added: names(record.added, COMMENT_NAMES),
      removed: names(record.removed, COMMENT_NAMES)
    },
    /** report.html: every row and name. */
    added: record.added,
    removed: record.removed
  };
}

/**
 * What decided a comparison (SPEC §4, §5) and the data behind it: raw samples → a rank test with the
 * Hodges–Lehmann interval; a mean with its spread → Welch's t from the summary statistics; one value
 * per side → δ alone (and the stored runs' spread, with history).
 */
export function statisticText(
  c: Comparison | undefined,
  s: Series | undefined,
  data: ImportedBenchmarkRecord['metrics'][number]['data'],
  runs?: { head: BenchmarkRun[]; base: BenchmarkRun[] }
): string {
  const sides = s
    ? { head: sideData(s, 'head'), base: sideData(s, 'base') }
    : runs
      ? { head: runsData(runs.head), base: runsData(runs.base) }
      : c
        ? { head: '', base: '' } // what the file had of the base is not in the record
        : { head: data === 'samples' ? 'samples' : data === 'summary' ? 'a mean' : 'one value', base: '' };
  const what =
    sides.head === sides.base
      ? sides.head && `${sides.head} per side`
      : sides.base
        ? `base ${sides.base}, head ${sides.head || 'nothing'}`
        : sides.head && `head ${sides.head}`;
  if (!c) return what ? `not compared (${what})` : 'not compared';
  // Zeros and missing values have no ratio to test (0 B/op on both sides): no test ran.
  if (!Number.isFinite(c.estimate)) return 'not tested: no positive values on both sides';
  const test = {
    'wilcoxon-signed-rank': 'signed-rank test on pairs, Hodges–Lehmann interval',
    'mann-whitney-u': 'rank test (Mann–Whitney U), Hodges–Lehmann interval',
    'welch-t': "Welch's t from summary statistics",
    'single-value': c.history
      ? `one value per side: δ and the stored runs' spread (${c.history.runs} runs)`
      : 'one value per side: δ only'
  }[c.test];
  if (c.test === 'wilcoxon-signed-rank') return `${test} (${c.samples} pairs)`;
  return c.test === 'single-value' || !what ? test : `${test} (${what})`;
}

/** `5 samples`, `mean of 30`, `one value` (or '' when the side has nothing). */
function sideData(s: Series, side: 'head' | 'base'): string {
  const n = s.samples[side].length;
  if (n > 0) return `${n} sample${n === 1 ? '' : 's'}`;
  const summary = s.summaries?.[side];
  if (!summary) return '';
  return summary.n > 1 ? `mean of ${summary.n}` : 'one value';
}

function runsData(runs: BenchmarkRun[]): string {
  return runs.length > 0 ? `${runs.length} run${runs.length === 1 ? '' : 's'}` : '';
}

/** A side's value of a series: the median of its samples, else its summary's mean. */
function seriesValue(s: Series | undefined, side: 'head' | 'base'): number | undefined {
  const samples = s?.samples[side].map(x => x.value) ?? [];
  if (samples.length > 0) return median(samples);
  return s?.summaries?.[side]?.mean;
}

/** The median of a key's values over a command benchmark's counted runs of one side. */
function runsValue(runs: BenchmarkRun[] | undefined, key: string): number | undefined {
  const values = (runs ?? []).flatMap(r => {
    const v = r.values?.[key];
    return v !== undefined && Number.isFinite(v) ? [v] : [];
  });
  return values.length > 0 ? median(values) : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `412 benchmarks, 400 compared; gated: 2 regressed, 10 unchanged; informational: 388 unchanged;
 * 3 added, 1 removed` — the verdicts of the primary metrics, each benchmark counted once.
 */
function countsText(record: ToolRecord, compared: ReadonlyArray<{ gated: boolean; word: string }>): string {
  const n = record.benchmarks.length;
  const verdicts = (gated: boolean) => {
    const rows = compared.filter(r => r.gated === gated);
    return ['regressed', 'improved', 'inconclusive', 'unchanged']
      .map(w => [w, rows.filter(r => r.word === w).length] as const)
      .filter(([, k]) => k > 0)
      .map(([w, k]) => `${k} ${w}`)
      .join(', ');
  };
  const gated = verdicts(true);
  const info = verdicts(false);
  const sides = [
    ...(record.added.length > 0 ? [`${record.added.length} added`] : []),
    ...(record.removed.length > 0 ? [`${record.removed.length} removed`] : [])
  ];
  return [
    `${n} benchmark${n === 1 ? '' : 's'}, ${compared.length} compared` +
      (gated ? `; gated: ${gated}` : '') +
      (info ? `; informational: ${info}` : ''),
    ...(sides.length > 0 ? [sides.join(', ')] : [])
  ].join('; ');
}

/** At most `limit` rows in their order: the ones `keep` picks first, then the first of the others. */
function capped<T>(rows: T[], limit: number, keep: (row: T) => boolean): { rows: T[]; more: number } {
  if (rows.length <= limit) return { rows, more: 0 };
  const kept = new Set(rows.filter(keep).slice(0, limit));
  for (const r of rows) {
    if (kept.size >= limit) break;
    kept.add(r);
  }
  return { rows: rows.filter(r => kept.has(r)), more: rows.length - kept.size };
}

/** The first `limit` names, and how many more. */
function names(list: readonly string[], limit: number): { names: string[]; more: number } {
  return { names: list.slice(0, limit), more: Math.max(0, list.length - limit) };
}

/** A relative change for the terminal's one-line rows: `+8.0 % (+2.0 % … +14 %)`. */
export function changeText(row: Pick<ToolRow, 'change' | 'interval'>): string {
  return row.interval === '–' ? row.change : `${row.change} (${row.interval})`;
}

/**
 * `perfgate compare BASE HEAD` (SPEC §12): two results files of perfgate, or two outputs of one
 * supported tool, compared without measuring anything — the same statistics, verdicts and report as
 * `run`. Two results files compare series by series (the head's against the base's, unpaired); two
 * tool outputs become one import of the head against the base.
 */
import path from 'node:path';
import { compareSeries, type SeriesGroup } from './compare/verdicts.js';
import { DEFAULT_COMPARE } from './compare/metric-value.js';
import { fingerprint, gitInfo } from './environment.js';
import { UsageError } from './errors.js';
import { IMPORTERS } from './importers/index.js';
import { importText, readOutputText } from './importers/read-import.js';
import { importSources } from './imports/import-sources.js';
import { importThresholds } from './imports/import-thresholds.js';
import type { ReadImport } from './imports/read-imports.js';
import { SCHEMA_VERSION, type Comparison, type Results, type Series } from './model.js';
import { parseResults } from './results-file.js';
import { BENCHMARK_COMPARE } from './series/benchmark.js';
import { decideVerdict } from './verdict.js';
import { VERSION } from './version.js';

export interface CompareOptions {
  /** The format of two tool outputs (else detected); not used for results files. */
  format?: string;
  alpha: number;
  env: NodeJS.ProcessEnv;
}

/** The results of comparing `head` with `base`, ready to be written as a report. */
export function compareFiles(base: string, head: string, opts: CompareOptions): Results {
  const baseText = readOutputText(base);
  const headText = readOutputText(head);
  const baseIsResults = isPerfgateResults(baseText);
  const headIsResults = isPerfgateResults(headText);
  if (baseIsResults !== headIsResults) {
    const [results, other] = baseIsResults ? [base, head] : [head, base];
    throw new UsageError(
      `compare: ${results} is a perfgate results file but ${other} is not; compare two results files, or two outputs of one tool`
    );
  }
  if (baseIsResults) {
    if (opts.format)
      throw new UsageError('compare: --format is for tool outputs, not for perfgate results files');
    return compareResults(parseResults(baseText, base), parseResults(headText, head), base, opts.alpha);
  }
  return compareOutputs({ file: base, text: baseText }, { file: head, text: headText }, opts);
}

/** Whether a text is a perfgate results file (a JSON object whose tool is perfgate). */
function isPerfgateResults(text: string): boolean {
  if (!/^\s*\{/.test(text.replace(/^\uFEFF/, ''))) return false;
  return /"tool"\s*:\s*\{\s*"name"\s*:\s*"perfgate"/.test(text.slice(0, 4096));
}

/**
 * Two results files: the head's series against the base's of the same source and key, unpaired. A
 * key is gated when the head's run gated it, else when it is a default gated key of its kind.
 */
function compareResults(base: Results, head: Results, baseFile: string, alpha: number): Results {
  const baseSeries = base.series ?? [];
  const bySource = new Map<string, Series[]>();
  for (const s of head.series ?? []) {
    const other = baseSeries.find(b => b.source === s.source && b.key === s.key);
    if (!other) continue;
    const summaries = {
      ...(s.summaries?.head && { head: s.summaries.head }),
      ...(other.summaries?.head && { base: other.summaries.head })
    };
    const series: Series = {
      ...s,
      base: 'stored',
      samples: { head: s.samples.head, base: other.samples.head },
      ...(Object.keys(summaries).length > 0 && { summaries })
    };
    bySource.set(s.source, [...(bySource.get(s.source) ?? []), series]);
  }
  const groups: SeriesGroup[] = [...bySource].map(([source, all]) => ({
    source,
    keys: all.map(s => {
      const gated = gatedIn(head, s);
      return { key: s.key, delta: gated?.delta ?? 0.05, gated: gated !== undefined };
    }),
    series: key => all.find(x => x.key === key)!,
    comparable: true
  }));
  const comparisons = compareSeries(groups, { alpha });
  const sha = base.git.sha ? ` at ${base.git.sha.slice(0, 7)}` : '';
  const notes = [
    `Compared with ${baseFile} (measured ${base.createdAt}${sha}), unpaired: perfgate compare measures nothing.`,
    ...(comparisons.length === 0 ? ['No series of the head is in the base: nothing was compared.'] : [])
  ];
  const { verdict: _v, trends: _t, changePoints: _c, history: _h, ...rest } = head;
  const results: Results = { ...rest, comparisons, notes: [...head.notes, ...notes] };
  results.verdict = decideVerdict(results);
  return results;
}

/** δ of a series the head's run gated (its comparison), else of a default gated key of its kind. */
function gatedIn(head: Results, s: Series): { delta: number } | undefined {
  const c: Comparison | undefined = head.comparisons.find(x => x.profile === s.source && x.metric === s.key);
  if (c) return c.gated ? { delta: c.delta } : undefined;
  if (head.comparisons.some(x => x.profile === s.source)) return undefined;
  const defaults: Record<string, number> = head.benchmarks?.some(b => b.name === s.source)
    ? BENCHMARK_COMPARE
    : head.imports?.some(i => i.name === s.source)
      ? {}
      : DEFAULT_COMPARE;
  if (s.key in defaults) return { delta: defaults[s.key]! };
  // An import's primary metrics are keyed by the benchmark's name alone.
  return head.imports?.some(i => i.name === s.source && i.benchmarks.some(b => b.name === s.key))
    ? { delta: 0.05 }
    : undefined;
}

/** Two outputs of one tool: one import, the head's file against the base's, every benchmark gated at 5 %. */
function compareOutputs(
  base: { file: string; text: string },
  head: { file: string; text: string },
  opts: CompareOptions
): Results {
  const headFile = importText(head.text, head.file, IMPORTERS, opts.format);
  const baseFile = importText(base.text, base.file, IMPORTERS, opts.format ?? headFile.format);
  if (baseFile.format !== headFile.format) {
    throw new UsageError(
      `compare: ${base.file} is ${baseFile.format} output but ${head.file} is ${headFile.format}; name the format with --format`
    );
  }
  const name = headFile.format;
  const read: ReadImport[] = [
    {
      config: {
        name,
        format: name,
        path: head.file,
        pathWhere: head.file,
        base: { path: base.file, where: base.file },
        compare: [{ pattern: '*', delta: 0.05 }]
      },
      head: headFile,
      base: baseFile,
      paths: { head: head.file, base: base.file }
    }
  ];
  const sources = importSources(read, () => undefined);
  // The tool's own judgements of the head (k6's thresholds), as a run would gate them.
  const judged = importThresholds(read);
  const results: Results = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'perfgate', version: VERSION },
    createdAt: new Date().toISOString(),
    status: 'complete',
    git: gitInfo(path.dirname(path.resolve(head.file)), opts.env),
    environment: fingerprint(opts.env),
    config: `compare ${base.file} ${head.file}`,
    configHash: '',
    profiles: [],
    imports: sources.records,
    comparisons: compareSeries(sources.groups, { alpha: opts.alpha }),
    thresholds: judged.thresholds,
    series: sources.series,
    notes: [
      `Compared ${head.file} with ${base.file} (${name}), unpaired: perfgate compare measures nothing.`,
      ...sources.notes,
      ...judged.notes
    ]
  };
  results.verdict = decideVerdict(results);
  return results;
}

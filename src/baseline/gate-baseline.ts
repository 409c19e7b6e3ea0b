/**
 * The gate's use of stored baselines: which baseline to read before the run, saving it to a file
 * after the run, and the history a baseline run carries on.
 */
import type { ProfileConfig, ResolvedConfig } from '../config/types.js';
import { toPerfgateError, UsageError, type PerfgateError } from '../errors.js';
import { decideVerdict } from '../verdict.js';
import type { HistoryEntry, Results } from '../model.js';
import type { Reporter } from '../reporter.js';
import { notReplacingNewer, ResultsFileError } from '../results-file.js';
import { readBaseline, writeBaseline } from './file-store.js';
import { nextHistory } from './history.js';
import { qualifiesAsBaseline } from './trust.js';

/**
 * Where the stored baseline comes from: a file to read (`--baseline`, `baseline.path`), or a
 * baseline already fetched and validated elsewhere (the Action's artifact store), with its label.
 */
export type BaselineSource = { file: string; required: boolean } | { results: Results; label: string };

/** How a baseline is named in notes: its file, or the label it was fetched with. */
export function baselineLabel(source: BaselineSource): string {
  return 'file' in source ? source.file : source.label;
}

/** The sources of a config without a base of their own: the ones a stored baseline is for. */
function unpairedSources(config: ResolvedConfig): string[] {
  return [
    ...(config.base ? [] : config.profiles.map(p => `profile "${p.name}"`)),
    ...config.benchmarks.filter(b => !b.base).map(b => `benchmark "${b.name}"`),
    ...config.imports.filter(i => !i.base).map(i => `import "${i.name}"`)
  ];
}

/**
 * The stored baseline to compare with, read before any load is sent so that a bad file fails fast.
 * Sources with a base beside them (paired mode) need none; a missing file is an error only when it
 * was asked for explicitly.
 */
export function loadBaseline(
  config: ResolvedConfig,
  wanted: BaselineSource | undefined,
  results: Results
): Results | null {
  const unpaired = unpairedSources(config);
  const sources = config.profiles.length + config.benchmarks.length + config.imports.length;
  if (!wanted) {
    if (unpaired.length > 0) {
      const which = unpaired.length < sources ? ` for ${unpaired.join(', ')}` : '';
      results.notes.push(`No base to compare against: only thresholds were gated${which}.`);
    }
    return null;
  }
  if (unpaired.length === 0) {
    results.notes.push(`Paired mode: the stored baseline ${baselineLabel(wanted)} was not used.`);
    return null;
  }
  if (!('file' in wanted)) return wanted.results;
  const baseline = readBaseline(wanted.file);
  if (!baseline && wanted.required) {
    throw new UsageError(`the baseline ${wanted.file} does not exist`);
  }
  if (!baseline) {
    results.notes.push(
      `No baseline at ${wanted.file} yet (save one with \`perfgate run --save-baseline ${wanted.file}\`): only thresholds were gated.`
    );
  }
  return baseline;
}

/**
 * Saves a complete run as the baseline, carrying the history of the baseline it replaces (that
 * run becomes the newest entry; `keep` entries at most). A previous file that cannot be read is
 * replaced, and the history starts anew, with a warning — unless a newer perfgate wrote it, which is
 * left alone. The failure to save is the run's error.
 */
export function saveBaseline(
  file: string,
  results: Results,
  reporter: Reporter,
  opts: { configs: readonly ProfileConfig[]; keep: number }
): PerfgateError | undefined {
  try {
    let previous: Results | null = null;
    try {
      previous = readBaseline(file);
    } catch (err) {
      // Another version's history is not this one's to wipe.
      if (err instanceof ResultsFileError && err.newerSchema !== undefined) {
        return notReplacingNewer(`the baseline ${file}`, err.newerSchema, 'save to another file');
      }
      reporter.warn(`${(err as Error).message}: replacing it, its history is lost`);
    }
    const history = nextHistory(previous, opts.configs, opts.keep);
    writeBaseline(file, {
      ...results,
      status: 'complete',
      verdict: decideVerdict(results),
      ...(history.length > 0 && { history })
    });
    const runs =
      history.length > 0 ? ` (with ${history.length} earlier run${history.length === 1 ? '' : 's'})` : '';
    reporter.info(`saved as the baseline: ${file}${runs}`);
    return undefined;
  } catch (err) {
    return toPerfgateError(err);
  }
}

/**
 * The end of a baseline run (the Action's `baseline` mode), `previous` the baseline it replaces: a
 * run that qualifies carries the history of `previous` on (that run becomes the newest entry;
 * `keep` entries at most). Returns that history for the analysis of the run (analysis/baseline-run.ts),
 * also for a run that failed its gate — its values are still the newest point of each series — or
 * null when the run did not complete.
 */
export function carryHistory(
  results: Results,
  previous: Results | null,
  reporter: Reporter,
  config: Pick<ResolvedConfig, 'profiles'> & { keep: number }
): HistoryEntry[] | null {
  if (results.status !== 'complete') {
    reporter.warn('this run is not a baseline: it failed');
    return null;
  }
  const history = nextHistory(previous, config.profiles, config.keep);
  if (qualifiesAsBaseline(results)) {
    if (history.length > 0) results.history = history;
    const runs =
      history.length > 0 ? ` (with ${history.length} earlier run${history.length === 1 ? '' : 's'})` : '';
    reporter.info(`this run is the new baseline${runs}`);
  } else {
    reporter.warn('this run is not a baseline: it failed its gate');
  }
  return history;
}

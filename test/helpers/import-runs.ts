/**
 * Runs of an import ("suite", generic JSON read by the real importer) as the gate makes them, for the
 * tests of imports in the stored history: saved one after another as `--save-baseline` does, and
 * compared with a saved baseline as `--baseline` does (baseline-match → import-sources → verdicts).
 */
import { matchBaseline } from '../../src/compare/baseline-match.js';
import { compareSeries } from '../../src/compare/verdicts.js';
import { nextHistory } from '../../src/baseline/history.js';
import type { ImportConfig } from '../../src/config/types.js';
import { IMPORTERS } from '../../src/importers/index.js';
import { importText } from '../../src/importers/read-import.js';
import type { ImportedFile } from '../../src/importers/types.js';
import { importSources } from '../../src/imports/import-sources.js';
import { SCHEMA_VERSION, type Results } from '../../src/model.js';
import { sampleResults } from './results.js';

/** Every benchmark gated at 5 %, but `render*`, which is reported only. */
export const SUITE: ImportConfig = {
  name: 'suite',
  format: 'generic-smaller',
  path: '/tmp/head.json',
  pathWhere: 'perfgate.yml:4:11',
  compare: [
    { pattern: 'parse*', delta: 0.05 },
    { pattern: 'lex', delta: 0.05 }
  ]
};

/** A generic list of these values in ms (a list of values: the name repeated, one sample each). */
export function genericFile(
  values: Record<string, number | number[]>,
  format = 'generic-smaller'
): ImportedFile {
  const entries = Object.entries(values).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map(value => ({ name, unit: 'ms', value }))
  );
  return importText(JSON.stringify(entries), 'head.json', IMPORTERS, format);
}

/** The day `d` of November 2026, at noon. */
export const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12)).toISOString();

/**
 * A complete run that imported `head` as the import `config`: compared with `base` (the base's file)
 * when given, else with the stored `baseline` when given, as the gate does it.
 */
export function importRun(
  createdAt: string,
  head: ImportedFile,
  opts: { baseline?: Results; base?: ImportedFile; config?: ImportConfig } = {}
): Results {
  const config = opts.config ?? SUITE;
  const results = sampleResults({
    schemaVersion: SCHEMA_VERSION,
    createdAt,
    profiles: [],
    thresholds: [],
    comparisons: []
  });
  const match = opts.baseline && matchBaseline(results, opts.baseline, 'baseline.json');
  const sources = importSources(
    [
      {
        config,
        head,
        ...(opts.base && { base: opts.base }),
        paths: { head: 'head.json', ...(opts.base && { base: 'base.json' }) }
      }
    ],
    name => match?.imports.get(name)
  );
  results.imports = sources.records;
  results.series = sources.series;
  results.comparisons = compareSeries(sources.groups, { alpha: 0.05 });
  results.notes = [...(match?.notes ?? []), ...sources.notes];
  return results;
}

/** The baseline file after saving `runs` over it one after another (`--save-baseline`). */
export function savedBaseline(runs: readonly Results[], keep = 20): Results {
  let file: Results | null = null;
  for (const run of runs) {
    const history = nextHistory(file, [], keep);
    file = { ...run, ...(history.length > 0 && { history }) };
  }
  return file!;
}

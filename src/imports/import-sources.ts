/**
 * The imported files as sources of the gate (SPEC §4): their series, the comparison groups of
 * their benchmarks that both sides have, the record `results.imports` keeps, and notes naming the
 * benchmarks only one side has (added or removed: never silently dropped).
 */
import type { SeriesGroup } from '../compare/verdicts.js';
import { gatedDelta } from './glob.js';
import type { ImportResult, Series } from '../model.js';
import { importGroup, importRecord, importSeries } from '../series/import.js';
import type { ReadImport } from './read-imports.js';

/**
 * A stored baseline's side of an import: its series, the benchmarks it had, and the values of its
 * earlier runs of the same format (series key → the run's value), oldest first.
 */
export interface StoredImport {
  format: string;
  series: Series[];
  benchmarks: string[];
  history?: Array<Record<string, number>>;
}

export interface ImportSources {
  groups: SeriesGroup[];
  series: Series[];
  records: ImportResult[];
  notes: string[];
}

export function importSources(
  imported: readonly ReadImport[],
  stored: (name: string) => StoredImport | undefined
): ImportSources {
  const out: ImportSources = { groups: [], series: [], records: [], notes: [] };
  for (const r of imported) {
    const baseline = r.base ? undefined : stored(r.config.name);
    const usable = baseline && baseline.format === r.head.format ? baseline : undefined;
    const series = importSeries(r.config.name, r.head, r.base, usable?.series);
    const baseNames = r.base ? r.base.benchmarks.map(b => b.name) : usable?.benchmarks;
    const headNames = r.head.benchmarks.map(b => b.name);
    const shared = new Set(baseNames ? headNames.filter(n => baseNames.includes(n)) : headNames);
    const record = importRecord(r.config, r.paths, r.head, baseNames, r.base?.format);
    out.series.push(...series);
    out.records.push(record);
    out.groups.push(importGroup(r.config, series, shared, usable?.history));
    const label = `Import "${r.config.name}" (${r.head.format})`;
    if (record.added.length > 0) {
      out.notes.push(`${label}: ${list(record.added)} only in the head (added, not compared).`);
    }
    if (record.removed.length > 0) {
      out.notes.push(`${label}: ${list(record.removed)} only in the base (removed).`);
    }
    if (baseline && !usable) {
      out.notes.push(`${label}: the stored baseline holds ${baseline.format} output: not compared.`);
    }
    const ungated = headNames.filter(n => shared.has(n) && gatedDelta(r.config.compare, n) === undefined);
    if (ungated.length > 0 && baseNames) {
      out.notes.push(`${label}: ${list(ungated)} matched no compare: pattern (reported, not gated).`);
    }
  }
  return out;
}

/** `"A", "B" and 3 more` */
function list(names: string[]): string {
  const shown = names.slice(0, 5).map(n => JSON.stringify(n));
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
}

/**
 * Imports in the stored history: each saved run keeps per import its format and each series' value
 * (the median of its samples, the tool's mean, or its single value), entries of another format are
 * not used, and baseline files written before imports were kept still read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyEntry, importHistory } from '../../../src/baseline/history.js';
import type { ImportedFile } from '../../../src/importers/types.js';
import { SCHEMA_VERSION, type Results } from '../../../src/model.js';
import { parseResults, readResults } from '../../../src/results-file.js';
import { REPO } from '../../helpers/example-config.js';
import { day, genericFile, importRun, savedBaseline } from '../../helpers/import-runs.js';
import { sampleResults } from '../../helpers/results.js';

/** A file with a summary (mean, spread, n) and a secondary metric, as Google Benchmark's aggregates give. */
const summarised: ImportedFile = {
  format: 'google-benchmark',
  file: 'bench.json',
  benchmarks: [
    {
      name: 'BM_parse',
      metrics: [
        { name: 'time', unit: 'ns', better: 'lower', summary: { mean: 120, stdev: 3, n: 5 } },
        { name: 'throughput', unit: 'B/s', better: 'higher', value: 2e9 }
      ]
    }
  ]
};

/** An import of that file, every benchmark gated. */
const SUITE_GB = {
  name: 'gb',
  path: '/tmp/bench.json',
  pathWhere: 'perfgate.yml:4:11',
  compare: [{ pattern: '*', delta: 0.05 }]
};

describe('historyEntry of a run with imports', () => {
  it("keeps per import its format and each series' value: single value, median of samples, mean", () => {
    const run = importRun(day(1), genericFile({ 'parse small': 10, lex: [3, 9, 4], 'render / page': 7 }));
    expect(historyEntry(run, []).imports).toEqual({
      suite: {
        format: 'generic-smaller',
        values: { 'parse small': 10e6, lex: 4e6, 'render / page': 7e6 }
      }
    });
    const other = importRun(day(1), summarised, { config: SUITE_GB });
    expect(historyEntry(other, []).imports).toEqual({
      gb: { format: 'google-benchmark', values: { BM_parse: 120, 'BM_parse · throughput': 2e9 } }
    });
  });

  it('has no imports without imports', () => {
    const run = sampleResults({ schemaVersion: SCHEMA_VERSION, createdAt: day(1) });
    expect(historyEntry(run, [{ name: 'hello', compare: {} }] as never).imports).toBeUndefined();
  });
});

describe('importHistory', () => {
  it("returns the values of the entries that read the import's format, oldest first", () => {
    const baseline = savedBaseline([
      importRun(day(1), genericFile({ parse: 10 })),
      importRun(day(2), genericFile({ parse: 20 }, 'generic-bigger')),
      importRun(day(3), genericFile({ parse: 11 })),
      importRun(day(4), genericFile({ parse: 12 }))
    ]);
    expect(baseline.history!.map(h => h.imports?.suite?.format)).toEqual([
      'generic-smaller',
      'generic-bigger',
      'generic-smaller'
    ]);
    expect(importHistory(baseline.history, { name: 'suite', format: 'generic-smaller' })).toEqual([
      { createdAt: day(1), values: { parse: 10e6 } },
      { createdAt: day(3), values: { parse: 11e6 } }
    ]);
    expect(importHistory(baseline.history, { name: 'suite', format: 'generic-bigger' })).toHaveLength(1);
    expect(importHistory(baseline.history, { name: 'other', format: 'generic-smaller' })).toEqual([]);
    expect(importHistory(undefined, { name: 'suite', format: 'generic-smaller' })).toEqual([]);
  });
});

describe('the results file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-import-history-'));

  it('reads back a baseline whose history keeps imports', () => {
    const baseline = savedBaseline([1, 2, 3].map(d => importRun(day(d), genericFile({ parse: 10 + d }))));
    const file = path.join(dir, 'baseline.json');
    writeFileSync(file, JSON.stringify(baseline));
    const read = readResults(file);
    expect(read.history).toEqual(baseline.history);
    expect(read.history![1]!.imports!.suite).toEqual({ format: 'generic-smaller', values: { parse: 12e6 } });
  });

  it('reads a baseline written before imports were kept in history', () => {
    const file = path.join(REPO, 'test/fixtures/results/baseline-with-history.json');
    const read = parseResults(readFileSync(file, 'utf8'), file);
    expect(read.history!.length).toBeGreaterThan(0);
    expect(read.history!.every(h => h.imports === undefined)).toBe(true);
    expect(importHistory(read.history, { name: 'suite', format: 'go' })).toEqual([]);
  });

  it('names the place of a bad import entry', () => {
    const baseline = savedBaseline([1, 2].map(d => importRun(day(d), genericFile({ parse: 10 }))));
    const broken = JSON.parse(JSON.stringify(baseline)) as Results;
    (broken.history![0]!.imports!.suite as unknown as { format: number }).format = 3;
    expect(() => parseResults(JSON.stringify(broken), 'baseline.json')).toThrow(
      'baseline.json: history[0].imports.suite.format: expected'
    );
    (broken.history![0]!.imports!.suite as unknown as { format: string }).format = 'go';
    (broken.history![0]!.imports!.suite!.values as unknown as Record<string, string>).parse = 'fast';
    expect(() => parseResults(JSON.stringify(broken), 'baseline.json')).toThrow(
      'baseline.json: history[0].imports.suite.values.parse: expected a number or null, got "fast"'
    );
  });
});

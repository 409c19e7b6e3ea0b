/**
 * The `file` store on real files: a baseline is a results file of the right shape (the one schema)
 * and a complete run; saving over a file carries its history on, replaces a corrupt one with a
 * warning, and never overwrites a file a newer perfgate wrote.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBaseline } from '../../../src/baseline/file-store.js';
import { saveBaseline } from '../../../src/baseline/gate-baseline.js';
import type { ProfileConfig } from '../../../src/config/types.js';
import { RuntimeError } from '../../../src/errors.js';
import type { Results } from '../../../src/model.js';
import type { Reporter } from '../../../src/reporter.js';
import { ResultsFileError } from '../../../src/results-file.js';
import { REPO } from '../../helpers/example-config.js';
import { sampleResults } from '../../helpers/results.js';

/** A baseline written by a real run, with two earlier runs as its history. */
const REAL = readFileSync(path.join(REPO, 'test/fixtures/results/baseline-with-history.json'), 'utf8');
const configs = [{ name: 'hello', compare: { 'http_req_duration.med': 0.05 } }] as unknown as ProfileConfig[];

const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-file-store-'));
let n = 0;
function file(text?: string): string {
  const f = path.join(dir, `baseline-${n++}.json`);
  if (text !== undefined) writeFileSync(f, text);
  return f;
}

function reporter() {
  const warnings: string[] = [];
  const r: Reporter = { info: () => {}, warn: m => warnings.push(m), progress: () => {} };
  return { r, warnings };
}

describe('readBaseline', () => {
  it('reads a real baseline, with its history; a missing file is null', () => {
    expect(readBaseline(file(REAL))?.history).toHaveLength(2);
    expect(readBaseline(file())).toBeNull();
  });

  it.each<[string, (r: Results) => void, string]>([
    [
      'a failed run',
      r => (r.status = 'failed'),
      'status: expected "complete" (a baseline is a complete run), got "failed"'
    ],
    [
      'an unfinished run',
      r => (r.status = 'running'),
      'status: expected "complete" (a baseline is a complete run), got "running"'
    ],
    [
      'a history entry of the wrong shape',
      r => ((r.history![0] as unknown as { profiles: unknown[] }).profiles = []),
      'history[0].profiles: expected an object, got []'
    ]
  ])('refuses %s, naming the file', (_name, edit, message) => {
    const r = JSON.parse(REAL) as Results;
    edit(r);
    const f = file(JSON.stringify(r));
    expect(() => readBaseline(f)).toThrow(ResultsFileError);
    expect(() => readBaseline(f)).toThrow(`${f}: ${message}`);
    expect(() => readBaseline(f, 'results.json')).toThrow(`results.json: ${message}`);
  });
});

describe('saveBaseline', () => {
  const run = sampleResults({ createdAt: '2030-01-01T00:00:00.000Z' });

  it('carries the history of the baseline it replaces on', () => {
    const f = file(REAL);
    const { r, warnings } = reporter();
    expect(saveBaseline(f, run, r, { configs, keep: 20 })).toBeUndefined();
    expect(warnings).toEqual([]);
    const saved = readBaseline(f)!;
    expect(saved.createdAt).toBe(run.createdAt);
    expect(saved.history!.map(h => h.createdAt)).toEqual([
      ...JSON.parse(REAL).history.map((h: { createdAt: string }) => h.createdAt),
      JSON.parse(REAL).createdAt
    ]);
  });

  it('replaces a file of the wrong shape with a warning naming the problem; the history starts anew', () => {
    const f = file(REAL.replace('"trials": [', '"trials": "many", "x": ['));
    const { r, warnings } = reporter();
    expect(saveBaseline(f, run, r, { configs, keep: 20 })).toBeUndefined();
    expect(warnings).toEqual([
      `${f}: profiles[0].head.trials: expected a list, got "many": replacing it, its history is lost`
    ]);
    expect(readBaseline(f)!.history).toBeUndefined();
  });

  it('never overwrites a file a newer perfgate wrote: the run fails, the file is left as it was', () => {
    const newer = JSON.stringify({ ...JSON.parse(REAL), schemaVersion: 3, profiles: 'reshaped' });
    const f = file(newer);
    const { r } = reporter();
    const err = saveBaseline(f, run, r, { configs, keep: 20 });
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err?.message).toBe(
      `the baseline ${f} was written by a newer perfgate (schemaVersion 3, this one writes 2): not replacing it — upgrade perfgate, or save to another file`
    );
    expect(readFileSync(f, 'utf8')).toBe(newer);
  });
});

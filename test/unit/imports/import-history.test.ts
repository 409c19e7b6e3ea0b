/**
 * A single imported value against a stored baseline (SPEC §4 "a single value → decided by δ and the
 * stored history's spread, and the report says so"): the baseline's earlier runs of the same format
 * give the spread; without enough of them δ decides alone, and the comparison says which.
 */
import { matchBaseline } from '../../../src/compare/baseline-match.js';
import { MIN_HISTORY_RUNS } from '../../../src/compare/verdicts.js';
import type { Results } from '../../../src/model.js';
import { day, genericFile, importRun, savedBaseline } from '../../helpers/import-runs.js';

/** A baseline saved five times: "parse" spread over ±5 % run to run, "lex" steady; the last run is the baseline. */
function noisyBaseline(): Results {
  const parse = [100, 108, 95, 104, 100];
  const lex = [50, 50.5, 49.5, 50.2, 50];
  return savedBaseline(parse.map((p, i) => importRun(day(i + 1), genericFile({ parse: p, lex: lex[i]! }))));
}

const comparison = (run: Results, key: string) =>
  run.comparisons.find(c => c.profile === 'suite' && c.metric === key)!;

/** The runs' spread of log values (100, 108, 95, 104, 100): the 90 % prediction bound, as a relative change. */
const PARSE_LIMIT = 0.119;

describe('a single value against a stored baseline with history', () => {
  it("gets each import's earlier runs of the same format from the baseline", () => {
    const baseline = noisyBaseline();
    const stored = matchBaseline(importRun(day(9), genericFile({ parse: 1 })), baseline, 'b').imports.get(
      'suite'
    )!;
    expect(stored.format).toBe('generic-smaller');
    expect(stored.history).toEqual(
      [100, 108, 95, 104].map((p, i) => ({ parse: p * 1e6, lex: [50, 50.5, 49.5, 50.2][i]! * 1e6 }))
    );
  });

  it("is regressed beyond δ and the runs' spread, and the comparison records the spread", () => {
    const run = importRun(day(9), genericFile({ parse: 160, lex: 50 }), { baseline: noisyBaseline() });
    const c = comparison(run, 'parse');
    expect(c).toMatchObject({
      test: 'single-value',
      gated: true,
      verdict: 'regressed',
      values: { base: 100e6, head: 160e6 }
    });
    expect(c.history!.runs).toBe(5);
    expect(c.history!.limit).toBeCloseTo(PARSE_LIMIT, 3);
    expect(c.reason).toBe(
      "single values, no spread to test: decided by δ 5.0 % and the stored runs' spread (±11.9 % over 5 runs)"
    );
    // The steady one: its runs' spread is under δ, which decides.
    expect(comparison(run, 'lex')).toMatchObject({ verdict: 'unchanged' });
    expect(comparison(run, 'lex').history!.limit).toBeLessThan(0.05);
  });

  it('is unchanged within δ and the spread', () => {
    const run = importRun(day(9), genericFile({ parse: 103, lex: 50.6 }), { baseline: noisyBaseline() });
    expect(comparison(run, 'parse')).toMatchObject({ verdict: 'unchanged', history: { runs: 5 } });
    expect(comparison(run, 'lex')).toMatchObject({ verdict: 'unchanged', history: { runs: 5 } });
  });

  it('is not regressed by a change beyond δ that the runs vary by anyway (δ alone would regress it)', () => {
    const withHistory = importRun(day(9), genericFile({ parse: 108 }), { baseline: noisyBaseline() });
    expect(comparison(withHistory, 'parse')).toMatchObject({ verdict: 'inconclusive' });
    expect(comparison(withHistory, 'parse').reason).toMatch(/; the change is within the spread$/);
    const alone = importRun(day(9), genericFile({ parse: 108 }), {
      baseline: savedBaseline([importRun(day(1), genericFile({ parse: 100 }))])
    });
    expect(comparison(alone, 'parse')).toMatchObject({ verdict: 'regressed' });
    expect(comparison(alone, 'parse').history).toBeUndefined();
  });
});

describe('a single value decided by δ alone', () => {
  const ALONE = 'single values, no spread to test: decided by δ 5.0 % alone (no history to give a spread)';

  it(`with fewer than ${MIN_HISTORY_RUNS} stored runs`, () => {
    const baseline = savedBaseline([
      importRun(day(1), genericFile({ parse: 130 })),
      importRun(day(2), genericFile({ parse: 100 }))
    ]);
    const run = importRun(day(9), genericFile({ parse: 120 }), { baseline });
    expect(comparison(run, 'parse')).toMatchObject({ verdict: 'regressed', reason: ALONE });
    expect(comparison(run, 'parse').history).toBeUndefined();
  });

  it('with a history of another format: those runs measured something else', () => {
    const bigger = [100, 108, 95].map((p, i) =>
      importRun(day(i + 1), genericFile({ parse: p }, 'generic-bigger'))
    );
    const baseline = savedBaseline([...bigger, importRun(day(5), genericFile({ parse: 100 }))]);
    expect(baseline.history).toHaveLength(3);
    const run = importRun(day(9), genericFile({ parse: 108 }), { baseline });
    expect(comparison(run, 'parse')).toMatchObject({ verdict: 'regressed', reason: ALONE });
  });

  it("with a base file: compared with the base's file, never with the stored runs", () => {
    const run = importRun(day(9), genericFile({ parse: 108 }), {
      baseline: noisyBaseline(),
      base: genericFile({ parse: 100 })
    });
    expect(comparison(run, 'parse')).toMatchObject({ verdict: 'regressed', reason: ALONE });
  });

  it('with a stored baseline of another format: not compared at all', () => {
    const baseline = savedBaseline(
      [1, 2, 3, 4].map(d => importRun(day(d), genericFile({ parse: 100 }, 'generic-bigger')))
    );
    const run = importRun(day(9), genericFile({ parse: 108 }), { baseline });
    expect(run.comparisons).toEqual([]);
    expect(run.notes).toContain(
      'Import "suite" (generic-smaller): the stored baseline holds generic-bigger output: not compared.'
    );
  });
});

describe('samples against a stored baseline with history', () => {
  it('are compared by rank tests, with the limit of the runs (the medians of their samples)', () => {
    const runs = [100, 108, 95, 104, 100].map((p, i) =>
      importRun(day(i + 1), genericFile({ parse: [p * 0.99, p, p * 1.01, p, p * 1.005] }))
    );
    const run = importRun(day(9), genericFile({ parse: [160, 161, 159, 160, 162] }), {
      baseline: savedBaseline(runs)
    });
    const c = comparison(run, 'parse');
    expect(c).toMatchObject({ test: 'mann-whitney-u', verdict: 'regressed', history: { runs: 5 } });
    expect(c.history!.limit).toBeCloseTo(PARSE_LIMIT, 3);
  });
});

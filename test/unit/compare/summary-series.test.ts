/**
 * Series known only by summaries (imported files without samples, SPEC §4): Welch's t-test from the
 * summaries, and two single values decided by δ and the stored history's spread alone.
 */
import { compareSeries, type SeriesGroup } from '../../../src/compare/verdicts.js';
import type { Series, SeriesSummary } from '../../../src/model.js';
import { welchFromStats } from '../../../src/stats/welch.js';

function series(key: string, head: SeriesSummary, base: SeriesSummary): Series {
  return {
    source: 'micro',
    key,
    unit: 'ns',
    better: 'lower',
    base: 'stored',
    samples: { head: [], base: [] },
    summaries: { head, base }
  };
}

function group(all: Series[], opts: Partial<SeriesGroup> = {}): SeriesGroup {
  return {
    source: 'micro',
    keys: all.map(s => ({ key: s.key, delta: 0.05, gated: true })),
    series: key => all.find(s => s.key === key)!,
    comparable: true,
    ...opts
  };
}

describe('series of summaries', () => {
  it("are compared by Welch's t-test from the summaries: one-sided p, the change of the means", () => {
    const head = { mean: 120, stdev: 4, n: 10 };
    const base = { mean: 100, stdev: 5, n: 12 };
    const [c] = compareSeries([group([series('BenchmarkX', head, base)])], { alpha: 0.05 });
    const expected = welchFromStats({ mean: 120, sd: 4, n: 10 }, { mean: 100, sd: 5, n: 12 }, 'greater');
    expect(c).toMatchObject({ test: 'welch-t', method: 'normal', samples: 10, verdict: 'regressed' });
    expect(c!.pValue).toBeCloseTo(expected.pValue, 15);
    expect(c!.estimate).toBeCloseTo(0.2, 12);
    expect(c!.interval[0]).toBeGreaterThan(0.1);
    expect(c!.interval[1]).toBeLessThan(0.3);
    expect(c!.values).toEqual({ base: 100, head: 120 });
  });

  it('with a spread too wide for the data: inconclusive, with about how many measurements would settle it', () => {
    const [c] = compareSeries(
      [group([series('noisy', { mean: 106, stdev: 30, n: 5 }, { mean: 100, stdev: 30, n: 5 })])],
      { alpha: 0.05 }
    );
    expect(c).toMatchObject({ test: 'welch-t', verdict: 'inconclusive' });
    expect(c!.moreTrials).toBeGreaterThan(5);
  });
});

describe('two single values', () => {
  const single = (key: string, head: number, base: number) =>
    series(key, { mean: head, stdev: 0, n: 1 }, { mean: base, stdev: 0, n: 1 });

  it('are decided by δ alone without history, and the reason says so', () => {
    const all = [
      single('up', 110, 100),
      single('flat', 102, 100),
      single('down', 90, 100),
      single('edge', 96, 100)
    ];
    const out = compareSeries([group(all)], { alpha: 0.05 });
    expect(out.map(c => [c.metric, c.verdict, c.test])).toEqual([
      ['up', 'regressed', 'single-value'],
      ['flat', 'unchanged', 'single-value'],
      ['down', 'improved', 'single-value'],
      ['edge', 'unchanged', 'single-value']
    ]);
    expect(out[0]!.reason).toBe(
      'single values, no spread to test: decided by δ 5.0 % alone (no history to give a spread)'
    );
    expect(out[0]!.pValue).toBeNaN();
  });

  it("against a stored history: a change within the runs' spread is inconclusive", () => {
    const history = [90, 115, 95, 110, 100].map(v => ({ up: v }));
    const [c] = compareSeries([group([single('up', 110, 100)], { history })], { alpha: 0.05 });
    expect(c!.history!.runs).toBe(6);
    expect(c!.history!.limit).toBeGreaterThan(0.1);
    expect(c).toMatchObject({ verdict: 'inconclusive' });
    expect(c!.reason).toMatch(
      /^single values, no spread to test: decided by δ 5\.0 % and the stored runs' spread/
    );
  });

  it('take no place in Holm: a tested comparison beside them is adjusted in a family of its own', () => {
    const tested = series('tested', { mean: 120, stdev: 4, n: 10 }, { mean: 100, stdev: 5, n: 12 });
    const out = compareSeries([group([single('a', 110, 100), single('b', 100, 100), tested])], {
      alpha: 0.05
    });
    const t = out.find(c => c.metric === 'tested')!;
    expect(t.adjustedPValue).toBe(t.pValue);
  });
});

import { profileSeries, runSeries, trialSamples } from '../../../src/series/http-profile.js';
import { comparable, pairs, values, type Series } from '../../../src/series/series.js';
import { compareMetric } from '../../../src/compare/metric-value.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

const series = (head: Array<[number, number]>, base: Array<[number, number]>): Series => ({
  source: 'p',
  key: 'wall_time.med',
  unit: 'ms',
  better: 'lower',
  base: 'paired',
  samples: {
    head: head.map(([index, value]) => ({ index, value })),
    base: base.map(([index, value]) => ({ index, value }))
  }
});

describe('series', () => {
  it('pairs the sides by index, skipping an index only one side measured', () => {
    const s = series(
      [
        [1, 20],
        [2, 30],
        [4, 10]
      ],
      [
        [4, 5],
        [1, 10],
        [3, 99]
      ]
    );
    const p = pairs(s);
    expect(p.head).toEqual([20, 10]);
    expect(p.base).toEqual([10, 5]);
    expect(p.d.map(d => d / Math.LN2)).toEqual([1, 1]);
    expect(values(s.samples.head)).toEqual([20, 30, 10]);
  });

  it.each([
    [1, true],
    [0, false],
    [-1, false],
    [Infinity, false],
    [NaN, false],
    [null, false]
  ])('%p is comparable: %p', (value, ok) => expect(comparable(value)).toBe(ok));
});

describe('the HTTP profile adapter', () => {
  const med = compareMetric('http_req_duration.med');

  it('takes one sample per valid trial, with its index, and leaves out invalid and zero values', () => {
    const trials = [
      syntheticTrial('head', 0, 10, 100),
      syntheticTrial('head', 1, 12, 100, false),
      syntheticTrial('head', 2, 0, 100),
      syntheticTrial('head', 3, 14, 100)
    ];
    expect(trialSamples(trials, med)).toEqual([
      { index: 0, value: 10 },
      { index: 3, value: 14 }
    ]);
  });

  it('a profile with a base side is paired, one with a stored baseline is not, one with neither has no base', () => {
    const head = [syntheticTrial('head', 0, 10, 100), syntheticTrial('head', 1, 11, 100)];
    const base = [syntheticTrial('base', 0, 9, 100), syntheticTrial('base', 1, 8, 100)];
    const paired = profileSeries(syntheticProfile(head, base), 'http_reqs.rate');
    expect(paired).toMatchObject({ source: 'p', key: 'http_reqs.rate', better: 'higher', base: 'paired' });
    expect(pairs(paired).d).toEqual([0, 0]);
    const stored = profileSeries(syntheticProfile(head), 'http_req_duration.med', { trials: base });
    expect(stored.base).toBe('stored');
    expect(values(stored.samples.base)).toEqual([9, 8]);
    const alone = profileSeries(syntheticProfile(head), 'http_req_duration.med');
    expect(alone).toMatchObject({ base: 'none', samples: { base: [] } });
  });

  it("a stored baseline's series is used for its keys; a key it did not store is made from its trials", () => {
    const head = [syntheticTrial('head', 0, 10, 100)];
    const trials = [syntheticTrial('head', 0, 9, 100)];
    const storedMed: Series = {
      source: 'p',
      key: 'http_req_duration.med',
      unit: 'ms',
      better: 'lower',
      base: 'none',
      samples: { head: [{ index: 0, value: 7 }], base: [] }
    };
    const fromSeries = profileSeries(syntheticProfile(head), 'http_req_duration.med', {
      trials,
      series: [storedMed]
    });
    expect(values(fromSeries.samples.base)).toEqual([7]);
    const fromTrials = profileSeries(syntheticProfile(head), 'http_req_duration.p(99)', {
      trials,
      series: [storedMed]
    });
    expect(values(fromTrials.samples.base)).toEqual([18]); // syntheticTrial: p99 = 2 × p50
  });

  it("a run's series: the gated keys (compare:, else the defaults) and the informational ones, this run's sides only", () => {
    const head = [syntheticTrial('head', 0, 10, 100)];
    const base = [syntheticTrial('base', 0, 9, 100)];
    const keys = (compare: Record<string, number>) =>
      runSeries([syntheticProfile(head, base)], [{ name: 'p', compare } as never]).map(s => [s.key, s.base]);
    expect(keys({})).toEqual([
      ['http_req_duration.med', 'paired'],
      ['http_req_duration.p(99)', 'paired'],
      ['http_reqs.rate', 'paired'],
      ['http_req_duration.avg', 'paired'],
      ['http_req_duration.p(90)', 'paired'],
      ['http_req_duration.p(95)', 'paired']
    ]);
    expect(keys({ 'http_req_duration.p(95)': 0.1 }).map(([k]) => k)).toEqual([
      'http_req_duration.p(95)',
      'http_req_duration.avg',
      'http_req_duration.p(90)'
    ]);
  });
});

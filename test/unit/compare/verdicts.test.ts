import type { ProfileConfig } from '../../../src/config/types.js';
import { compareProfiles } from '../../../src/compare/verdicts.js';
import type { ProfileResult, TrialResult } from '../../../src/model.js';
import { hodgesLehmannInterval } from '../../../src/stats/hodges-lehmann.js';
import { syntheticProfile, syntheticTrial as trial } from '../../helpers/trials.js';

/** Base values jitter a little around 10 ms / 1000 req/s; head = base × factor(i). */
function profile(
  pairs: number,
  factor: (i: number) => number,
  rateFactor: (i: number) => number = () => 1
): ProfileResult {
  const base: TrialResult[] = [];
  const head: TrialResult[] = [];
  for (let i = 0; i < pairs; i++) {
    const b = 10 * (1 + 0.003 * Math.sin(i * 1.7));
    const r = 1000 * (1 + 0.003 * Math.cos(i * 1.3));
    base.push(trial('base', i, b, r));
    head.push(trial('head', i, b * factor(i), r * rateFactor(i)));
  }
  return syntheticProfile(head, base);
}

const config = (compare: Record<string, number>) => ({ name: 'p', compare }) as ProfileConfig;
const only = (c: Record<string, number>, result: ProfileResult) =>
  compareProfiles([{ config: config(c), result }], { alpha: 0.05 }).filter(x => x.gated);
// Deterministic "noise": distinct small offsets so that no two log ratios tie.
const wobble = (i: number, size: number) => 1 + size * Math.sin(i * 2.3 + 0.5);

describe('compareProfiles (paired): verdicts as SPEC §5 defines them', () => {
  it('regressed: the median is 20 % slower in every pair', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(10, i => 1.2 * wobble(i, 0.01))
    );
    expect(c).toMatchObject({
      verdict: 'regressed',
      samples: 10,
      method: 'exact',
      better: 'lower',
      gated: true
    });
    expect(c!.estimate).toBeCloseTo(0.2, 1);
    expect(c!.pValue).toBeCloseTo(1 / 1024, 10); // every d > 0: the smallest exact one-sided p at n = 10
    expect(c!.interval[0]).toBeGreaterThan(0.05);
  });

  it('improved: 20 % faster', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(10, i => 0.8 * wobble(i, 0.01))
    );
    expect(c!.verdict).toBe('improved');
    expect(c!.estimate).toBeCloseTo(-0.2, 1);
  });

  it('unchanged: within ±0.5 %, the interval inside ±5 %', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(10, i => wobble(i, 0.005))
    );
    expect(c!.verdict).toBe('unchanged');
    expect(c!.interval[0]).toBeGreaterThan(-0.05);
    expect(c!.interval[1]).toBeLessThan(0.05);
  });

  it('unchanged is the equivalence test at alpha: the 1 − 2·alpha interval (90 %) inside ±δ', () => {
    // Changes of −2.5 % ± 4.6 %: the 90 % interval lies inside ±5 %, the 95 % one reaches −5 %.
    const factor = (i: number) => 0.97 * (1 + 0.0475 * Math.sin(i * 2.3 + 0.5));
    const result = profile(10, factor);
    const [c] = only({ 'http_req_duration.med': 0.05 }, result);
    const d = result.head.trials.map((h, i) =>
      Math.log(h.metrics.latency.p50 / result.base!.trials[i]!.metrics.latency.p50)
    );
    const at90 = hodgesLehmannInterval(d, 0.9);
    const at95 = hodgesLehmannInterval(d, 0.95);
    expect(c!.interval[0]).toBeCloseTo(Math.expm1(at90.lower), 12);
    expect(c!.interval[1]).toBeCloseTo(Math.expm1(at90.upper), 12);
    expect(c!.interval[0]).toBeGreaterThan(-0.05);
    expect(c!.interval[1]).toBeLessThan(0.05);
    // The rule before: the 95 % interval, equivalence at alpha / 2 — this gate was inconclusive.
    expect(Math.expm1(at95.lower)).toBeLessThan(-0.05);
    expect(c!.verdict).toBe('unchanged');
  });

  it('a significant change smaller than δ is not a regression', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(10, i => 1.02 * wobble(i, 0.002))
    );
    expect(c!.adjustedPValue).toBeLessThan(0.05);
    expect(c!.verdict).toBe('unchanged');
  });

  it('inconclusive: ±15 % noise, with a reason and more pairs to run', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(10, i => wobble(i, 0.15))
    );
    expect(c!.verdict).toBe('inconclusive');
    expect(c!.reason).toBe('the 90 % interval still reaches ±5 %');
    expect(c!.moreTrials).toBeGreaterThan(0);
  });

  it('too few pairs for the exact test to reach alpha: says how many are needed', () => {
    const [c] = only(
      { 'http_req_duration.med': 0.05 },
      profile(4, () => 1.5)
    );
    expect(c).toMatchObject({
      verdict: 'inconclusive',
      reason: 'needs at least 5 valid pairs to reach significance, has 4'
    });
    expect(c!.moreTrials).toBeGreaterThanOrEqual(1);
  });

  it('throughput: bigger is better, so a drop is the regression', () => {
    const down = only(
      { 'http_reqs.rate': 0.05 },
      profile(
        10,
        () => 1,
        i => 0.8 * wobble(i, 0.01)
      )
    );
    expect(down[0]).toMatchObject({ verdict: 'regressed', better: 'higher' });
    const up = only(
      { 'http_reqs.rate': 0.05 },
      profile(
        10,
        () => 1,
        i => 1.25 * wobble(i, 0.01)
      )
    );
    expect(up[0]!.verdict).toBe('improved');
  });

  it("Holm's correction over the gated metrics: the smallest p is multiplied by their number", () => {
    const result = profile(10, i => 1.2 * wobble(i, 0.01));
    const gated = only({ 'http_req_duration.med': 0.05, 'http_reqs.rate': 0.05 }, result);
    const med = gated.find(c => c.metric === 'http_req_duration.med')!;
    expect(med.pValue).toBeCloseTo(1 / 1024, 10);
    expect(med.adjustedPValue).toBeCloseTo(2 / 1024, 10);
  });

  it('default gated metrics, and informational ones reported with q-values', () => {
    const all = compareProfiles([{ config: config({}), result: profile(10, () => 1.2) }], { alpha: 0.05 });
    expect(all.filter(c => c.gated).map(c => c.metric)).toEqual([
      'http_req_duration.med',
      'http_req_duration.p(99)',
      'http_reqs.rate'
    ]);
    expect(all.filter(c => !c.gated).map(c => c.metric)).toEqual([
      'http_req_duration.avg',
      'http_req_duration.p(90)',
      'http_req_duration.p(95)'
    ]);
    expect(all.find(c => c.metric === 'http_req_duration.p(99)')!.delta).toBe(0.1);
  });

  it('invalid trials break their pair; a profile without a base is not compared', () => {
    const result = profile(10, i => 1.2 * wobble(i, 0.01));
    result.head.trials[0] = { ...result.head.trials[0]!, valid: false };
    result.base!.trials[1] = { ...result.base!.trials[1]!, valid: false };
    expect(only({ 'http_req_duration.med': 0.05 }, result)[0]!.samples).toBe(8);
    const { base: _base, ...headOnly } = result;
    expect(compareProfiles([{ config: config({}), result: headOnly }], { alpha: 0.05 })).toEqual([]);
  });
});

describe('failed requests where the base had none', () => {
  const withFailures = (t: TrialResult, failed: number): TrialResult => ({
    ...t,
    metrics: { ...t.metrics, failed }
  });

  it('regress the gate without a test, naming the count', () => {
    const result = profile(10, () => 1);
    result.head.trials[3] = withFailures(result.head.trials[3]!, 2);
    const rule = compareProfiles([{ config: config({}), result }], { alpha: 0.05 }).find(
      c => c.metric === 'http_req_failed.rate'
    )!;
    expect(rule).toMatchObject({
      verdict: 'regressed',
      gated: true,
      reason: '2 failed requests in the head where the base had none'
    });
  });

  it('do not when the base failed too, or nobody did', () => {
    const result = profile(10, () => 1);
    expect(
      compareProfiles([{ config: config({}), result }], { alpha: 0.05 }).some(
        c => c.metric === 'http_req_failed.rate'
      )
    ).toBe(false);
    result.head.trials[3] = withFailures(result.head.trials[3]!, 2);
    result.base!.trials[5] = withFailures(result.base!.trials[5]!, 1);
    expect(
      compareProfiles([{ config: config({}), result }], { alpha: 0.05 }).some(
        c => c.metric === 'http_req_failed.rate'
      )
    ).toBe(false);
  });
});

describe('compareProfiles (unpaired) with the history of a stored baseline', () => {
  // Head 8 % slower than the baseline in every trial: clearly significant with 10 trials a side.
  const base = Array.from({ length: 10 }, (_, i) => trial('base', i, 10 * wobble(i, 0.004), 1000));
  const head = Array.from({ length: 10 }, (_, i) => trial('head', i, 10.8 * wobble(i + 20, 0.004), 1000));
  const med = (history?: Array<Record<string, number>>) =>
    compareProfiles(
      [
        {
          config: config({ 'http_req_duration.med': 0.05 }),
          result: syntheticProfile(head),
          baseline: base,
          history
        }
      ],
      { alpha: 0.05 }
    ).find(c => c.metric === 'http_req_duration.med')!;
  const runs = (...values: number[]) => values.map(v => ({ 'http_req_duration.med': v }));

  it('without history: regressed on within-run noise alone', () => {
    const c = med();
    expect(c).toMatchObject({ verdict: 'regressed', test: 'mann-whitney-u' });
    expect(c.history).toBeUndefined();
  });

  it('with fewer than 3 stored runs (the baseline counts as one): the limit is δ alone', () => {
    expect(med(runs(10.1))).toMatchObject({ verdict: 'regressed' });
    expect(med(runs(10.1)).history).toBeUndefined();
  });

  it('with stored runs that differ by ±10 %: the 8 % change is within their spread, so inconclusive', () => {
    const c = med(runs(9, 11, 10.5, 9.5, 10));
    // Limit: the one-sided 95 % prediction bound over ln(9, 11, 10.5, 9.5, 10, baseline ≈ 10).
    const logs = [9, 11, 10.5, 9.5, 10, c.values!.base].map(Math.log);
    const m = logs.reduce((a, b) => a + b) / logs.length;
    const s = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    const t = 2.0150483733330233; // scipy.stats.t.ppf(0.95, 5)
    expect(c.history!.runs).toBe(6);
    expect(c.history!.limit).toBeCloseTo(Math.expm1(t * s * Math.sqrt(1 + 1 / 6)), 10);
    expect(c.verdict).toBe('inconclusive');
    expect(c.reason).toMatch(
      /^the change \(\+8\.\d %\) is within the run-to-run spread of the stored runs \(±1\d\.\d % over 6 runs\); a paired run \(service\.base\) would settle it$/
    );
  });

  it('with stored runs that agree within 1 %: still regressed, and the limit is reported', () => {
    const c = med(runs(10.02, 9.97, 10.05, 9.99));
    expect(c.verdict).toBe('regressed');
    expect(c.history!.runs).toBe(5);
    expect(c.history!.limit).toBeLessThan(0.02);
  });

  it('ignores stored runs without the metric or with unusable values', () => {
    expect(
      med([{ other: 1 }, { 'http_req_duration.med': Number.NaN }, { 'http_req_duration.med': -1 }]).history
    ).toBeUndefined();
  });
});

/**
 * A comparison's resolution (Comparison.resolution): the smallest relative change it could have
 * called. Hand-checkable numbers for each test, and the property that defines it: a change just
 * above it comes out regressed (or improved), one just below the test's part does not.
 */
import { pairedTest } from '../../../src/compare/paired.js';
import { unpairedTest } from '../../../src/compare/unpaired.js';
import { singleValueTest, summaryTest } from '../../../src/compare/summary-test.js';
import { compareSeries, type SeriesGroup } from '../../../src/compare/verdicts.js';
import type { Series, SeriesSummary } from '../../../src/model.js';

/** d = 0.01 … 0.06: 21 Walsh averages 0.01, 0.015, 0.02, 0.02, …, 0.05, 0.05, 0.055, 0.06; median 0.035. */
const D6 = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06];

/** A paired series whose log ratios are `d` (base 100 at every index). */
function paired(key: string, d: number[]): Series {
  return {
    source: 's',
    key,
    unit: 'ms',
    better: 'lower',
    base: 'paired',
    samples: {
      head: d.map((x, index) => ({ index, value: 100 * Math.exp(x) })),
      base: d.map((_, index) => ({ index, value: 100 }))
    }
  };
}

function summaries(key: string, head: SeriesSummary, base: SeriesSummary): Series {
  return {
    source: 's',
    key,
    unit: 'ns',
    better: 'lower',
    base: 'stored',
    samples: { head: [], base: [] },
    summaries: { head, base }
  };
}

function group(all: Series[], delta: number, gated = true): SeriesGroup {
  return {
    source: 's',
    keys: all.map(s => ({ key: s.key, delta, gated })),
    series: key => all.find(s => s.key === key)!,
    comparable: true
  };
}

const compare = (all: Series[], delta: number, gated = true) =>
  compareSeries([group(all, delta, gated)], { alpha: 0.05 });

describe('ChangeTest.detectable: the smallest rise and fall each one-sided test calls', () => {
  it('signed-rank: the distance from the estimate to the one-sided bound, 3rd Walsh average at p = 0.05', () => {
    // n = 6: P(W+ ≥ 19) = 3/64 < 0.05 ≤ P(W+ ≥ 18) = 5/64, so the lower bound is the 3rd smallest
    // Walsh average (0.02) and the upper the 3rd largest (0.05); the estimate is 0.035.
    const { up, down } = pairedTest(D6, 'lower', 0.95).detectable(0.05);
    expect(up).toBeCloseTo(Math.expm1(0.015), 12); // +1.511 %
    expect(down).toBeCloseTo(-Math.expm1(-0.015), 12); // −1.489 %
    // At p = 0.025 only W+ = 21 (1/64) is called: every Walsh average above zero, the bound 0.01.
    expect(pairedTest(D6, 'lower', 0.95).detectable(0.025).up).toBeCloseTo(Math.expm1(0.025), 12);
  });

  it('signed-rank: p = 2^-n exactly is not called (the test needs p below the level), so the bound moves out', () => {
    // p = 1/64 is attainable at n = 6: the test does not call W+ = 21 at level 1/64, so nothing is.
    expect(pairedTest(D6, 'lower', 0.95).detectable(1 / 64).up).toBe(Infinity);
  });

  it('signed-rank: too few pairs for the level can call nothing', () => {
    // n = 4: the smallest p is 1/16 > 0.05.
    const t = pairedTest([0.01, 0.02, 0.03, 0.04], 'lower', 0.95);
    expect(t.detectable(0.05)).toEqual({ up: Infinity, down: Infinity });
  });

  it('Mann–Whitney: 4 against 4 (exact), the 2nd smallest and 2nd largest of the 16 differences at p = 0.05', () => {
    // ln head 0.1 … 0.4, ln base 0 … 0.03: differences .07 .08 .09 .10 .17 … .37 .38 .39 .40,
    // estimate (0.20 + 0.27) / 2 = 0.235; P(U ≥ 15) = 2/70 < 0.05 ≤ P(U ≥ 14) = 4/70.
    const t = unpairedTest(
      [0.1, 0.2, 0.3, 0.4].map(Math.exp),
      [0, 0.01, 0.02, 0.03].map(Math.exp),
      'lower',
      0.95
    );
    expect(t.estimate).toBeCloseTo(0.235, 12);
    const { up, down } = t.detectable(0.05);
    expect(up).toBeCloseTo(Math.expm1(0.235 - 0.08), 12);
    expect(down).toBeCloseTo(-Math.expm1(0.235 - 0.39), 12);
  });

  it("Welch from summaries: t(1 − p, df)·se relative to the base's mean, alike both ways", () => {
    // se = √(10²/10 + 10²/10) = √20, df = 18; python3 -c "from scipy import stats; import math;
    // print(stats.t.ppf(0.95, 18) * math.sqrt(20) / 100)" → 0.07754968203410542
    const t = summaryTest({ mean: 100, stdev: 10, n: 10 }, { mean: 100, stdev: 10, n: 10 }, 'lower', 0.95);
    expect(t.detectable(0.05).up).toBeCloseTo(0.07754968203410542, 10);
    expect(t.detectable(0.05).down).toBeCloseTo(0.07754968203410542, 10);
  });

  it('two single values have none', () => {
    const { up, down } = singleValueTest(110, 100).detectable(0.05);
    expect(up).toBeNaN();
    expect(down).toBeNaN();
  });
});

describe('Comparison.resolution', () => {
  it('is the test’s own when that is larger than δ', () => {
    const [c] = compare([paired('a', D6)], 0.01);
    expect(c!.resolution).toBeCloseTo(Math.expm1(0.015), 12);
  });

  it('is δ when δ is larger: no smaller change is ever called', () => {
    const [c] = compare([paired('a', D6)], 0.05);
    expect(c!.resolution).toBe(0.05);
  });

  it('is guaranteed at Holm’s first step, alpha / m over the gated comparisons', () => {
    // Two gated: the level is 0.025, where only W+ = 21 is called (the bound is the smallest, 0.01).
    const out = compare([paired('a', D6), paired('b', D6)], 0.01);
    for (const c of out) expect(c.resolution).toBeCloseTo(Math.expm1(0.025), 12);
  });

  it('is absent when the sizes cannot reach alpha / m, and for single values', () => {
    const five = [0.01, 0.02, 0.03, 0.04, 0.05]; // smallest p 1/32 > 0.05 / 3
    const out = compare([paired('a', five), paired('b', five), paired('c', five)], 0.01);
    for (const c of out) expect(c.resolution).toBeUndefined();
    const [single] = compare(
      [summaries('x', { mean: 110, stdev: 0, n: 1 }, { mean: 100, stdev: 0, n: 1 })],
      0.05
    );
    expect(single!.test).toBe('single-value');
    expect(single!.resolution).toBeUndefined();
  });

  it("of Welch's test: t(0.95, 18)·√20 / 100 with δ 5 %", () => {
    const [c] = compare(
      [summaries('x', { mean: 100, stdev: 10, n: 10 }, { mean: 100, stdev: 10, n: 10 })],
      0.05
    );
    expect(c!.test).toBe('welch-t');
    expect(c!.resolution).toBeCloseTo(0.07754968203410542, 10);
  });

  it('of informational comparisons is guaranteed at BH’s alpha / m over the informational ones', () => {
    const out = compare([paired('a', D6), paired('b', D6)], 0.01, false);
    for (const c of out) expect(c.resolution).toBeCloseTo(Math.expm1(0.025), 12);
  });

  // The definition: the same spread around a change just above the resolution is called, a
  // change just below the test's part is not. Spread: distinct offsets, 12 pairs.
  const noise = Array.from({ length: 12 }, (_, i) => 0.04 * Math.sin(i * 2.3 + 0.5));
  const around = (change: number) => {
    const centre = pairedTest(noise, 'lower', 0.95).estimate;
    return noise.map(x => x - centre + Math.log1p(change));
  };

  it('a rise just above it is regressed, one just below the rise the test calls is not', () => {
    const [c] = compare([paired('a', noise)], 0.01);
    const r = c!.resolution!;
    expect(r).toBeGreaterThan(0.01); // the spread, not δ, sets it here
    const up = pairedTest(noise, 'lower', 0.95).detectable(0.05).up;
    expect(compare([paired('a', around(r * 1.001))], 0.01)[0]!.verdict).toBe('regressed');
    expect(compare([paired('a', around(up * 0.999))], 0.01)[0]!.verdict).not.toBe('regressed');
  });

  it('a fall just above it is improved, one just below the fall the test calls is not', () => {
    const [c] = compare([paired('a', noise)], 0.01);
    const r = c!.resolution!;
    const down = pairedTest(noise, 'lower', 0.95).detectable(0.05).down;
    expect(compare([paired('a', around(-r * 1.001))], 0.01)[0]!.verdict).toBe('improved');
    expect(compare([paired('a', around(-down * 0.999))], 0.01)[0]!.verdict).not.toBe('improved');
  });

  it('with δ above the spread: a change just under δ is not called, just over δ it is', () => {
    const [c] = compare(
      [
        paired(
          'a',
          noise.map(x => x / 20)
        )
      ],
      0.05
    );
    expect(c!.resolution).toBe(0.05);
    const tight = noise.map(x => x / 20);
    const centre = pairedTest(tight, 'lower', 0.95).estimate;
    const at = (change: number) => tight.map(x => x - centre + Math.log1p(change));
    expect(compare([paired('a', at(0.0501))], 0.05)[0]!.verdict).toBe('regressed');
    expect(compare([paired('a', at(0.0499))], 0.05)[0]!.verdict).not.toBe('regressed');
  });
});

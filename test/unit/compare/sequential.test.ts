import type { ProfileConfig } from '../../../src/config/types.js';
import {
  AutoSampling,
  lookAlphas,
  lookSizes,
  pocockSpending,
  profileLooks
} from '../../../src/compare/sequential.js';
import type { TrialResult } from '../../../src/model.js';
import { gauss, seededRandom } from '../../helpers/random.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

const config = (compare: Record<string, number>) => ({ name: 'p', compare }) as ProfileConfig;

describe('lookSizes', () => {
  it.each([
    [{ min: 10, batch: 5, max: 30 }, [10, 15, 20, 25, 30]],
    [{ min: 10, batch: 7, max: 30 }, [10, 17, 24, 30]],
    [{ min: 6, batch: 10, max: 8 }, [6, 8]],
    [{ min: 12, batch: 4, max: 12 }, [12]]
  ])('%o → %o', (auto, sizes) => expect(lookSizes(auto)).toEqual(sizes));
});

describe('alpha spending', () => {
  it('is the Pocock-type function of Lan & DeMets: α·ln(1 + (e − 1)·t)', () => {
    // 0.025 · ln(1 + (e − 1) / 2), by Python's math.log: 0.015502862673956938
    expect(pocockSpending(0.025, 0.5)).toBeCloseTo(0.015502862673957, 14);
    expect(pocockSpending(0.05, 0)).toBe(0);
    expect(pocockSpending(0.05, 1)).toBeCloseTo(0.05, 15);
  });

  it.each([[[10, 15, 20, 25, 30]], [[10, 17, 24, 30]], [[6, 8]], [[12]]])(
    'splits alpha over the looks %o: positive shares that sum to alpha, the first the largest',
    sizes => {
      const alphas = lookAlphas(0.05, sizes);
      expect(alphas).toHaveLength(sizes.length);
      expect(alphas.reduce((a, b) => a + b, 0)).toBeCloseTo(0.05, 15);
      alphas.forEach(a => expect(a).toBeGreaterThan(0));
      expect(Math.max(...alphas)).toBe(alphas[0]);
    }
  );
});

/** Runs the looks of `trials: auto` over pairs drawn with `draw`, as measure-profile.ts would. */
function sample(
  draw: (i: number) => { base: number; head: number },
  compare: Record<string, number>,
  auto = { min: 10, batch: 5, max: 30, budgetMs: 1e9 },
  alphaFor?: (k: number) => number
) {
  const base: TrialResult[] = [];
  const head: TrialResult[] = [];
  const result = syntheticProfile(head, base);
  const sampling = new AutoSampling(
    profileLooks({ config: config(compare), result }),
    auto,
    0.05,
    Object.keys(compare).length
  );
  if (alphaFor)
    (sampling as unknown as { alphas: number[] }).alphas = lookSizes(auto).map((_, k) => alphaFor(k));
  do {
    for (let n = sampling.next; n > 0; n--) {
      const i = head.length;
      const v = draw(i);
      base.push(syntheticTrial('base', i, v.base, 1000));
      head.push(syntheticTrial('head', i, v.head, 1000));
    }
  } while (!sampling.look());
  return sampling;
}

describe('AutoSampling', () => {
  it('stops at the first look when a clear regression settles every gated metric', () => {
    const next = seededRandom(1);
    const s = sample(
      () => ({ base: 10 * Math.exp(0.01 * gauss(next)), head: 13 * Math.exp(0.01 * gauss(next)) }),
      {
        'http_req_duration.med': 0.05
      }
    );
    expect(s.record.stopped).toBe('conclusive');
    expect(s.record.looks).toHaveLength(1);
    expect(s.record.looks[0]).toMatchObject({ trials: 10, open: [] });
    const [c] = s.comparisons().filter(x => x.gated);
    expect(c).toMatchObject({ verdict: 'regressed', samples: 10 });
    expect(c!.alpha).toBeCloseTo(lookAlphas(0.05, [10, 15, 20, 25, 30])[0]!, 15);
  });

  it('adds batches while a change within the noise stays open, and stops at max', () => {
    const next = seededRandom(2);
    const s = sample(
      () => ({ base: 10 * Math.exp(0.1 * gauss(next)), head: 10.25 * Math.exp(0.1 * gauss(next)) }),
      {
        'http_req_duration.med': 0.05
      }
    );
    expect(s.record.looks.map(l => l.trials)).toEqual([10, 15, 20, 25, 30]);
    expect(s.record.stopped).toBe('max');
    expect(s.record.looks.at(-1)!.open).toEqual(['http_req_duration.med']);
    expect(s.comparisons().find(c => c.gated)).toMatchObject({ verdict: 'inconclusive', samples: 30 });
  });

  it('keeps a metric settled at an earlier look while another stays open', () => {
    const next = seededRandom(3);
    // Medians 30 % slower from the start; p(99) = 2 × median here, so give it its own noisy δ of 0 %.
    const s = sample(
      () => ({ base: 10 * Math.exp(0.01 * gauss(next)), head: 13 * Math.exp(0.01 * gauss(next)) }),
      {
        'http_req_duration.med': 0.05,
        'http_reqs.rate': 0.0
      }
    );
    expect(s.record.looks[0]!.open).toEqual(['http_reqs.rate']);
    const med = s.comparisons().find(c => c.metric === 'http_req_duration.med')!;
    expect(med).toMatchObject({ verdict: 'regressed', samples: 10 });
    expect(s.comparisons().find(c => c.metric === 'http_reqs.rate')!.samples).toBe(30);
  });

  it('says there is nothing to compare without a base side or a baseline', () => {
    const result = syntheticProfile([syntheticTrial('head', 0, 10, 1000)]);
    const s = new AutoSampling(
      profileLooks({ config: config({}), result }),
      { min: 10, batch: 5, max: 30, budgetMs: 1 },
      0.05,
      3
    );
    expect(s.look()).toBe(true);
    expect(s.record).toMatchObject({ stopped: 'nothing-to-compare', looks: [] });
    expect(s.next).toBe(0);
  });

  it('keeps A/A false regressions at or below alpha over five looks; testing each look at alpha does not', () => {
    // δ = 0: every significant slowdown counts, so the looks run to max and each may cry wolf.
    const runs = 600;
    const falseFails = (alphaFor?: (k: number) => number) => {
      const next = seededRandom(42);
      let fails = 0;
      for (let r = 0; r < runs; r++) {
        const s = sample(
          () => ({ base: 10 * Math.exp(0.03 * gauss(next)), head: 10 * Math.exp(0.03 * gauss(next)) }),
          { 'http_req_duration.med': 0 },
          undefined,
          alphaFor
        );
        if (s.comparisons().some(c => c.gated && c.verdict === 'regressed')) fails++;
      }
      return fails / runs;
    };
    const split = falseFails();
    const naive = falseFails(() => 0.05);
    // Binomial(600, 0.05) has sd 0.9 %: 7 % is over two sd above alpha.
    expect(split).toBeLessThanOrEqual(0.07);
    expect(naive).toBeGreaterThan(split);
    expect(naive).toBeGreaterThan(0.07);
  });
});

import type { Comparison, ThresholdResult } from '../../src/model.js';
import { decideVerdict, gateFails, type FailOn } from '../../src/verdict.js';
import { sampleResults } from '../helpers/results.js';

const threshold = (ok: boolean, severity: 'fail' | 'warn' = 'fail'): ThresholdResult => ({
  profile: 'p',
  metric: 'http_reqs',
  expression: 'count>0',
  severity,
  observed: 1,
  unit: 'count',
  ok,
  where: 'p.yml:1:1'
});
const comparison = (verdict: Comparison['verdict'], gated = true): Comparison => ({
  profile: 'p',
  metric: 'http_req_duration.med',
  better: 'lower',
  delta: 0.05,
  gated,
  alpha: 0.05,
  samples: 10,
  test: 'wilcoxon-signed-rank',
  method: 'exact',
  estimate: 0.1,
  interval: [0.05, 0.15],
  pValue: 0.001,
  adjustedPValue: 0.003,
  verdict
});
const results = (thresholds: ThresholdResult[], comparisons: Comparison[]) =>
  sampleResults({ thresholds, comparisons });

describe('decideVerdict', () => {
  it.each([
    ['all fine', [threshold(true)], [comparison('unchanged')], 'pass'],
    ['a broken threshold', [threshold(false)], [comparison('unchanged')], 'fail'],
    ['a broken warn threshold', [threshold(false, 'warn')], [], 'pass'],
    ['a gated regression', [threshold(true)], [comparison('regressed')], 'fail'],
    ['an informational regression', [], [comparison('regressed', false)], 'pass'],
    ['a gated inconclusive', [], [comparison('inconclusive'), comparison('improved')], 'inconclusive'],
    ['an informational inconclusive', [], [comparison('inconclusive', false)], 'pass']
  ] as const)('%s → %s', (_, t, c, verdict) => expect(decideVerdict(results([...t], [...c]))).toBe(verdict));
});

describe('gateFails under each fail-on policy', () => {
  const broken = results([threshold(false)], []);
  const regressed = results([], [comparison('regressed')]);
  it.each([
    ['any', true, true],
    ['threshold', true, false],
    ['regression', false, true],
    ['never', false, false]
  ] as Array<[FailOn, boolean, boolean]>)(
    '%s: threshold %s, regression %s',
    (policy, onThreshold, onRegression) => {
      expect(gateFails(broken, policy)).toBe(onThreshold);
      expect(gateFails(regressed, policy)).toBe(onRegression);
    }
  );
});

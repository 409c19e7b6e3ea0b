import { compareMetric, trialValue } from '../../../src/compare/metric-value.js';
import type { TrialResult } from '../../../src/model.js';
import { syntheticTrial } from '../../helpers/trials.js';

const withSamples = (samples: Array<[number, number]>): TrialResult => ({
  ...syntheticTrial('head', 0, 10, 1000),
  resources: {
    source: 'proc',
    cpu: { peak: null, mean: null },
    rss: { peak: null, mean: null },
    samples: samples.map(([cpu, rss], second) => ({ second, cpu, rss }))
  }
});

describe('per-trial values of the service metrics', () => {
  const t = withSamples([
    [10, 100],
    [30, 400],
    [20, 200],
    [40, 300]
  ]);
  it.each([
    ['service_cpu.avg', 25],
    ['service_cpu.max', 40],
    ['service_cpu.min', 10],
    ['service_cpu.med', 25],
    ['service_rss.max', 400],
    ['service_rss.avg', 250],
    ['service_rss.p(75)', 325] // type 7 quantile of 100, 200, 300, 400
  ])('%s → %d', (key, value) => expect(trialValue(t, compareMetric(key))).toBeCloseTo(value, 9));

  it('are lower-is-better, and null for a trial without samples', () => {
    expect(compareMetric('service_rss.max').better).toBe('lower');
    expect(trialValue(syntheticTrial('head', 0, 10, 1000), compareMetric('service_cpu.avg'))).toBeNull();
    expect(trialValue(withSamples([]), compareMetric('service_cpu.avg'))).toBeNull();
  });
});

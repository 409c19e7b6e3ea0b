/** `statistics.tail` in the HTTP profile's series: which per-trial values a comparison gets. */
import type { ProfileConfig } from '../../../src/config/types.js';
import { compareMetric } from '../../../src/compare/metric-value.js';
import type { TrialResult } from '../../../src/model.js';
import { profileSeries, runSeries, trialValues } from '../../../src/series/http-profile.js';
import { harrellDavisBuckets } from '../../../src/stats/harrell-davis.js';
import {
  createHistogram,
  encodeHistogram,
  histogramBuckets,
  summarizeLatency
} from '../../../src/stats/histogram.js';
import { tailMeanBuckets } from '../../../src/stats/tail-mean.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

/** 1000 requests: 980 at `fastUs`, 20 spread from 5 to 24 ms. */
function histogram(fastUs: number) {
  const h = createHistogram();
  h.recordValueWithCount(fastUs, 980);
  for (let i = 0; i < 20; i++) h.recordValue(5000 + 1000 * i);
  return h;
}

const FAST_US = new Map<TrialResult, number>();

function trial(side: 'head' | 'base', index: number, fastUs: number, valid = true): TrialResult {
  const h = histogram(fastUs);
  const t = syntheticTrial(side, index, fastUs / 1000, 1000, valid);
  const metrics = {
    ...t.metrics,
    responses: 1000,
    latency: summarizeLatency(h),
    histogram: encodeHistogram(h)
  };
  const out = { ...t, metrics, requests: { hello: metrics } };
  FAST_US.set(out, fastUs);
  return out;
}

const head = [trial('head', 1, 1000), trial('head', 2, 1100), trial('head', 3, 1200, false)];
const base = [trial('base', 1, 900), trial('base', 2, 950), trial('base', 3, 990)];
const p99 = compareMetric('http_req_duration.p(99)');
const bucketsOf = (t: TrialResult) => histogramBuckets(histogram(FAST_US.get(t)!));

describe('per-trial latency percentiles under statistics.tail', () => {
  it('hdr keeps the stored HDR percentile; harrell-davis is the default', () => {
    expect(trialValues(head, p99, 'hdr')).toEqual([
      head[0]!.metrics.latency.p99,
      head[1]!.metrics.latency.p99
    ]);
    expect(trialValues(head, p99)).toEqual(trialValues(head, p99, 'harrell-davis'));
    expect(trialValues(head, p99)).not.toEqual(trialValues(head, p99, 'hdr'));
  });

  it('a trial written without its histogram keeps its HDR percentile under any estimator', () => {
    const bare = head.map(t => ({ ...t, metrics: { ...t.metrics, histogram: '' } }));
    expect(trialValues(bare, p99, 'harrell-davis')).toEqual(trialValues(head, p99, 'hdr'));
  });

  it('harrell-davis and tail-mean estimate from each valid trial histogram, in ms', () => {
    const valid = head.filter(t => t.valid);
    expect(trialValues(head, p99, 'harrell-davis')).toEqual(
      valid.map(t => harrellDavisBuckets(bucketsOf(t), 0.99) / 1000)
    );
    expect(trialValues(head, p99, 'tail-mean')).toEqual(
      valid.map(t => tailMeanBuckets(bucketsOf(t), 0.99) / 1000)
    );
    // The slowest 1 % of each trial: 10 of the 20 slow requests, 15..24 ms.
    expect(trialValues(head, p99, 'tail-mean')[0]).toBeCloseTo(19.5, 1);
    // They differ from the HDR percentile, so the knob is seen.
    expect(trialValues(head, p99, 'harrell-davis')).not.toEqual(trialValues(head, p99, 'hdr'));
  });

  it('reads a request tag’s own histogram and leaves the other metrics alone', () => {
    const tagged = compareMetric('http_req_duration{request:hello}.p(99)');
    expect(trialValues(head, tagged, 'tail-mean')).toEqual(trialValues(head, p99, 'tail-mean'));
    for (const key of ['http_req_duration.med', 'http_req_duration.avg', 'http_reqs.rate']) {
      const m = compareMetric(key);
      expect([key, trialValues(head, m, 'harrell-davis')]).toEqual([key, trialValues(head, m)]);
    }
  });

  it('applies to both sides of a paired series, and to runSeries through the profile config', () => {
    const result = syntheticProfile(head, base);
    const s = profileSeries(result, 'http_req_duration.p(99)', undefined, 'tail-mean');
    expect(s.samples.head.map(x => x.value)).toEqual(trialValues(head, p99, 'tail-mean'));
    expect(s.samples.base.map(x => x.value)).toEqual(trialValues(base, p99, 'tail-mean'));
    const config = { name: 'p', compare: {}, tail: 'harrell-davis' } as unknown as ProfileConfig;
    const written = runSeries([result], [config]).find(x => x.key === 'http_req_duration.p(99)')!;
    expect(written.samples.head.map(x => x.value)).toEqual(trialValues(head, p99, 'harrell-davis'));
    const plain = runSeries([result], [{ ...config, tail: 'hdr' }]).find(
      x => x.key === 'http_req_duration.p(99)'
    )!;
    expect(plain.samples.head.map(x => x.value)).toEqual(trialValues(head, p99, 'hdr'));
    const byDefault = runSeries([result], [{ ...config, tail: undefined }]).find(
      x => x.key === 'http_req_duration.p(99)'
    )!;
    expect(byDefault.samples.head.map(x => x.value)).toEqual(trialValues(head, p99, 'harrell-davis'));
  });

  it('recomputes a stored baseline from its trials, not from series stored under another estimator', () => {
    const result = syntheticProfile(head);
    const storedSeries = profileSeries(syntheticProfile(base), 'http_req_duration.p(99)', undefined, 'hdr');
    const stored = {
      trials: base,
      series: [{ ...storedSeries, samples: { head: storedSeries.samples.head, base: [] } }]
    };
    const hd = profileSeries(result, 'http_req_duration.p(99)', stored, 'harrell-davis');
    expect(hd.base).toBe('stored');
    expect(hd.samples.base.map(x => x.value)).toEqual(trialValues(base, p99, 'harrell-davis'));
    // Under hdr the stored series is used as it was stored.
    const hdr = profileSeries(result, 'http_req_duration.p(99)', stored, 'hdr');
    expect(hdr.samples.base).toEqual(storedSeries.samples.head);
  });
});

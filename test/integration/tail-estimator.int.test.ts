/**
 * `statistics: { tail: harrell-davis }` end to end through the real CLI: a paired run of the example
 * service whose written series carry each valid trial's Harrell–Davis p99 (from the trial's own
 * histogram in results.json), not the HDR percentile the trial reports.
 */
import type { Series } from '../../src/model.js';
import { harrellDavisBuckets } from '../../src/stats/harrell-davis.js';
import { decodeHistogram, histogramBuckets } from '../../src/stats/histogram.js';
import { buildLib } from '../helpers/build-lib.js';
import { pairedConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

describe('statistics.tail through the CLI', () => {
  beforeAll(buildLib, 120_000);

  it('harrell-davis: the p99 series are the Harrell–Davis estimates of the trial histograms', async () => {
    const cfg = await pairedConfig({
      headDelayMs: 1,
      trials: 3,
      top: ['statistics: { tail: harrell-davis }']
    });
    const r = await runGate(cfg.file);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const results = r.results!;
    expect(results.status).toBe('complete');
    const p = results.profiles[0]!;
    const series = (key: string): Series => results.series!.find(s => s.source === 'hello' && s.key === key)!;
    const hd = series('http_req_duration.p(99)');
    for (const side of ['head', 'base'] as const) {
      const trials = p[side]!.trials.filter(t => t.valid);
      expect(trials.length).toBeGreaterThan(0);
      const expected = trials.map(t => ({
        index: t.index,
        value: harrellDavisBuckets(histogramBuckets(decodeHistogram(t.metrics.histogram)), 0.99) / 1000
      }));
      expect(hd.samples[side]).toEqual(expected);
      // Not the HDR percentile each trial reports (which thresholds and the report still show).
      expect(hd.samples[side].map(s => s.value)).not.toEqual(trials.map(t => t.metrics.latency.p99));
      // The median is no tail percentile: unchanged.
      expect(series('http_req_duration.med').samples[side].map(s => s.value)).toEqual(
        trials.map(t => t.metrics.latency.p50)
      );
    }
  }, 90_000);
});

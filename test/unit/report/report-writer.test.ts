import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportWriter } from '../../../src/report/report-writer.js';
import { maskSecrets } from '../../../src/reporter.js';
import { createHistogram, encodeHistogram, recordMs } from '../../../src/stats/histogram.js';
import { sampleResults } from '../../helpers/results.js';

/** A real encoded histogram, and a 4-character piece of its base64 used as the "secret". */
function histogramAndSecret(): { histogram: string; secret: string } {
  const h = createHistogram();
  for (let i = 1; i <= 5000; i++) recordMs(h, (i * 7919) % 1000);
  const histogram = encodeHistogram(h);
  const secret = /[A-Za-z0-9]{4}/.exec(histogram.slice(histogram.length / 2))![0];
  return { histogram, secret };
}

describe('ReportWriter masks the model, not the JSON text', () => {
  it('masks a secret in every text of the results but keeps a histogram that happens to contain it', () => {
    const { histogram, secret } = histogramAndSecret();
    expect(histogram).toContain(secret);
    const results = sampleResults();
    const trial = results.profiles[0]!.head.trials[0]!;
    trial.metrics.histogram = histogram;
    results.notes.push(`token ${secret} in a note`, `http://user:hunter2@127.0.0.1:1/`);
    results.profiles[0]!.name = `profile-${secret}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-writer-'));
    const files = new ReportWriter(dir, maskSecrets([secret])).write(results);

    const json = readFileSync(files.results, 'utf8');
    const written = JSON.parse(json) as typeof results;
    expect(written.profiles[0]!.head.trials[0]!.metrics.histogram).toBe(histogram);
    expect(written.notes.slice(-2)).toEqual(['token *** in a note', 'http://user:***@127.0.0.1:1/']);
    expect(written.profiles[0]!.name).toBe('profile-***');
    expect(json.split(histogram).join('')).not.toContain(secret);
    for (const file of [files.summary, files.html]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('hunter2');
    }
    // The caller's results are not changed.
    expect(results.profiles[0]!.name).toBe(`profile-${secret}`);
  });
});

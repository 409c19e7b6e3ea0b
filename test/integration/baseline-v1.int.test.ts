/**
 * A stored baseline from before the series model (schemaVersion 1, a real file) still compares: the
 * run (schemaVersion 2) makes the baseline's samples from the trials it stores, and saving over it
 * carries its history on. The run's own results hold every compared metric as a series.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleService, REPO, tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const V1 = path.join(REPO, 'test/fixtures/results/baseline-with-history.json');

describe('a baseline of schema version 1', () => {
  beforeAll(buildLib, 120_000);

  it('is compared with unpaired, and saving over it writes version 2 with its history carried on', async () => {
    const port = await freePort();
    // The profile and load settings of test/fixtures/results/stored.yml, which made the file.
    const { dir, file } = tempConfig('perfgate-v1-', [
      'version: 1',
      'service:',
      ...exampleService({ port, indent: '  ', readyTimeout: '15s', env: 'DELAY_MS: "1"' }),
      `target: http://127.0.0.1:${port}`,
      'defaults: { connections: 4, warmup: 300ms, duration: 1s, trials: 4 }',
      'profiles:',
      '  - name: hello',
      '    requests:',
      '      - { name: hello, path: /hello, weight: 2 }',
      '      - { name: slow, path: /slow }',
      "    thresholds: { http_req_failed: ['rate<0.01'] }",
      '    compare: { http_req_duration.med: 5%, http_reqs.rate: 5% }',
      'report: { dir: report }'
    ]);
    const stored = path.join(dir, 'baseline.json');
    copyFileSync(V1, stored);
    const v1 = JSON.parse(readFileSync(V1, 'utf8')) as Results;
    expect(v1.schemaVersion).toBe(1);
    expect(v1.series).toBeUndefined();

    const r = await runNode([BIN, 'run', '-c', file, '--baseline', stored, '--save-baseline', stored], {
      cwd: dir,
      env: { ...process.env, CI: 'true' }
    });
    // Pass or a verdict against another day's run: either way it compared, and did not fail to run.
    expect([0, 1]).toContain(r.code);
    const results = JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8')) as Results;
    expect(results.schemaVersion).toBe(2);
    expect(results.notes.join('\n')).toContain(`Compared with the baseline ${stored}`);
    const gated = results.comparisons.filter(c => c.gated && c.test === 'mann-whitney-u');
    expect(gated.map(c => c.metric).sort()).toEqual(['http_req_duration.med', 'http_reqs.rate']);
    for (const c of gated) expect(c.samples).toBe(4);
    // Every compared metric as a series of this run: the gated ones and the informational.
    expect(results.series!.map(s => `${s.source} ${s.key} ${s.base}`)).toEqual([
      'hello http_req_duration.med none',
      'hello http_reqs.rate none',
      'hello http_req_duration.avg none',
      'hello http_req_duration.p(90) none',
      'hello http_req_duration.p(95) none'
    ]);
    expect(results.series![0]!.samples.head.map(s => s.index)).toEqual([0, 1, 2, 3]);

    // Saved as version 2 (a gate that failed is still a complete run): the version-1 run joined the
    // history, after the two earlier runs it carried.
    const saved = JSON.parse(readFileSync(stored, 'utf8')) as Results;
    expect(saved.schemaVersion).toBe(2);
    expect(saved.history!.map(h => h.createdAt)).toEqual([
      ...v1.history!.map(h => h.createdAt),
      v1.createdAt
    ]);
  }, 90_000);
});

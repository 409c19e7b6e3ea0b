/**
 * The Action in paired mode (dist/index.js as a runner runs it): a head slower than its base fails
 * the job with a regression annotation naming the metric and the change, and sets the outputs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { exampleService } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runAction } from '../helpers/run-action.js';

it('fails on a regressed head with an annotation naming the metric and the change', async () => {
  const [head, base] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-action-paired-'));
  writeFileSync(
    path.join(dir, 'perfgate.yml'),
    [
      'version: 1',
      'service:',
      ...exampleService({ port: head, indent: '  ', readyTimeout: '10s', env: 'DELAY_MS: "6"' }),
      '  base:',
      ...exampleService({ port: base, indent: '    ', readyTimeout: '10s', env: 'DELAY_MS: "1"' }),
      `    target: http://127.0.0.1:${base}`,
      `target: http://127.0.0.1:${head}`,
      'defaults: { connections: 4, warmup: 300ms, duration: 500ms, trials: 8 }',
      'profiles: [{ name: hello, requests: [{ path: /hello }] }]',
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  const r = await runAction(dir, {});
  const results = JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8')) as Results;
  expect({ code: r.code, verdict: r.outputs.verdict }).toEqual({ code: 1, verdict: 'fail' });
  expect(Number(r.outputs.regressions)).toBeGreaterThanOrEqual(1);
  expect(r.stdout).toMatch(
    // `%` is written as `%25` in a workflow command (the runner decodes it).
    /::error title=perfgate regression::hello: http_req_duration\.med regressed by \+\d+\.\d %25 \(interval \d+\.\d … \d+\.\d %25\)/
  );
  expect(results.comparisons.find(c => c.metric === 'http_req_duration.med')!.verdict).toBe('regressed');
  expect(r.summary).toContain('**Regressions**');
}, 120_000);

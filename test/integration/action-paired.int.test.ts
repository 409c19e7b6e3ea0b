/**
 * The Action in paired mode (dist/index.js as a runner runs it): a head slower than its base fails
 * the job with a regression annotation naming the metric and the change, and sets the outputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { pairedConfig } from '../helpers/example-config.js';
import { runAction } from '../helpers/run-action.js';

it('fails on a regressed head with an annotation naming the metric and the change', async () => {
  const { dir } = await pairedConfig({ headDelayMs: 6, trials: 8 });
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

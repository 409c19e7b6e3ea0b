import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCommentFiles } from '../../../src/github/pr-comment.js';
import type { Results } from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';

/** `changed` as the gate writes it for the `on-change` policy, on a pull_request event. */
function changed(results: Results): boolean | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-changed-'));
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 3 } }));
  const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
  return writeCommentFiles(results, dir, {
    configPath: 'perfgate.yml',
    policy: 'on-change',
    artifactName: 'a',
    env
  })?.changed;
}

describe('what counts as a change for comment: on-change', () => {
  const quiet = () => {
    const r = sampleResults({ verdict: 'pass' });
    r.thresholds = r.thresholds.filter(t => t.ok);
    return r;
  };

  it('nothing broken, nothing changed: no', () => {
    expect(changed(quiet())).toBe(false);
  });

  it.each(['nothing-measured', 'failed-requests'] as const)('a measurement problem (%s): yes', kind => {
    const r = quiet();
    r.problems = [{ profile: 'hello', side: 'head', kind, message: 'm' }];
    expect(changed(r)).toBe(true);
  });

  it('a broken threshold: yes', () => {
    expect(changed(sampleResults())).toBe(true);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { effectiveMode } from '../../../src/github/baseline-options.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-mode-'));
const payload = path.join(dir, 'event.json');
writeFileSync(payload, JSON.stringify({ repository: { default_branch: 'main' } }));

describe('effectiveMode', () => {
  it.each<[string, string, string | undefined, 'gate' | 'baseline']>([
    ['auto', 'pull_request', 'refs/pull/7/merge', 'gate'],
    ['auto', 'pull_request_target', 'refs/heads/main', 'gate'],
    ['auto', 'push', 'refs/heads/main', 'baseline'],
    ['auto', 'push', 'refs/heads/feature', 'gate'],
    ['auto', 'push', 'refs/tags/v1', 'baseline'],
    ['auto', 'schedule', 'refs/heads/main', 'baseline'],
    ['auto', 'workflow_dispatch', 'refs/heads/main', 'baseline'],
    ['auto', 'workflow_run', 'refs/heads/main', 'gate'],
    ['auto', 'merge_group', 'refs/heads/gh-readonly-queue/main/pr-1', 'gate'],
    ['gate', 'push', 'refs/heads/main', 'gate'],
    ['baseline', 'pull_request', 'refs/pull/7/merge', 'baseline']
  ])('mode %s on %s (%s) → %s', (mode, event, ref, expected) => {
    const env = { GITHUB_EVENT_NAME: event, GITHUB_REF: ref, GITHUB_EVENT_PATH: payload };
    expect(effectiveMode(mode as 'auto' | 'gate' | 'baseline', env)).toBe(expected);
  });
});

import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fetchArtifactBaseline,
  type ArtifactSource,
  type StoredRun
} from '../../../src/baseline/artifact-store.js';
import type { Results } from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';

const RUN: StoredRun = {
  id: 99,
  event: 'push',
  headSha: 'abcdef0123456789',
  createdAt: '2026-11-20T03:00:00Z',
  url: 'https://github.com/acme/shop/actions/runs/99'
};

const trusted = (over: Partial<Results> = {}): Results =>
  sampleResults({ verdict: 'pass', git: { event: 'push', sha: RUN.headSha }, ...over });

/** A source whose run holds `files` (name → text), or none at all. */
function source(
  files: Record<string, string> | { missing: string } | null,
  run: StoredRun = RUN
): ArtifactSource {
  return {
    findRun: async () => (files === null ? { missing: 'no successful run yet' } : run),
    download: async (_run, _name, dir) => {
      if (files && 'missing' in files) return files as { missing: string };
      for (const [name, text] of Object.entries(files ?? {})) writeFileSync(path.join(dir, name), text);
      return undefined;
    }
  };
}

describe('fetchArtifactBaseline', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-artifact-store-'));
  afterEach(() => expect(readdirSync(tmp)).toEqual([])); // the download directory is removed

  it('returns a trusted, complete baseline with a label naming the run', async () => {
    const got = await fetchArtifactBaseline(
      source({ 'results.json': JSON.stringify(trusted()) }),
      'perfgate-report',
      tmp
    );
    expect(got.results?.profiles).toHaveLength(1);
    expect(got).toMatchObject({ label: 'artifact "perfgate-report" of run 99 (push, abcdef0)', run: RUN });
  });

  it.each<[string, Record<string, string> | { missing: string } | null, RegExp]>([
    ['no run', null, /^no successful run yet$/],
    [
      'an expired artifact',
      { missing: 'the artifact has expired' },
      /^the baseline artifact "perfgate-report" of run 99 \(push, abcdef0\) could not be downloaded: the artifact has expired$/
    ],
    ['no results.json', { 'summary.md': '# hi' }, /has no results\.json at its root$/],
    [
      'results.json not JSON',
      { 'results.json': '{"tool":' },
      /^the baseline artifact "perfgate-report" of run 99 \(push, abcdef0\) is not usable: results\.json: not valid JSON at line 1, column 9: expected a value, got the end of the file$/
    ],
    [
      'a results file of another schema',
      { 'results.json': JSON.stringify({ ...trusted(), schemaVersion: 0 }) },
      /is not usable: results\.json: schemaVersion: expected 1 or 2, got 0$/
    ],
    [
      'a results file of a newer schema',
      { 'results.json': JSON.stringify({ ...trusted(), schemaVersion: 3 }) },
      /is not usable: results\.json: written by a newer perfgate \(schemaVersion 3; this one reads 2\): upgrade perfgate to read it$/
    ],
    [
      'a results file of the wrong shape',
      {
        'results.json': JSON.stringify({
          ...trusted(),
          profiles: [{ ...trusted().profiles[0], head: { side: 'head', target: 'x', trials: 'many' } }]
        })
      },
      /is not usable: results\.json: profiles\[0\]\.head\.trials: expected a list, got "many"$/
    ],
    [
      'an unfinished run',
      { 'results.json': JSON.stringify(trusted({ status: 'failed' })) },
      /is not usable: results\.json: status: expected "complete" \(a baseline is a complete run\), got "failed"$/
    ],
    [
      'results measured on a pull request',
      { 'results.json': JSON.stringify(trusted({ git: { event: 'pull_request' } })) },
      /is not used: it was measured on a pull_request event \(baselines come from push, schedule, workflow_dispatch\)$/
    ],
    [
      'a run that failed its gate',
      { 'results.json': JSON.stringify(trusted({ verdict: 'fail' })) },
      /is not used: that run failed its gate$/
    ]
  ])('%s: no baseline, and the reason', async (_name, files, reason) => {
    const got = await fetchArtifactBaseline(source(files), 'perfgate-report', tmp);
    expect(got.results).toBeNull();
    expect('reason' in got && got.reason).toMatch(reason);
    // The temporary download path never reaches the message.
    expect('reason' in got && got.reason).not.toContain(tmp);
  });

  it('leaves no temporary directory behind', () => {
    expect(existsSync(tmp)).toBe(true);
  });
});

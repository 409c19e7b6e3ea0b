/**
 * Mode `comment` reads a report artifact that a fork wrote: only plain files (no symbolic links), of
 * bounded size, every field checked; a wrong file is a refusal naming it, never a TypeError or a
 * stack trace, and nothing is posted. Runs the bundle (dist/index.js) as a runner does.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeGitHub, Routes } from '../helpers/fake-github.js';
import { artifact, CONFIG_ID, REPO, runFollowUp, SHA, type ArtifactFiles } from '../helpers/follow-up.js';
import { sampleResults } from '../helpers/results.js';

let github: FakeGitHub;
beforeEach(async () => (github = await FakeGitHub.start({ token: 'ghs_not_a_real_token' })));
afterEach(() => github.close());

/** The follow-up of a pull request from a branch of this repository, #7 at SHA. */
const followUp = (dir: string) =>
  runFollowUp(github, dir, {
    sha: SHA,
    pullRequests: [github.addPull(REPO, { number: 7, branch: 'feature', sha: SHA })]
  });

describe('mode comment reads a hostile artifact safely', () => {
  const run = (files: ArtifactFiles) => followUp(artifact(files));
  /** A refusal: exit 1, the message in the log, no stack trace, nothing posted. */
  const refused = (r: Awaited<ReturnType<typeof run>>, message: RegExp) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/TypeError|\n\s+at /);
    expect(github.requestsTo(Routes.CreateComment)).toHaveLength(0);
  };

  it.each([
    ['not JSON', '{"tool": {"name": "perfgate"', /report\/results\.json: not (valid )?JSON/],
    ['an array', '[1, 2]', /results\.json: /],
    ['not written by perfgate', '{"tool": {"name": "k6"}}', /results\.json: tool\.name/],
    [
      'profiles of the wrong type',
      JSON.stringify({ ...sampleResults(), profiles: 'many' }),
      /report\/results\.json: /
    ]
  ])('results.json %s: refused, naming the file', async (_what, text, message) => {
    refused(await run({ results: text }), message);
  });

  it('results.json missing', async () => {
    const dir = artifact();
    rmSync(path.join(dir, 'report/results.json'));
    refused(await followUp(dir), /report\/results\.json not found/);
  });

  it('results.json a symbolic link (to a file of the runner): not read', async () => {
    const secret = path.join(mkdtempSync(path.join(os.tmpdir(), 'perfgate-secret-')), 'credentials');
    writeFileSync(secret, 'hunter2-the-runner-secret');
    const dir = artifact();
    rmSync(path.join(dir, 'report/results.json'));
    symlinkSync(secret, path.join(dir, 'report/results.json'));
    const r = await followUp(dir);
    refused(r, /report\/results\.json is a symbolic link/);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('a dangling symbolic link: refused as a link, not as missing', async () => {
    const dir = artifact();
    rmSync(path.join(dir, 'report/pull-request.json'));
    symlinkSync('/nonexistent/pull-request.json', path.join(dir, 'report/pull-request.json'));
    refused(await followUp(dir), /pull-request\.json is a symbolic link/);
  });

  it('a huge pull-request.json: not read', async () => {
    refused(
      await run({ pr: ' '.repeat(1_000_000) + '{}' }),
      /pull-request\.json is 1000002 bytes, more than the 4096/
    );
  });

  it.each([
    [
      'configId that would break out of the marker',
      { configId: 'x --> <img src=x>', policy: 'always' },
      /configId: expected 12 hexadecimal digits, got "x --> <img src=x>"/
    ],
    [
      'policy unknown',
      { configId: CONFIG_ID, policy: 'loud' },
      /policy: expected one of always, on-change, never, got "loud"/
    ],
    [
      'number not a number',
      { configId: CONFIG_ID, policy: 'always', number: '7; rm -rf' },
      /number: expected a pull request number, got "7; rm -rf"/
    ]
  ])('pull-request.json with a %s: refused', async (_what, pr, message) => {
    refused(await run({ pr }), message);
  });

  it('no pull-request.json: refused', async () => {
    refused(await run({ pr: null }), /report\/pull-request\.json not found/);
  });
});

/**
 * The `artifact` baseline store end to end: the bundle `dist/index.js` run as a runner runs it,
 * against a local server playing the GitHub REST API (runs, artifacts, the zip download and its
 * blob redirect) and a local results service the artifact client uploads to. The baseline is the
 * report artifact of a successful baseline run on the default branch: what a push run uploads is
 * what a later pull request downloads.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { exampleConfig } from '../helpers/example-config.js';
import { startFakeArtifacts, type FakeArtifacts, type StoredArtifact } from '../helpers/fake-artifacts.js';
import { FakeGitHub, Routes, zipDirectory } from '../helpers/fake-github.js';
import { runAction } from '../helpers/run-action.js';

const REPO = 'acme/shop';
const TOKEN = 'ghs_not_a_real_token';
const NAME = 'perfgate-report';

let artifacts: FakeArtifacts;
let github: FakeGitHub;
beforeAll(async () => (artifacts = await startFakeArtifacts()));
afterAll(() => artifacts.close());
beforeEach(async () => (github = await FakeGitHub.start({ token: TOKEN })));
afterEach(() => github.close());

/** A config for the example service with `baseline:` set to `baseline`. */
async function config(baseline: string, thresholds = 'http_reqs: ["count>0"]') {
  const cfg = await exampleConfig({ thresholds });
  appendFileSync(cfg.file, `baseline: ${baseline}\n`);
  return cfg;
}

/** Runs the Action for `event` as run `runId`, with the artifact upload and the GitHub API faked. */
function run(
  dir: string,
  event: string,
  runId: number,
  extra: Record<string, string> = {},
  envOpts: { bareRepository?: boolean } = {}
) {
  return runAction(dir, {
    ...github.actionEnv({ repo: REPO, event, runId: String(runId), ...envOpts }),
    // github.com: the artifact client refuses other hosts as GitHub Enterprise Server.
    GITHUB_SERVER_URL: 'https://github.com',
    PERFGATE_RETRY_BASE_MS: '5',
    ACTIONS_RUNTIME_TOKEN: artifacts.token,
    ACTIONS_RESULTS_URL: `${artifacts.url}/`,
    INPUT_COMMENT: 'never',
    ...extra
  });
}

/** The artifact the last run uploaded, and its results.json. */
function lastUpload(): { artifact: StoredArtifact; results: Results } {
  const artifact = artifacts.artifacts.at(-1)!;
  return { artifact, results: JSON.parse(artifacts.read(artifact, 'results.json')) as Results };
}

/** A zip whose results.json has `text`. */
function zipWithResults(text: string): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-zip-'));
  writeFileSync(path.join(dir, 'results.json'), text);
  writeFileSync(path.join(dir, 'summary.md'), '# perfgate\n');
  return zipDirectory(dir);
}

const runsListed = () => github.requestsTo(Routes.ListWorkflowRuns);
const artifactRunsAsked = () =>
  github.requestsTo(Routes.ListRunArtifacts).map(r => Number(r.path.split('/').at(-2)));

describe('baseline store: artifact', () => {
  /** The report artifact of a first baseline run on push, shared by the tests below. */
  let first: { zip: Buffer; results: Results };
  beforeAll(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'push', 500);
    await github.close();
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode baseline (auto, event push)');
    expect(r.stdout).toContain(
      'no previous baseline, the history starts anew: no successful push/schedule/workflow_dispatch run of perf.yml on main yet'
    );
    const { artifact, results } = lastUpload();
    expect(artifact).toMatchObject({ name: NAME, finalized: true });
    first = { zip: artifact.zip!, results };
  }, 120_000);

  it('(a) a push run uploads its results as the baseline; the next one carries the history on', async () => {
    expect(first.results).toMatchObject({ status: 'complete', verdict: 'pass', comparisons: [] });
    expect(first.results.git.event).toBe('push');
    expect(first.results.history).toBeUndefined();
    expect(first.results.notes).toContain(
      'Baseline run: not compared; if it passes, its results are the baseline of later gate runs.'
    );

    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, first.zip);
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'push', 501);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'carrying on the history of the baseline artifact "perfgate-report" of run 500'
    );
    expect(r.stdout).toContain('this run is the new baseline (with 1 earlier run)');
    const { results } = lastUpload();
    expect(results.comparisons).toEqual([]); // a baseline run never compares
    expect(results.history).toHaveLength(1);
    expect(results.history![0]!.createdAt).toBe(first.results.createdAt);
    expect(Object.keys(results.history![0]!.profiles)).toEqual(['hello']);
    // The lookup asked for successful runs of this workflow on the default branch.
    expect(runsListed()[0]).toMatchObject({
      path: '/repos/acme/shop/actions/workflows/perf.yml/runs',
      query: { branch: 'main', status: 'success' }
    });
  });

  it('(b) a pull request finds the trusted run — not a fork\'s "main", a failed run or a pull request — and compares unpaired', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, first.zip);
    // Newer runs the lookup must pass over, each with a tempting artifact.
    const poison = zipWithResults(
      JSON.stringify({ ...first.results, createdAt: '2000-01-01T00:00:00.000Z' })
    );
    for (const run of [
      { id: 601, event: 'pull_request', fork: true }, // a fork's branch named main
      { id: 602, event: 'pull_request' }, // a same-repository pull request from "main"
      { id: 603, conclusion: 'failure' as const }, // a failed push
      { id: 604, head_branch: 'feature' } // a push to another branch
    ]) {
      github.addRun(REPO, run);
      github.addArtifact(run.id, NAME, poison);
    }
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode gate (auto, event pull_request)');
    expect(r.stdout).toContain('comparing with the baseline artifact "perfgate-report" of run 500 (push, ');
    expect(artifactRunsAsked()).toEqual([500]);
    expect(github.requestsTo(Routes.DownloadArtifact)).toHaveLength(1);
    expect(github.requestsTo(Routes.Blob)).toMatchObject([{ status: 200 }]);
    const results = JSON.parse(readFileSync(r.outputs.results!, 'utf8')) as Results;
    expect(results.comparisons.length).toBeGreaterThan(0);
    for (const c of results.comparisons) expect(c.test).toBe('mann-whitney-u');
    expect(results.notes.join('\n')).not.toMatch(/No baseline|No base to compare/);
    expect(results.notes[0]).toMatch(
      /^Compared with the baseline artifact "perfgate-report" of run 500 \(push, [0-9a-f]{7}\) \(measured \S+ at [0-9a-f]{7}, push\)\.$/
    );
    // A pull request's report is uploaded, never as a baseline: no history is carried.
    expect(lastUpload().results.history).toBeUndefined();
    expect(lastUpload().results.git.event).toBe('pull_request');
  });

  it('(c) no baseline run yet: a notice and a pass without comparison (default branch read from the API)', async () => {
    github.addRun(REPO, { id: 601, event: 'pull_request', fork: true });
    github.addArtifact(601, NAME, first.zip);
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'pull_request', 700, {}, { bareRepository: true });
    expect(r.code).toBe(0);
    expect(github.requestsTo(Routes.GetRepo)).toHaveLength(1);
    expect(r.stdout).toContain(
      '::notice title=perfgate baseline::No baseline to compare with: no successful push/schedule/workflow_dispatch run of perf.yml on main yet (run it in baseline mode first). Only thresholds are gated.'
    );
    expect(artifactRunsAsked()).toEqual([]);
    const results = JSON.parse(readFileSync(r.outputs.results!, 'utf8')) as Results;
    expect(results).toMatchObject({ verdict: 'pass', comparisons: [] });
    expect(results.notes[0]).toMatch(/^No baseline to compare with: no successful/);
    expect(r.outputs.verdict).toBe('pass');
  });

  it('(d) an expired artifact (410): a notice, no comparison', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, first.zip, { expired: true });
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.code).toBe(0);
    expect(github.requestsTo(Routes.DownloadArtifact)).toMatchObject([{ status: 410 }]);
    expect(r.stdout).toMatch(
      /::notice title=perfgate baseline::No baseline to compare with: the baseline artifact "perfgate-report" of run 500 \(push, [0-9a-f]{7}\) could not be downloaded: the artifact has expired/
    );
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(JSON.parse(readFileSync(r.outputs.results!, 'utf8'))).toMatchObject({ comparisons: [] });
  });

  it('(d) a corrupt results.json in the artifact: a notice naming the problem', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, zipWithResults('{"tool": {"name": "perfgate"'));
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /::notice title=perfgate baseline::No baseline to compare with: the baseline artifact "perfgate-report" of run 500 \(push, [0-9a-f]{7}\) is not usable: results\.json: not valid JSON at line 1, column 29: expected ',' or '}', got the end of the file/
    );
  });

  it('(d) a results.json of the wrong shape with baseline.required: a failure naming the JSON path, no stack trace', async () => {
    const broken = JSON.parse(JSON.stringify(first.results)) as Results;
    (broken.profiles[0]!.head as unknown as { trials: string }).trials = 'many';
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, zipWithResults(JSON.stringify(broken)));
    const cfg = await config('{ store: artifact, required: true }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::perfgate: no usable baseline \(baseline.required is true\): the baseline artifact "perfgate-report" of run 500 \(push, [0-9a-f]{7}\) is not usable: results\.json: profiles\[0\]\.head\.trials: expected a list, got "many"/
    );
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.summary).not.toMatch(/\n\s+at /);
  });

  it('(d) a missing artifact with baseline.required: a clear failure, no stack trace', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, 'another-name', first.zip);
    const cfg = await config('{ store: artifact, required: true }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error::perfgate: no usable baseline (baseline.required is true): the baseline artifact "perfgate-report" of run 500'
    );
    expect(r.stdout).toContain('that run has no artifact "perfgate-report"');
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.summary).toContain('perfgate: run failed');
  });

  it('(d) baseline.name picks another artifact than the report', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, 'perf-baseline', first.zip);
    const cfg = await config('{ store: artifact, name: perf-baseline, required: true }');
    const r = await run(cfg.dir, 'pull_request', 700);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('comparing with the baseline artifact "perf-baseline" of run 500');
    expect(github.requestsTo(Routes.ListRunArtifacts)[0]!.query).toEqual({ name: 'perf-baseline' });
  });

  it('(e) mode baseline on a pull request: a warning, nothing looked up, no history written', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, first.zip);
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'pull_request', 700, { INPUT_MODE: 'baseline' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::warning title=perfgate baseline::mode baseline on a pull_request event: a pull request never writes a baseline'
    );
    expect(runsListed()).toEqual([]);
    const { results } = lastUpload();
    expect(results).toMatchObject({ comparisons: [], git: { event: 'pull_request' } });
    expect(results.history).toBeUndefined();
  });

  it('(e) a push run that fails its gate is not a baseline, even when the job passes (fail-on: never)', async () => {
    github.addRun(REPO, { id: 500 });
    github.addArtifact(500, NAME, first.zip);
    const cfg = await config('{ store: artifact }', 'http_reqs: ["count<1"]');
    const r = await run(cfg.dir, 'push', 501, { 'INPUT_FAIL-ON': 'never' });
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.stdout).toContain('::warning::this run is not a baseline: it failed its gate');
    const { artifact, results } = lastUpload();
    expect(results.history).toBeUndefined();

    // Its run succeeded, so the lookup finds it; its results say it failed, so it is not used.
    github.addRun(REPO, { id: 501 });
    github.addArtifact(501, NAME, artifact.zip!);
    const pr = await config('{ store: artifact }');
    const asked = artifactRunsAsked().length; // the baseline run above looked up run 500
    const gate = await run(pr.dir, 'pull_request', 700);
    expect(gate.code).toBe(0);
    expect(artifactRunsAsked().slice(asked)).toEqual([501]);
    expect(gate.stdout).toMatch(
      /::notice title=perfgate baseline::No baseline to compare with: the baseline artifact "perfgate-report" of run 501 \(push, [0-9a-f]{7}\) is not used: that run failed its gate/
    );
    expect(JSON.parse(readFileSync(gate.outputs.results!, 'utf8'))).toMatchObject({ comparisons: [] });
  });

  it('a schedule run is a baseline run too', async () => {
    const cfg = await config('{ store: artifact }');
    const r = await run(cfg.dir, 'schedule', 800);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('perfgate: mode baseline (auto, event schedule)');
    expect(lastUpload().results.git.event).toBe('schedule');
  });
});

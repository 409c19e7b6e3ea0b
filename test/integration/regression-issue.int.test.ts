/**
 * The regression issue of scheduled runs end to end: the bundle `dist/index.js` run as a runner runs
 * it on `schedule` events, against the local server playing the GitHub REST API (runs, artifacts,
 * issues) and the local results service the artifact client uploads to. Each run carries the
 * history of the previous run's artifact on; a shift in that history that still holds opens the
 * issue, a run that still finds it updates the same issue, and a run back within bounds closes it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyEntry } from '../../src/baseline/history.js';
import type { HistoryEntry, Results } from '../../src/model.js';
import { exampleService } from '../helpers/example-config.js';
import { startFakeArtifacts, type FakeArtifacts } from '../helpers/fake-artifacts.js';
import { FakeGitHub, Routes, zipDirectory } from '../helpers/fake-github.js';
import { freePort } from '../helpers/ports.js';
import { runAction } from '../helpers/run-action.js';

const REPO = 'acme/shop';
const TOKEN = 'ghs_not_a_real_token';
const NAME = 'perfgate-report';
const MARKER = /<!-- perfgate:issue config=[0-9a-f]{12} -->/;

let artifacts: FakeArtifacts;
let github: FakeGitHub;
beforeAll(async () => {
  artifacts = await startFakeArtifacts();
  github = await FakeGitHub.start({ token: TOKEN });
});
afterAll(async () => {
  await github.close();
  await artifacts.close();
});

/** A short config for the example service, `delayMs` added to every request. */
async function config(delayMs: number): Promise<string> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-test-'));
  writeFileSync(
    path.join(dir, 'perfgate.yml'),
    [
      'version: 1',
      'service:',
      ...exampleService({ port, indent: '  ', readyTimeout: '10s', env: `DELAY_MS: "${delayMs}"` }),
      `target: http://127.0.0.1:${port}`,
      'defaults: { connections: 4, warmup: 200ms, duration: 500ms, trials: 3 }',
      'profiles:',
      '  - name: hello',
      '    requests:',
      '      - { name: hello, path: /hello }',
      '    thresholds:',
      '      http_reqs: ["count>0"]',
      'baseline: { store: artifact }',
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  return dir;
}

function run(dir: string, event: string, runId: number) {
  return runAction(dir, {
    ...github.actionEnv({ repo: REPO, event, runId: String(runId) }),
    GITHUB_SERVER_URL: 'https://github.com',
    PERFGATE_RETRY_BASE_MS: '5',
    ACTIONS_RUNTIME_TOKEN: artifacts.token,
    ACTIONS_RESULTS_URL: `${artifacts.url}/`,
    INPUT_COMMENT: 'never'
  });
}

/** The last uploaded artifact's zip and results.json. */
function lastUpload(): { zip: Buffer; results: Results } {
  const artifact = artifacts.artifacts.at(-1)!;
  return { zip: artifact.zip!, results: JSON.parse(artifacts.read(artifact, 'results.json')) as Results };
}

/** Publishes the last upload as the artifact of successful run `id` (the next run's baseline). */
function publishLast(id: number, event = 'schedule'): void {
  github.addRun(REPO, { id, event });
  github.addArtifact(id, NAME, lastUpload().zip);
}

/** `entry` with latencies divided and rates multiplied by `factor`, 1 % apart from run to run. */
function faster(entry: HistoryEntry, factor: number, i: number, createdAt: string): HistoryEntry {
  const jitter = 1 + 0.01 * Math.sin(i * 2.3);
  const profiles = Object.fromEntries(
    Object.entries(entry.profiles).map(([name, p]) => [
      name,
      {
        ...p,
        values: Object.fromEntries(
          Object.entries(p.values).map(([k, v]) => [
            k,
            (k.startsWith('http_reqs') ? v * factor : v / factor) * jitter
          ])
        )
      }
    ])
  );
  return { ...entry, createdAt, profiles };
}

describe('regression issue on scheduled runs', () => {
  it('opens one issue for a change point, updates it while it holds, closes it when back within bounds', async () => {
    // A slow push run whose stored history is flat at twice its speed, then one run as slow as itself.
    const seed = await run(await config(30), 'push', 800);
    expect(seed.code).toBe(0);
    const slow = lastUpload().results;
    const entry = historyEntry(slow, []);
    const day = (d: number) => new Date(Date.parse(slow.createdAt) - (20 - d) * 86_400_000).toISOString();
    const history = [
      ...Array.from({ length: 13 }, (_, i) => faster(entry, 2, i, day(i))),
      faster(entry, 1, 13, day(13))
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-zip-'));
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ ...slow, history }));
    github.addRun(REPO, { id: 800, event: 'push' });
    github.addArtifact(800, NAME, zipDirectory(dir));

    // Run 1: still slow, the third slow point in a row: a change point, an issue.
    const first = await run(await config(30), 'schedule', 801);
    expect(first.stdout).not.toContain('::error');
    expect(first.code).toBe(0);
    const r1 = lastUpload().results;
    expect(r1.history).toHaveLength(15);
    const worse = (r1.changePoints ?? []).filter(c => c.worse);
    expect(worse.map(c => c.metric)).toEqual(
      expect.arrayContaining(['http_req_duration.med', 'http_reqs.rate'])
    );
    for (const c of worse) expect(c).toMatchObject({ profile: 'hello', index: 13, points: 16 });
    expect(first.summary).toContain('### Change points in the history');
    expect(first.stdout).toContain('regression issue opened: https://github.example/acme/shop/issues/100');
    const [issue] = github.issues(REPO);
    expect(github.issues(REPO)).toHaveLength(1);
    expect(issue).toMatchObject({ state: 'open', title: 'perfgate: performance regression in perf' });
    expect(issue!.body).toMatch(MARKER);
    expect(issue!.body).toContain('https://github.com/acme/shop/actions/runs/801');
    expect(issue!.body).toMatch(/Change point: hello `http_req_duration\.med` \+\d+ % since run 14 of 16/);
    expect(github.requestsTo(Routes.ListIssues)[0]!.query).toMatchObject({
      state: 'open',
      creator: 'github-actions[bot]'
    });

    // Run 2: still slow: the same issue, updated, with a comment; no second issue.
    publishLast(801);
    const second = await run(await config(30), 'schedule', 802);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('regression issue updated: https://github.example/acme/shop/issues/100');
    expect(github.issues(REPO)).toHaveLength(1);
    expect(issue!.state).toBe('open');
    expect(issue!.body).toContain('https://github.com/acme/shop/actions/runs/802');
    expect(issue!.body).toMatch(/since run 14 of 17/);
    expect(github.comments(REPO, 100).map(c => c.body)).toEqual([
      expect.stringContaining('Run https://github.com/acme/shop/actions/runs/802 still finds')
    ]);

    // Run 3: fast again: back within bounds, the issue is closed with a comment.
    publishLast(802);
    const third = await run(await config(0), 'schedule', 803);
    expect(third.code).toBe(0);
    expect((lastUpload().results.changePoints ?? []).filter(c => c.worse)).toEqual([]);
    expect(third.stdout).toContain('regression issue closed: https://github.example/acme/shop/issues/100');
    expect(github.issues(REPO)).toHaveLength(1);
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.comments(REPO, 100).at(-1)!.body).toBe(
      'Back within bounds in run https://github.com/acme/shop/actions/runs/803: closing.'
    );
    expect(github.requestsTo(Routes.CreateIssue)).toHaveLength(1);

    // Run 4: still fine: nothing to open or close.
    publishLast(803);
    const fourth = await run(await config(0), 'schedule', 804);
    expect(fourth.code).toBe(0);
    expect(fourth.stdout).toContain('regression issue: no regression, and no open regression issue');
    expect(github.issues(REPO)).toHaveLength(1);
  }, 180_000);

  it('without issues: write, a warning that says so, and the run still passes', async () => {
    github.failNext(Routes.ListIssues, {
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    });
    const r = await run(await config(0), 'workflow_dispatch', 900);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::warning title=perfgate regression issue::');
    expect(r.stdout).toContain('`permissions: issues: write`');
  }, 60_000);

  it('a pull request never touches issues', async () => {
    const before = github.requestsTo(Routes.ListIssues).length;
    const r = await run(await config(0), 'pull_request', 901);
    expect(r.code).toBe(0);
    expect(github.requestsTo(Routes.ListIssues)).toHaveLength(before);
  }, 60_000);
});

/**
 * `postComment` against a local server that plays the GitHub REST API (test/helpers/fake-github.ts),
 * configured the way a runner configures an action: GITHUB_API_URL, GITHUB_REPOSITORY, an event file.
 */
import { COMMENT_LIMIT, FOLD_NOTE, commentMarker } from '../../src/github/comment-body.js';
import { postComment, type CommentRequest } from '../../src/github/comment.js';
import { FakeGitHub, Routes, faults, type FakeGitHubOptions } from '../helpers/fake-github.js';

const REPO = 'acme/shop';
const PR = 7;
const MARKER = commentMarker('cfg1');
const savedEnv = { ...process.env };

let fake: FakeGitHub;
let log: string[];
const realWrite = process.stdout.write.bind(process.stdout);

/** Starts a fake and points the environment at it, as a runner would for a pull_request event. */
async function useFake(options: FakeGitHubOptions = {}, event: { fork?: boolean } = {}): Promise<void> {
  await fake?.close();
  fake = await FakeGitHub.start(options);
  Object.assign(process.env, fake.actionEnv({ repo: REPO, number: PR, ...event }), {
    PERFGATE_RETRY_BASE_MS: '5'
  });
}

function request(over: Partial<CommentRequest> = {}): CommentRequest {
  return {
    token: fake.token,
    body: '## perfgate\n\nno change',
    configId: 'cfg1',
    policy: 'always',
    changed: true,
    runUrl: 'https://github.example/acme/shop/actions/runs/4242',
    ...over
  };
}

const thread = () => fake.comments(REPO, PR);
const warnings = () => log.filter(l => l.startsWith('::warning'));

beforeEach(async () => {
  await useFake();
  log = [];
  // @actions/core writes its log and workflow commands to stdout; keep them for assertions.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});

afterEach(async () => {
  process.stdout.write = realWrite;
  process.env = { ...savedEnv };
  await fake.close();
});

describe('the sticky comment', () => {
  it('is created on the first run, with the marker and the token', async () => {
    const outcome = await postComment(request());
    expect(outcome).toEqual({ action: 'created', url: thread()[0]!.html_url });
    expect(thread()).toHaveLength(1);
    expect(thread()[0]!.body).toBe(`${MARKER}\n## perfgate\n\nno change`);
    expect(thread()[0]!.user.login).toBe('github-actions[bot]');
    expect(fake.requests.every(r => r.authorization === `token ${fake.token}`)).toBe(true);
    expect(fake.requestsTo(Routes.ListComments)[0]!.query).toMatchObject({ per_page: '100' });
  });

  it('is updated in place on later runs, never duplicated', async () => {
    const first = await postComment(request({ body: 'run 1' }));
    const second = await postComment(request({ body: 'run 2' }));
    const third = await postComment(request({ body: 'run 3' }));
    expect(first.action).toBe('created');
    expect([second, third]).toEqual([
      { action: 'updated', url: first.url },
      { action: 'updated', url: first.url }
    ]);
    expect(thread()).toHaveLength(1);
    expect(thread()[0]!.body).toBe(`${MARKER}\nrun 3`);
    expect(fake.requestsTo(Routes.CreateComment)).toHaveLength(1);
  });

  it('is not edited when its text would not change', async () => {
    await postComment(request());
    const again = await postComment(request());
    expect(again).toMatchObject({
      action: 'skipped',
      url: thread()[0]!.html_url,
      reason: 'the comment is already up to date'
    });
    expect(fake.requestsTo(Routes.UpdateComment)).toHaveLength(0);
  });

  it('leaves a comment with the same marker by another user alone and writes its own', async () => {
    const theirs = fake.seed(REPO, PR, `${MARKER}\nmine now`, 'mallory');
    const outcome = await postComment(request());
    expect(outcome.action).toBe('created');
    expect(thread()).toHaveLength(2);
    expect(thread()[0]).toEqual(theirs);
    expect(theirs.body).toBe(`${MARKER}\nmine now`);
    expect(fake.requestsTo(Routes.UpdateComment)).toHaveLength(0);
  });

  it('ignores the marker of another config', async () => {
    const other = fake.seed(REPO, PR, `${commentMarker('cfg2')}\nother config`);
    const prefix = fake.seed(REPO, PR, `${commentMarker('cfg10')}\nlonger id`);
    expect((await postComment(request())).action).toBe('created');
    expect(thread()).toHaveLength(3);
    expect([other.body, prefix.body]).toEqual([
      `${commentMarker('cfg2')}\nother config`,
      `${commentMarker('cfg10')}\nlonger id`
    ]);
  });

  it('is found on the third page of comments', async () => {
    for (let i = 0; i < 240; i++)
      fake.seed(REPO, PR, `chatter ${i}`, i % 2 ? 'alice' : 'github-actions[bot]');
    const sticky = fake.seed(REPO, PR, `${MARKER}\nold report`);
    for (let i = 0; i < 20; i++) fake.seed(REPO, PR, `more ${i}`, 'bob');
    const outcome = await postComment(request({ body: 'new report' }));
    expect(outcome).toEqual({ action: 'updated', url: sticky.html_url });
    expect(sticky.body).toBe(`${MARKER}\nnew report`);
    expect(thread()).toHaveLength(261);
    const pages = fake.requestsTo(Routes.ListComments).map(r => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('is created after reading every page when none is found', async () => {
    for (let i = 0; i < 250; i++) fake.seed(REPO, PR, `chatter ${i}`, 'alice');
    expect((await postComment(request())).action).toBe('created');
    expect(fake.requestsTo(Routes.ListComments)).toHaveLength(3);
    expect(thread()).toHaveLength(251);
  });
});

describe('whose comments are ours', () => {
  it('a personal access token: GET /user names the user', async () => {
    await useFake({ login: 'octocat', token: 'ghp_pat' });
    fake.seed(REPO, PR, `${MARKER}\nby the bot`, 'github-actions[bot]');
    const mine = fake.seed(REPO, PR, `${MARKER}\nby octocat`, 'octocat');
    expect(await postComment(request())).toEqual({ action: 'updated', url: mine.html_url });
    expect(fake.requestsTo(Routes.GraphQL)).toHaveLength(0);
  });

  it('a GitHub App token: /user is 403, the GraphQL viewer names the app', async () => {
    await useFake({ login: 'perf-app[bot]', token: 'ghs_app' });
    const bots = fake.seed(REPO, PR, `${MARKER}\nby actions`, 'github-actions[bot]');
    const mine = fake.seed(REPO, PR, `${MARKER}\nby the app`, 'perf-app[bot]');
    expect(await postComment(request())).toEqual({ action: 'updated', url: mine.html_url });
    expect(bots.body).toBe(`${MARKER}\nby actions`);
    expect(fake.requestsTo(Routes.User)[0]!.status).toBe(403);
  });

  it('a 502 on the GraphQL query is retried: a query is safe to repeat', async () => {
    await useFake({ login: 'perf-app[bot]' });
    const mine = fake.seed(REPO, PR, `${MARKER}\nby the app`);
    fake.failNext(Routes.GraphQL, faults.serverError(502));
    expect(await postComment(request())).toEqual({ action: 'updated', url: mine.html_url });
    expect(fake.requestsTo(Routes.GraphQL).map(r => r.status)).toEqual([502, 200]);
  });

  it('GITHUB_TOKEN with neither /user nor GraphQL: github-actions[bot] is assumed', async () => {
    await useFake({ graphqlViewer: false });
    const mine = fake.seed(REPO, PR, `${MARKER}\nold`);
    expect(await postComment(request())).toEqual({ action: 'updated', url: mine.html_url });
  });
});

describe('policies', () => {
  it('never: no API call at all', async () => {
    expect(await postComment(request({ policy: 'never' }))).toMatchObject({ action: 'skipped' });
    expect(fake.requests).toHaveLength(0);
  });

  it('on-change, nothing changed, no earlier comment: skipped without writing', async () => {
    const outcome = await postComment(request({ policy: 'on-change', changed: false }));
    expect(outcome).toEqual({
      action: 'skipped',
      reason: 'policy on-change: nothing to report and no earlier comment to update'
    });
    expect(fake.requests.filter(r => r.method !== 'GET' && r.route !== Routes.GraphQL)).toHaveLength(0);
    expect(warnings()).toHaveLength(0);
  });

  it('on-change, nothing changed, an earlier comment: updated to the all-clear', async () => {
    const earlier = fake.seed(REPO, PR, `${MARKER}\nregressed!`);
    expect(await postComment(request({ policy: 'on-change', changed: false, body: 'all clear' }))).toEqual({
      action: 'updated',
      url: earlier.html_url
    });
  });

  it('on-change, something changed: created', async () => {
    expect((await postComment(request({ policy: 'on-change', changed: true }))).action).toBe('created');
  });

  it('not a pull request: skipped without a call', async () => {
    process.env.GITHUB_EVENT_NAME = 'push';
    process.env.GITHUB_EVENT_PATH = '/nonexistent/event.json';
    expect(await postComment(request())).toEqual({
      action: 'skipped',
      reason: 'not a pull request (event push)'
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a long report', () => {
  it('is folded to fit: what GitHub receives is at most 65 536 characters', async () => {
    const section = (i: number) =>
      `<details><summary>profile ${i}</summary>\n\n${'| a | 1 |\n'.repeat(3000)}\n</details>`;
    const body = `## perfgate\n\n${[1, 2, 3].map(section).join('\n')}`;
    expect((await postComment(request({ body }))).action).toBe('created');
    const sent = (fake.requestsTo(Routes.CreateComment)[0]!.body as { body: string }).body;
    expect(sent.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(sent.startsWith(`${MARKER}\n## perfgate`)).toBe(true);
    expect(sent).toContain(`<summary>profile 1</summary>\n\n${FOLD_NOTE}`);
    expect(sent).toContain('<summary>profile 3</summary>');
  });

  it('is truncated with a link to the run when folding is not enough', async () => {
    const body = '| metric | value |\n|---|---|\n' + '| p99 | 12 ms |\n'.repeat(10_000);
    expect((await postComment(request({ body }))).action).toBe('created');
    const sent = thread()[0]!.body;
    expect(sent.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(sent).toContain('(https://github.example/acme/shop/actions/runs/4242)');
  });

  it('is refitted once when GitHub still finds it too long', async () => {
    await useFake({ bodyLimit: 60_000 });
    const body = 'x\n'.repeat(40_000);
    expect((await postComment(request({ body }))).action).toBe('created');
    expect(fake.requestsTo(Routes.CreateComment).map(r => r.status)).toEqual([422, 201]);
    expect(thread()[0]!.body.length).toBeLessThanOrEqual(60_000);
  });
});

describe('failures', () => {
  it('502s on listing are retried, then the comment is written', async () => {
    fake.failNext(Routes.ListComments, faults.serverError(502), 2);
    expect((await postComment(request())).action).toBe('created');
    expect(fake.requestsTo(Routes.ListComments).map(r => r.status)).toEqual([502, 502, 200]);
  });

  it('a 503 on the update is retried', async () => {
    const earlier = fake.seed(REPO, PR, `${MARKER}\nold`);
    fake.failNext(Routes.UpdateComment, faults.serverError(503));
    expect(await postComment(request())).toEqual({ action: 'updated', url: earlier.html_url });
    expect(fake.requestsTo(Routes.UpdateComment).map(r => r.status)).toEqual([503, 200]);
  });

  it('a 502 on create that wrote nothing: checked, then created once', async () => {
    fake.failNext(Routes.CreateComment, faults.serverError(502));
    expect((await postComment(request())).action).toBe('created');
    expect(fake.requestsTo(Routes.CreateComment).map(r => r.status)).toEqual([502, 201]);
    expect(thread()).toHaveLength(1);
  });

  it('a 502 on create that wrote the comment anyway: found, not duplicated', async () => {
    fake.failNext(Routes.CreateComment, { ...faults.serverError(502), applied: true });
    const outcome = await postComment(request());
    expect(outcome).toEqual({ action: 'created', url: thread()[0]!.html_url });
    expect(fake.requestsTo(Routes.CreateComment)).toHaveLength(1);
    expect(thread()).toHaveLength(1);
  });

  it('a secondary rate limit with retry-after is waited out and retried', async () => {
    fake.failNext(Routes.CreateComment, faults.secondaryRateLimit(1));
    expect((await postComment(request())).action).toBe('created');
    expect(fake.requestsTo(Routes.CreateComment).map(r => r.status)).toEqual([403, 201]);
    expect(log.join('')).toContain('retry 1/3 in 1.0 s');
    expect(thread()).toHaveLength(1);
  });

  it('a secondary rate limit without retry-after is retried after the scaled minute', async () => {
    fake.failNext(Routes.ListComments, faults.secondaryRateLimit());
    expect((await postComment(request())).action).toBe('created');
    expect(log.join('')).toContain('retry 1/3 in 0.3 s');
  });

  it('a 403 on a fork pull request: skipped with the workflow_run recipe, no throw', async () => {
    await useFake({}, { fork: true });
    fake.failNext(Routes.CreateComment, faults.integration());
    const outcome = await postComment(request());
    expect(outcome.action).toBe('skipped');
    expect(outcome.reason).toMatch(/403 Resource not accessible by integration.*workflow_run/);
    expect(thread()).toHaveLength(0);
    expect(fake.requestsTo(Routes.CreateComment)).toHaveLength(1);
    const warning = warnings().join('');
    expect(warning).toContain('comes from a fork');
    expect(warning).toContain('on: workflow_run');
    expect(warning).toContain('Pull requests from forks');
  });

  it('GitHub down for good: skipped with a warning after the retries, no throw', async () => {
    fake.failNext(Routes.ListComments, faults.serverError(502), 10);
    const outcome = await postComment(request());
    expect(outcome).toMatchObject({ action: 'skipped' });
    expect(outcome.reason).toContain('could not post the pull request comment');
    expect(fake.requestsTo(Routes.ListComments)).toHaveLength(4);
    expect(warnings()).toHaveLength(1);
  });

  it('a primary rate limit resetting in an hour is not waited for', async () => {
    fake.failNext(Routes.ListComments, faults.primaryRateLimit(Math.floor(Date.now() / 1000) + 3600));
    expect(await postComment(request())).toMatchObject({ action: 'skipped' });
    expect(fake.requestsTo(Routes.ListComments)).toHaveLength(1);
  });

  it('a bad token: skipped with a warning', async () => {
    const outcome = await postComment(request({ token: 'ghs_wrong' }));
    expect(outcome.action).toBe('skipped');
    expect(outcome.reason).toContain('Bad credentials');
  });
});

describe('the fake GitHub itself', () => {
  it.each([
    ['token', 200],
    ['Bearer', 200],
    ['basic', 401]
  ])('authorization: %s <token> → %d', async (scheme, status) => {
    await useFake({ login: 'octocat' });
    const res = await fetch(`${fake.url}/user`, { headers: { authorization: `${scheme} ${fake.token}` } });
    expect(res.status).toBe(status);
  });

  it('answers pages with Link headers that point back at itself', async () => {
    for (let i = 0; i < 5; i++) fake.seed(REPO, PR, `c${i}`);
    const res = await fetch(`${fake.url}/repos/${REPO}/issues/${PR}/comments?per_page=2&page=2`, {
      headers: { authorization: `token ${fake.token}` }
    });
    const url = (p: number) => `${fake.url}/repos/${REPO}/issues/${PR}/comments?per_page=2&page=${p}`;
    expect(res.headers.get('link')).toBe(
      `<${url(1)}>; rel="prev", <${url(1)}>; rel="first", <${url(3)}>; rel="next", <${url(3)}>; rel="last"`
    );
    expect(((await res.json()) as { body: string }[]).map(c => c.body)).toEqual(['c2', 'c3']);
  });
});

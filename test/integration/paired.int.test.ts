/**
 * Paired mode end to end through the CLI: base and head versions of the example service started side
 * by side, trials interleaved in counterbalanced order, the first pair discarded, comparisons decided.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { pairedConfig, REPO } from '../helpers/example-config.js';
import { isListening } from '../helpers/net.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');

const readResults = (dir: string): Results =>
  JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8'));

describe('paired mode (service.base)', () => {
  beforeAll(buildLib, 120_000);

  it('interleaves B H, H B, … discards the first pair, and fails on a real slowdown of the head', async () => {
    // 8 pairs: the exact test needs 6 valid ones over three gated metrics; 2 spare on a busy machine.
    const cfg = await pairedConfig({ headDelayMs: 6, trials: 8 });
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const results = readResults(cfg.dir);
    expect({
      code: r.code,
      comparisons: results.comparisons.map(c => `${c.metric} ${c.verdict} ${c.reason ?? ''}`)
    }).toMatchObject({ code: 1 });
    const p = results.profiles[0]!;
    // 8 compared pairs plus the discarded first pair, in counterbalanced order.
    const expectedOrder = Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? 'base head' : 'head base'));
    expect(p.order.join(' ')).toBe(expectedOrder.join(' '));
    expect(p.head.trials).toHaveLength(9);
    expect(p.base!.trials).toHaveLength(9);
    expect(p.head.trials[0]).toMatchObject({
      valid: false,
      invalidReason: 'first pair, discarded as warmup'
    });
    expect(p.base!.trials[0]).toMatchObject({
      valid: false,
      invalidReason: 'first pair, discarded as warmup'
    });
    const med = results.comparisons.find(c => c.metric === 'http_req_duration.med')!;
    expect(med).toMatchObject({
      profile: 'hello',
      gated: true,
      verdict: 'regressed',
      method: 'exact'
    });
    const bothValid = p.head.trials.filter((t, i) => t.valid && p.base!.trials[i]!.valid);
    expect(med.samples).toBe(bothValid.length);
    expect(med.estimate).toBeGreaterThan(1); // 6 ms against about 1 ms
    expect(med.interval[0]).toBeLessThanOrEqual(med.estimate);
    expect(med.interval[1]).toBeGreaterThanOrEqual(med.estimate);
    expect(med.adjustedPValue).toBeLessThan(0.05);
    expect(results.comparisons.find(c => c.metric === 'http_reqs.rate')!.verdict).toBe('regressed');
    expect(results.comparisons.filter(c => !c.gated).map(c => c.metric)).toEqual([
      'http_req_duration.avg',
      'http_req_duration.p(90)',
      'http_req_duration.p(95)'
    ]);
    expect(results.verdict).toBe('fail');
    const summary = readFileSync(path.join(cfg.dir, 'report/summary.md'), 'utf8');
    expect(summary).toContain('## ❌ perfgate: gate failed (');
    expect(summary).toMatch(/\| hello \| `http_req_duration\.med` \| [\d.]+ ms \| [\d.]+ ms \| \+\d+ % \|/);
    expect(summary).toContain('first pair discarded as warmup: B H H B B H');
    expect(r.stdout).toMatch(/REGRESSED +hello {2}http_req_duration\.med/);
    for (const port of cfg.ports) expect(await isListening(port)).toBe(false);
  });

  it('trials: auto stops at the first look when a clear slowdown settles every gated metric', async () => {
    const cfg = await pairedConfig({
      headDelayMs: 15, // base 1 ms: far enough that a busy runner's spike in one trial cannot turn a pair of p99s round
      trials: 'auto',
      top: ['statistics: { auto: { min: 8, batch: 2, max: 12 } }']
    });
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    const results = readResults(cfg.dir);
    const p = results.profiles[0]!;
    expect({ code: r.code, auto: p.auto }).toMatchObject({
      code: 1,
      auto: { min: 8, batch: 2, max: 12, stopped: 'conclusive', looks: [{ trials: 8, open: [] }] }
    });
    // The first look's share of alpha: 0.05 · ln(1 + (e − 1) · 8/12).
    const alpha1 = 0.05 * Math.log(1 + (Math.E - 1) * (8 / 12));
    expect(p.auto!.looks[0]!.alpha).toBeCloseTo(alpha1, 12);
    expect(p.head.trials).toHaveLength(9); // 8 pairs and the discarded first one
    expect(p.trialsPlanned).toBe(8);
    const med = results.comparisons.find(c => c.metric === 'http_req_duration.med')!;
    expect(med).toMatchObject({ verdict: 'regressed' });
    expect(med.alpha).toBeCloseTo(alpha1, 12);
    expect(r.stderr + r.stdout).toContain(
      '[hello] trials: auto, look 1 at 8 pairs: every gated comparison is conclusive'
    );
    const summary = readFileSync(path.join(cfg.dir, 'report/summary.md'), 'utf8');
    expect(summary).toContain(
      'trials: auto — 1 look, stopped: every gated comparison is conclusive at 8 pairs'
    );
  });

  it('trials: auto adds batches while comparisons stay open and never starts one that would overrun the budget', async () => {
    // 2–4 pairs can never reach significance nor an interval inside ±δ: every look stays open.
    const cfg = await pairedConfig({
      headDelayMs: 1,
      trials: 'auto',
      top: ['statistics: { auto: { min: 2, batch: 2, max: 40, budget: 6s } }']
    });
    const started = Date.now();
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    const results = readResults(cfg.dir);
    const p = results.profiles[0]!;
    expect({ code: r.code, stopped: p.auto?.stopped }).toEqual({ code: 0, stopped: 'budget' });
    const looks = p.auto!.looks;
    expect(looks.length).toBeGreaterThanOrEqual(1);
    expect(looks.map(l => l.trials)).toEqual(looks.map((_, k) => 2 + 2 * k));
    const pairs = looks.at(-1)!.trials;
    expect(p.head.trials).toHaveLength(pairs + 1);
    expect(p.base!.trials).toHaveLength(pairs + 1);
    expect(p.trialsPlanned).toBe(pairs);
    // The measured trials fit the budget: the batch that would have overrun it never started.
    const measuredMs = [...p.head.trials, ...p.base!.trials].reduce((a, t) => a + t.durationMs, 0);
    expect(measuredMs).toBeLessThanOrEqual(6000);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(results.verdict).toBe('inconclusive');
    expect(r.stderr + r.stdout).toMatch(
      /stopped, another batch would overrun the time budget; open: http_req_duration\.med/
    );
  });

  it('says how many pairs are needed when there are too few for the test to reach alpha', async () => {
    const cfg = await pairedConfig({ headDelayMs: 6, trials: 3 });
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    expect(r.code).toBe(0); // inconclusive passes, with a warning
    const med = readResults(cfg.dir).comparisons.find(c => c.metric === 'http_req_duration.med')!;
    expect(med.verdict).toBe('inconclusive');
    // 3 pairs, fewer if the busy machine invalidated a trial.
    expect(med.reason).toMatch(/^needs at least 6 valid pairs to reach significance, has [0-3]$/);
    expect(med.moreTrials).toBeGreaterThanOrEqual(3);
    expect(r.stderr).toMatch(/\[hello\] http_req_duration\.med: inconclusive \(needs at least 6 valid pairs/);
    expect(readResults(cfg.dir).verdict).toBe('inconclusive');
  });

  it('3 when the base fails to start, naming the base, and the head is stopped too', async () => {
    const fixture = path.join(REPO, 'test/fixtures/gate/exits-early.mjs');
    const cfg = await pairedConfig({ headDelayMs: 1, baseCommand: `node ${fixture}` });
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('service (base) exited with code 4 before it was ready');
    expect(r.stderr).toContain('boom: missing DATABASE_URL');
    expect(readResults(cfg.dir)).toMatchObject({ status: 'failed', error: { kind: 'service' } });
    for (const port of cfg.ports) expect(await isListening(port)).toBe(false);
  });

  it('3 when the base crashes mid-run, naming the profile and the side, keeping the trials measured', async () => {
    const fixture = path.join(REPO, 'test/fixtures/gate/crashing-server.mjs');
    const cfg = await pairedConfig({ headDelayMs: 2, baseCommand: `node ${fixture}`, trials: 8 });
    writeFileSync(
      cfg.file,
      readFileSync(cfg.file, 'utf8').replace(/DELAY_MS: "1" \}/, 'DELAY_MS: "1", CRASH_AFTER_MS: "2500" }')
    );
    const r = await runNode([BIN, 'run', '-c', cfg.file], { cwd: REPO });
    expect(r.code).toBe(3);
    // The crash ends whichever trial runs (a head trial when it lands there on a busy machine); the
    // message names the service's side.
    expect(r.stderr).toMatch(
      /profile "hello", (base|head) trial \d+: service \(base\) crashed during the run \(exit code 7\)/
    );
    expect(r.stderr).toContain('fatal: simulated crash');
    const results = readResults(cfg.dir);
    expect(results).toMatchObject({ status: 'failed', error: { kind: 'service' } });
    expect(
      results.profiles[0]!.head.trials.length + results.profiles[0]!.base!.trials.length
    ).toBeGreaterThanOrEqual(2);
    for (const port of cfg.ports) expect(await isListening(port)).toBe(false);
  });
});

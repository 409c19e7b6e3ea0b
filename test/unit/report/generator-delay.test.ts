/**
 * The load generator's own event-loop delay per trial (TrialResult.generatorDelay), shown per
 * profile and side: the part of a tail that is perfgate's. Absent in older results: nothing shown.
 */
import type { TrialResult } from '../../../src/model.js';
import { profileFacts } from '../../../src/report/profile-facts.js';
import { renderHtml, renderSummary } from '../../../src/report/render.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { sampleResults } from '../../helpers/results.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

const delayed = (side: 'head' | 'base', i: number, p99: number, max: number, valid = true): TrialResult => ({
  ...syntheticTrial(side, i, 5, 1000, valid),
  generatorDelay: { p50: p99 / 4, p99, max }
});

describe('the client event-loop delay', () => {
  it('is the median of the valid trials’ p99 and the largest delay of any, per side', () => {
    const head = [delayed('head', 0, 0.4, 3.1), delayed('head', 1, 0.6, 1.2), delayed('head', 2, 0.3, 2)];
    // An invalid trial's delay is left out, as its latencies are.
    const base = [delayed('base', 0, 0.5, 0.9), delayed('base', 1, 9, 50, false)];
    expect(profileFacts(syntheticProfile(head, base))).toEqual([
      "head client event-loop delay p99 0.400 ms (median of 3 trials; max 3.10 ms) — the part of a tail that is perfgate's",
      "base client event-loop delay p99 0.500 ms (max 0.900 ms) — the part of a tail that is perfgate's"
    ]);
  });

  it('names the trials whose delay stands far above the others’ (a client stall)', () => {
    // Median p99 1.0 ms: trial 3 (4.6 ms) is ≥ 3× and ≥ 2 ms above it; trial 4 (2.9 ms) is under 3×;
    // trial 6 (3.4 ms) is above 3× but invalid, so left out as its latencies are.
    const head = [0.9, 1.1, 4.6, 2.9, 1.0].map((p99, i) => delayed('head', i, p99, p99 * 2));
    head.push(delayed('head', 5, 3.4, 6, false));
    expect(profileFacts(syntheticProfile(head, []))).toEqual([
      "head client event-loop delay p99 1.10 ms (median of 5 trials; max 9.20 ms) — the part of a tail that is perfgate's; " +
        "the client stalled in trial 3 (p99 4.60 ms), which moves those trials' tails"
    ]);
    // Close to the median in absolute terms: 0.3 ms against 0.1 ms is 3×, but within the resolution.
    const quiet = [0.1, 0.1, 0.3, 0.1].map((p99, i) => delayed('base', i, p99, 1));
    expect(profileFacts(syntheticProfile([], quiet)).join('')).not.toContain('stalled');
    // Two of them, listed in order.
    const two = [1, 1, 5, 1, 7].map((p99, i) => delayed('base', i, p99, p99));
    expect(profileFacts(syntheticProfile([], two))[0]).toContain(
      'the client stalled in trials 3 (p99 5.00 ms), 5 (p99 7.00 ms)'
    );
  });

  it('is not shown where no trial measured it (results written before it)', () => {
    const p = syntheticProfile([syntheticTrial('head', 0, 5, 1000)], [syntheticTrial('base', 0, 5, 1000)]);
    expect(profileFacts(p).filter(f => f.includes('event-loop'))).toEqual([]);
  });

  it('is in summary.md, report.html and the terminal', () => {
    const r = sampleResults();
    r.profiles[0]!.head.trials = r.profiles[0]!.head.trials.map(t => ({
      ...t,
      generatorDelay: { p50: 0.1, p99: 0.4, max: 3.1 }
    }));
    const fact =
      "client event-loop delay p99 0.400 ms (median of 2 trials; max 3.10 ms) — the part of a tail that is perfgate's";
    expect(renderSummary(r)).toContain(`- ${fact}\n`);
    expect(renderHtml(buildReportModel(r))).toContain(`<li>${fact.replace("'", '&#x27;')}</li>`);
    expect(renderTerminal(r, { results: 'r.json', summary: 's.md' })).toContain(`  hello: ${fact}`);
    expect(renderSummary(sampleResults())).not.toContain('event-loop');
  });
});

import type { ProfileConfig, ThresholdSpec } from '../../../src/config/types.js';
import type { TrialResult } from '../../../src/model.js';
import { renderComment, renderHtml, renderSummary } from '../../../src/report/render.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { measurementProblems } from '../../../src/thresholds/measurement-problems.js';
import { parseThreshold } from '../../../src/thresholds/parse-threshold.js';
import { decideVerdict, gateFails } from '../../../src/verdict.js';
import { sampleResults } from '../../helpers/results.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

function spec(metric: string, source: string): ThresholdSpec {
  const parsed = parseThreshold(metric.replace(/\{.*$/, ''), source);
  if (!parsed.ok) throw new Error(parsed.message);
  return { metric, source, parsed: parsed.value, severity: 'fail', where: 'p.yml:1:1' };
}

const profile = (thresholds: ThresholdSpec[] = []) => ({ name: 'p', thresholds }) as unknown as ProfileConfig;

/** A valid trial of 1 000 requests of which `failed` failed with status 500. */
function failing(side: 'head' | 'base', index: number, failed: number): TrialResult {
  const t = syntheticTrial(side, index, 10, 1000);
  t.metrics.failed = failed;
  t.metrics.errors.status = failed;
  t.metrics.statusCodes = { '200': 1000 - failed, '500': failed };
  return t;
}

function invalid(side: 'head' | 'base', index: number, reason: string): TrialResult {
  return { ...syntheticTrial(side, index, 10, 0, false), invalidReason: reason };
}

describe('measurementProblems', () => {
  it.each([
    ['every trial valid, no failures', [syntheticTrial('head', 0, 10, 100)], []],
    ['exactly half failed is not more than half', [failing('head', 0, 500)], []],
    ['one valid trial among invalid ones is enough', [invalid('head', 0, 'x'), failing('head', 1, 0)], []]
  ])('%s: no problem', (_, trials, expected) => {
    expect(measurementProblems(profile(), syntheticProfile(trials))).toEqual(expected);
  });

  it('no valid trial: nothing measured, with each reason counted', () => {
    const trials = [invalid('head', 0, 'no request completed'), invalid('head', 1, 'no request completed')];
    trials.push(invalid('head', 2, 'generator saturated'));
    expect(measurementProblems(profile(), syntheticProfile(trials))).toEqual([
      {
        profile: 'p',
        side: 'head',
        kind: 'nothing-measured',
        message:
          'nothing was measured: profile "p" (head): none of its 3 trials was valid: ' +
          '2 × no request completed; 1 × generator saturated'
      }
    ]);
  });

  it('no trial at all is nothing measured too', () => {
    expect(measurementProblems(profile(), syntheticProfile([]))[0]!.message).toBe(
      'nothing was measured: profile "p" (head): no trial ran'
    );
  });

  it('more than half failed: the share, the counts and the statuses over the valid trials', () => {
    const trials = [failing('head', 0, 1000), failing('head', 1, 600), invalid('head', 2, 'x')];
    const [problem, ...rest] = measurementProblems(profile(), syntheticProfile(trials));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ profile: 'p', side: 'head', kind: 'failed-requests' });
    expect(problem!.message).toBe(
      'profile "p" (head): 80.0 % of requests failed (1,600 of 2,000 in 2 valid trials; unexpected status 1,600, ' +
        'statuses 500 × 1,600, 200 × 400), more than 50 % with no http_req_failed threshold on the profile; ' +
        "if failures are expected, say so with one (e.g. http_req_failed: ['rate<0.9'])"
    );
  });

  it.each([['http_req_failed'], ['http_req_failed{request:login}']])(
    'a threshold on %s says what is expected: no failed-requests problem',
    metric => {
      const trials = [failing('head', 0, 1000)];
      expect(measurementProblems(profile([spec(metric, 'rate<1')]), syntheticProfile(trials))).toEqual([]);
    }
  );

  it('stress: failures are how it finds its breaking point, but a side that measured nothing still fails', () => {
    const stress = { ...profile(), stopOnBreak: true } as ProfileConfig;
    expect(measurementProblems(stress, syntheticProfile([failing('head', 0, 1000)]))).toEqual([]);
    expect(measurementProblems(stress, syntheticProfile([invalid('head', 0, 'x')]))).toHaveLength(1);
  });

  it('a threshold never excuses a side that measured nothing', () => {
    const p = profile([spec('http_req_failed', 'rate<1')]);
    expect(measurementProblems(p, syntheticProfile([invalid('head', 0, 'x')]))).toHaveLength(1);
  });

  it('paired: each side is checked, head first', () => {
    const head = [failing('head', 0, 900), failing('head', 1, 900)];
    const r = syntheticProfile(head, [invalid('base', 0, 'warm-up pair')]);
    expect(measurementProblems(profile(), r).map(p => [p.side, p.kind])).toEqual([
      ['head', 'failed-requests'],
      ['base', 'nothing-measured']
    ]);
  });
});

describe('a measurement problem in the verdict and the reports', () => {
  const results = () => {
    const r = sampleResults({ verdict: 'pass' });
    r.thresholds = r.thresholds.filter(t => t.ok);
    r.problems = [
      {
        profile: 'hello',
        side: 'head',
        kind: 'nothing-measured',
        message: 'nothing was measured: profile "hello" (head): no trial ran'
      }
    ];
    return r;
  };

  it('fails the verdict and every fail-on policy but never', () => {
    const r = results();
    expect(decideVerdict(r)).toBe('fail');
    expect(['any', 'threshold', 'regression', 'never'].map(f => gateFails(r, f as never))).toEqual([
      true,
      true,
      true,
      false
    ]);
    delete r.problems;
    expect(decideVerdict(r)).toBe('pass');
  });

  it('is named in the summary, the comment and the HTML report', () => {
    const r = { ...results(), verdict: 'fail' as const };
    const line = '- ❌ nothing was measured: profile "hello" (head): no trial ran';
    expect(renderSummary(r).split('\n')[0]).toBe('## ❌ perfgate: gate failed (nothing measured)');
    expect(renderSummary(r)).toContain(line);
    expect(renderComment(buildReportModel(r), { run: '', artifact: 'a' })).toContain(line);
    expect(renderHtml(buildReportModel(r))).toContain(
      '<li>❌ nothing was measured: profile &quot;hello&quot; (head): no trial ran</li>'
    );
  });
});

/**
 * The regression issue's findings from results where every string is hostile: each finding stays
 * one markdown list item, with nothing live in it.
 */
import { regressionFindings } from '../../../src/github/regression-issue.js';
import { outsideCode } from '../../helpers/markdown-text.js';
import { poisonedResults } from '../../helpers/poisoned-results.js';

describe('regressionFindings with hostile strings', () => {
  const results = poisonedResults();
  results.comparisons[1]!.verdict = 'regressed';
  const findings = regressionFindings(results);

  it('finds the change point, the regression and the broken threshold', () => {
    expect(findings.map(f => f.split(':')[0])).toEqual(['Change point', 'Regression', 'Threshold broken']);
  });

  it.each([0, 1, 2])('finding %i is one line with no HTML, ping, reference or link', i => {
    const finding = findings[i]!;
    expect(finding.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
    const text = outsideCode(finding);
    expect(text).not.toMatch(/<[a-z/!]/i);
    expect(text).not.toMatch(/@(?!\u200b)\w|#\d|https?:\/\/|www\./);
    expect(finding).not.toMatch(/<!--\s*perfgate/);
  });
});

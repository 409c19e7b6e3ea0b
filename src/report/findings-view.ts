/**
 * The findings (findings/index.ts) as the renderings show them: an icon, the profile and side, the
 * title and the message, and the numbers behind each as `name value` pairs. Strings are raw; each
 * template escapes them for its format.
 */
import type { Finding, Results } from '../model.js';

/** Findings the PR comment lists at most (warnings only); summary.md and report.html show them all. */
export const COMMENT_FINDINGS = 10;

export type FindingView = ReturnType<typeof findingView>;

export function findingView(f: Finding, paired: boolean) {
  return {
    ...f,
    warn: f.severity === 'warn',
    icon: f.severity === 'warn' ? '⚠️' : 'ℹ️',
    /** `hello` or, in paired mode, `hello (head)`. */
    where: paired ? `${f.profile} (${f.side})` : f.profile,
    numberList: Object.entries(f.numbers).map(([name, value]) => ({ name, value: String(value) })),
    numbersText: Object.entries(f.numbers)
      .map(([name, value]) => `${name} ${String(value)}`)
      .join(' · ')
  };
}

/** Every finding, the warnings for the comment, and how many warnings the comment leaves out. */
export function findingsView(results: Results) {
  const paired = results.profiles.some(p => p.base);
  const all = (results.findings ?? []).map(f => findingView(f, paired));
  const warnings = all.filter(f => f.warn);
  return {
    findings: all,
    commentFindings: warnings.slice(0, COMMENT_FINDINGS),
    moreFindings: Math.max(0, warnings.length - COMMENT_FINDINGS)
  };
}

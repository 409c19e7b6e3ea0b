/**
 * Environment variables in config values: `${NAME}` and `${{ env.NAME }}` (the GitHub Actions
 * spelling, so a config reads the same in a workflow and on a laptop) are replaced from the
 * environment; `$${` is a literal `${`. Any other `${…}` is an error rather than left as is: a
 * `${{ secrets.TOKEN }}` sent verbatim in a header would fail in a far more confusing way.
 */
import type { PathIssue } from './format-issues.js';
import type { PathSegment } from './yaml-positions.js';

/** One variable substituted somewhere in the config. */
export interface Substitution {
  name: string;
  value: string;
  /** Where: the key path of the string it was substituted into. */
  path: PathSegment[];
  /** That string as written in the file (`Bearer ${TOKEN}`), to show in messages instead of the value. */
  written: string;
}

export interface SubstitutionResult {
  value: unknown;
  substitutions: Substitution[];
  issues: PathIssue[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const REFERENCE = new RegExp(
  `\\$\\$\\{|\\$\\{\\{\\s*env\\.(${NAME})\\s*\\}\\}|\\$\\{(${NAME})\\}|\\$\\{[^}]*\\}?\\}?`,
  'g'
);

/** Replaces variable references in every string value (not in keys) of `value`. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): SubstitutionResult {
  const substitutions: Substitution[] = [];
  const issues: PathIssue[] = [];

  const substitute = (text: string, path: PathSegment[]): string =>
    text.replace(REFERENCE, (match: string, actionsName?: string, plainName?: string) => {
      if (match === '$${') return '${';
      const name = actionsName ?? plainName;
      if (name === undefined) {
        issues.push({
          path,
          message: `expected \${NAME} or \${{ env.NAME }} (or $\${ for a literal \${), got "${match}"`
        });
        return match;
      }
      const found = env[name];
      if (found === undefined) {
        issues.push({ path, message: `expected environment variable ${name} to be set` });
        return match;
      }
      substitutions.push({ name, value: found, path, written: text });
      return found;
    });

  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') return substitute(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };

  return { value: walk(value, []), substitutions, issues };
}

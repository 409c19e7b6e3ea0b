/**
 * Which values of the config are secrets, and keeping them out of config errors (SPEC §1).
 *
 * A secret is a value substituted from the environment into a place the config reads as text (a
 * header, a body, a path, a command, a service's env, a URL), and the password of any URL in the
 * config, written literally or not. Two kinds of values are not masked:
 *
 * - values substituted where the config reads a number, a duration, a rate, true/false or one of its
 *   keywords (`connections: ${CONNECTIONS}`, SPEC §9's light and heavy variants). They are settings,
 *   not credentials, and masking "100" would turn every 100 of the report (a count, a latency, a
 *   percentile) into `***`.
 * - values shorter than {@link MIN_SECRET_LENGTH}. GitHub's runner masks any length, but masking a
 *   one- or two-character value replaces that letter or pair everywhere — every "a" of the report —
 *   and the holes then spell the value out to anyone reading around them: a mask that destroys the
 *   report and still gives the secret away. Such a value is left as is and warned about, so its
 *   owner can lengthen it (a real credential is never that short) or accept it.
 */
import { SHAPES } from './profile-schema.js';
import { METHODS } from './fields.js';
import { describeValue } from './messages.js';
import type { Substitution } from './env-substitution.js';
import type { PathIssue } from './format-issues.js';
import type { PathSegment } from './yaml-positions.js';
import { secretMask } from '../secret-masking.js';

/** Shorter substituted values are not masked (and are warned about). */
export const MIN_SECRET_LENGTH = 3;

/** Values the config reads as keywords: public by definition, whatever put them there. */
const KEYWORDS = new Set<string>([
  ...SHAPES,
  ...METHODS,
  'auto',
  'file',
  'artifact',
  'branch',
  'always',
  'on-change',
  'never',
  'warn',
  'fail'
]);

export interface ConfigSecrets {
  /** Strings masked in every log and report. */
  secrets: string[];
  /** The substitutions among them, which the config hash counts by variable name. */
  substituted: Substitution[];
  /** Values too short to mask, at their key paths. */
  warnings: PathIssue[];
}

/**
 * The secrets of a valid config. `parsed` is the schema's output (to tell settings from text),
 * `value` the config after substitution (to find URL passwords).
 */
export function configSecrets(substitutions: Substitution[], parsed: unknown, value: unknown): ConfigSecrets {
  const text = substitutions.filter(s => !isSetting(valueAt(parsed, s.path)) && s.value.length > 0);
  const substituted = text.filter(s => s.value.length >= MIN_SECRET_LENGTH);
  const warnings = text
    .filter(s => s.value.length < MIN_SECRET_LENGTH)
    .map(s => ({
      path: s.path,
      message:
        `the value of environment variable ${s.name} has ${s.value.length} character(s), too few to ` +
        `mask without garbling every log and report: it is shown as is (a real secret is longer)`
    }));
  const passwords = urlPasswords(value).filter(p => p.length >= MIN_SECRET_LENGTH);
  return { secrets: [...new Set([...substituted.map(s => s.value), ...passwords])], substituted, warnings };
}

/**
 * Issues as shown to the user: a message about a value substituted from the environment shows the
 * value as written in the file (`"Bearer ${TOKEN}"`), and any substituted value or URL password
 * left in a message is masked. Before the schema has said what each value is, every substituted
 * value of {@link MIN_SECRET_LENGTH} or more counts as secret.
 */
export function protectIssues(
  issues: PathIssue[],
  substitutions: Substitution[],
  value: unknown
): PathIssue[] {
  const secrets = [
    ...substitutions.map(s => s.value).filter(v => v.length >= MIN_SECRET_LENGTH),
    ...urlPasswords(value).filter(p => p.length >= MIN_SECRET_LENGTH)
  ];
  const whole = secretMask(secrets);
  const mask = (text: string) => maskCutSecrets(whole(text), secrets);
  return issues.map(issue => {
    let message = issue.message;
    for (const s of substitutions.filter(s => samePath(s.path, issue.path))) {
      const now = valueAt(value, s.path);
      if (typeof now !== 'string') continue;
      message = message
        .split(describeValue(now))
        .join(describeValue(s.written))
        .split(JSON.stringify(now))
        .join(JSON.stringify(s.written));
    }
    return { ...issue, message: mask(message) };
  });
}

/**
 * A message may quote a value cut short (`"Bearer ghp_abc…"`, describeValue's 60 characters), where
 * the whole secret no longer matches: the start of a secret right before the cut is masked too.
 */
function maskCutSecrets(text: string, secrets: readonly string[]): string {
  if (!text.includes('…')) return text;
  let out = text;
  for (const secret of secrets) {
    for (let k = secret.length - 1; k >= MIN_SECRET_LENGTH; k--) {
      for (const start of [secret.slice(0, k), JSON.stringify(secret.slice(0, k)).slice(1, -1)]) {
        out = out.split(`${start}…`).join('***…');
      }
    }
  }
  return out;
}

function isSetting(output: unknown): boolean {
  return typeof output === 'number' || typeof output === 'boolean' || KEYWORDS.has(String(output));
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

const samePath = (a: readonly PathSegment[], b: readonly PathSegment[]) =>
  a.length === b.length && a.every((segment, i) => String(segment) === String(b[i]));

/** `scheme://user:password@`, bounded and anchored at a scheme's start (linear over any text). */
const URL_USERINFO = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]{0,256}:([^\s/?#@]{1,256})@/gi;

/** The passwords of every `scheme://user:password@` in the strings of `value`, as written and decoded. */
export function urlPasswords(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(URL_USERINFO)) {
        const password = match[1]!;
        found.add(password);
        found.add(decoded(password));
      }
    } else if (node !== null && typeof node === 'object') {
      Object.values(node).forEach(walk);
    }
  };
  walk(value);
  return [...found];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

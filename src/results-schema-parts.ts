/**
 * The building blocks of the results schema (results-schema.ts) and the wording of its messages.
 * Every message reads `expected <what>, got <value>`, in words a reader of the file knows (a list,
 * an object, a number), with the value shown as JSON; zod's own wording never reaches the user.
 * Objects are loose: a key this perfgate does not know (written by a newer one of the same schema
 * version) is kept, not refused.
 */
import { z } from 'zod';

/** An issue as zod hands it to an error map, before its message exists. */
type RawIssue = z.core.$ZodRawIssue;

/** Longest value shown in a message, in characters. */
const MAX_SHOWN = 40;

/**
 * A value as JSON for the "got …" half of a message, cut to about 40 characters. Written here
 * rather than by `JSON.stringify`, which would walk all of a huge or deeply nested value (and
 * overflow the stack on a deep one) to show its first 40 characters.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let out = '';
  /** Appends; false once the budget is spent (each level of nesting costs a character, so the recursion is shallow). */
  const put = (text: string) => (out += text).length <= MAX_SHOWN;
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !put(',')) || !walk(v[i])) return false;
      return put(']');
    }
    if (typeof v === 'object' && v !== null) {
      if (!put('{')) return false;
      let first = true;
      for (const [key, x] of Object.entries(v)) {
        if ((!first && !put(',')) || !put(`${JSON.stringify(key)}:`) || !walk(x)) return false;
        first = false;
      }
      return put('}');
    }
    const cut = typeof v === 'string' && v.length > MAX_SHOWN ? v.slice(0, MAX_SHOWN + 1) : v;
    return put(JSON.stringify(cut) ?? String(cut));
  };
  return walk(value) ? out : `${out.slice(0, MAX_SHOWN)}…`;
}

/** Error parameters: whatever goes wrong with this value, the message is `expected <what>, got <value>`. */
export function expected(what: string): { error: (issue: RawIssue) => string } {
  return { error: issue => `expected ${what}, got ${showValue(issue.input)}` };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null'
};

/** Wording for an issue raised by a schema without its own message: the safety net. */
export function fallbackMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${showValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${oneOfWords(issue.values)}, got ${showValue(issue.input)}`;
    default:
      return `expected a valid value, got ${showValue(issue.input)}`;
  }
}

function oneOfWords(values: readonly unknown[]): string {
  const shown = values.map(v => JSON.stringify(v));
  return shown.length === 1 ? shown[0]! : `one of ${shown.join(', ')}`;
}

/** A JSON number (JSON has no NaN or infinities, so it is finite). */
export const num = z.number(expected('a number'));

/** A count: a whole number ≥ 0. */
export const count = z.int(expected('a whole number ≥ 0')).min(0, expected('a whole number ≥ 0'));

/** A string. */
export const text = z.string(expected('a string'));

/** A boolean. */
export const bool = z.boolean(expected('true or false'));

/** A number, or null where the model says nothing was measured. */
export const numOrNull = z.number(expected('a number or null')).nullable();

/**
 * A statistic that may be NaN or infinite in memory (no trials to estimate from, an interval the
 * data cannot bound): `JSON.stringify` writes those as null, so null is read back as NaN.
 */
export const stat = z
  .number(expected('a number or null'))
  .nullable()
  .transform(v => v ?? Number.NaN);

/** A date and time as perfgate writes it (ISO 8601): stores order runs by it. */
export const dateTime = z
  .string(expected('a date and time'))
  .refine(s => !Number.isNaN(Date.parse(s)), expected('a date and time (ISO 8601)'));

/** One of a few strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expected(oneOfWords(values)));
}

/** A side of a paired run. */
export const side = oneOf(['head', 'base']);

/** An exact value, such as the tool's name. */
export function exactly<const T extends string | number>(value: T) {
  return z.literal(value, expected(JSON.stringify(value)));
}

/** A list of items of one schema. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item, expected('a list'));
}

/** An object with these keys; other keys are allowed and kept (forward-compatible reads). */
export function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.looseObject(shape, expected('an object'));
}

/** An object used as a map from names to values. */
export function map<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value, expected('an object'));
}

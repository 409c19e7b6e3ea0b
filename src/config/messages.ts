/**
 * The wording of config errors. Every message reads "expected …, got …", so a user always learns
 * both what perfgate wanted and what it found; zod's own wording never reaches the user.
 */
import { z } from 'zod';
import { maskUrlPasswords } from '../secret-masking.js';

/** An issue as zod hands it to an error map, before its message exists. */
export type RawIssue = z.core.$ZodRawIssue;

const MAX_SHOWN = 60;

/**
 * Describes a YAML value for the "got …" half of a message. A URL's password is masked before the
 * text is shortened: cut in the middle, it would no longer look like one.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const text = maskUrlPasswords(value);
    const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty map' : 'a map';
  return String(value);
}

/**
 * Error parameters for a schema: whatever goes wrong with this value (wrong type, out of range,
 * bad format, missing), the message is `expected <what>, got <value>`.
 */
export function expected(what: string): { error: (issue: RawIssue) => string } {
  return { error: issue => `expected ${what}, got ${describeValue(issue.input)}` };
}

/**
 * A map whose keys are all known: an unknown key is an error at that key. The error map only says
 * which keys are allowed; `format-issues.ts` adds the offending key, one issue per key.
 */
export function strictMap<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: issue =>
      issue.code === 'unrecognized_keys'
        ? `expected one of ${keys}`
        : `expected ${what}, got ${describeValue(issue.input)}`
  });
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map'
};

/**
 * The parse-level error map: wording for any issue raised by a schema without its own `expected`.
 * Every schema in `schema.ts` has one, so this is the safety net that keeps zod's wording out.
 */
export function fallbackMessage(issue: RawIssue): string {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}, got ${got}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : 'a value >='} ${issue.minimum}, got ${got}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : 'a value <='} ${issue.maximum}, got ${got}`;
    case 'unrecognized_keys':
      return 'expected only known keys';
    default:
      return `expected a valid value, got ${got}`;
  }
}

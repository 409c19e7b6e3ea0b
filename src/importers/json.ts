/**
 * Reading the JSON formats: syntax errors with their line and column (a truncated file says so), and
 * shapes checked with a zod schema whose issues become a JSON path (`$.benchmarks[3].real_time`).
 * Both end as an ImportError naming the file and the format.
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { ImportError } from '../errors.js';
import { implausible } from './units.js';

/**
 * The parsed JSON of `text`, or an ImportError at the line and column where it went wrong (found by
 * jsonc-parser, which reports every error's offset; `JSON.parse` does the fast path).
 */
export function readJson(text: string, file: string, format: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    const errors: ParseError[] = [];
    parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const offset = first?.offset ?? body.length;
    const { line, col } = lineCol(body, offset);
    const truncated =
      first === undefined ||
      offset >= body.trimEnd().length ||
      ['UnexpectedEndOfString', 'UnexpectedEndOfComment'].includes(printParseErrorCode(first.error));
    throw new ImportError(
      file,
      `line ${line}, column ${col}`,
      format,
      truncated
        ? 'the JSON ends early (a truncated file?)'
        : `not valid JSON (${first ? printParseErrorCode(first.error) : 'unknown error'})`
    );
  }
}

/**
 * The JSON of `text` as C++ and Python tools write it: NaN and ±Infinity bare, which is not JSON.
 * When the text does not parse, such values are read as strings (`nonFinite` turns them back into
 * numbers), so that a NaN is reported at its JSON path rather than as a syntax error; a text still
 * invalid gets the first attempt's error.
 */
export function readJsonAllowingNonFinite(text: string, file: string, format: string): unknown {
  try {
    return readJson(text, file, format);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    try {
      return readJson(text.replace(/([:[,]\s*)(-?NaN|-?Infinity)(?=\s*[,\]}])/g, '$1"$2"'), file, format);
    } catch {
      throw err;
    }
  }
}

/** A value `readJsonAllowingNonFinite` read as a string (`"NaN"`, `"-Infinity"`) as its number again. */
export function nonFinite(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  return { NaN: NaN, '-NaN': NaN, Infinity: Infinity, '-Infinity': -Infinity }[raw] ?? raw;
}

/** `value` checked against `schema`; the first issue becomes an ImportError at its JSON path. */
export function readShape<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  format: string
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ImportError(file, jsonPath(issue.path), format, issue.message);
}

/** `$`, `$.benchmarks[3].stats.mean`, `$.metrics["http_req_duration{a:b}"]`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, '$');
}

/** A measurement at `path`: a plausible number (units.ts `implausible`), else an ImportError there. */
export function measurement(
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  file: string,
  format: string
): number {
  const problem = implausible(value);
  if (problem) throw new ImportError(file, jsonPath(path), format, problem);
  return value as number;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.min(offset, text.length));
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

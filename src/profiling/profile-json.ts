/**
 * Checked reads of the inspector's JSON profiles (cpu-profile.ts, heap-profile.ts): each value is
 * taken at its JSON path and a wrong one is an ImportError naming the file, the path
 * (`$.nodes[3].callFrame.url`) and the format — the message a truncated or foreign artifact gets.
 */
import { ImportError } from '../errors.js';
import { jsonPath, readJson } from '../importers/json.js';

export type Path = ReadonlyArray<string | number>;

/** Reads values of one file in one format; every failure names both. */
export class JsonReader {
  constructor(
    readonly file: string,
    readonly format: string
  ) {}

  /** The parsed text (a syntax error says where, and whether the file ends early). */
  parse(text: string): unknown {
    return readJson(text, this.file, this.format);
  }

  fail(path: Path, detail: string): never {
    throw new ImportError(this.file, jsonPath(path), this.format, detail);
  }

  object(value: unknown, path: Path): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `expected an object, found ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: Path): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${describe(value)}`);
    return value;
  }

  string(value: unknown, path: Path): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, found ${describe(value)}`);
    return value;
  }

  number(value: unknown, path: Path): number {
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(path, `expected a number, found ${describe(value)}`);
    return value;
  }

  /** A finite number ≥ 0. */
  size(value: unknown, path: Path): number {
    const n = this.number(value, path);
    if (n < 0) this.fail(path, `expected a number ≥ 0, found ${n}`);
    return n;
  }

  integer(value: unknown, path: Path): number {
    const n = this.number(value, path);
    if (!Number.isInteger(n)) this.fail(path, `expected an integer, found ${n}`);
    return n;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

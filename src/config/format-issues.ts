/**
 * Turns problems found on plain values (by the schema, the env substitution, the resolver) into
 * `ConfigIssue`s that point into the file: `perfgate.yml:12:5 profiles[1].duration: expected …`.
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import type { PathSegment, Position, YamlSource } from './yaml-positions.js';

/** A problem at a key path; `at: 'key'` points at the key rather than at its value. */
export interface PathIssue {
  path: PathSegment[];
  message: string;
  at?: 'key' | 'value';
}

/** A problem with a position, before it is formatted. */
interface PlacedIssue {
  pos: Position;
  path: string;
  message: string;
}

/**
 * Zod issues as path issues. Three kinds are reshaped: an unknown key becomes one issue per key, at
 * the key; a bad map key (`invalid_key`) carries the key schema's message; a union whose value
 * matched one branch's type reports that branch's issues, which say more than "none matched".
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: PathSegment[] = []): PathIssue[] {
  return issues.flatMap((issue): PathIssue[] => {
    const path = [...prefix, ...issue.path.map(s => (typeof s === 'symbol' ? String(s) : s))];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map(key => ({
          path: [...path, key],
          message: `${issue.message}, got "${key}"`,
          at: 'key'
        }));
      case 'invalid_key':
        return [{ path, message: issue.issues[0]?.message ?? issue.message, at: 'key' }];
      case 'invalid_union': {
        const matched = issue.errors.filter(
          branch => !branch.every(i => i.code === 'invalid_type' && i.path.length === 0)
        );
        return matched.length === 1 ? fromZodIssues(matched[0]!, path) : [{ path, message: issue.message }];
      }
      case 'custom':
        return [{ path, message: issue.message, at: issue.params?.at === 'key' ? 'key' : 'value' }];
      default:
        return [{ path, message: issue.message }];
    }
  });
}

/** `profiles[1].requests[0].headers.content-type`; keys that are not plain words are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** Places path issues in the file. */
export function placeIssues(issues: readonly PathIssue[], source: YamlSource, file: string): ConfigIssue[] {
  return toConfigIssues(
    issues.map(issue => ({
      pos: source.position(issue.path, issue.at),
      path: formatPath(issue.path),
      message: issue.message
    })),
    file
  );
}

/** Issues of the YAML text itself, which have a position but no key path. */
export function syntaxIssues(
  issues: ReadonlyArray<{ pos: Position; message: string }>,
  file: string
): ConfigIssue[] {
  return toConfigIssues(
    issues.map(issue => ({ ...issue, path: '' })),
    file
  );
}

/** Sorted by position (all at once, top to bottom, as an editor shows them), without duplicates. */
function toConfigIssues(issues: PlacedIssue[], file: string): ConfigIssue[] {
  const seen = new Set<string>();
  return issues
    .map((issue, order) => ({ ...issue, order }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col || a.order - b.order)
    .map(issue => ({
      where: `${file}:${issue.pos.line}:${issue.pos.col}`,
      path: issue.path,
      message: issue.message
    }))
    .filter(issue => {
      const key = `${issue.where} ${issue.path} ${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

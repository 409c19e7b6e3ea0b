/**
 * Reading a downloaded report artifact in the comment follow-up. The artifact was written by the
 * gate's `pull_request` run, which a fork controls entirely (its workflow file included), so every
 * file is hostile data: read only plain files (never through a symbolic link, which could point at
 * a file of the runner and leak it into a log or a comment), of bounded size, and check every field
 * that is taken.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Results } from '../model.js';
import { parseResults, withoutBom } from '../results-file.js';
import type { CommentPolicy } from './comment.js';
import { showValue } from '../results-schema-parts.js';

export const RESULTS_FILE = 'results.json';

/** Far above a real results.json (tens of profiles, their histograms and history: a few MB). */
export const RESULTS_MAX_BYTES = 64 * 1024 * 1024;
/** What perfgate writes is under 200 bytes. */
export const PULL_REQUEST_MAX_BYTES = 4096;

/** What the follow-up takes from the artifact's `pull-request.json` (see `readPullRequestClaims`). */
export interface PullRequestClaims {
  /** Which of perfgate's sticky comments on the pull request to write (one per config). */
  configId: string;
  policy: CommentPolicy;
  /** The pull request the gate run says it belongs to: only a hint, checked against the event. */
  number?: number;
}

const POLICIES: readonly CommentPolicy[] = ['always', 'on-change', 'never'];

/**
 * The text of `dir/name`: a regular file (not a symbolic link, directory or FIFO) of at most
 * `maxBytes`. Throws UsageError naming the file otherwise.
 */
export function readArtifactFile(dir: string, name: string, maxBytes: number): string {
  const file = path.join(dir, name);
  let fd: number;
  try {
    if (lstatSync(file).isSymbolicLink()) throw symlink(file);
    // O_NOFOLLOW closes the gap between lstat and open; O_NONBLOCK keeps a FIFO from hanging the step.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(`${file} not found: is ${dir} the report artifact of a pull request's gate run?`);
    }
    if (code === 'ELOOP') throw symlink(file);
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`${file} is not a regular file: not read`);
    if (stat.size > maxBytes) {
      throw new UsageError(
        `${file} is ${stat.size} bytes, more than the ${maxBytes} perfgate reads: not read`
      );
    }
    const text = readFileSync(fd, 'utf8');
    // The file may have grown since fstat.
    if (Buffer.byteLength(text) > maxBytes)
      throw new UsageError(`${file} is over ${maxBytes} bytes: not read`);
    return text;
  } finally {
    closeSync(fd);
  }
}

/** The artifact's results.json, read as above and checked by `parseResults` (the one schema). */
export function readArtifactResults(dir: string): Results {
  return parseResults(readArtifactFile(dir, RESULTS_FILE, RESULTS_MAX_BYTES), path.join(dir, RESULTS_FILE));
}

/**
 * The fields of `pull-request.json` that may be taken, each checked strictly.
 *
 * Taken: `configId` (exactly the 12 hex digits `configId()` writes) picks which of perfgate's own
 * comments on the event's pull request is written — the follow-up cannot know the gate's config
 * path, and the worst a forged id does is update another config's comment on the fork's own pull
 * request; `policy` (one of the three words) decides whether the fork's own pull request gets a
 * comment, and the follow-up's `comment` input overrides it; `number` only chooses among the pull
 * requests the event and the API name, and a mismatch is a refusal.
 * Ignored: `runUrl` (built from the event) and `changed` (computed again from results.json); the
 * comment text itself (`comment.md`) is never read.
 */
export function readPullRequestClaims(dir: string, file: string): PullRequestClaims {
  const where = path.join(dir, file);
  const text = readArtifactFile(dir, file, PULL_REQUEST_MAX_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (err) {
    throw new UsageError(`${where}: not JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${where}: expected an object, got ${showValue(data)}`);
  }
  const { configId, policy, number } = data as Record<string, unknown>;
  if (typeof configId !== 'string' || !/^[0-9a-f]{12}$/.test(configId)) {
    throw new UsageError(`${where}: configId: expected 12 hexadecimal digits, got ${showValue(configId)}`);
  }
  if (!POLICIES.includes(policy as CommentPolicy)) {
    throw new UsageError(
      `${where}: policy: expected one of ${POLICIES.join(', ')}, got ${showValue(policy)}`
    );
  }
  if (number !== undefined && !(typeof number === 'number' && Number.isSafeInteger(number) && number > 0)) {
    throw new UsageError(`${where}: number: expected a pull request number, got ${showValue(number)}`);
  }
  return { configId, policy: policy as CommentPolicy, ...(number !== undefined && { number }) };
}

/** A short, printable account of a hostile value (bounded, control characters escaped by JSON). */
function symlink(file: string): UsageError {
  return new UsageError(`${file} is a symbolic link: a report artifact holds plain files only; not read`);
}

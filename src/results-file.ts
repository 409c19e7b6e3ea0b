/**
 * Reading a results file back (SPEC §6, §9): every `results.json` perfgate reads — a `--baseline`
 * file, the artifact and branch stores, the `workflow_run` follow-up of mode `comment` — passes
 * through here and is checked in depth against one schema (results-schema.ts), so a file of the
 * wrong shape is a usage error naming the file and the JSON path of each problem
 * (`baseline.json: profiles[0].head.trials: expected a list, got "many"`), never a `TypeError`
 * later in the pipeline.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { formatPath } from './config/format-issues.js';
import { RuntimeError, UsageError } from './errors.js';
import { SCHEMA_VERSION, type Results } from './model.js';
import { findJsonSyntaxError } from './results-file-syntax.js';
import { fallbackMessage, showValue } from './results-schema-parts.js';
import { resultsSchema } from './results-schema.js';

/** The versions this perfgate reads, in words: every one from 1 to its own. */
const READABLE_VERSIONS = Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1).join(' or ');

/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 10;

/**
 * A results file that cannot be used: a UsageError (exit 2) whose message has one line per problem.
 * `newerSchema` is set when a newer perfgate wrote it (its schemaVersion), which a store must not
 * overwrite.
 */
export class ResultsFileError extends UsageError {
  constructor(
    message: string,
    readonly newerSchema?: number
  ) {
    super(message);
    this.name = 'ResultsFileError';
  }
}

/**
 * The refusal to overwrite a stored file a newer perfgate wrote (`newer`, its schemaVersion): its
 * history is not this version's to wipe. `instead` says what the user can do.
 */
export function notReplacingNewer(name: string, newer: number, instead: string): RuntimeError {
  return new RuntimeError(
    `${name} was written by a newer perfgate (schemaVersion ${newer}, this one writes ${SCHEMA_VERSION}): not replacing it — upgrade perfgate, or ${instead}`
  );
}

/** The text without a UTF-8 byte order mark (editors on Windows write one; JSON.parse refuses it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A results file from its text; `name` says where it came from in messages (a path, or e.g.
 * `the baseline on the data branch …`). A UTF-8 byte order mark is accepted. Keys this perfgate
 * does not know are kept. Throws ResultsFileError when it is not a perfgate results file of this
 * schema in every detail.
 */
export function parseResults(text: string, name: string): Results {
  const json = withoutBom(text);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    const at = findJsonSyntaxError(json);
    throw new ResultsFileError(
      at
        ? `${name}: not valid JSON at line ${at.line}, column ${at.column}: ${at.message}`
        : `${name}: not valid JSON: ${(err as Error).message}`
    );
  }
  const version = checkHeader(data, name);
  if (version > SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${name}: written by a newer perfgate (schemaVersion ${version}; this one reads ${SCHEMA_VERSION}): upgrade perfgate to read it`,
      version
    );
  }
  const parsed = resultsSchema.safeParse(data, { error: fallbackMessage });
  if (!parsed.success) throw new ResultsFileError(describeIssues(parsed.error.issues, name));
  return parsed.data;
}

/** Reads and checks a results file (see parseResults); a missing or unreadable file is a UsageError. */
export function readResults(file: string): Results {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseResults(text, file);
}

/**
 * What must hold before the shape is worth checking — an object written by perfgate, with a
 * schema version — so that any other JSON file gets one clear line rather than a page of
 * problems. Returns the schema version.
 */
function checkHeader(data: unknown, name: string): number {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ResultsFileError(`${name}: expected a perfgate results object, got ${showValue(data)}`);
  }
  const { tool, schemaVersion } = data as { tool?: { name?: unknown }; schemaVersion?: unknown };
  const toolName = typeof tool === 'object' && tool !== null ? tool.name : undefined;
  if (toolName !== 'perfgate') {
    throw new ResultsFileError(
      `${name}: tool.name: expected "perfgate" (a results file written by perfgate), got ${showValue(toolName)}`
    );
  }
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new ResultsFileError(
      `${name}: schemaVersion: expected ${READABLE_VERSIONS}, got ${showValue(schemaVersion)}`
    );
  }
  return schemaVersion;
}

/** One line per problem, `name: path: message`, the first ten of them, then how many more. */
function describeIssues(issues: readonly z.core.$ZodIssue[], name: string): string {
  const lines = issues.slice(0, MAX_PROBLEMS).map(issue => {
    const path = formatPath(issue.path.map(s => (typeof s === 'symbol' ? String(s) : s)));
    return path ? `${name}: ${path}: ${issue.message}` : `${name}: ${issue.message}`;
  });
  const more = issues.length - MAX_PROBLEMS;
  if (more > 0) lines.push(`… and ${more} more`);
  return lines.join('\n');
}

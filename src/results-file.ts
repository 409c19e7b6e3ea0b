/**
 * Reading a results file back (SPEC §6, §9): every `results.json` perfgate reads — a `--baseline`
 * file, the artifact and branch stores, the `workflow_run` follow-up of mode `comment` — passes
 * through here, so a file of the wrong shape is a clear usage error naming the file, never a
 * `TypeError` later in the pipeline.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { Results } from './model.js';

/**
 * A results file from its text; `name` says where it came from in messages (a path, or e.g.
 * `on the data branch`). A UTF-8 byte order mark is accepted. Throws UsageError when it is not a
 * perfgate results file.
 */
export function parseResults(text: string, name: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new UsageError(`${name}: not JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${name}: expected a perfgate results object`);
  }
  if ((data as { tool?: { name?: unknown } }).tool?.name !== 'perfgate') {
    throw new UsageError(`${name}: tool.name: expected a results file written by perfgate`);
  }
  return data as Results;
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

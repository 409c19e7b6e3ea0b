/**
 * The `file` baseline store (SPEC §6): a results file saved by an earlier run and read back as the
 * base of an unpaired comparison. Only complete runs are saved; a file that is not a complete
 * perfgate results file, correct in every detail (results-schema.ts), is refused with a message
 * naming it and the JSON path of each problem.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../write-atomic.js';
import { RuntimeError, UsageError } from '../errors.js';
import type { Results } from '../model.js';
import { parseResults, ResultsFileError } from '../results-file.js';

/**
 * Reads a baseline; `null` when the file does not exist. `name` says where it came from in
 * messages (default: the path). Throws UsageError (a ResultsFileError when the file was read but
 * is not a usable baseline) otherwise.
 */
export function readBaseline(file: string, name = file): Results | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read the baseline ${file}: ${(err as Error).message}`);
  }
  return parseBaseline(text, name);
}

/**
 * A baseline from its text; `name` says where it came from in messages. The shape is checked by
 * the results schema (results-file.ts); what makes a results file a baseline is checked here.
 * Throws ResultsFileError when unusable.
 */
export function parseBaseline(text: string, name: string): Results {
  const results = parseResults(text, name);
  // A failed or unfinished run measured only part of what it was asked to: not a base to compare with.
  if (results.status !== 'complete') {
    throw new ResultsFileError(
      `${name}: status: expected "complete" (a baseline is a complete run), got "${results.status}"`
    );
  }
  return results;
}

/** Saves a complete run as the baseline (atomically). Refuses a failed or unfinished run. */
export function writeBaseline(file: string, results: Results): void {
  if (results.status !== 'complete') {
    throw new RuntimeError(`not saving ${file} as a baseline: the run did not complete (${results.status})`);
  }
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  } catch (err) {
    throw new RuntimeError(`cannot write the baseline ${file}: ${(err as Error).message}`);
  }
}

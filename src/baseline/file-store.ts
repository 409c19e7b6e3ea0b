/**
 * The `file` baseline store (SPEC §6): a results file saved by an earlier run and read back as the
 * base of an unpaired comparison. Only complete runs are saved; a file that is not a complete
 * perfgate results file is refused with a message naming it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';
import { SCHEMA_VERSION, type Results } from '../model.js';

/** Reads a baseline; `null` when the file does not exist. Throws UsageError when it is not usable. */
export function readBaseline(file: string): Results | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read the baseline ${file}: ${(err as Error).message}`);
  }
  return parseBaseline(text, file);
}

/** A baseline from its text; `name` says where it came from in messages. Throws UsageError when unusable. */
export function parseBaseline(text: string, name: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the baseline ${name} is not JSON: ${(err as Error).message}`);
  }
  const problem = whyNotABaseline(data);
  if (problem) throw new UsageError(`the baseline ${name} is not usable: ${problem}`);
  return data as Results;
}

function whyNotABaseline(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'expected a perfgate results object';
  const r = data as Partial<Results>;
  if (r.tool?.name !== 'perfgate') return 'expected a results file written by perfgate';
  if (r.schemaVersion !== SCHEMA_VERSION) {
    return `expected schemaVersion ${SCHEMA_VERSION}, got ${JSON.stringify(r.schemaVersion)}`;
  }
  if (r.status !== 'complete') return `expected a complete run, got status "${r.status}"`;
  if (!Array.isArray(r.profiles)) return 'expected a list of profiles';
  if (r.history !== undefined && !(Array.isArray(r.history) && r.history.every(isEntry))) {
    return 'expected history to be a list of entries with profiles';
  }
  return undefined;
}

/** Saves a complete run as the baseline (atomically). Refuses a failed or unfinished run. */
export function writeBaseline(file: string, results: Results): void {
  if (results.status !== 'complete') {
    throw new RuntimeError(`not saving ${file} as a baseline: the run did not complete (${results.status})`);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (err) {
    throw new RuntimeError(`cannot write the baseline ${file}: ${(err as Error).message}`);
  }
}

function isEntry(e: unknown): boolean {
  const profiles = (e as { profiles?: unknown } | null)?.profiles;
  return typeof profiles === 'object' && profiles !== null && !Array.isArray(profiles);
}

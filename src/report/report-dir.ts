/**
 * The report directory belongs to perfgate: it is written into only when it is new, empty, or holds
 * an earlier perfgate report (its `results.json`). A directory of the user's — the repository root
 * given as `--out .`, a docs folder named by mistake — is refused before anything runs, so nothing
 * the user owns is overwritten (`--force` overrides).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { withoutBom } from '../results-file.js';

/** Entries named in the refusal, so the user recognises the directory. */
const LISTED = 5;

/** Throws UsageError unless perfgate may write its report into `dir`. */
export function checkReportDir(dir: string, opts: { force?: boolean; option: string }): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new UsageError(`${opts.option}: ${dir} exists and is not a directory`);
  }
  const entries = readdirSync(dir);
  if (entries.length === 0 || opts.force || holdsPerfgateResults(dir)) return;
  const shown = entries.sort().slice(0, LISTED).join(', ');
  const more = entries.length > LISTED ? ` and ${entries.length - LISTED} more` : '';
  throw new UsageError(
    `${opts.option}: ${dir} is not empty and holds no perfgate results (${shown}${more}); perfgate ` +
      `writes its report only into a new or empty directory or over an earlier report of its own: ` +
      `choose another directory, empty this one, or pass --force to write into it anyway`
  );
}

/** A `results.json` written by perfgate (any version, complete or not) marks an earlier report. */
function holdsPerfgateResults(dir: string): boolean {
  try {
    const text = withoutBom(readFileSync(path.join(dir, 'results.json'), 'utf8'));
    return (JSON.parse(text) as { tool?: { name?: unknown } } | null)?.tool?.name === 'perfgate';
  } catch {
    return false;
  }
}

/**
 * Writes the report directory: `results.json` and `summary.md`, replaced atomically each time so a
 * reader (or a crash) never sees half a file. Called after every trial (hyperfine's "write as soon
 * as results exist"), so a later failure loses nothing already measured.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RuntimeError } from '../errors.js';
import type { Results } from '../model.js';
import { renderSummary } from './render-summary.js';

export interface ReportFiles {
  results: string;
  summary: string;
}

export class ReportWriter {
  readonly files: ReportFiles;

  constructor(
    readonly dir: string,
    private readonly mask: (text: string) => string = t => t
  ) {
    this.files = { results: path.join(dir, 'results.json'), summary: path.join(dir, 'summary.md') };
  }

  /** Writes both files; returns their paths. Throws RuntimeError naming the file on I/O failure. */
  write(results: Results): ReportFiles {
    this.put(this.files.results, `${JSON.stringify(results, null, 2)}\n`);
    this.put(this.files.summary, renderSummary(results));
    return this.files;
  }

  private put(file: string, text: string): void {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, this.mask(text));
      renameSync(tmp, file);
    } catch (err) {
      throw new RuntimeError(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

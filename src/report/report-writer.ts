/**
 * Writes the report directory: `results.json`, `summary.md` and `report.html`, replaced atomically
 * each time so a reader (or a crash) never sees half a file. Called after every trial (hyperfine's
 * "write as soon as results exist"), so a later failure loses nothing already measured. The report
 * model is built once per write and rendered twice.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../write-atomic.js';
import { RuntimeError } from '../errors.js';
import type { Results } from '../model.js';
import { render, renderComment, renderHtml } from './render.js';
import { maskResults } from '../reporter.js';
import { buildReportModel } from './report-model.js';

export interface ReportFiles {
  results: string;
  summary: string;
  /** The self-contained HTML page (inline CSS and SVG charts). */
  html: string;
}

export class ReportWriter {
  readonly files: ReportFiles;
  private failing = false;

  constructor(
    readonly dir: string,
    private readonly mask: (text: string) => string = t => t
  ) {
    this.files = {
      results: path.join(dir, 'results.json'),
      summary: path.join(dir, 'summary.md'),
      html: path.join(dir, 'report.html')
    };
  }

  /** Writes every file; returns their paths. Throws RuntimeError naming the file on I/O failure. */
  write(results: Results): ReportFiles {
    // The model is masked, not the JSON text: masking text could hit a histogram's base64.
    const masked = maskResults(results, this.mask);
    this.put(this.files.results, `${JSON.stringify(masked, null, 2)}\n`);
    const model = buildReportModel(masked);
    // Rendered text is masked once more, for a secret a renderer might have escaped into pieces.
    this.put(this.files.summary, this.mask(render('summary.md', model)));
    this.put(this.files.html, this.mask(renderHtml(model)));
    return this.files;
  }

  /**
   * Writes every file and `comment.md` beside them, the PR comment as the Action would post it
   * (without its links): for `perfgate report` and `perfgate compare`, which re-render without a PR.
   */
  writeWithComment(results: Results): ReportFiles & { comment: string } {
    const files = this.write(results);
    const comment = path.join(this.dir, 'comment.md');
    const model = buildReportModel(maskResults(results, this.mask), { distributions: false });
    this.put(comment, this.mask(renderComment(model)));
    return { ...files, comment };
  }

  /**
   * Saves the report after a trial: a failed save (a full disk) is warned about once and does not
   * stop the measurement; the next save tries again, and the final `write` decides the outcome.
   */
  saveAfterTrial(results: Results, warn: (message: string) => void): void {
    try {
      this.write(results);
      this.failing = false;
    } catch (err) {
      if (!this.failing) warn(`${(err as Error).message}; measuring on, trying again after each trial`);
      this.failing = true;
    }
  }

  private put(file: string, text: string): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      // Written aside and renamed over the file: a reader (or a full disk) never sees half of it,
      // and a temporary file that could not be written whole is removed.
      writeFileAtomic(file, text);
    } catch (err) {
      throw new RuntimeError(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

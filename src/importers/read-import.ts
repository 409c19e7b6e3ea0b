/**
 * Reading another tool's output file (SPEC §4): the bytes checked (not empty, not binary, UTF-8),
 * the format taken from `format:` or detected from the content, and the file parsed by that format's
 * importer. Every failure is an ImportError naming the file (and, once known, the format).
 */
import { readFileSync, statSync } from 'node:fs';
import { ImportError } from '../errors.js';
import type { Importer, ImportedFile } from './types.js';

/** Larger files are refused before they are read: no benchmark output is this big. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** A detection at least this confident picks a format. */
export const DETECT_THRESHOLD = 0.5;
/** Two formats closer than this to the best are too alike to choose between. */
const AMBIGUITY = 0.1;

/** The text of an output file: UTF-8, not empty, not binary. */
export function readOutputText(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(
      file,
      '',
      '',
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`
    );
  }
  if (size > MAX_IMPORT_BYTES) {
    throw new ImportError(
      file,
      '',
      '',
      `${size} bytes, more than the ${MAX_IMPORT_BYTES / 1024 ** 2} MiB an output file may have`
    );
  }
  return decodeOutput(readFileSync(file), file);
}

/** Bytes as text: empty, NUL-holding or not-UTF-8 content is refused. */
export function decodeOutput(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0 || bytes.every(b => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    throw new ImportError(file, '', '', 'the file is empty');
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new ImportError(file, '', '', 'a binary file, not the text output of a benchmark tool');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(file, '', '', 'not UTF-8 text (a binary file?)');
  }
}

/** The importer for `format`, or an ImportError listing the formats there are. */
export function importerFor(format: string, importers: readonly Importer[], file: string): Importer {
  const importer = importers.find(i => i.format === format);
  if (importer) return importer;
  throw new ImportError(
    file,
    '',
    '',
    `unknown format "${format}"; expected one of ${importers.map(i => i.format).join(', ')}`
  );
}

/**
 * The format of `text`: the importer whose detection is confident and clearly ahead of the others.
 * None confident, or two alike: an ImportError naming the candidates and asking for `format:`.
 */
export function detectFormat(text: string, importers: readonly Importer[], file: string): Importer {
  const scored = importers
    .map(importer => ({ importer, confidence: safeDetect(importer, text) }))
    .sort((a, b) => b.confidence - a.confidence);
  const best = scored[0];
  const formats = importers.map(i => i.format).join(', ');
  if (!best || best.confidence < DETECT_THRESHOLD) {
    const maybe = scored.filter(s => s.confidence > 0).map(s => s.importer.format);
    throw new ImportError(
      file,
      '',
      '',
      `no supported format recognised${maybe.length > 0 ? ` (it looks a little like ${maybe.join(', ')})` : ''}; ` +
        `name it with format: (one of ${formats})`
    );
  }
  const alike = scored.filter(s => s !== best && best.confidence - s.confidence < AMBIGUITY);
  if (alike.length > 0) {
    throw new ImportError(
      file,
      '',
      '',
      `it could be ${[best, ...alike].map(s => s.importer.format).join(' or ')}; name it with format:`
    );
  }
  return best.importer;
}

/** Reads `file` as `format` (or the format detected) with one of `importers`. */
export function importFile(file: string, importers: readonly Importer[], format?: string): ImportedFile {
  const text = readOutputText(file);
  return importText(text, file, importers, format);
}

/** Parses `text` (read from `file`) as `format`, or as the format detected. */
export function importText(
  text: string,
  file: string,
  importers: readonly Importer[],
  format?: string
): ImportedFile {
  const importer = format ? importerFor(format, importers, file) : detectFormat(text, importers, file);
  const benchmarks = importer.parse(text, file);
  if (benchmarks.length === 0) {
    throw new ImportError(file, '', importer.format, 'no benchmarks in it');
  }
  if (benchmarks.every(b => b.failed !== undefined && b.metrics.length === 0)) {
    const list = benchmarks.map(b => `"${b.name}" (${b.failed})`);
    throw new ImportError(
      file,
      '',
      importer.format,
      `every benchmark failed: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`
    );
  }
  const judged = importer.judged?.(text, file);
  return {
    format: importer.format,
    file,
    benchmarks,
    ...(judged && judged.thresholds.length > 0 && { thresholds: judged.thresholds }),
    ...(judged && judged.checks.length > 0 && { checks: judged.checks })
  };
}

function safeDetect(importer: Importer, text: string): number {
  try {
    const c = importer.detect(text);
    return Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
  } catch {
    return 0;
  }
}

/**
 * A file replaced whole: written aside and renamed over the old one, so a reader (or a crash, or a
 * full disk) never sees half of it, and a temporary file that could not be written whole is removed.
 * (The npm package write-file-atomic does this too, but reads `__filename`, which the Action's ESM
 * bundle does not have.)
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Replaces `file` with `text` atomically; throws the file system's error, leaving no temporary file. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a small file of `/proc` without blocking the event loop and without a large buffer.
 *
 * `fs.promises.readFile` cannot know the length of a `/proc` file (its size reads as 0), so it reads
 * into a fresh 64 KiB buffer per file. The resource sampler scans every process's `stat` once a second
 * while a trial runs: on a runner with 66 processes that was 4.2 MiB of buffers a second, memory
 * outside V8's heap that V8 answers with a full garbage collection — one to three inside nearly every
 * 2 s trial, 3–10 ms each, stalling every request in flight. A `stat` line is about 300 bytes and a
 * `status` about 1.4 KiB: this reads into a small buffer from Node's shared pool and reads again into
 * a larger one only when the first came back full.
 */
import { close, open, read } from 'node:fs';

/** The first buffer's length: a `stat` fits, a `status` takes a second read. Below Buffer's pool limit. */
const FIRST_BYTES = 1024;
/** A `/proc` file this long is not one this module reads (a guard against an endless one). */
const MAX_BYTES = 1 << 20;

/**
 * The whole text of `file` (UTF-8), read from its start. Rejects as `readFile` does when the file
 * cannot be opened or read (ENOENT for a process that has exited), and when it holds 1 MiB or more.
 */
export function readProcFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    open(file, 'r', (openError, fd) => {
      if (openError) return reject(openError);
      const done = (error: Error | null, text?: string) =>
        close(fd, () => (error ? reject(error) : resolve(text as string)));
      // One read from offset 0 per attempt: a `/proc` file is generated afresh at each read from its
      // start, so the text is one snapshot, never the halves of two.
      const attempt = (length: number) => {
        const buffer = Buffer.allocUnsafe(length);
        read(fd, buffer, 0, length, 0, (readError, bytesRead) => {
          if (readError) return done(readError);
          if (bytesRead < length) return done(null, buffer.toString('utf8', 0, bytesRead));
          if (length >= MAX_BYTES) {
            return done(
              new RangeError(`${file} holds ${MAX_BYTES} bytes or more; readProcFile reads small /proc files`)
            );
          }
          attempt(length * 4);
        });
      };
      attempt(FIRST_BYTES);
    });
  });
}

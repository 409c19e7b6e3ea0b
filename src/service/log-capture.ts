/**
 * Captures a service's stdout and stderr line by line into its log file (secrets masked), keeps the
 * last lines in memory for error messages, and lets readiness checks watch the lines as they arrive.
 */
import { open } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { maskSecrets } from '../reporter.js';

/** Lines kept in memory for `tail()`. */
export const TAIL_CAPACITY = 200;
/** A "line" longer than this is cut, so output without newlines cannot grow memory without bound. */
const MAX_LINE_CHARS = 64 * 1024;

type LineListener = (line: string) => void;

/** One service's log: a file on disk plus the last lines in memory. */
export class LogCapture {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<LineListener>();
  private readonly sources: { stream: Readable; flush: () => void }[] = [];
  private closed = false;
  private closing?: Promise<void>;

  private constructor(
    /** Absolute path of the log file. */
    readonly file: string,
    private readonly out: WriteStream,
    private readonly mask: (text: string) => string
  ) {
    out.on('error', () => {}); // a full disk must not crash the run; the tail in memory still works
  }

  /** Creates (or truncates) the log file. `secrets` are replaced by `***` in the file and the tail. */
  static async create(file: string, secrets: readonly string[]): Promise<LogCapture> {
    const handle = await open(file, 'w');
    return new LogCapture(file, handle.createWriteStream(), maskSecrets(secrets));
  }

  /** Reads `stream` as UTF-8 text and records each complete line as it arrives. */
  attach(stream: Readable): void {
    let partial = '';
    const flush = () => {
      if (partial) this.record(partial);
      partial = '';
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.record(line);
      while (partial.length > MAX_LINE_CHARS) {
        this.record(partial.slice(0, MAX_LINE_CHARS));
        partial = partial.slice(MAX_LINE_CHARS);
      }
    });
    stream.on('end', flush);
    stream.on('error', flush);
    this.sources.push({ stream, flush });
  }

  /**
   * Calls `listener` with every later line, unmasked (a readiness pattern is matched against what the
   * service printed). Returns the function that unsubscribes.
   */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last `count` lines (at most {@link TAIL_CAPACITY}), masked, joined with newlines. */
  tail(count = TAIL_CAPACITY): string {
    return count > 0 ? this.lines.slice(-count).join('\n') : '';
  }

  /**
   * Records pending partial lines, stops reading (a process that escaped the kill may still hold the
   * pipes; perfgate must not wait for it) and closes the file. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const { stream, flush } of this.sources) {
        flush();
        stream.removeAllListeners('data');
        stream.destroy();
      }
      this.closed = true;
      this.listeners.clear();
      this.out.end();
      await finished(this.out).catch(() => {});
    })();
    return this.closing;
  }

  private record(raw: string): void {
    if (this.closed) return;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    for (const listener of this.listeners) listener(line);
    const masked = this.mask(line);
    this.lines.push(masked);
    if (this.lines.length > TAIL_CAPACITY) this.lines.shift();
    this.out.write(masked + '\n');
  }
}

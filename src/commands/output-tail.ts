/** The end of a command's output, kept in bounded memory however much it prints. */
import type { Readable } from 'node:stream';

/** Keeps the last `capacity` bytes of a stream and counts all of them. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen. */
  bytes = 0;

  constructor(private readonly capacity: number) {}

  /** Reads `stream` to its end (or error). */
  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.on('error', () => {}); // the tail so far is all there is
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (chunk.length >= this.capacity) {
      this.chunks = [chunk.subarray(chunk.length - this.capacity)];
      this.kept = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept - (this.chunks[0]?.length ?? 0) >= this.capacity) {
      this.kept -= this.chunks.shift()!.length;
    }
  }

  /**
   * The last `capacity` bytes as UTF-8 text. A multi-byte character cut at the start becomes U+FFFD,
   * which is dropped.
   */
  text(): string {
    let all = Buffer.concat(this.chunks);
    if (all.length > this.capacity) all = all.subarray(all.length - this.capacity);
    return all.toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** Keeps the first `capacity` bytes of a stream whole and counts all of them. */
export class OutputHead {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen. */
  bytes = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.kept >= this.capacity) return;
    const part =
      chunk.length <= this.capacity - this.kept ? chunk : chunk.subarray(0, this.capacity - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The last `n` lines of `text` (for messages). */
export function lastLines(text: string, n: number): string {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n).join('\n');
}

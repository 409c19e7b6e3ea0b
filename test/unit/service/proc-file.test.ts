import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectGarbage } from '../../../src/load/collect-garbage.js';
import { readProcFile } from '../../../src/service/proc-file.js';
import { treePids } from '../../../src/service/process-tree.js';
import { readTree } from '../../../src/service/resource-readings.js';

describe('readProcFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-proc-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Lengths around the first buffer (1 KiB) and each larger one (×4), and UTF-8 across a boundary.
  it.each([0, 1, 1023, 1024, 1025, 4096, 5000, 70_000])('reads a whole %i-byte file', length => {
    const file = path.join(dir, `f${length}`);
    const text = 'é'.repeat(length >> 1) + (length % 2 ? 'x' : '');
    writeFileSync(file, text);
    return expect(readProcFile(file)).resolves.toBe(text);
  });

  it('rejects with the path and ENOENT when the file is missing (a process that exited)', async () => {
    const file = path.join(dir, 'missing');
    await expect(readProcFile(file)).rejects.toMatchObject({ code: 'ENOENT', path: file });
  });

  it('rejects a file of 1 MiB or more, naming it', async () => {
    const file = path.join(dir, 'big');
    writeFileSync(file, Buffer.alloc(1 << 20, 'a'));
    await expect(readProcFile(file)).rejects.toThrow(`${file} holds 1048576 bytes or more`);
  });

  // /proc: Linux, where the service sampler reads it.
  it("reads this process's stat (one read) and status (longer than the first buffer)", async () => {
    const stat = await readProcFile('/proc/self/stat');
    expect(stat.startsWith(`${process.pid} (`)).toBe(true);
    expect(stat.endsWith('\n')).toBe(true);
    const status = await readProcFile('/proc/self/status');
    expect(status.length).toBeGreaterThan(1024);
    expect(status).toMatch(new RegExp(`^Pid:\\t${process.pid}$`, 'm'));
    const keys = (text: string) => text.split('\n').map(line => line.split(':')[0]);
    expect(keys(status)).toEqual(keys(readFileSync('/proc/self/status', 'utf8')));
  });

  // What it is for: fs.promises.readFile takes a fresh 64 KiB buffer for every /proc file (their size
  // reads as 0), 50 reads 3.2 MiB of memory outside V8's heap, which V8 answers with full collections.
  it('reads without a buffer per file: 50 reads of a stat grow array buffers by far less than 64 KiB each', async () => {
    await readProcFile('/proc/self/stat');
    expect(collectGarbage()).toBe(true);
    const before = process.memoryUsage().arrayBuffers;
    const texts = [];
    for (let i = 0; i < 50; i++) texts.push(await readProcFile('/proc/self/stat'));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(texts.every(text => text.startsWith(`${process.pid} (`))).toBe(true);
    expect(grown).toBeLessThan(256 * 1024);
  });

  it("is what the sampler's scans use: a scan of every process and a reading of the tree take no buffer per file", async () => {
    await treePids(process.pid);
    expect(collectGarbage()).toBe(true);
    const before = process.memoryUsage().arrayBuffers;
    const files = readdirSync('/proc').filter(name => /^\d+$/.test(name)).length;
    for (let i = 0; i < 5; i++) {
      expect(await treePids(process.pid)).toContain(process.pid);
      const reading = await readTree([process.pid], 'proc');
      expect(reading.processes.get(process.pid)?.rssBytes).toBeGreaterThan(0);
    }
    // readFile's 64 KiB a file: 5 × (files + 3) × 64 KiB. A 1 KiB read from Buffer's pool instead.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(5 * (files + 3) * 4096 + 64 * 1024);
  });
});

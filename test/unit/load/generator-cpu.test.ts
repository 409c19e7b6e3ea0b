import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatorCpuClock, parseTaskStat, readTaskStat } from '../../../src/load/generator-cpu.js';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
const stat = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) R 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 500 0 0\n`;

describe('parseTaskStat', () => {
  it('adds utime and stime and converts USER_HZ ticks to ms', () => {
    expect(parseTaskStat(stat('node', 250, 37))).toBe(2870);
  });

  it('finds the fields after a command name holding spaces and parentheses', () => {
    expect(parseTaskStat(stat('node (x) 1 2 3', 4, 6))).toBe(100);
  });

  it('gives undefined for a line without the time fields', () => {
    expect(parseTaskStat('4242 (node) R 1 2')).toBeUndefined();
    expect(parseTaskStat('')).toBeUndefined();
  });

  it('reads a stat file, and undefined for one that does not exist', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-stat-'));
    writeFileSync(path.join(dir, 'stat'), stat('node', 1, 2));
    expect(readTaskStat(path.join(dir, 'stat'))).toBe(30);
    expect(readTaskStat(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('generatorCpuClock', () => {
  it('measures this thread: a busy loop advances it by about the loop time', () => {
    const clock = generatorCpuClock();
    if (process.platform === 'linux') expect(clock.scope).toBe('thread');
    const c0 = clock.read();
    const t0 = performance.now();
    while (performance.now() - t0 < 300); // spin for 300 ms of wall time
    const used = clock.read() - c0;
    // 10 ms ticks; the thread may lose some of the 300 ms to other processes on a busy machine.
    expect(used).toBeGreaterThanOrEqual(100);
    expect(used).toBeLessThanOrEqual(330);
  });

  it('does not count time the thread spent waiting', async () => {
    const clock = generatorCpuClock();
    const c0 = clock.read();
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(clock.read() - c0).toBeLessThan(100);
  });
});

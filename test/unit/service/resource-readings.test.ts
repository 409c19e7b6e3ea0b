import { readFileSync } from 'node:fs';
import {
  parseProcStat,
  parseUptimeMs,
  parseVmRssBytes,
  readTree
} from '../../../src/service/resource-readings.js';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
// stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss …
const statLine = (comm: string, utime: number, stime: number, start: number, cutime = 0) =>
  `4242 (${comm}) R 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} ${cutime} 0 20 0 11 0 ${start} 3133440 362\n`;

const LINUX = process.platform === 'linux';

describe('parseProcStat', () => {
  it.each([
    ['a plain name', statLine('node', 250, 37, 1117174), { cpuTicks: 287, startTicks: 1117174 }],
    ['a name with spaces', statLine('my server', 1, 2, 3), { cpuTicks: 3, startTicks: 3 }],
    ['a name with ) and (', statLine('a) b (c) 9 9', 10, 20, 30), { cpuTicks: 30, startTicks: 30 }],
    ['children times left out', statLine('sh', 5, 5, 7, 900), { cpuTicks: 10, startTicks: 7 }],
    ['a real line (this process)', readFileSyncOr('/proc/self/stat'), 'parses']
  ])('%s', (_name, line, expected) => {
    if (line === undefined) return; // no /proc here
    const parsed = parseProcStat(line);
    if (expected === 'parses') {
      expect(parsed?.startTicks).toBeGreaterThan(0);
      expect(parsed?.cpuTicks).toBeGreaterThanOrEqual(0);
    } else {
      expect(parsed).toEqual(expected);
    }
  });

  it.each([
    ['empty (the process vanished)', ''],
    ['no closing parenthesis', '4242 (node R 1 2'],
    ['too few fields', '4242 (node) R 1 4242'],
    ['a non-numeric time', statLine('node', 1, 2, 3).replace(' 1 2 0 0 20', ' x 2 0 0 20')]
  ])('undefined for %s', (_name, line) => {
    expect(parseProcStat(line)).toBeUndefined();
  });
});

describe('parseVmRssBytes', () => {
  it.each([
    ['a process', 'Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t    2200 kB\nRssAnon:\t 1000 kB\n', 2200 * 1024],
    ['zero', 'VmRSS:\t0 kB\n', 0],
    ['a zombie (no Vm lines)', 'Name:\tnode\nState:\tZ (zombie)\nThreads:\t1\n', 0],
    ['empty (the process vanished)', '', 0]
  ])('%s', (_name, text, bytes) => {
    expect(parseVmRssBytes(text)).toBe(bytes);
  });
});

describe('parseUptimeMs', () => {
  it.each([
    ['11171.74 15364.65\n', 11171740],
    ['0.50 0.10', 500],
    ['', undefined],
    ['garbage', undefined]
  ])('%j → %p', (text, ms) => {
    if (ms === undefined) expect(parseUptimeMs(text)).toBeUndefined();
    else expect(parseUptimeMs(text)).toBeCloseTo(ms, 6);
  });
});

describe('readTree', () => {
  const sources = LINUX ? (['proc', 'pidusage'] as const) : (['pidusage'] as const);

  it.each(sources)('%s: reads this process and skips a pid that does not exist', async source => {
    const missing = 4_194_303; // above the default pid_max, never a live pid
    const reading = await readTree([process.pid, missing], source);
    expect([...reading.processes.keys()]).toEqual([process.pid]);
    const self = reading.processes.get(process.pid);
    expect(self?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(self?.rssBytes).toBeLessThan(4 * 1024 ** 3);
    // Age in ms, as this process counts its own (ps gives whole seconds).
    expect(self?.cpuMs).toBeGreaterThan(0);
    expect(self?.ageMs).toBeLessThan(process.uptime() * 1000 + 2000);
    expect(self?.ageMs).toBeGreaterThan(process.uptime() * 1000 - 2000);
  });

  it.each(sources)('%s: an empty tree reads as empty', async source => {
    expect((await readTree([], source)).processes.size).toBe(0);
  });
});

function readFileSyncOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

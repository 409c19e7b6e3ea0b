/**
 * bench/lib/util.mjs `processWakeups`: how many times a process has gone to sleep (latency-agreement's
 * server wake-ups a request), read from /proc.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
// @ts-expect-error: a bench helper in plain JavaScript, without types
import { processWakeups } from '../../../bench/lib/util.mjs';

const wakeups = processWakeups as (pid: number) => number | undefined;

describe('processWakeups', () => {
  test('counts each time the process waits: ten waits of 10 ms add at least ten', async () => {
    const before = wakeups(process.pid);
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) await sleep(10);
    expect(wakeups(process.pid)! - before!).toBeGreaterThanOrEqual(10);
  });

  test('is undefined for a process that has exited', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(wakeups(child.pid!)).toBeUndefined();
  });
});

/**
 * bench/lib/util.mjs `runChild` with `cpus`: the child runs on those CPUs (latency-agreement's
 * CPUS=apart puts every tool there), and without it on every CPU this process has.
 */
import { readFileSync } from 'node:fs';
// @ts-expect-error: a bench helper in plain JavaScript, without types
import { runChild } from '../../../bench/lib/util.mjs';

type Run = (cmd: string, args: string[], opts: object) => Promise<{ out: string; code: number }>;
const run = runChild as Run;
const cpusOf = (status: string) => /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];

describe('runChild', () => {
  const children = new Set();
  const own = cpusOf(readFileSync('/proc/self/status', 'utf8'));

  test('runs the child on the CPUs asked for', async () => {
    const last = own!.split(/[,-]/).at(-1)!;
    const { out, code } = await run('cat', ['/proc/self/status'], { children, limitMs: 10_000, cpus: last });
    expect(code).toBe(0);
    expect(cpusOf(out)).toBe(last);
  });

  test('and on every CPU of this process without cpus', async () => {
    const { out } = await run('cat', ['/proc/self/status'], { children, limitMs: 10_000 });
    expect(cpusOf(out)).toBe(own);
  });
});

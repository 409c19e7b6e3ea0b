/**
 * One measured run of real commands (src/commands/run-once.ts). Timing asserts are relations with
 * wide margins ("wall ≥ 200 ms", "CPU ≪ wall"), robust on a busy 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runOnce } from '../../src/commands/run-once.js';
import { TAIL_BYTES, type CommandSpec } from '../../src/commands/types.js';
import { CancelledError, CommandError } from '../../src/errors.js';
import { isGone } from '../helpers/processes.js';

const MB = 1024 * 1024;
const NODE = JSON.stringify(process.execPath);
/** A node process doing a fixed amount of work (about 0.3–0.5 s of CPU here) after touching `mb` MB. */
const worker = (mb: number) =>
  `${NODE} -e 'const b = Buffer.alloc(${mb} * 1048576, 1); let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; if (b[0] !== 1 || x < 0) process.exit(9)'`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-commands-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (command: string | string[], more: Partial<CommandSpec> = {}): CommandSpec => ({
  command,
  shell: typeof command === 'string',
  cwd: dir,
  env: {},
  timeoutMs: 60_000,
  ...more
});

it('times a sleep: wall at least its length, little CPU', async () => {
  const m = await runOnce(spec('sleep 0.2'));
  expect(m.exitCode).toBe(0);
  expect(m.timedOut).toBe(false);
  expect(m.wallMs).toBeGreaterThanOrEqual(200);
  expect(m.wallMs).toBeLessThan(2000);
  expect(m.cpuSource).toBe('times');
  expect(m.userMs + m.sysMs).toBeLessThan(m.wallMs / 4);
  expect(m.peakRssBytes).toBeGreaterThan(0);
});

it('counts the CPU of a CPU-bound command as the command itself does', async () => {
  // The worker prints its own process.cpuUsage() at exit: an account of its CPU independent of the
  // shell's `times`, and, unlike its wall time, not stretched when the machine is busy.
  const m = await runOnce(
    spec(
      `${worker(1).slice(0, -1)}; const u = process.cpuUsage(); console.log(u.user / 1000, u.system / 1000)'`
    )
  );
  expect(m.exitCode).toBe(0);
  expect(m.cpuSource).toBe('times');
  const [selfUser = NaN, selfSys = NaN] = m.stdoutTail.trim().split(' ').map(Number);
  expect(selfUser).toBeGreaterThan(100);
  // `times` counts the whole process in 10 ms ticks, a little more than the script's own account.
  expect(m.userMs + m.sysMs).toBeGreaterThanOrEqual(0.9 * (selfUser + selfSys) - 20);
  expect(m.userMs + m.sysMs).toBeLessThanOrEqual(1.5 * (selfUser + selfSys) + 100);
  expect(m.userMs).toBeLessThanOrEqual(m.wallMs + 20);
});

it('counts the CPU and the memory of children it forks', async () => {
  const one = await runOnce(spec(worker(100)));
  const two = await runOnce(spec(`${worker(100)} & ${worker(100)} & wait`));
  console.log(
    `one child: wall ${one.wallMs.toFixed(0)} ms, user ${one.userMs} ms, sys ${one.sysMs} ms, peak ${(one.peakRssBytes / MB).toFixed(0)} MiB; ` +
      `two: wall ${two.wallMs.toFixed(0)} ms, user ${two.userMs} ms, sys ${two.sysMs} ms, peak ${(two.peakRssBytes / MB).toFixed(0)} MiB`
  );
  expect([one.exitCode, two.exitCode]).toEqual([0, 0]);
  expect(one.peakRssBytes).toBeGreaterThanOrEqual(75 * MB);
  expect(two.peakRssBytes).toBeGreaterThanOrEqual(150 * MB);
  expect(two.userMs).toBeGreaterThanOrEqual(1.5 * one.userMs);
});

it('kills the whole tree on a timeout and leaves no process behind', async () => {
  const started = performance.now();
  const m = await runOnce(spec(`sh -c 'sleep 30 & echo $!; sleep 30 & echo $!; wait'`, { timeoutMs: 300 }));
  const took = performance.now() - started;
  expect(m.timedOut).toBe(true);
  expect(m.exitCode).toBeNull();
  expect(m.signal).not.toBeNull();
  expect(took).toBeLessThan(2500);
  const pids = m.stdoutTail.trim().split('\n').map(Number);
  expect(pids).toHaveLength(2);
  for (const pid of pids) expect(isGone(pid)).toBe(true);
});

it('kills what the command left running in the background once it exited', async () => {
  const m = await runOnce(spec('sleep 30 & echo $!'));
  expect(m.exitCode).toBe(0);
  expect(m.timedOut).toBe(false);
  expect(isGone(Number(m.stdoutTail.trim()))).toBe(true);
});

it('reports an exit code, also one given by `exit` in the command line', async () => {
  expect((await runOnce(spec('echo oops >&2; exit 3'))).exitCode).toBe(3);
  const m = await runOnce(spec('echo oops >&2; false'));
  expect(m).toMatchObject({ exitCode: 1, stderrTail: 'oops\n', cpuSource: 'times' });
});

it('reports a command that is not found as exit code 127 with the shell’s message', async () => {
  const m = await runOnce(spec('no-such-command-perfgate --x'));
  expect(m.exitCode).toBe(127);
  expect(m.stderrTail).toMatch(/no-such-command-perfgate.*not found/);
  const argv = await runOnce(spec(['no-such-command-perfgate', 'x']));
  expect(argv.exitCode).toBe(127);
  expect(argv.stderrTail).toMatch(/not found/);
});

it('keeps bounded tails of 100 MB of output and counts every byte', async () => {
  const m = await runOnce(spec('head -c 100000000 /dev/zero; echo done >&2'));
  expect(m.exitCode).toBe(0);
  expect(m.stdoutBytes).toBe(100_000_000);
  expect(m.stdoutTail.length).toBeLessThanOrEqual(TAIL_BYTES);
  expect(m.stdoutTail.length).toBeGreaterThan(0);
  expect(m.stderrTail).toBe('done\n');
});

it('passes the words of an argv verbatim (shell: false)', async () => {
  const words = ['a b', `"quoted" and 'single'`, '$HOME `x` $(y) \\ ; |', '', '-n'];
  const m = await runOnce(
    spec([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...words])
  );
  expect(m.exitCode).toBe(0);
  expect(JSON.parse(m.stdoutTail)).toEqual(words);
  expect(m.cpuSource).toBe('times');
});

it('runs in cwd with env added', async () => {
  const m = await runOnce(spec('pwd; echo "$PERFGATE_TEST_VAR"', { env: { PERFGATE_TEST_VAR: 'x y' } }));
  expect(m.stdoutTail).toBe(`${dir}\nx y\n`);
});

it('falls back to sampled CPU when the command replaces the shell', async () => {
  const m = await runOnce(spec(`exec ${worker(1)}`));
  expect(m.exitCode).toBe(0);
  expect(m.cpuSource).toBe('sampled');
  expect(m.userMs).toBeGreaterThan(0.3 * m.wallMs);
});

it('names a working directory that does not exist', async () => {
  const missing = path.join(dir, 'no-such-dir');
  const err = await runOnce(spec('true', { cwd: missing })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  expect((err as Error).message).toContain(`working directory ${missing} does not exist`);
});

it('kills the tree when cancelled', async () => {
  const controller = new AbortController();
  const run = runOnce(spec('sleep 30 & echo $!; sleep 30'), { signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await expect(run).rejects.toBeInstanceOf(CancelledError);
});

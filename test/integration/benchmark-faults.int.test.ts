/**
 * Faults of command benchmarks through the real CLI and real processes (SPEC §4, §12): a command
 * that is not found, exits non-zero, hangs past its timeout, prints 100 MB, a failing `setup`, a base
 * `cwd` that does not exist, and a cancellation. Each is a clear message and exit code 3, no process
 * is left behind, and every run measured before the fault stays in results.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { REPO, tempConfig } from '../helpers/example-config.js';
import { isGone } from '../helpers/processes.js';
import { runNode, type RunResult } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
/** Generous: a 2-core runner under load is slow, and a test that hangs is worse than a slow one. */
const CLI_LIMIT_MS = 90_000;
const TEST_LIMIT_MS = 120_000;

/** Increments the file `count` in the config's directory; `$n` is this run's number (warmups count). */
const COUNTER = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count';

/** A `perfgate.yml` with `lines` under `benchmarks:` in a fresh temp dir. */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function benchmarks(lines: string[]) {
  const { dir } = tempConfig('perfgate-faults-', ['version: 1', 'benchmarks:', ...lines]);
  dirs.push(dir);
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    file,
    run: (): Promise<RunResult> =>
      runNode([BIN, 'run', '-c', 'perfgate.yml', '--out', 'out'], {
        cwd: dir,
        env: { ...process.env, CI: 'true' },
        timeoutMs: CLI_LIMIT_MS
      }),
    start: () => startCli(dir),
    results: (): Results => JSON.parse(readFileSync(file('out/results.json'), 'utf8')) as Results,
    read: (name: string) => readFileSync(file(name), 'utf8')
  };
}

/** The CLI as a child whose pid the test can watch and signal. */
function startCli(dir: string) {
  const child = spawn(process.execPath, [BIN, 'run', '-c', 'perfgate.yml', '--out', 'out'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), CLI_LIMIT_MS);
  const done = new Promise<RunResult>(resolve =>
    child.on('close', code => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    })
  );
  return { child, done, stderr: () => stderr };
}

/** A unique `sleep` argument: the processes of one test are found by it, and only they. */
const sleepMarker = () => `30.${randomInt(100_000, 1_000_000)}`;

/** Processes alive (not zombies) whose command line contains `marker`. */
function living(marker: string): string[] {
  return execFileSync('ps', ['-A', '-o', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(line => line.includes(marker) && !/^\s*\d+\s+Z/.test(line));
}

/** The pids a command wrote, one a line, to `file`. */
const pidsIn = (text: string) => text.trim().split('\n').filter(Boolean).map(Number);

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

describe('command benchmark faults (real CLI)', () => {
  beforeAll(buildLib, TEST_LIMIT_MS);

  it(
    'a command not found: exit 3, "exit code 127 (command not found)" with the shell\'s words',
    async () => {
      const b = benchmarks(['  - name: nf', '    command: no-such-command-perfgate --flag', '    runs: 3']);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        'perfgate: benchmark "nf", head warmup run 1 of 1 failed: exit code 127 (command not found) (allowFailure is off)\n' +
          '--- end of its stderr ---\n'
      );
      expect(r.stderr).toMatch(/no-such-command-perfgate: (command )?not found\n---/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'command' } });
      expect(results.benchmarks![0]).toMatchObject({ name: 'nf', runs: [] });
      expect(results.benchmarks![0]!.error).toContain('exit code 127 (command not found)');
    },
    TEST_LIMIT_MS
  );

  it(
    'a command killed by a signal: the exit code 128 + n read as the signal',
    async () => {
      const b = benchmarks(['  - name: killed', `    command: sh -c 'kill -KILL $$'`, '    warmup: 0']);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        'perfgate: benchmark "killed", head run 1 of 10 failed: exit code 137 (killed by SIGKILL) (allowFailure is off)'
      );
      expect(b.results().benchmarks![0]!.runs.map(run => run.exitCode)).toEqual([137]);
    },
    TEST_LIMIT_MS
  );

  it(
    'a non-zero exit in run 4: names benchmark, run, side, exit code and stderr tail; runs 1–4 kept; cleanup ran',
    async () => {
      const b = benchmarks([
        '  - name: flaky',
        `    command: '${COUNTER}; if [ $n -eq 4 ]; then echo "warming the cache" >&2; echo "error: database gone in run $n" >&2; exit 7; fi'`,
        '    warmup: 0',
        '    runs: 6',
        '    cleanup: echo cleaned > cleaned.txt'
      ]);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        [
          'perfgate: benchmark "flaky", head run 4 of 6 failed: exit code 7 (allowFailure is off)',
          '--- end of its stderr ---',
          'warming the cache',
          'error: database gone in run 4',
          '---'
        ].join('\n')
      );
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'command' } });
      const bench = results.benchmarks![0]!;
      expect(bench.runs.map(run => [run.side, run.index, run.exitCode])).toEqual([
        ['head', 0, 0],
        ['head', 1, 0],
        ['head', 2, 0],
        ['head', 3, 7]
      ]);
      expect(bench.error).toContain('head run 4 of 6 failed: exit code 7');
      expect(b.read('count').trim()).toBe('4'); // nothing ran after the failure
      expect(b.read('cleaned.txt')).toBe('cleaned\n');
    },
    TEST_LIMIT_MS
  );

  it(
    'a base failing in a paired benchmark: names the pair and the side; the runs before it kept',
    async () => {
      const b = benchmarks([
        '  - name: pair',
        '    command: "true"',
        '    warmup: 0',
        '    runs: 4',
        '    base:',
        `      command: '${COUNTER}; if [ $n -eq 3 ]; then echo "base broke" >&2; exit 2; fi'`
      ]);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        'perfgate: benchmark "pair", pair 3 of 5 (base) failed: exit code 2 (allowFailure is off)\n' +
          '--- end of its stderr ---\nbase broke\n---'
      );
      const runs = b.results().benchmarks![0]!.runs;
      // B H, H B, B…: the third base run is the first of pair 3.
      expect(runs.map(run => `${run.side} ${run.index} ${run.exitCode}`)).toEqual([
        'base 0 0',
        'head 0 0',
        'head 1 0',
        'base 1 0',
        'base 2 2'
      ]);
    },
    TEST_LIMIT_MS
  );

  it(
    'allowFailure: the same command completes, exit codes recorded; an exit_code threshold fails the gate (exit 1)',
    async () => {
      const b = benchmarks([
        '  - name: flaky',
        `    command: '${COUNTER}; if [ $n -eq 4 ]; then exit 7; fi'`,
        '    warmup: 0',
        '    runs: 6',
        '    allowFailure: true',
        "    thresholds: { exit_code: ['max<1'] }"
      ]);
      const r = await b.run();
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/FAIL flaky +exit_code +max<1 +\(observed 7\)/);
      const results = b.results();
      expect(results).toMatchObject({ status: 'complete', verdict: 'fail' });
      expect(results.benchmarks![0]!.runs.map(run => run.exitCode)).toEqual([0, 0, 0, 7, 0, 0]);
      expect(results.benchmarks![0]!.error).toBeUndefined();
      expect(results.thresholds).toEqual([
        expect.objectContaining({
          profile: 'flaky',
          metric: 'exit_code',
          expression: 'max<1',
          observed: 7,
          ok: false
        })
      ]);
    },
    TEST_LIMIT_MS
  );

  it.each([
    ['that stop on SIGTERM', ''],
    ['that ignore SIGTERM (killed with SIGKILL)', 'trap "" TERM; ']
  ])(
    'a hang past its timeout, with children %s: timed out, the whole tree killed, no orphan',
    async (_, prefix) => {
      const marker = sleepMarker();
      const b = benchmarks([
        '  - name: hang',
        `    command: '${prefix}sleep ${marker} & echo $! >> pids; sleep ${marker} & echo $! >> pids; wait'`,
        // Long enough for both children to be started on a loaded runner, short enough to wait for.
        '    timeout: 1s',
        '    warmup: 0',
        '    runs: 3'
      ]);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `perfgate: benchmark "hang", head run 1 of 3 timed out after 1s (\`${prefix}sleep ${marker} & echo $! >> pids; sleep ${marker} & echo $! >> pids; wait\`); its process tree was killed`
      );
      const pids = pidsIn(b.read('pids'));
      expect(pids).toHaveLength(2); // the children were there to be killed
      expect(pids.filter(pid => !isGone(pid))).toEqual([]);
      expect(living(marker)).toEqual([]);
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'command' } });
      expect(results.benchmarks![0]!.runs).toEqual([
        expect.objectContaining({ index: 0, timedOut: true, exitCode: null })
      ]);
    },
    TEST_LIMIT_MS
  );

  it(
    'a command that exits leaving a child in the background: the child is killed with its group',
    async () => {
      const marker = sleepMarker();
      const b = benchmarks([
        '  - name: leaves',
        `    command: 'sleep ${marker} & echo $! >> pids'`,
        '    warmup: 0',
        '    runs: 2'
      ]);
      const r = await b.run();
      expect(r.code).toBe(0);
      const pids = pidsIn(b.read('pids'));
      expect(pids).toHaveLength(2);
      expect(pids.filter(pid => !isGone(pid))).toEqual([]);
      expect(living(marker)).toEqual([]);
      expect(b.results().benchmarks![0]!.runs.map(run => run.exitCode)).toEqual([0, 0]);
    },
    TEST_LIMIT_MS
  );

  it(
    'a command printing 100 MB (and one 400 MB): completes, every byte counted, perfgate keeps only tails',
    async () => {
      const b = benchmarks([
        '  - name: loud',
        '    command: head -c 104857600 /dev/zero; echo "the end" >&2',
        '    warmup: 0',
        '    runs: 2',
        '  - name: louder',
        '    command: head -c 419430400 /dev/zero',
        '    warmup: 0',
        '    runs: 1'
      ]);
      const cli = b.start();
      // perfgate's own peak memory, read while it runs (Linux: VmHWM only grows).
      let peakKb = 0;
      const status = `/proc/${cli.child.pid}/status`;
      const watch = setInterval(() => {
        try {
          const kb = Number(/^VmHWM:\s*(\d+)/m.exec(readFileSync(status, 'utf8'))?.[1] ?? 0);
          peakKb = Math.max(peakKb, kb);
        } catch {
          // exited
        }
      }, 25);
      const r = await cli.done;
      clearInterval(watch);
      expect(r.code).toBe(0);
      const [loud, louder] = b.results().benchmarks!;
      expect(loud!.runs.map(run => [run.exitCode, run.stdoutBytes, run.stderrBytes])).toEqual([
        [0, 104857600, 8],
        [0, 104857600, 8]
      ]);
      expect(louder!.runs.map(run => run.stdoutBytes)).toEqual([419430400]);
      if (process.platform === 'linux') {
        expect(peakKb).toBeGreaterThan(0); // it was watched
        // Had it kept the 400 MB, its peak would be past 400 MB; it stays near Node's own ~100 MB.
        expect(peakKb * 1024).toBeLessThan(300 * 1024 ** 2);
      }
    },
    TEST_LIMIT_MS
  );

  it(
    'a failing setup: named with its command, exit code and stderr; no run, no cleanup of a side never set up',
    async () => {
      const b = benchmarks([
        '  - name: install',
        '    setup: echo "npm ERR! missing package.json" >&2; exit 254',
        `    command: '${COUNTER}'`,
        '    cleanup: echo cleaned > cleaned.txt'
      ]);
      const r = await b.run();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        'perfgate: benchmark "install", head setup `echo "npm ERR! missing package.json" >&2; exit 254` failed: exit code 254\n' +
          '--- end of its stderr ---\nnpm ERR! missing package.json\n---'
      );
      expect(existsSync(b.file('count'))).toBe(false);
      expect(existsSync(b.file('cleaned.txt'))).toBe(false);
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'command' } });
      expect(results.benchmarks![0]).toMatchObject({ name: 'install', runs: [] });
    },
    TEST_LIMIT_MS
  );

  it(
    'a base cwd that does not exist: names the directory and its place in the config, before anything runs',
    async () => {
      const b = benchmarks([
        // Checked before anything starts: not after the benchmarks before it have run.
        '  - name: earlier',
        '    command: echo ran > earlier.txt',
        '    runs: 1',
        '  - name: paired',
        `    command: '${COUNTER}'`,
        '    setup: echo set up > setup.txt',
        '    base:',
        `      command: '${COUNTER}'`,
        '      cwd: ../no-base-checkout'
      ]);
      const r = await b.run();
      expect(r.code).toBe(3);
      const missing = path.join(path.dirname(realpathSync(b.dir)), 'no-base-checkout');
      expect(r.stderr).toContain(
        `perfgate: benchmark "paired" (base): working directory ${missing} does not exist (perfgate.yml:11:12); ` +
          'check out the base version there before perfgate runs'
      );
      expect(existsSync(b.file('earlier.txt'))).toBe(false);
      expect(existsSync(b.file('setup.txt'))).toBe(false);
      expect(existsSync(b.file('count'))).toBe(false);
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'command' } });
      expect(results.benchmarks ?? []).toEqual([]);
    },
    TEST_LIMIT_MS
  );

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-benchmark: exit 3, the hanging tree killed, the runs measured so far kept',
    async signal => {
      const marker = sleepMarker();
      const b = benchmarks([
        '  - name: cancel',
        `    command: '${COUNTER}; if [ $n -ge 3 ]; then sleep ${marker} & echo $! >> pids; sleep ${marker} & echo $! >> pids; wait; fi'`,
        '    warmup: 0',
        '    runs: 6'
      ]);
      const cli = b.start();
      // Run 3 hangs: signal once both of its children are there.
      await until(() => existsSync(b.file('pids')) && pidsIn(b.read('pids')).length === 2);
      cli.child.kill(signal);
      const r = await cli.done;
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${signal} received`);
      expect(r.stderr).toContain('perfgate: cancelled');
      const pids = pidsIn(b.read('pids'));
      expect(pids.filter(pid => !isGone(pid))).toEqual([]);
      expect(living(marker)).toEqual([]);
      const results = b.results();
      expect(results).toMatchObject({ status: 'failed', error: { kind: 'cancelled' } });
      expect(results.benchmarks![0]!.runs.map(run => [run.index, run.exitCode])).toEqual([
        [0, 0],
        [1, 0]
      ]);
    },
    TEST_LIMIT_MS
  );
});

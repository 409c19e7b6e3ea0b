// Helpers shared by the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Whether `cmd` is on PATH: it could be started with `args` (a version flag; its exit code aside). */
export function installed(cmd, ...args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).error === undefined;
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once 127.0.0.1:port accepts a connection; rejects when `child` (the server, called `name`)
 * exits first or after 10 s. `output()` gives what it printed so far, for the error.
 */
export function waitListening(child, port, name, output) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    let done = false;
    const fail = why => {
      if (done) return;
      done = true;
      reject(new Error(`${name} did not start: ${why}`));
    };
    child.once('error', err => fail(err.message));
    child.once('exit', code => fail(`exited ${code}: ${output()}`));
    const probe = () => {
      if (done) return;
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        if (done) return;
        done = true;
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) return fail(`not listening on ${port} after 10 s: ${output()}`);
        setTimeout(probe, 20);
      });
    };
    probe();
  });
}

/** Median of the finite values; NaN when there are none. */
export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile (0–100) of ascending `sorted` by nearest rank; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Mean and sample standard deviation; NaN when undefined. */
export function meanSd(xs) {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

/**
 * Starts examples/hello/server.mjs (a separate process) on `port` via its `PORT` env and resolves
 * once it listens; the process is added to `children` until it exits, so a deadline can kill it.
 */
export function startExampleServer(root, port, children, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'examples/hello/server.mjs')], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit']
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    child.once('error', reject);
    child.stdout.on('data', d => {
      if (String(d).includes('listening on')) resolve(child);
    });
    setTimeout(() => reject(new Error('example server did not start within 10 s')), 10_000).unref();
  });
}

/** Stops `child` with SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise(resolve => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * CPU time (user + system, all threads) of a running process, ms, from `/proc/<pid>/stat` (Linux
 * only; undefined elsewhere or once it has exited). Fields 14 and 15 in USER_HZ = 100 ticks/s, proc(5).
 */
export function processCpuMs(pid) {
  let line;
  try {
    line = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

/**
 * How many times a running process has gone to sleep so far: `voluntary_ctxt_switches` summed over
 * its threads (`/proc/<pid>/task/<tid>/status`, Linux only; undefined elsewhere or once it has exited).
 * A server that waits in epoll counts one per wake-up.
 */
export function processWakeups(pid) {
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const task of tasks) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      total += Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

/**
 * CPU time the whole machine spent busy so far (user, nice, system, irq, softirq over all cores), ms,
 * from the first line of /proc/stat (USER_HZ ticks, proc(5)); undefined off Linux. Less a bench's
 * own processes, it shows how much CPU others took during a run.
 */
export function machineCpuMs() {
  let line;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = user + nice + system + irq + softirq;
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

/**
 * Bounds a bench: after `limitMs`, or on SIGINT or SIGTERM, kills every process still in `children`,
 * runs `cleanup` and exits. Returns a function that clears the deadline once the bench is done.
 */
export function guard(children, limitMs, cleanup = () => {}) {
  const stop = (why, code) => {
    console.error(why);
    for (const c of children) c.kill('SIGKILL');
    cleanup();
    process.exit(code);
  };
  const deadline = setTimeout(() => stop(`bench exceeded ${limitMs / 1000} s; stopping`, 1), limitMs);
  deadline.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop(`${signal}: stopping`, 130));
  return () => clearTimeout(deadline);
}

/**
 * Runs a child to completion, tracked in `children` and killed after `limitMs`. Resolves on exit
 * code 0 (any with `anyExit`) with its stdout, stderr, exit code, its CPU share of one core after
 * its first second (start-up left out) and its total CPU ms (`total`), both sampled from /proc
 * every 100 ms (so up to 100 ms of the end is missed). `cpus` (a list like "1"): the child runs on
 * those CPUs (through taskset, which execs it: the pid is the child's).
 */
export function runChild(cmd, args, { children, limitMs, anyExit = false, cpus }) {
  return new Promise((resolve, reject) => {
    const [file, argv] = cpus ? ['taskset', ['--cpu-list', cpus, cmd, ...args]] : [cmd, args];
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const started = performance.now();
    const samples = [];
    let total = 0;
    const sampler = setInterval(() => {
      const now = performance.now();
      const cpu = processCpuMs(child.pid);
      if (cpu === undefined) return;
      total = cpu;
      if (now - started >= 1000) samples.push({ now, cpu });
    }, 100);
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.once('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(limit);
      children.delete(child);
      const [first, last] = [samples[0], samples.at(-1)];
      const cpu = last && last.now > first.now ? (last.cpu - first.cpu) / (last.now - first.now) : undefined;
      if (code === 0 || (anyExit && code !== null)) return resolve({ out, err, code, cpu, total });
      const name = path.basename(cmd === process.execPath ? args[0] : cmd);
      reject(new Error(`${name} exited ${code ?? signal}: ${err.slice(-500)}`));
    });
  });
}

/** This process's CPU time (user + system, all threads), ms. */
export function ownCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A ratio as a signed change in percent (`+1.2 %`, `-3.4 %`); `-` when it is not finite. */
export function signed(ratio) {
  if (!Number.isFinite(ratio)) return '-';
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`;
}

/** `x` to `digits` decimals; `-` when it is not finite. */
export function fixed(x, digits) {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

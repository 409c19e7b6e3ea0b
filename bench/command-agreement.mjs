// Command benchmarks (SPEC §4) against hyperfine (Debian package; the bench fails without it), side
// by side on the same commands, the tools interleaved block by block (each block rotates their order)
// so drift on a shared machine hits them alike:
//   hyperfine     `hyperfine --warmup W --runs n 'cmd'`: its default shell (`sh -c`), whose spawn
//                 time it measures first and SUBTRACTS from every run;
//   hyperfine+sh  `hyperfine -N "/bin/sh -c 'cmd'"`: the same shell, nothing subtracted (what the
//                 command costs with its shell; the difference to hyperfine is the shell start-up);
//   hyperfine+trap  `hyperfine -N` of perfgate's own `/bin/sh` argument list (its `times` EXIT trap,
//                 which also keeps the shell from exec'ing the last command; `times` to stderr, as a
//                 child of hyperfine has no fd 3): the shell's share of perfgate's overhead;
//   perfgate      lib/commands/run-benchmark.js in this process (`npm run build` first): `/bin/sh`
//                 with its `times` EXIT trap, in its own process group, timed from just before the
//                 spawn to the exit less the runner's own cost per run (calibrated on empty runs, as
//                 hyperfine calibrates its shell), its tree's RSS sampled at 5, 15, 35, 75 … ms.
// 1. Three commands — a sleep, a CPU-bound awk loop, a pipeline with a background job — mean ± sd of
//    the wall time per tool, perfgate's difference to hyperfine and PASS when it is within ±2 %; then
//    (informational) where perfgate's difference comes from (shell start-up, the trap, the rest: Node's
//    spawn, pipes, /proc sampling), the user/sys CPU and peak RSS perfgate measured, hyperfine's user/sys.
// 2. The overhead of an empty command: perfgate's mean wall time for `:` against hyperfine's cost of
//    `/bin/sh -c ':'` with its shell (`-N`: nothing subtracted); PASS when perfgate's is not higher.
//    hyperfine+trap of `:` is informational.
// Exits 0 when every check passes, 1 otherwise. Knobs: RUNS (measured runs per tool and command,
// default 180: the pipeline's runs spread by ±5 ms on 2 cores, and 2 % of its 60 ms is 1.2 ms, so
// fewer runs leave the difference of the means within its own noise), BLOCKS (12; RUNS are split
// evenly over them), WARMUP (3 unmeasured runs per tool at the start of every block), EMPTY_RUNS
// (300, for part 2). About 4 minutes with the defaults.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { guard, machineCpuMs, meanSd, median, runChild } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(2, Number(process.env.RUNS ?? 180));
const BLOCKS = Math.max(1, Number(process.env.BLOCKS ?? 12));
const WARMUP = Math.max(0, Number(process.env.WARMUP ?? 3));
const EMPTY_RUNS = Math.max(2, Number(process.env.EMPTY_RUNS ?? 300));
/** Runs per block, at least 2 (hyperfine's minimum). */
const PER_BLOCK = Math.max(2, Math.ceil(RUNS / BLOCKS));
const EMPTY_PER_BLOCK = Math.max(2, Math.ceil(EMPTY_RUNS / BLOCKS));
const TARGET = 0.02;
const SHELL = '/bin/sh';
const LIMIT_MS = 10 * 60_000;
/** One hyperfine invocation, generously. */
const RUN_LIMIT_MS = 5 * 60_000;

const COMMANDS = [
  { name: 'sleep', command: 'sleep 0.05' },
  { name: 'cpu (awk)', command: "awk 'BEGIN { for (i = 0; i < 6000000; i++) s += i * i; print s }'" },
  { name: 'forks', command: 'sleep 0.03 & seq 300000 | sort -rn | tail -n 1; wait' }
];
const EMPTY = ':';

const runnerPath = path.join(ROOT, 'lib/commands/run-benchmark.js');
if (!existsSync(runnerPath)) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { runBenchmark } = await import(pathToFileURL(runnerPath).href);
const { shellArgs, TIMES_FD } = await import(
  pathToFileURL(path.join(ROOT, 'lib/commands/shell-times.js')).href
);
const version = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
if (version.error) {
  console.error('hyperfine is not installed (`apt-get install hyperfine`): nothing to compare with');
  process.exit(1);
}

const children = new Set();
const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-agreement-'));
const cleanup = () => rmSync(dir, { recursive: true, force: true });
const done = guard(children, LIMIT_MS, cleanup);
console.log(
  `${version.stdout.trim()} vs perfgate's runner; ${BLOCKS} blocks of ${PER_BLOCK} runs per tool and ` +
    `command (+${WARMUP} warmup each), ${EMPTY_PER_BLOCK} per block for the empty command; ` +
    `load average at the start: ${loadAverage()}`
);

/** Per command: the wall times (ms) and other readings of each tool, pooled over the blocks. */
const TOOLS = ['hyperfine', 'hyperfine+sh', 'hyperfine+trap', 'perfgate'];
const EMPTY_TOOLS = ['hyperfine+sh', 'hyperfine+trap', 'perfgate'];
const results = new Map();
const readings = (key, tool) => {
  if (!results.has(key)) results.set(key, {});
  return (results.get(key)[tool] ??= {
    wall: [],
    user: [],
    sys: [],
    rss: [],
    self: [],
    cpuSources: new Set()
  });
};
let jsonCount = 0;
const t0 = performance.now();
const start = busyNow();
try {
  for (let block = 0; block < BLOCKS; block++) {
    const blockStart = busyNow();
    for (const [i, c] of COMMANDS.entries()) {
      for (const tool of rotate(TOOLS, block + i)) {
        await measure(tool, c.command, PER_BLOCK, readings(c.name, tool));
      }
    }
    for (const tool of rotate(EMPTY_TOOLS, block)) {
      await measure(tool, EMPTY, EMPTY_PER_BLOCK, readings('empty', tool));
    }
    process.stderr.write(
      `block ${block + 1}/${BLOCKS} done after ${sec(performance.now() - t0)} s; ` +
        `others used ${fixed(othersCores(blockStart), 2)} cores meanwhile\n`
    );
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  cleanup();
}

let failed = 0;
const verdict = ok => {
  if (!ok) failed++;
  return ok ? 'PASS' : 'FAIL';
};
console.log('');
console.log(`1. mean wall time ± sd, ms (${PER_BLOCK * BLOCKS} runs per tool)`);
const table = [
  [
    'command',
    'hyperfine',
    'hyperfine+sh',
    'hyperfine+trap',
    'perfgate',
    'perfgate − hyperfine',
    '±2 %',
    'slowest run: hyperfine, perfgate'
  ]
];
for (const c of COMMANDS) {
  const [hf, hs, ht, pg] = TOOLS.map(t => meanSd(results.get(c.name)[t].wall));
  const diff = (pg.mean - hf.mean) / hf.mean;
  table.push([
    c.name,
    msSd(hf),
    msSd(hs),
    msSd(ht),
    msSd(pg),
    `${signed(pg.mean - hf.mean, 2)} ms (${signed(diff * 100, 1)} %)`,
    verdict(Math.abs(diff) <= TARGET),
    ['hyperfine', 'perfgate'].map(t => fixed(Math.max(...results.get(c.name)[t].wall), 1)).join(', ')
  ]);
}
printTable(table);
console.log(
  'commands: ' +
    COMMANDS.map(c => `${c.name} = \`${c.command}\``).join('; ') +
    `. hyperfine subtracts its shell's start-up; hyperfine+sh and hyperfine+trap are \`hyperfine -N\` of ` +
    `\`${SHELL} -c cmd\` and of perfgate's own ${SHELL} arguments, nothing subtracted.`
);

console.log('');
console.log(
  "where perfgate − hyperfine comes from (differences of the means, ms; informational; hyperfine's own " +
    'result for `:` is 0 by construction)'
);
const parts = [
  ['command', 'shell start-up', 'trap', 'rest (Node spawn, pipes, sampling)', 'total', 'total of the medians']
];
for (const key of [...COMMANDS.map(c => c.name), 'empty']) {
  const r = results.get(key);
  const of = (tool, stat) => (r[tool] ? stat(r[tool].wall) : 0);
  const [hf, hs, ht, pg] = TOOLS.map(t => of(t, xs => meanSd(xs).mean));
  const [hfMed, pgMed] = ['hyperfine', 'perfgate'].map(t => of(t, median));
  parts.push([
    key === 'empty' ? `empty (\`${EMPTY}\`)` : key,
    signed(hs - hf, 2),
    signed(ht - hs, 2),
    signed(pg - ht, 2),
    signed(pg - hf, 2),
    signed(pgMed - hfMed, 2)
  ]);
}
printTable(parts);

console.log('');
console.log(
  "CPU and memory (informational): means per run; perfgate's peak RSS is the median of its runs, its " +
    'own CPU that of this process (spawning, pipes, sampling /proc) while it ran the command'
);
const cpuTable = [
  [
    'command',
    'perfgate user',
    'perfgate sys',
    'perfgate peak RSS',
    'cpu source',
    "perfgate's own CPU",
    'hyperfine user',
    'hyperfine sys'
  ]
];
for (const c of COMMANDS) {
  const pg = results.get(c.name).perfgate;
  const hf = results.get(c.name).hyperfine;
  cpuTable.push([
    c.name,
    `${fixed(meanSd(pg.user).mean, 1)} ms`,
    `${fixed(meanSd(pg.sys).mean, 1)} ms`,
    `${fixed(median(pg.rss) / 2 ** 20, 1)} MiB`,
    [...pg.cpuSources].join(', '),
    `${fixed(meanSd(pg.self).mean, 1)} ms`,
    `${fixed(meanSd(hf.user).mean, 1)} ms`,
    `${fixed(meanSd(hf.sys).mean, 1)} ms`
  ]);
}
printTable(cpuTable);

console.log('');
console.log(
  `2. overhead per run of an empty command (\`${EMPTY}\`), mean ± sd, ms (${EMPTY_PER_BLOCK * BLOCKS} runs per tool)`
);
const [hsEmpty, htEmpty, pgEmpty] = EMPTY_TOOLS.map(t => meanSd(results.get('empty')[t].wall));
printTable([
  ['measure', 'mean ± sd', ''],
  [`hyperfine -N "${SHELL} -c '${EMPTY}'" (hyperfine with its shell)`, msSd(hsEmpty), ''],
  [`hyperfine -N of perfgate's ${SHELL} arguments (informational)`, msSd(htEmpty), ''],
  [
    `perfgate \`${EMPTY}\``,
    msSd(pgEmpty),
    `${verdict(pgEmpty.mean <= hsEmpty.mean)} (${signed(pgEmpty.mean - hsEmpty.mean, 2)} ms, ` +
      `${fixed(pgEmpty.mean / hsEmpty.mean, 2)}×)`
  ]
]);
console.log('');
console.log(
  `load average at the end: ${loadAverage()}; ${sec(performance.now() - t0)} s in all, during which ` +
    `processes outside this bench used ${fixed(othersCores(start), 2)} of ${os.availableParallelism()} cores`
);
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
done();
process.exitCode = failed ? 1 : 0;

/**
 * `runs` measured runs (after WARMUP) of `command` by `tool`, appended to `into`:
 * wall times in ms, perfgate's CPU and RSS, hyperfine's mean user and system time.
 */
async function measure(tool, command, runs, into) {
  if (tool === 'perfgate') {
    const head = { command, shell: true, cwd: ROOT, env: {}, timeoutMs: 60_000 };
    const before = process.cpuUsage();
    await runBenchmark(
      { name: 'agreement', head, warmup: WARMUP, runs, allowFailure: false },
      {
        onRun: run => {
          into.wall.push(run.wallMs);
          into.user.push(run.userMs);
          into.sys.push(run.sysMs);
          into.rss.push(run.peakRssBytes);
          into.cpuSources.add(run.cpuSource);
        }
      }
    );
    // This process's CPU per run (the runner's spawn, pipes and /proc sampling), warmup runs included.
    const self = process.cpuUsage(before);
    into.self.push((self.user + self.system) / 1000 / (WARMUP + runs));
    return;
  }
  let argv;
  if (tool === 'hyperfine') argv = [command];
  else if (tool === 'hyperfine+sh') argv = ['-N', quote([SHELL, '-c', command])];
  else if (tool === 'hyperfine+trap') {
    // perfgate's own argument list; `times` goes to stderr (hyperfine's /dev/null) instead of fd 3,
    // which a child of hyperfine does not have.
    const args = shellArgs(command, true).map(a => a.replace(`>&${TIMES_FD}`, '>&2'));
    argv = ['-N', quote([SHELL, ...args])];
  } else throw new Error(`unknown tool ${tool}`);
  const file = path.join(dir, `hyperfine-${jsonCount++}.json`);
  await runChild(
    'hyperfine',
    ['--style', 'none', '--export-json', file, '--warmup', String(WARMUP), '--runs', String(runs), ...argv],
    { children, limitMs: RUN_LIMIT_MS }
  );
  const [r] = JSON.parse(readFileSync(file, 'utf8')).results;
  into.wall.push(...r.times.map(s => s * 1000));
  // hyperfine reports only the mean user and system time: one entry per run, for a pooled mean.
  for (let i = 0; i < r.times.length; i++) {
    into.user.push(r.user * 1000);
    into.sys.push(r.system * 1000);
  }
}

/** A command line for `hyperfine -N`, which splits it like a POSIX shell: every word single-quoted. */
function quote(words) {
  return words.map(w => `'${w.replaceAll("'", "'\\''")}'`).join(' ');
}

/** `xs` rotated left by `k`. */
function rotate(xs, k) {
  const n = k % xs.length;
  return [...xs.slice(n), ...xs.slice(0, n)];
}

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
  for (const r of rows)
    console.log(
      r
        .map((x, i) => String(x).padEnd(widths[i]))
        .join(' | ')
        .trimEnd()
    );
}

function msSd({ mean, sd }) {
  return `${fixed(mean, 2)} ± ${fixed(sd, 2)}`;
}

function signed(x, digits) {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '-';
}

function fixed(x, digits) {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function sec(ms) {
  return (ms / 1000).toFixed(0);
}

/**
 * The machine's busy CPU time, this process's and its waited-for children's (hyperfine, perfgate's
 * shells and what they waited for), ms, and the wall clock: /proc/stat and /proc/self/stat (utime,
 * stime, cutime, cstime in USER_HZ = 100 ticks/s, proc(5)). Undefined readings off Linux.
 */
function busyNow() {
  let own;
  try {
    const line = readFileSync('/proc/self/stat', 'utf8');
    const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
    own = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    own = undefined;
  }
  return { machine: machineCpuMs(), own, wall: performance.now() };
}

/** Cores that processes outside this bench kept busy since `before`, on average. */
function othersCores(before) {
  const now = busyNow();
  return (now.machine - before.machine - (now.own - before.own)) / (now.wall - before.wall);
}

function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '-';
  }
}

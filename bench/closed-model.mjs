// Closed-model throughput, side by side on examples/hello's GET /hello (a separate process), same
// connections and duration for every tool:
//   perfgate      its generator in this process (lib/load/http-generator.js; `npm run build` first),
//   perfgate-cli  the whole `perfgate run` CLI (target-only mode, one trial, req/s from results.json),
//   autocannon    the autocannon CLI alone,
//   wrk           wrk (Debian package, `-t1`: one thread, the server needs the other core; skipped
//                 with a note when it is not installed).
// Rounds alternate the order so machine drift (and anything else running) hits every tool alike.
// Prints per round req/s, p50/p99, the generator's CPU and `others` (cores that processes outside
// this bench took meanwhile: a round with others near 1 ran on about one core instead of two), then
// the medians, and for each pair the ratio of the medians and the median of the per-round ratios
// (each round's runs are back to back, so it is the less drift-prone of the two).
// ROUNDS=n (≥ 3) overrides the default 5 rounds. Bounded in time; every child is killed at the end.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  freePort,
  guard,
  installed,
  machineCpuMs,
  median,
  processCpuMs,
  runChild,
  startExampleServer,
  stopChild
} from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 10;
const DURATION_S = 5;
const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 5));
const LIMIT_MS = 360_000;
/** One tool's run: its duration plus start-up and shutdown, generously. */
const RUN_LIMIT_MS = (DURATION_S + 30) * 1000;

const generatorPath = path.join(ROOT, 'lib/load/http-generator.js');
if (!existsSync(generatorPath)) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { HttpLoadGenerator } = await import(pathToFileURL(generatorPath).href);

const children = new Set();
const cliDir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-bench-'));
const done = guard(children, LIMIT_MS, () => rmSync(cliDir, { recursive: true, force: true }));
const hasWrk = installed('wrk', '--version');
const TOOLS = ['perfgate', 'perfgate-cli', 'autocannon', ...(hasWrk ? ['wrk'] : [])];
if (!hasWrk) console.log('wrk is not installed: skipping it (install it with `apt-get install wrk`)');

const port = await freePort();
const target = `http://127.0.0.1:${port}`;
const server = await startExampleServer(ROOT, port, children);
console.log(
  `examples/hello/server.mjs on ${target}; ${CONNECTIONS} connections, ${DURATION_S} s, ` +
    `${ROUNDS} rounds of ${TOOLS.join(', ')}`
);

const profile = {
  name: 'hello',
  shape: 'steady',
  model: 'closed',
  connections: CONNECTIONS,
  stages: [
    { name: 'steady', durationMs: DURATION_S * 1000, from: CONNECTIONS, to: CONNECTIONS, measured: true }
  ],
  warmupMs: 0,
  durationMs: DURATION_S * 1000,
  trials: ROUNDS,
  timeoutMs: 10_000,
  requests: [{ name: 'hello', method: 'GET', path: '/hello', headers: {}, weight: 1, expectStatus: [] }],
  thresholds: [],
  compare: {}
};
const generator = new HttpLoadGenerator();
writeFileSync(
  path.join(cliDir, 'perfgate.yml'),
  [
    'version: 1',
    `target: ${target}`,
    `defaults: { connections: ${CONNECTIONS}, warmup: 0s, duration: ${DURATION_S}s, trials: 1 }`,
    'profiles: [{ name: hello, requests: [{ path: /hello }] }]',
    'report: { dir: report }',
    ''
  ].join('\n')
);
const rows = [];
try {
  // Unmeasured warmup for the server's JIT, then alternate, starting with either end in turn.
  await generator.warmup({ ...profile, warmupMs: 2000 }, target, new AbortController().signal);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? TOOLS : [...TOOLS].reverse();
    for (const tool of order) {
      const before = cpuNow();
      let row;
      try {
        row = await measure(tool);
      } catch (err) {
        row = { rps: NaN, note: `failed: ${err.message.split('\n')[0]}` };
      }
      rows.push({ round: round + 1, tool, ...row, others: othersShare(before, row.childCpuMs) });
    }
  }
} finally {
  for (const c of children) if (c !== server) c.kill('SIGKILL');
  await stopChild(server);
  rmSync(cliDir, { recursive: true, force: true });
}

console.log('');
console.log(
  pad('round', 6) +
    pad('tool', 14) +
    pad('req/s', 10) +
    pad('p50 ms', 9) +
    pad('p99 ms', 9) +
    pad('others', 8) +
    'generator CPU'
);
for (const r of rows) {
  const cpu = r.cpu === undefined ? '-' : `${(r.cpu * 100).toFixed(0)} % ${r.cpuScope}`;
  console.log(
    pad(String(r.round), 6) +
      pad(r.tool, 14) +
      pad(fixed(r.rps, 0), 10) +
      pad(fixed(r.p50, 2), 9) +
      pad(fixed(r.p99, 2), 9) +
      pad(fixed(r.others, 2), 8) +
      cpu +
      (r.note ? ` (${r.note})` : '')
  );
}
const rpsOf = tool => rows.filter(r => r.tool === tool).map(r => r.rps);
const med = tool => median(rpsOf(tool));
const spread = tool => {
  const xs = rpsOf(tool).filter(Number.isFinite);
  return `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
};
console.log('');
console.log(`median req/s: ${TOOLS.map(t => `${t} ${fixed(med(t), 0)} (${spread(t)})`).join(', ')}`);
const pairs = [
  ['perfgate', 'autocannon'],
  ['perfgate-cli', 'autocannon'],
  ['perfgate', 'wrk'],
  ['autocannon', 'wrk']
].filter(([a, b]) => TOOLS.includes(a) && TOOLS.includes(b));
for (const [a, b] of pairs) {
  const perRound = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const of = t => rows.find(r => r.round === round && r.tool === t).rps;
    perRound.push(of(a) / of(b));
  }
  console.log(
    pad(`ratio ${a}/${b}:`, 31) +
      `of the medians ${fixed(med(a) / med(b), 3)}; ` +
      `per round ${perRound.map(r => fixed(r, 3)).join(' ')}; median ${fixed(median(perRound), 3)}`
  );
}
console.log(
  'p50/p99: autocannon floors latencies to whole ms; perfgate records µs; wrk from --latency. ' +
    'CPU: perfgate its thread (generatorCpu), autocannon and wrk the whole process from /proc, ' +
    'sampled every 100 ms after the first second. others: cores that processes outside this bench ' +
    'used during the run (machine busy time less the server, this process and the tool).'
);
done();

async function measure(tool) {
  if (tool === 'perfgate') {
    const t = await generator.runTrial(
      { profile, target, side: 'head', index: 0 },
      new AbortController().signal
    );
    const m = t.metrics;
    return {
      rps: m.throughput,
      p50: m.latency.p50,
      p99: m.latency.p99,
      cpu: t.generatorCpu,
      cpuScope: 'thread',
      note: t.valid ? '' : `invalid: ${t.invalidReason.split(':')[0]}`
    };
  }
  if (tool === 'perfgate-cli') {
    // A gate that fails (e.g. an invalid trial) exits non-zero but still writes its results.
    const config = path.join(cliDir, 'perfgate.yml');
    const file = path.join(cliDir, 'report/results.json');
    rmSync(file, { force: true });
    const cli = await run(process.execPath, [path.join(ROOT, 'bin/perfgate.js'), 'run', '-c', config], {
      anyExit: true
    });
    const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    const t = results?.profiles[0]?.head.trials[0];
    if (!t) throw new Error(`exit ${cli.code}, no trial in results.json: ${cli.err.trim().split('\n')[0]}`);
    return {
      rps: t.metrics.throughput,
      p50: t.metrics.latency.p50,
      p99: t.metrics.latency.p99,
      cpu: t.generatorCpu,
      cpuScope: 'thread',
      childCpuMs: cli.total,
      note: t.valid ? '' : `invalid: ${t.invalidReason.split(':')[0]}`
    };
  }
  if (tool === 'wrk') {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${DURATION_S}s`, '--latency', `${target}/hello`];
    const { out, cpu, total } = await run('wrk', args);
    return { ...parseWrk(out), cpu, cpuScope: 'process', childCpuMs: total };
  }
  const cli = path.join(ROOT, 'node_modules/autocannon/autocannon.js');
  const args = [cli, '-c', String(CONNECTIONS), '-d', String(DURATION_S), '--json', `${target}/hello`];
  const { out, cpu, total } = await run(process.execPath, args);
  const j = JSON.parse(out.trim().split('\n').pop());
  const errors = j.errors + j.timeouts + j.non2xx;
  return {
    rps: j.requests.total / j.duration,
    p50: j.latency.p50,
    p99: j.latency.p99,
    cpu,
    cpuScope: 'process',
    childCpuMs: total,
    note: errors ? `${errors} errors` : ''
  };
}

/** req/s from wrk's "Requests/sec:" line; p50/p99 from its --latency distribution; errors if any. */
function parseWrk(out) {
  const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(out)?.[1]);
  if (!Number.isFinite(rps)) throw new Error(`no Requests/sec line in wrk's output: ${out.slice(-300)}`);
  const unit = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  const at = p => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? Number(m[1]) * unit[m[2]] : NaN;
  };
  const errors = [/Non-2xx or 3xx responses: \d+/, /Socket errors: [^\n]+/]
    .map(re => re.exec(out)?.[0])
    .filter(Boolean);
  return { rps, p50: at(50), p99: at(99), note: errors.join('; ') };
}

/** Runs a tool to completion, tracked in `children` and killed after RUN_LIMIT_MS. */
function run(cmd, args, { anyExit = false } = {}) {
  return runChild(cmd, args, { children, limitMs: RUN_LIMIT_MS, anyExit });
}

/** CPU clocks at the start of a run: the machine's, the server's, this process's, and the wall. */
function cpuNow() {
  const own = process.cpuUsage();
  return {
    machine: machineCpuMs(),
    server: processCpuMs(server.pid),
    own: (own.user + own.system) / 1000,
    wall: performance.now()
  };
}

/** Cores used by processes outside this bench since `before`; undefined without /proc. */
function othersShare(before, childCpuMs = 0) {
  const now = cpuNow();
  const used = now.machine - before.machine - (now.server - before.server) - (now.own - before.own);
  const share = (used - childCpuMs) / (now.wall - before.wall);
  return Number.isFinite(share) ? Math.max(0, share) : undefined;
}

function fixed(x, digits) {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function pad(s, n) {
  return s.padEnd(n);
}

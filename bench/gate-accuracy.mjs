// Gate accuracy (SPEC §5, issue 15): repeated paired gates through the CLI, base and head two real
// servers, quiet and beside a CPU hog.
//
//   Target: two private nginx (Debian nginx + libnginx-mod-http-echo), GET /sleep answered after
//   `echo_sleep DELAY_MS` on the base, DELAY_MS·(1 + level) on the head; TARGET=hello uses the
//   example service (examples/hello, its DELAY_MS) on both sides instead. Both started afresh per gate.
//   Scenarios: A/A (level 0: every `regressed` is a false alarm) and one A/B scenario per level in
//   {δ, 2δ} of every gated metric — with the default δ (5 % median and rate, 10 % p99) +5 %, +10 %
//   and +20 %. The injected change is of the handler's delay: the client's own time (~0.2 ms) dilutes
//   it in latency, and throughput of a closed model drops by level/(1+level) (−4.8 % at +5 %), so
//   the tables print the median measured change beside every detection rate.
//   Conditions: quiet, and hog (`node -e 'for(;;){}'`, a busy loop taking one core, started before
//   and killed after each gate). Gates of all conditions and scenarios are interleaved, so slow drift
//   of the shared machine spreads evenly over them.
//
// Printed per condition: the exact perfgate.yml (ports aside), gates per scenario (verdicts, errors,
// wall time median and p90, pairs), and per gated metric the A/A false-fail rate with its one-sided
// upper 95 % Clopper–Pearson bound, A/A unchanged and inconclusive shares, detection (regressed) at
// the metric's δ and 2δ, the median A/A interval half-width and the median Comparison.resolution
// (the smallest change it could have called, never below δ; the half-width where absent); then
// every metric × scenario. Every gate's comparisons (gated and informational), pairs, `trials:
// auto` looks, the hog's and the machine's CPU and the generator's event-loop delay go to OUT
// (default bench/results/gate-accuracy-<timestamp>.json), rewritten after every gate, so an
// interrupted run keeps what it measured; `node bench/gate-accuracy.mjs --report FILE` prints the
// tables of a dump again without running anything.
//
// Knobs (environment):
//   AA_RUNS (50) and AB_RUNS (20) gates per condition and scenario; CONDITIONS (quiet,hog);
//   TARGET (nginx | hello); DELAY_MS (20: with nginx every DELAY_MS·level must be whole
//   milliseconds, echo_sleep's resolution); LEVELS (e.g. 0.05,0.1: the A/B levels instead of
//   {δ, 2δ}); OUT (the JSON dump's path); KEEP (a directory: every gate's whole results.json is kept
//   there gzipped, as <condition>-<scenario>-<index>.json.gz, trial histograms included, for
//   bench/gate-candidates.mjs to judge other settings on the same measurements).
//   Passed to the generated config only when set, so by default a gate runs with the defaults a
//   user gets (12 trials of 2 s per side, 2 s warmup, 10 connections): TRIALS (a number or auto),
//   TRIAL (trial duration, e.g. 2s), WARMUP, CONNECTIONS, AUTO_MIN, AUTO_BATCH, AUTO_MAX,
//   AUTO_BUDGET (statistics.auto), TAIL (statistics.tail: hdr | harrell-davis | tail-mean),
//   DELTA (δ of the median and the rate) and DELTA_P99 (δ of p99) — either writes the profile's
//   `compare:` with all three gated keys.
//   Shorter trials than the defaults measure a different gate: the rates carry over only
//   approximately (fewer requests per trial widen p99's spread more than the median's, and fewer
//   than 6 pairs can never be significant: the signed-rank test's smallest p is 2⁻ⁿ, Holm over 3).
//
// Full runs: 220 gates (2 conditions × (50 A/A + 3 × 20 A/B)); the first line printed says how long.
// A gate takes its trials (both sides' warmup, the discarded first pair, the trials) + 2–4 s.
//   node bench/gate-accuracy.mjs                                       # defaults, 12 × 2 s: ~59 s a gate, ~3.6 h
//   TRIALS=16 TRIAL=2s node bench/gate-accuracy.mjs                    # ~75 s a gate, ~4.6 h
//   TRIALS=auto AUTO_MIN=6 AUTO_BATCH=4 AUTO_MAX=30 TRIAL=2s node bench/gate-accuracy.mjs
//                                                    # 35 s (first look) … 131 s (max) a gate, 2.1–8 h
// Smoke run (~5 min; < 6 pairs, so it checks the machinery, not the statistics):
//   AA_RUNS=3 AB_RUNS=2 TRIALS=4 TRIAL=1s WARMUP=1s node bench/gate-accuracy.mjs
// Every gate is bounded in time (1.5 × its longest planned run + 60 s, then SIGINT, then SIGKILL);
// a gate that errors is counted and shown, not fatal; nginx and the hog are stopped after each gate
// and on SIGINT/SIGTERM. Needs lib/ (`npm run build`). Not for `npm run bench` as it is: hours.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configText, gateLimitMs, plannedMs, readResults, runGate } from './lib/accuracy-gate.mjs';
import { halfWidth, pct, report } from './lib/accuracy-stats.mjs';
import { hasEchoModule, hasNginx, startNginx } from './lib/nginx.mjs';
import { freePort, machineCpuMs, processCpuMs, stopChild } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/perfgate.js');
const env = process.env;
const set = name => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);

const AA_RUNS = Number(set('AA_RUNS') ?? 50);
const AB_RUNS = Number(set('AB_RUNS') ?? 20);
const CONDITIONS = (set('CONDITIONS') ?? 'quiet,hog').split(',').map(s => s.trim());
const TARGET = set('TARGET') ?? 'nginx';
const DELAY = Number(set('DELAY_MS') ?? 20);
// The config's defaults (src/compare/metric-value.ts DEFAULT_COMPARE): δ per gated metric.
const METRICS = [
  { key: 'http_req_duration.med', delta: Number(set('DELTA') ?? 0.05) },
  { key: 'http_req_duration.p(99)', delta: Number(set('DELTA_P99') ?? 0.1) },
  { key: 'http_reqs.rate', delta: Number(set('DELTA') ?? 0.05) }
];
const LEVELS = set('LEVELS')
  ? set('LEVELS').split(',').map(Number)
  : [...new Set(METRICS.flatMap(m => [m.delta, 2 * m.delta]).map(x => Math.round(x * 1e6) / 1e6))];
LEVELS.sort((a, b) => a - b);
const STAMP = new Date().toISOString().replace(/[:.]/g, '-');
const OUT = set('OUT') ?? path.join(ROOT, `bench/results/gate-accuracy-${STAMP}.json`);
const KEEP = set('KEEP');

const knobs = {
  trials: set('TRIALS') && (set('TRIALS') === 'auto' ? 'auto' : Number(set('TRIALS'))),
  duration: set('TRIAL'),
  warmup: set('WARMUP'),
  connections: set('CONNECTIONS') && Number(set('CONNECTIONS')),
  auto: {
    min: set('AUTO_MIN') && Number(set('AUTO_MIN')),
    batch: set('AUTO_BATCH') && Number(set('AUTO_BATCH')),
    max: set('AUTO_MAX') && Number(set('AUTO_MAX')),
    budget: set('AUTO_BUDGET')
  },
  tail: set('TAIL'),
  compare: set('DELTA') !== undefined || set('DELTA_P99') !== undefined
};

if (process.argv[2] === '--report') {
  // Re-analysis of a dump: the tables again, nothing run.
  const { meta, gates } = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  console.log(report(meta, gates));
  process.exit(0);
}
checkSetup();
const setup = { target: TARGET, delay: DELAY, knobs, metrics: METRICS, root: ROOT };

const scenarios = [
  { name: 'A/A', level: 0, runs: AA_RUNS },
  ...LEVELS.map(level => ({ name: `+${pct(level, 1).replace(' ', '')}`, level, runs: AB_RUNS }))
].filter(s => s.runs > 0);
const schedule = interleave();
const processes = new Set();
let current = { nginx: [] };
process.once('SIGINT', () => abort('SIGINT'));
process.once('SIGTERM', () => abort('SIGTERM'));

const meta = {
  startedAt: new Date().toISOString(),
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
  node: process.version,
  cpus: os.cpus().length,
  target: TARGET,
  delayMs: DELAY,
  metrics: METRICS,
  scenarios: scenarios.map(({ name, level, runs }) => ({ name, level, runs })),
  conditions: CONDITIONS,
  knobs,
  config: configText(setup, { head: 'HEAD_PORT', base: 'BASE_PORT', headDelay: DELAY })
};
const gates = [];
const started = Date.now();
const planned = plannedMs(knobs);
const perGate = ms => `${Math.round(ms / 1000 + 3)} s`;
console.error(
  `${schedule.length} gates (${CONDITIONS.join(', ')}; ${scenarios.map(s => `${s.name} × ${s.runs}`).join(', ')}), ` +
    `about ${planned.least === planned.most ? perGate(planned.least) : `${perGate(planned.least)}–${perGate(planned.most)}`} each ` +
    `(${[planned.least, planned.most]
      .map(ms => minutes(schedule.length * (ms + 3000)))
      .filter((x, i, a) => a.indexOf(x) === i)
      .join('–')} in all); ` +
    `dump: ${path.relative(process.cwd(), OUT)}`
);
for (const [i, job] of schedule.entries()) {
  const record = await gate(job);
  gates.push(record);
  dump();
  const elapsed = Date.now() - started;
  const eta = (elapsed / (i + 1)) * (schedule.length - i - 1);
  console.error(
    `[${i + 1}/${schedule.length} ${minutes(elapsed)} elapsed, ~${minutes(eta)} left] ${job.condition} ${job.scenario.name} #${job.index}: ${record.verdict} in ${(record.wallMs / 1000).toFixed(1)} s${brief(record)}`
  );
}

console.log(report(meta, gates));
const total = Date.now() - started;
console.log(
  `${gates.length} gates in ${minutes(total)} (${(total / gates.length / 1000).toFixed(1)} s per gate); every gate's comparisons: ${path.relative(process.cwd(), OUT)}`
);

/** Refuses to start without lib/ or the target; warns when nginx cannot sleep the levels exactly. */
function checkSetup() {
  if (!existsSync(path.join(ROOT, 'lib/cli.js'))) {
    console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
    process.exit(1);
  }
  if (!['nginx', 'hello'].includes(TARGET)) {
    console.error(`TARGET must be nginx or hello, got ${TARGET}`);
    process.exit(1);
  }
  if (TARGET === 'nginx' && !(hasNginx() && hasEchoModule())) {
    console.error(
      'nginx with the echo module is needed (Debian: nginx libnginx-mod-http-echo); or TARGET=hello'
    );
    process.exit(1);
  }
  const off = LEVELS.filter(l => Math.abs(DELAY * l - Math.round(DELAY * l)) > 1e-6);
  if (TARGET === 'nginx' && off.length > 0) {
    console.error(
      `warning: nginx sleeps whole milliseconds: DELAY_MS=${DELAY} × ${off.map(l => pct(l, 1)).join(', ')} is not (try DELAY_MS=20)`
    );
  }
}

/** Every gate to run, conditions alternating gate by gate and each scenario spread over the run. */
function interleave() {
  const one = scenarios
    .flatMap(s =>
      Array.from({ length: s.runs }, (_, i) => ({ scenario: s, index: i + 1, at: (i + 0.5) / s.runs }))
    )
    .sort((a, b) => a.at - b.at);
  return one.flatMap((job, k) => {
    const order = k % 2 === 0 ? CONDITIONS : [...CONDITIONS].reverse();
    return order.map(condition => ({ ...job, condition }));
  });
}

/** One paired gate through the CLI: starts the servers (nginx) and the hog, runs, records, cleans up. */
async function gate({ condition, scenario, index }) {
  const headDelay = DELAY * (1 + scenario.level);
  const record = {
    condition,
    scenario: scenario.name,
    level: scenario.level,
    index,
    startedAt: new Date().toISOString()
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-accuracy-'));
  let hog;
  try {
    let head, base;
    if (TARGET === 'nginx') {
      // echo_sleep takes seconds with at most three decimals (whole ms; more is a 400).
      const sleep = ms => ({ '/sleep': `echo_sleep ${(Math.round(ms) / 1000).toFixed(3)}; echo ok;` });
      // Which side starts first alternates, so no order of start (pids, ports) sides with one.
      const sides = index % 2 ? ['base', 'head'] : ['head', 'base'];
      const ports = {};
      for (const side of sides) {
        const nginx = await startNginx({ locations: sleep(side === 'base' ? DELAY : headDelay) });
        current.nginx.push(nginx);
        ports[side] = nginx.port;
      }
      ({ head, base } = ports);
    } else {
      [head, base] = [await freePort(), await freePort()];
    }
    const file = path.join(dir, 'perfgate.yml');
    writeFileSync(file, configText(setup, { head, base, headDelay }));
    if (condition === 'hog') {
      hog = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
      processes.add(hog);
      await new Promise(r => setTimeout(r, 200));
    }
    const machine0 = machineCpuMs();
    const hog0 = hog && processCpuMs(hog.pid);
    const t0 = Date.now();
    const { code, stderr, timedOut } = await runGate(BIN, file, gateLimitMs(knobs), processes);
    record.wallMs = Date.now() - t0;
    const machine1 = machineCpuMs();
    if (hog) record.hogCpu = (processCpuMs(hog.pid) - hog0) / record.wallMs;
    if (machine0 !== undefined) record.machineBusy = (machine1 - machine0) / record.wallMs / os.cpus().length;
    record.exitCode = code;
    const results = path.join(dir, 'report/results.json');
    Object.assign(record, readResults(results, code, stderr, timedOut));
    if (KEEP && existsSync(results)) keep(results, record);
  } catch (err) {
    Object.assign(record, { verdict: 'error', error: err.message, wallMs: record.wallMs ?? NaN });
  } finally {
    if (hog) {
      await stopChild(hog, 1000);
      processes.delete(hog);
    }
    await Promise.all(current.nginx.map(n => n.stop()));
    current.nginx = [];
    rmSync(dir, { recursive: true, force: true });
  }
  return record;
}

/** A gate's results.json, gzipped into KEEP with what the dump says of the gate beside it. */
function keep(file, record) {
  mkdirSync(KEEP, { recursive: true });
  const name = `${record.condition}-${record.scenario.replace(/[^\w.+-]/g, '')}-${record.index}.json.gz`;
  const gate = { ...record, comparisons: undefined, keptAt: new Date().toISOString() };
  const text = JSON.stringify({ gate, meta, results: JSON.parse(readFileSync(file, 'utf8')) });
  writeFileSync(path.join(KEEP, name), gzipSync(text));
}

/** The dump, rewritten whole after every gate (write, then rename). */
function dump() {
  mkdirSync(path.dirname(OUT), { recursive: true });
  const tmp = `${OUT}.tmp`;
  writeFileSync(tmp, JSON.stringify({ meta, gates }, null, 1));
  renameSync(tmp, OUT);
}

/** On SIGINT/SIGTERM: perfgate stops its own services on SIGINT; the hog and nginx are ours. */
async function abort(signal) {
  console.error(`${signal}: stopping (the gates so far are in ${OUT})`);
  for (const p of processes) p.kill('SIGINT');
  const killer = setTimeout(() => {
    for (const p of processes) p.kill('SIGKILL');
  }, 5000);
  await Promise.all([...processes].map(p => stopChild(p, 5000)));
  clearTimeout(killer);
  await Promise.all(current.nginx.map(n => n.stop()));
  process.exit(130);
}

/** `med +4.9 % (regressed), p99 …` for a gate's progress line. */
function brief(record) {
  if (record.verdict === 'error') return `: ${record.error}`;
  const short = {
    'http_req_duration.med': 'med',
    'http_req_duration.p(99)': 'p99',
    'http_reqs.rate': 'rate'
  };
  const parts = (record.comparisons ?? [])
    .filter(c => c.gated)
    .map(c => `${short[c.metric] ?? c.metric} ${pct(c.estimate, 1)} ±${pct(halfWidth(c), 1)} ${c.verdict}`);
  return `, ${record.pairs} pairs: ${parts.join('; ')}`;
}

function minutes(ms) {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 60_000).toFixed(1)} min`;
}

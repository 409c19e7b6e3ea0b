// What `profiling:` costs the service it profiles (SPEC §11, issue 16 point 5: goal ≤ 5 % of
// throughput), measured inside ONE service process, so that what differs between two runs of a
// process — JIT decisions, placement on the cores — does not swamp a cost of a few %. (The sibling
// bench/profiling-overhead.mjs runs the real CLI with a fresh service per condition: end to end,
// but its ratios spread over ±20 % from process to process.) The service is bench/lib/cpu-service.mjs
// (about 1.2 ms of CPU per GET /work), started once with `--inspect=127.0.0.1:0`; this bench connects
// to its inspector with perfgate's own session (lib/profiling/inspector.js) and sets it up with
// perfgate's own captures (lib/profiling/node-captures.js: the same commands, perfgate's default
// settings), and loads it in the closed model with perfgate's own client (lib/load/net-driver.js,
// lib/load/recorder.js) on CONNECTIONS connections (default 4: its core saturated; this process, the
// generator, has the other). After a 1 s window under each profiled condition and then WARMUP_S s
// of unprofiled load (so neither the JIT nor a profiler's first start falls in a pair; all
// discarded), windows of DURATION_S s run in ABBA blocks, `off` `on` `on` `off` — `off`: attached,
// nothing recorded, as a profiled perfgate run is between trials; `on`: recording as perfgate does
// in a measured trial — each block two pairs, (off, on) and (on, off); the blocks of the conditions
// one after another, their order reversed every other round. Recording starts right before an `on`
// window's load (its start inside the window's cost, as in a perfgate trial) and is stopped — the
// profile sent over by the service, read and merged as perfgate does — after it, never inside it.
// In the first pair neither window follows a stop, in the second both do: the cost that a stop
// leaves to the next window cancels out of on/off and is reported on its own, from the block's
// last `off` (right after a stop) over its first (not). Every window is preceded by SETTLE_MS of no
// load. Conditions (CONDITIONS=a,b,…):
//   aa         A/A: both windows unprofiled, the resolution of the method (its interval should hold 0),
//   cpu        `profiling: { cpu: true }` (1 ms sampling, perfgate's default),
//   cpu+heap   `profiling: { cpu: true, heap: true }` (heap sampled every 32 KiB, the default),
//   cpu@10ms   `profiling: { cpu: true, interval: 10ms }`: whether the sampling interval matters.
// Per pair it prints req/s, p99 and the service's CPU per response (from /proc, all its threads: the
// sampler's too) of both windows, and `others`: cores taken outside this bench and the service in the
// pair (near 1: it ran on one core instead of two). Per condition: the median over pairs of on/off,
// and the Hodges–Lehmann estimate of ln(on/off) with its 95 % signed-rank interval
// (lib/stats/hodges-lehmann.js, as perfgate's paired mode; needs ≥ 6 pairs), shown as ratios, for
// req/s, p50, p99 and CPU per response; req/s is judged against the goal on its interval: PASS when
// its worst end loses at most 5 %, FAIL when its best end loses more, else not resolved. A pair whose
// profile went missing is left out. Exits non-zero when cpu or cpu+heap fails. Not measured here:
// what an open inspector and an attached session cost by themselves (on in both windows; the
// sibling's `inspect` condition). Knobs: PAIRS (per condition, default 12, rounded up to even),
// DURATION_S (3), WARMUP_S (2), SETTLE_MS (250), CONNECTIONS (4), WORK (records per request;
// cpu-service.mjs's default when unset), CONDITIONS. About 5½ minutes with the defaults, on a quiet
// machine (`others` near 0). Bounded in time; the service is killed at the end (guard).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  fixed,
  freePort,
  guard,
  machineCpuMs,
  median,
  ownCpuMs,
  processCpuMs,
  signed,
  stopChild
} from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVICE = path.join(ROOT, 'bench/lib/cpu-service.mjs');
/** Pairs per condition, in ABBA blocks of two: rounded up to an even number. */
const PAIRS = 2 * Math.ceil(Math.max(1, Number(process.env.PAIRS ?? 12)) / 2);
const DURATION_S = Number(process.env.DURATION_S ?? 3);
const WARMUP_S = Number(process.env.WARMUP_S ?? 2);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 250);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 4);
/** Throughput may fall this much below the unprofiled window's (issue 16 point 5). */
const GOAL = 0.05;
/** The conditions whose failure fails the bench: the documented settings. */
const GATED = ['cpu', 'cpu+heap'];

if (!existsSync(path.join(ROOT, 'lib/cli.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const lib = file => import(pathToFileURL(path.join(ROOT, 'lib', file)).href);
const { InspectorSession } = await lib('profiling/inspector.js');
const { nodeCaptures } = await lib('profiling/node-captures.js');
const { treeTotals } = await lib('profiling/call-tree.js');
const { PROFILING_DEFAULTS } = await lib('config/profiling-schema.js');
const { driveNet } = await lib('load/net-driver.js');
const { TrialRecorder } = await lib('load/recorder.js');
const { hodgesLehmann, hodgesLehmannInterval } = await lib('stats/hodges-lehmann.js');

/** Each condition's `profiling:` settings as perfgate resolves them; aa records nothing. */
const { intervalUs, heapIntervalBytes } = PROFILING_DEFAULTS;
const CONDITIONS = {
  aa: undefined,
  cpu: { cpu: true, heap: false, intervalUs, heapIntervalBytes },
  'cpu+heap': { cpu: true, heap: true, intervalUs, heapIntervalBytes },
  'cpu@10ms': { cpu: true, heap: false, intervalUs: 10_000, heapIntervalBytes }
};
const LIST = [
  ...new Set((process.env.CONDITIONS ?? Object.keys(CONDITIONS).join(',')).split(',').map(s => s.trim()))
];
const unknown = LIST.filter(c => !(c in CONDITIONS));
if (unknown.length > 0) {
  console.error(`unknown condition ${unknown.join(', ')}: expected ${Object.keys(CONDITIONS).join(', ')}`);
  process.exit(2);
}
const REQUEST = { name: 'work', method: 'GET', path: '/work', headers: {}, weight: 1, expectStatus: [] };
const LOAD = { requests: [REQUEST], timeoutMs: 5000 };

const children = new Set();
/** A window, its settling and the recording's stop, generously; and start-up and warmup. */
const WINDOW_LIMIT_MS = (DURATION_S + 10) * 1000 + SETTLE_MS;
const done = guard(
  children,
  60_000 + (WARMUP_S + LIST.length) * 1000 + PAIRS * LIST.length * 2 * WINDOW_LIMIT_MS
);
console.log(
  `${path.relative(ROOT, SERVICE)} (GET /work, WORK=${process.env.WORK ?? 'default'}) in one process with ` +
    `its inspector open; closed model, ${CONNECTIONS} connections; ${WARMUP_S} s warmup, then ${PAIRS} ` +
    `pairs of ${DURATION_S} s windows (blocks off on on off) of ${LIST.join(', ')}`
);

const pairs = [];
let service;
let session;
try {
  service = await startService();
  session = await InspectorSession.connect(service.webSocketUrl);
  const captures = {};
  for (const c of LIST) captures[c] = CONDITIONS[c] ? await nodeCaptures(session, CONDITIONS[c]) : [];
  // The last warmup window unprofiled: the first block's first window, like every block's, follows one.
  for (const c of LIST.filter(c => CONDITIONS[c])) await recorded(c, captures[c], () => loadFor(1000));
  await loadFor(WARMUP_S * 1000);
  console.log(
    '\nround condition  order    off req/s  on req/s    on/off  off p99  on p99  off µs/r  on µs/r  others  samples'
  );
  for (let round = 1; round <= PAIRS / 2; round++) {
    for (const condition of round % 2 === 1 ? LIST : [...LIST].reverse()) {
      // off, on, on, off: in both pairs, the two windows follow the same kind of window.
      const first = await measureWindow();
      const on1 = await recorded(condition, captures[condition], measureWindow);
      const on2 = await recorded(condition, captures[condition], measureWindow);
      const last = await measureWindow();
      const block = [
        { round, condition, order: 'off-on', off: first, ...on1 },
        {
          round,
          condition,
          order: 'on-off',
          off: last,
          ...on2,
          afterStop: first.failed ? NaN : last.rps / first.rps
        }
      ];
      for (const pair of block) printPair(pair);
      pairs.push(...block);
    }
  }
} finally {
  await session?.close();
  if (service) await stopChild(service.child);
  for (const c of children) c.kill('SIGKILL');
}

console.log(
  '\nper condition, over its pairs, on/off: the median, and the Hodges–Lehmann estimate [95 % interval]'
);
let failed = false;
for (const condition of LIST) failed = summarise(condition) || failed;
console.log(
  'µs/r: the service’s CPU per response in the window (all its threads). others: cores taken outside ' +
    'this bench and the service during the pair. samples: cpu / heap samples of the on window. ' +
    "After a stop: what a recording's stop costs the next window (perfgate's profiled trials after " +
    'the first pay it on top of on/off, which it cancels out of); aa stops nothing: its control.'
);
done();
process.exitCode = failed ? 1 : 0;

/** Starts the service with its inspector; resolves once it listens and has said where the inspector is. */
async function startService() {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port) };
  delete env.NODE_OPTIONS; // the one inspector is the service's own
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', SERVICE], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  const webSocketUrl = await new Promise((resolve, reject) => {
    const check = () => {
      const url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(err)?.[1];
      if (url && out.includes('listening')) resolve(url);
    };
    child.stdout.on('data', d => ((out += d), check()));
    child.stderr.on('data', d => ((err = (err + d).slice(-4000)), check()));
    child.once('error', reject);
    child.once('exit', code => reject(new Error(`the service exited ${code}: ${err.trim()}`)));
    setTimeout(
      () => reject(new Error(`the service did not start within 10 s: ${err.trim()}`)),
      10_000
    ).unref();
  });
  return { child, pid: child.pid, target: `http://127.0.0.1:${port}`, webSocketUrl };
}

/**
 * `measure()` with `captures` recording over it as in a perfgate trial: the CPU interval set and every
 * capture begun before, ended and taken (the profile fetched, read and merged) after. Resolves with
 * what `measure` resolved with as `on`, the samples recorded, and why a capture is missing, if one is.
 */
async function recorded(condition, captures, measure) {
  const settings = CONDITIONS[condition];
  const window = { profile: 'work', side: 'head', trial: 0, durationMs: DURATION_S * 1000 };
  if (settings?.cpu) await session.send('Profiler.setSamplingInterval', { interval: settings.intervalUs });
  await Promise.all(captures.map(c => c.begin(window)));
  const on = await measure();
  await Promise.all(captures.map(c => c.end(window)));
  const outcomes = await Promise.all(captures.map(c => c.take('work')));
  const samples = {};
  for (const o of outcomes) samples[o.kind] = o.tree ? treeTotals(o.tree).samples : 0;
  const missing = outcomes.map(o => o.missing ?? (o.windows === 1 ? '' : 'nothing recorded')).filter(Boolean);
  return { on, samples, missing: missing.join('; ') };
}

/**
 * Load for `ms` through perfgate's closed-model client, after SETTLE_MS without: req/s, p50, p99, the
 * service's CPU per response and the cores that processes other than this one and the service took.
 */
async function loadFor(ms) {
  await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
  const before = { machine: machineCpuMs(), own: ownCpuMs(), service: processCpuMs(service.pid) };
  const recorder = new TrialRecorder([REQUEST.name], performance.now());
  const outcome = await driveNet({
    profile: LOAD,
    connections: CONNECTIONS,
    target: service.target,
    durationMs: ms,
    signal: new AbortController().signal,
    recorder,
    startAt: recorder.startedAt
  });
  const wallMs = performance.now() - recorder.startedAt;
  const serviceMs = processCpuMs(service.pid) - before.service;
  const othersMs = machineCpuMs() - before.machine - (ownCpuMs() - before.own) - serviceMs;
  const { metrics } = recorder.finish(outcome.durationMs);
  return {
    rps: metrics.throughput,
    p50: metrics.latency.p50,
    p99: metrics.latency.p99,
    cpuUs: (serviceMs * 1000) / metrics.responses,
    others: Math.max(0, othersMs / wallMs),
    failed: metrics.failed
  };
}

function measureWindow() {
  return loadFor(DURATION_S * 1000);
}

/** Prints `condition`'s summary line; returns whether it failed and is GATED. */
function summarise(condition) {
  const these = pairs.filter(
    p => p.condition === condition && !p.missing && p.off.failed + p.on.failed === 0
  );
  const left = pairs.filter(p => p.condition === condition).length - these.length;
  const ratios = k => these.map(p => p.on[k] / p.off[k]).filter(r => Number.isFinite(r) && r > 0);
  const [rps, p50, p99, cpuUs] = ['rps', 'p50', 'p99', 'cpuUs'].map(k => shift(ratios(k)));
  let verdict = 'not resolved';
  if (rps.lower >= 1 - GOAL) verdict = 'PASS';
  else if (rps.upper < 1 - GOAL) verdict = 'FAIL';
  console.log(
    `${condition.padEnd(10)}req/s median ${signed(rps.median)}, HL ${show(rps)} ${verdict} ` +
      `(goal: at most ${GOAL * 100} % fewer); ` +
      `p50 ${show(p50)}; p99 ${show(p99)}; CPU per response ${show(cpuUs)}; ${these.length} pairs` +
      (left ? ` (${left} left out: a profile missing or requests failed)` : '')
  );
  const afterStop = shift(these.map(p => p.afterStop).filter(r => Number.isFinite(r) && r > 0));
  console.log(
    `${''.padEnd(10)}req/s of the off window right after a stop vs the block's first: ${show(afterStop)}`
  );
  return GATED.includes(condition) && verdict === 'FAIL';
}

/**
 * Of on/off ratios: their median, and the Hodges–Lehmann estimate of their log with its 95 %
 * signed-rank interval, as ratios (an end the pairs cannot bound — fewer than 6 — is 0 or ∞).
 */
function shift(ratios) {
  if (ratios.length === 0) return { median: NaN, estimate: NaN, lower: NaN, upper: NaN };
  const d = ratios.map(Math.log);
  const { lower, upper } = hodgesLehmannInterval(d, 0.95);
  return {
    median: median(ratios),
    estimate: Math.exp(hodgesLehmann(d)),
    lower: Math.exp(lower),
    upper: Math.exp(upper)
  };
}

/** `+x % [lower … upper]`; the interval as `[needs ≥ 6 pairs]` when the pairs cannot bound it. */
function show(s) {
  const bounded = s.lower > 0 && Number.isFinite(s.upper);
  return `${signed(s.estimate)} [${bounded ? `${signed(s.lower)} … ${signed(s.upper)}` : 'needs ≥ 6 pairs'}]`;
}

function printPair(p) {
  const missing = p.missing ? `  (${p.missing})` : '';
  const failures = p.off.failed + p.on.failed ? `  (${p.off.failed}/${p.on.failed} failed)` : '';
  const samples = CONDITIONS[p.condition] ? `${p.samples.cpu ?? '-'}/${p.samples.heap ?? '-'}` : '';
  console.log(
    String(p.round).padStart(5) +
      ' ' +
      p.condition.padEnd(10) +
      p.order.padEnd(7) +
      fixed(p.off.rps, 0).padStart(11) +
      fixed(p.on.rps, 0).padStart(10) +
      signed(p.on.rps / p.off.rps).padStart(10) +
      fixed(p.off.p99, 2).padStart(9) +
      fixed(p.on.p99, 2).padStart(8) +
      fixed(p.off.cpuUs, 0).padStart(10) +
      fixed(p.on.cpuUs, 0).padStart(9) +
      fixed(Math.max(p.off.others, p.on.others), 2).padStart(8) +
      samples.padStart(9) +
      (p.afterStop === undefined ? '' : `  (off after the stop vs the first: ${signed(p.afterStop)})`) +
      missing +
      failures
  );
}

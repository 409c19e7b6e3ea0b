// Latency as the server gives it: perfgate's closed model beside wrk on the same nginx (issue 15,
// point 5). nginx (bench/lib/nginx.mjs: one process, access log off) serves `/slow` after
// `echo_sleep 0.005` with a 3-byte body; SERVER=go runs a Go server instead (bench/lib/go-server.mjs:
// GOMAXPROCS=1, `time.Sleep(5 ms)`, timed to the µs where nginx's timers keep whole ms of a cached
// clock). Each round runs, in alternating order:
//   wrk         `wrk -t1 -c8 -d5s --latency` (C, one thread; the server needs the other core),
//   perfgate    the real CLI, `node bin/perfgate.js run -c …` (one profile, 8 connections, 1 s warmup,
//               5 s, one trial): p50/p90/p99, req/s and the generator's event-loop delay from
//               results.json — the closed model on its default client, perfgate's own on node:net
//               (src/load/net-driver.ts),
//   perfgate-ac the same CLI with PERFGATE_CLOSED_DRIVER=autocannon: the closed model on autocannon,
//   autocannon  raw autocannon 9, programmatic in a child Node process, same settings (1 s warmup),
//               without perfgate's hooks: its own percentiles (whole ms: its histogram floors to
//               1 ms) and exact percentiles of the float response times of its `response` events,
//   node-net    a floor for Node itself: 8 plain `net` sockets, one request each in flight, reading
//               into one buffer of its own (`onread`, no `data` events), the time taken as the read
//               that completes a response begins (no HTTP library), the next request written after
//               the poll phase (setImmediate), as perfgate's own client does.
// wrk times a request from its write to the end of its parse, like autocannon; on a closed loop at
// 8 connections neither corrects for coordinated omission (wrk's post-hoc correction only adds
// values for responses slower than its 10 ms-per-request calibration; a 5 ms server stays below it).
// The wire: when tcpdump can capture on the loopback (root or CAP_NET_RAW; bench/lib/wire.mjs), every
// run is captured and the server's own p50/p90/p99 under that run's load are read off the packets
// (a request's first segment out to its response's last, over the tool's measured window). What a
// tool reads above the wire is the client's own share (its wake-up, reads, parsing, clock); the
// wire under a tool beside the wire under wrk is how the server answered that tool's load. With
// the wire, each run also counts the server's wake-ups a request (its threads' voluntary context
// switches over the run, /proc, over the requests captured): about 1 when it takes each request
// alone, as it comes; well under 1 when a burst of requests finds it asleep together. WIRE=0
// turns it off.
// Prints a table per round (with each tool's CPU per response, µs: its process's CPU time after its
// first second over the responses of the window), then the median over rounds of tool/wrk for p50,
// p90, p99 and req/s, PASS or FAIL against 2 / 3 / 5 % (the rate: 2 %) for every perfgate CLI run;
// with the wire, the medians of tool/wire (the client's share) and wire/wire-under-wrk (the server's).
// Exits non-zero when the default client (perfgate) fails.
// ROUNDS=n (default 3), DURATION_S=n (default 5), LATENCY_PATH=/fast for the fast location,
// TOOLS=perfgate,node-net for some of the tools (wrk always runs). OTHER=<checkout> adds `other`:
// the same CLI from another checkout (its lib/ built), e.g. a change to the client beside main in
// one run; it is also compared with perfgate round by round. CPUS=apart runs the server on every
// CPU but the last and each tool on the last one — where `service.cpus: apart` puts a service
// perfgate starts and perfgate's own load (src/service/cpu-placement.ts); the default, shared,
// leaves both to the scheduler.
// Bounded in time; the server and every child are killed at the end.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { goUnavailable, startGoServer } from './lib/go-server.mjs';
import { hasEchoModule, hasNginx, startNginx } from './lib/nginx.mjs';
import {
  fixed,
  guard,
  installed,
  median,
  percentile,
  processWakeups,
  runChild,
  signed
} from './lib/util.mjs';
import { captureUnavailable, startCapture, wirePercentiles } from './lib/wire.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CPUS = process.env.CPUS ?? 'shared';
if (CPUS !== 'shared' && CPUS !== 'apart') {
  console.error(`CPUS=${CPUS}: shared or apart`);
  process.exit(1);
}
const SELF = fileURLToPath(import.meta.url);
const CONNECTIONS = 8;
const DURATION_S = Number(process.env.DURATION_S ?? 5);
const WARMUP_S = 1;
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const PATH = process.env.LATENCY_PATH ?? '/slow';
/** perfgate/wrk may read this much above (or below) wrk: p50, p90, p99, req/s. */
const LIMITS = { p50: 0.02, p90: 0.03, p99: 0.05, rps: 0.02 };
const RUN_LIMIT_MS = (DURATION_S + WARMUP_S + 30) * 1000;

// A child of this bench: `node latency-agreement.mjs --child autocannon|node-net <url>` prints JSON.
if (process.argv[2] === '--child') {
  const [tool, url] = process.argv.slice(3);
  const out = tool === 'autocannon' ? await rawAutocannon(url) : await nodeNet(url);
  console.log(JSON.stringify(out));
  process.exit(0);
}

const SERVER = process.env.SERVER ?? 'nginx';
if (SERVER !== 'nginx' && SERVER !== 'go') {
  console.error(`SERVER=${SERVER}: nginx or go`);
  process.exit(1);
}
const missing = !installed('wrk', '--version')
  ? 'wrk (apt-get install wrk)'
  : SERVER === 'go'
    ? goUnavailable()
    : !hasNginx() || !hasEchoModule()
      ? 'nginx and libnginx-mod-http-echo (apt-get install nginx libnginx-mod-http-echo)'
      : undefined;
if (missing) {
  console.log(`skipped: needs ${missing}`);
  process.exit(0);
}
if (!existsSync(path.join(ROOT, 'lib/cli.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}

const OTHER = process.env.OTHER ? path.resolve(process.env.OTHER) : undefined;
if (OTHER && !existsSync(path.join(OTHER, 'lib/cli.js'))) {
  console.error(`OTHER=${OTHER}: no lib/cli.js there (run \`npm run build\` in that checkout)`);
  process.exit(1);
}
const ALL_TOOLS = ['wrk', 'perfgate', 'perfgate-ac', 'autocannon', 'node-net', ...(OTHER ? ['other'] : [])];
/** TOOLS=perfgate,node-net runs those beside wrk (always measured: the reference). */
const TOOLS = process.env.TOOLS
  ? [
      'wrk',
      ...process.env.TOOLS.split(',')
        .map(t => t.trim())
        .filter(t => t && t !== 'wrk')
    ]
  : ALL_TOOLS;
const unknown = TOOLS.filter(t => !ALL_TOOLS.includes(t));
if (unknown.length > 0) {
  console.error(`TOOLS: unknown ${unknown.join(', ')} (known: ${ALL_TOOLS.join(', ')})`);
  process.exit(1);
}
/** The closed-model client of each perfgate tool (PERFGATE_CLOSED_DRIVER; unset: the default). */
const DRIVERS = { perfgate: undefined, 'perfgate-ac': 'autocannon', other: undefined };
/** The checkout whose CLI a perfgate tool runs. */
const CHECKOUT = { other: OTHER };
const { formatCpuList, parseCpuList, pinProcess, planPlacement } = await import(
  pathToFileURL(path.join(ROOT, 'lib/service/cpu-placement.js')).href
);
/** CPUS=apart: the CPU lists of the server and of every tool; undefined when they share the CPUs. */
const placement = CPUS === 'apart' ? placeApart() : undefined;
/** Why the wire is not read (WIRE=0, no tcpdump, no right to capture); undefined when it is. */
let noWire = process.env.WIRE === '0' ? 'WIRE=0' : captureUnavailable();
const children = new Set();
const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-latency-'));
let server;
const done = guard(children, 60_000 + ROUNDS * TOOLS.length * RUN_LIMIT_MS, () => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});
server =
  SERVER === 'go'
    ? await startGoServer({ dir })
    : await startNginx({
        locations: { '/slow': 'echo_sleep 0.005; echo ok;', '/fast': 'return 200 "ok\\n";' }
      });
const url = `${server.url}${PATH}`;
if (placement) await pinProcess(server.pid, parseCpuList(placement.server));
writeFileSync(
  path.join(dir, 'perfgate.yml'),
  [
    'version: 1',
    `target: ${server.url}`,
    `defaults: { connections: ${CONNECTIONS}, warmup: ${WARMUP_S}s, duration: ${DURATION_S}s, trials: 1 }`,
    `profiles: [{ name: slow, requests: [{ path: ${PATH} }] }]`,
    'report: { dir: report }',
    ''
  ].join('\n')
);
console.log(
  `${SERVER === 'go' ? 'Go (time.Sleep 5 ms)' : 'nginx (echo_sleep 0.005)'} ${url}; ${CONNECTIONS} connections, ${DURATION_S} s, ` +
    `${ROUNDS} rounds of ${TOOLS.join(', ')}` +
    (placement ? `; the server on CPU ${placement.server}, each tool on CPU ${placement.tools}` : '')
);

const rows = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? TOOLS : [...TOOLS].reverse();
    const these = [];
    for (const tool of order) {
      let row;
      try {
        row = await measureOnWire(tool);
      } catch (err) {
        row = { rps: NaN, p50: NaN, p90: NaN, p99: NaN, note: `failed: ${err.message.split('\n')[0]}` };
      }
      these.push({ round, tool, ...row });
    }
    rows.push(...these);
    printRound(round, these);
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log('');
let failed = false;
for (const tool of TOOLS.filter(t => t !== 'wrk')) {
  const parts = ['p50', 'p90', 'p99', 'rps'].map(k => {
    const perRound = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const of = t => rows.find(r => r.round === round && r.tool === t)?.[k];
      perRound.push(of(tool) / of('wrk'));
    }
    const m = median(perRound);
    const ok = Math.abs(m - 1) <= LIMITS[k];
    if (tool === 'perfgate' && !ok) failed = true;
    const verdict = tool in DRIVERS ? ` ${ok ? 'PASS' : 'FAIL'} (±${LIMITS[k] * 100} %)` : '';
    return `${k} ${signed(m)}${verdict}`;
  });
  console.log(`${`${tool}/wrk, median of rounds:`.padEnd(38)}${parts.join('; ')}`);
}
if (noWire) console.log(`wire: not read (${noWire})`);
else {
  // Per round, then the median over rounds: a tool over the wire under its own run (the client's
  // share), and the wire under a tool over the wire under wrk in the same round (how the server
  // answered that load).
  const row = (round, tool) => rows.find(r => r.round === round && r.tool === tool);
  const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);
  const medianOf = ratio =>
    ['p50', 'p90', 'p99'].map(k => `${k} ${signed(median(rounds.map(n => ratio(n, k))))}`).join('; ');
  for (const tool of TOOLS) {
    const own = medianOf((round, k) => row(round, tool)?.[k] / row(round, tool)?.wire?.[k]);
    const answered =
      tool === 'wrk'
        ? ''
        : `;  the wire under it / under wrk: ${medianOf((round, k) => row(round, tool)?.wire?.[k] / row(round, 'wrk')?.wire?.[k])}`;
    console.log(`${`${tool}/wire, median of rounds:`.padEnd(38)}${own}${answered}`);
  }
  const wakes = TOOLS.map(t => `${t} ${fixed(median(rounds.map(n => row(n, t)?.wakes)), 2)}`);
  console.log(`${'server wake-ups a request, median:'.padEnd(38)}${wakes.join('; ')}`);
}
if (TOOLS.includes('other') && TOOLS.includes('perfgate')) {
  const parts = ['p50', 'p90', 'p99', 'rps'].map(k => {
    let below = 0;
    let both = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const of = t => rows.find(r => r.round === round && r.tool === t)?.[k];
      if (!(of('other') > 0 && of('perfgate') > 0)) continue;
      both++;
      if (of('other') < of('perfgate')) below++;
    }
    return `${k} lower in ${below} of ${both}`;
  });
  console.log(`${'other beside perfgate, rounds:'.padEnd(38)}${parts.join('; ')} (OTHER=${OTHER})`);
}
console.log(
  'autocannon: µs from its response events (its own histogram floors to whole ms: shown in brackets). ' +
    'delay: the generator event loop delay p50/p99/max, ms (perfgate: generatorDelay of its trial). ' +
    "cpu: the process's CPU per response, µs. perfgate-ac: the CLI with PERFGATE_CLOSED_DRIVER=autocannon." +
    (noWire
      ? ''
      : " wire: the server's own p50/p90/p99 under that run, from a capture on the loopback (request out to response out); wakes: the server's wake-ups a request over the run.")
);
done();
process.exitCode = failed ? 1 : 0;

/**
 * `measure(tool)` with the run captured (unless the wire is off): adds `wire`, the server's own
 * p50/p90/p99 over the tool's measured window (wrk's run is all measured). The first capture that
 * fails, to start or to be read, turns the wire off for the rest, with its reason.
 */
async function measureOnWire(tool) {
  if (noWire) return measure(tool);
  let capture;
  try {
    capture = await startCapture({ port: server.port, dir, limitMs: RUN_LIMIT_MS + 10_000 });
  } catch (err) {
    noWire = err.message;
    return measure(tool);
  }
  const woke = processWakeups(server.pid);
  let row;
  try {
    row = await measure(tool);
  } finally {
    try {
      const exchanges = await capture.stop();
      if (row) row.wire = wirePercentiles(exchanges, row.window);
      // Over the whole run (a CLI's warmup included): the requests the capture saw.
      const now = processWakeups(server.pid);
      if (row && woke !== undefined && now !== undefined && exchanges.length > 0)
        row.wakes = (now - woke) / exchanges.length;
    } catch (err) {
      noWire = err.message;
    }
  }
  return row;
}

async function measure(tool) {
  if (tool === 'wrk') {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${DURATION_S}s`, '--latency', url];
    const { out, cpu } = await runChild('wrk', args, {
      children,
      limitMs: RUN_LIMIT_MS,
      cpus: placement?.tools
    });
    const row = parseWrk(out);
    return { ...row, cpuUs: perResponse(cpu, row.rps) };
  }
  if (tool in DRIVERS) {
    // A gate that fails (e.g. an invalid trial) exits non-zero but still writes its results.
    const file = path.join(dir, 'report/results.json');
    rmSync(path.dirname(file), { recursive: true, force: true });
    const bin = path.join(CHECKOUT[tool] ?? ROOT, 'bin/perfgate.js');
    const args = [bin, 'run', '-c', path.join(dir, 'perfgate.yml')];
    // The child inherits this process's environment as it is when spawned.
    const driver = DRIVERS[tool];
    if (driver) process.env.PERFGATE_CLOSED_DRIVER = driver;
    else delete process.env.PERFGATE_CLOSED_DRIVER;
    const cli = await runChild(process.execPath, args, {
      children,
      limitMs: RUN_LIMIT_MS,
      anyExit: true,
      cpus: placement?.tools
    });
    const t = existsSync(file)
      ? JSON.parse(readFileSync(file, 'utf8')).profiles[0]?.head.trials[0]
      : undefined;
    if (!t) throw new Error(`exit ${cli.code}, no trial in results.json: ${cli.err.trim().split('\n')[0]}`);
    const { latency, throughput, failed: errors } = t.metrics;
    const from = Date.parse(t.startedAt);
    return {
      window: { from, to: from + t.measuredMs },
      rps: throughput,
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      delay: t.generatorDelay,
      cpuUs: perResponse(cli.cpu, throughput),
      note: [errors ? `${errors} errors` : '', t.valid ? '' : `invalid: ${t.invalidReason}`]
        .filter(Boolean)
        .join('; ')
    };
  }
  const { out, cpu } = await runChild(process.execPath, [SELF, '--child', tool, url], {
    children,
    limitMs: RUN_LIMIT_MS,
    cpus: placement?.tools
  });
  const row = JSON.parse(out.trim().split('\n').pop());
  return { ...row, cpuUs: perResponse(cpu, row.rps) };
}

/**
 * The split `service.cpus: apart` makes (planPlacement, from lib/): the server on every allowed CPU
 * but the last, the tools on the last. Exits with the reason where it cannot be had.
 */
function placeApart() {
  const plan = planPlacement('apart', 'CPUS=apart');
  if (!plan || 'shared' in plan) {
    console.error(plan?.shared ?? 'CPUS=apart: no placement');
    process.exit(1);
  }
  return { server: formatCpuList(plan.placement.service), tools: formatCpuList(plan.placement.generator) };
}

/** µs of CPU per response from a share of one core (runChild's `cpu`) and responses per second. */
function perResponse(cpu, rps) {
  return cpu === undefined || !(rps > 0) ? NaN : (cpu * 1e6) / rps;
}

/** req/s from wrk's "Requests/sec:" line; p50/p90/p99 from its --latency distribution, in ms. */
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
  return { rps, p50: at(50), p90: at(90), p99: at(99), note: errors.join('; ') };
}

/**
 * Event-loop delay of this (child) process at 1 ms resolution, as { p50, p99, max } in ms, the
 * resolution subtracted as perfgate does (Node records the whole interval between timer firings).
 */
async function delayMonitor() {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return () => {
    h.disable();
    const ms = ns => Math.max(0, Math.round(ns / 1e3 - 1000)) / 1e3;
    return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
  };
}

/** Child: raw autocannon, WARMUP_S unrecorded, then DURATION_S recorded. */
async function rawAutocannon(target) {
  const { default: autocannon } = await import('autocannon');
  const opts = { url: target, connections: CONNECTIONS, pipelining: 1, skipAggregateResult: false };
  await autocannon({ ...opts, duration: WARMUP_S });
  const times = [];
  const stopDelay = await delayMonitor();
  const t0 = performance.now();
  const instance = autocannon({ ...opts, duration: DURATION_S });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const r = await instance;
  const delay = stopDelay();
  times.sort((a, b) => a - b);
  return {
    window: epochWindow(t0, performance.now()),
    rps: r.requests.total / r.duration,
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    p99: percentile(times, 99),
    own: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99 },
    delay,
    note: r.errors + r.non2xx ? `${r.errors + r.non2xx} errors` : ''
  };
}

/**
 * Child: a floor for Node — CONNECTIONS sockets, each with one GET in flight, read into one buffer;
 * a response ends at the chunked terminator or after content-length bytes; its time is taken as the
 * read that completes it begins.
 */
async function nodeNet(target) {
  const { hostname, port, pathname } = new URL(target);
  const request = Buffer.from(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const run = (ms, times) =>
    new Promise((resolve, reject) => {
      let count = 0;
      let open = CONNECTIONS;
      const end = performance.now() + ms;
      for (let i = 0; i < CONNECTIONS; i++) {
        let start = 0;
        let buf = '';
        const s = net.connect({
          port: Number(port),
          host: hostname,
          onread: { buffer: readBuffer, callback: n => (data(n), true) }
        });
        s.setNoDelay(true);
        const send = () => {
          buf = '';
          start = performance.now();
          s.write(request);
        };
        s.on('connect', send);
        s.on('error', reject);
        s.on('close', () => --open === 0 && resolve(count));
        const data = n => {
          const now = performance.now();
          buf += readBuffer.latin1Slice(0, n);
          if (!complete(buf)) return;
          times?.push(now - start);
          count++;
          // Like perfgate's closed model: the next request is written after the poll phase.
          if (now < end) setImmediate(send);
          else s.end();
        };
      }
    });
  await run(WARMUP_S * 1000);
  const times = [];
  const stopDelay = await delayMonitor();
  const t0 = performance.now();
  const count = await run(DURATION_S * 1000, times);
  const wall = performance.now() - t0;
  const delay = stopDelay();
  times.sort((a, b) => a - b);
  return {
    window: epochWindow(t0, t0 + wall),
    rps: count / (wall / 1000),
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    p99: percentile(times, 99),
    delay,
    note: ''
  };
}

/** A window of `performance.now()` readings as epoch ms (the clock of the wire's timestamps). */
function epochWindow(from, to) {
  return { from: performance.timeOrigin + from, to: performance.timeOrigin + to };
}

/** Whether `buf` holds one whole HTTP/1.1 response (chunked, or with a content-length). */
function complete(buf) {
  const head = buf.indexOf('\r\n\r\n');
  if (head < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(buf.slice(0, head));
  if (length) return buf.length >= head + 4 + Number(length[1]);
  return buf.endsWith('\r\n0\r\n\r\n');
}

function printRound(round, these) {
  console.log(`\nround ${round}`);
  console.log(
    'tool'.padEnd(13) +
      'req/s'.padStart(8) +
      'p50 ms'.padStart(9) +
      'p90 ms'.padStart(9) +
      'p99 ms'.padStart(9) +
      'cpu µs'.padStart(8) +
      (noWire ? '' : '   wire p50/p90/p99 ms   wakes') +
      '   delay p50/p99/max ms'
  );
  for (const r of these) {
    const delay = r.delay
      ? `${r.delay.p50.toFixed(2)}/${r.delay.p99.toFixed(2)}/${r.delay.max.toFixed(2)}`
      : '-';
    const own = r.own ? ` [own ${r.own.p50}/${r.own.p90}/${r.own.p99}]` : '';
    const wire = r.wire ? `${fixed(r.wire.p50, 3)}/${fixed(r.wire.p90, 3)}/${fixed(r.wire.p99, 3)}` : '-';
    console.log(
      r.tool.padEnd(13) +
        fixed(r.rps, 0).padStart(8) +
        fixed(r.p50, 3).padStart(9) +
        fixed(r.p90, 3).padStart(9) +
        fixed(r.p99, 3).padStart(9) +
        fixed(r.cpuUs, 0).padStart(8) +
        (noWire ? '' : `   ${wire.padEnd(21)}${fixed(r.wakes, 2).padStart(6)}`) +
        `   ${delay}${own}${r.note ? ` (${r.note})` : ''}`
    );
  }
}

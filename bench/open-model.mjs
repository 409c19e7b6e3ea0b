// Open-model pacing: how closely perfgate's `driveOpen` (lib/load/open-model.js; `npm run build`
// first) keeps to its target rate at 100, 1 000 and 5 000 req/s against examples/hello's GET /hello
// (a separate process). A sink that only counts records, at each `sent(request, intendedTime)` call,
// performance.now(): the actual send, whose lateness is now − intended. Prints per run
//   rates:  target, scheduled, sent, achieved send rate (sent / schedule duration) and its error,
//           responses completed in the window and their rate, failures (timeouts, connection);
//   gaps:   the actual inter-send gaps against the ideal 1000 / rate ms (mean, sd, p1/p50/p99, the
//           share sent in a burst: gap < 10 % of the ideal), lateness p50/p99/max, and the
//           generator's CPU over the run (its thread, load/generator-cpu.ts, and the whole process),
//           the server's, and the cores that processes outside this bench used meanwhile (others),
// then the median over the rounds per rate. Rounds alternate the order of the rates.
// Knobs: ROUNDS (default 3), DURATION_S (5), CONNECTIONS (50), SPIN_MS (driveOpen's spinMs; default
// its own, SPIN_MS in load/pacer.ts). Bounded in time; the server is stopped at the end.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  freePort,
  guard,
  machineCpuMs,
  meanSd,
  median,
  percentile,
  processCpuMs,
  startExampleServer,
  stopChild
} from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RATES = [100, 1000, 5000];
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const DURATION_S = Number(process.env.DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SPIN_MS = process.env.SPIN_MS === undefined ? undefined : Number(process.env.SPIN_MS);
const LIMIT_MS = (ROUNDS * RATES.length * (DURATION_S + 5) + 60) * 1000;

const lib = name => pathToFileURL(path.join(ROOT, 'lib/load', name)).href;
if (!existsSync(path.join(ROOT, 'lib/load/open-model.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { driveOpen } = await import(lib('open-model.js'));
const { SPIN_MS: DEFAULT_SPIN_MS } = await import(lib('pacer.js'));
const { generatorCpuClock } = await import(lib('generator-cpu.js'));

const children = new Set();
const done = guard(children, LIMIT_MS);

const port = await freePort();
const target = `http://127.0.0.1:${port}`;
const server = await startExampleServer(ROOT, port, children);
const requests = [{ name: 'hello', method: 'GET', path: '/hello', headers: {}, weight: 1, expectStatus: [] }];
const clock = generatorCpuClock();
console.log(
  `examples/hello/server.mjs on ${target}; driveOpen at ${RATES.join(', ')} req/s, ${DURATION_S} s each, ` +
    `${CONNECTIONS} connections, spinMs ${SPIN_MS ?? DEFAULT_SPIN_MS}, ${ROUNDS} rounds; ` +
    `generator CPU clock: ${clock.scope}`
);

const rows = [];
try {
  await drive(1000, 1000); // unmeasured: the server's JIT and undici's
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? RATES : [...RATES].reverse();
    for (const rate of order)
      rows.push({ round: String(round + 1), ...(await drive(rate, DURATION_S * 1000)) });
  }
} finally {
  for (const c of children) if (c !== server) c.kill('SIGKILL');
  await stopChild(server);
}

const byRate = RATES.map(rate => rows.filter(r => r.rate === rate));
const medianRow = rs => {
  const out = { round: 'med' };
  for (const key of Object.keys(rs[0])) if (key !== 'round') out[key] = median(rs.map(r => r[key]));
  return out;
};
const table = (title, columns) => {
  console.log(`\n${title}`);
  console.log(columns.map(([head, , width]) => head.padStart(width)).join(''));
  for (const rs of byRate) {
    for (const r of [...rs, medianRow(rs)])
      console.log(columns.map(([, f, width]) => f(r).padStart(width)).join(''));
  }
};
const f = (digits, key) => r => (Number.isFinite(r[key]) ? r[key].toFixed(digits) : '-');
table('rates (send rate = sent / schedule duration; done = responses completed in the window)', [
  ['round', r => r.round, 6],
  ['target/s', f(0, 'rate'), 10],
  ['scheduled', f(0, 'scheduled'), 11],
  ['sent', f(0, 'sent'), 8],
  ['sent/s', f(1, 'sendRate'), 10],
  ['err %', f(2, 'sendErr'), 8],
  ['done', f(0, 'done'), 8],
  ['done/s', f(1, 'doneRate'), 10],
  ['failed', f(0, 'failed'), 8]
]);
table(
  'inter-send gaps and lateness, ms (burst %: gaps < 10 % of the ideal); CPU % of a core; others: cores',
  [
    ['round', r => r.round, 6],
    ['target/s', f(0, 'rate'), 10],
    ['ideal', f(3, 'ideal'), 8],
    ['mean', f(3, 'gapMean'), 8],
    ['sd', f(3, 'gapSd'), 8],
    ['p1', f(3, 'gapP1'), 8],
    ['p50', f(3, 'gapP50'), 8],
    ['p99', f(3, 'gapP99'), 8],
    ['burst %', f(1, 'burst'), 9],
    ['late p50', f(3, 'lateP50'), 10],
    ['p99', f(3, 'lateP99'), 8],
    ['max', f(3, 'lateMax'), 8],
    ['cpu thr', f(1, 'cpuThread'), 9],
    ['cpu proc', f(1, 'cpuProcess'), 10],
    ['server', f(1, 'cpuServer'), 8],
    ['others', f(2, 'others'), 8]
  ]
);
done();

/** One open-model run at `rate` req/s for `durationMs`, with its pacing and CPU figures. */
async function drive(rate, durationMs) {
  const sends = [];
  const lateness = [];
  let done = 0;
  let failed = 0;
  const sink = {
    sent(_request, intended) {
      const now = performance.now();
      sends.push(now);
      lateness.push(now - intended);
    },
    response(_request, _status, _bytes, _ms, failure) {
      done++;
      if (failure) failed++;
    },
    failure() {
      failed++;
    }
  };
  const cpu0 = clock.read();
  const proc0 = process.cpuUsage();
  const [machine0, server0] = [machineCpuMs(), processCpuMs(server.pid)];
  const t0 = performance.now();
  const o = await driveOpen({
    target,
    requests,
    connections: CONNECTIONS,
    timeoutMs: 10_000,
    stages: [{ durationMs, from: rate, to: rate }],
    signal: new AbortController().signal,
    sink,
    ...(SPIN_MS !== undefined && { spinMs: SPIN_MS })
  });
  const wallMs = performance.now() - t0;
  const proc = process.cpuUsage(proc0);
  const procMs = (proc.user + proc.system) / 1000;
  const serverMs = processCpuMs(server.pid) - server0;
  const othersMs = machineCpuMs() - machine0 - serverMs - procMs;
  const gaps = [];
  for (let i = 1; i < sends.length; i++) gaps.push(sends[i] - sends[i - 1]);
  const ideal = 1000 / rate;
  const { mean, sd } = meanSd(gaps);
  gaps.sort((a, b) => a - b);
  lateness.sort((a, b) => a - b);
  const seconds = o.durationMs / 1000;
  return {
    rate,
    scheduled: o.scheduled,
    sent: o.sent,
    sendRate: o.sent / seconds,
    sendErr: (o.sent / seconds / rate - 1) * 100,
    done,
    doneRate: done / seconds,
    failed,
    ideal,
    gapMean: mean,
    gapSd: sd,
    gapP1: percentile(gaps, 1),
    gapP50: percentile(gaps, 50),
    gapP99: percentile(gaps, 99),
    burst: (gaps.filter(g => g < ideal / 10).length / Math.max(1, gaps.length)) * 100,
    lateP50: percentile(lateness, 50),
    lateP99: percentile(lateness, 99),
    lateMax: lateness.at(-1),
    cpuThread: ((clock.read() - cpu0) / wallMs) * 100,
    cpuProcess: (procMs / wallMs) * 100,
    cpuServer: (serverMs / wallMs) * 100,
    others: Math.max(0, othersMs / wallMs)
  };
}

// Closed-model throughput: perfgate's generator (lib/load/http-generator.js, run
// `npx tsc -p tsconfig.build.json` first), the whole `perfgate run` CLI (target-only mode, one trial,
// req/s read from its results.json) and the autocannon CLI alone, same connections and duration, on
// examples/hello's GET /hello. Rounds alternate so machine drift hits both alike.
// Prints req/s per round, the medians, the ratio of the medians and the median of the per-round
// ratios (each round's pair runs back to back, so it is the less drift-prone of the two).
// ROUNDS=n (≥ 3) overrides the default 5 rounds. Bounded in time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, median } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 10;
const DURATION_S = 5;
const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 5));
const LIMIT_MS = 300_000;

const generatorPath = path.join(ROOT, 'lib/load/http-generator.js');
if (!existsSync(generatorPath)) {
  console.error('lib/ is missing: run `npx tsc -p tsconfig.build.json` first');
  process.exit(1);
}
const { HttpLoadGenerator } = await import(pathToFileURL(generatorPath).href);

const children = new Set();
const deadline = setTimeout(() => {
  console.error(`bench exceeded ${LIMIT_MS / 1000} s; stopping`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}, LIMIT_MS);
deadline.unref();

const port = await freePort();
const target = `http://127.0.0.1:${port}`;
const server = await startServer(port);
console.log(
  `examples/hello/server.mjs on ${target}; ${CONNECTIONS} connections, ${DURATION_S} s, ${ROUNDS} rounds each`
);

const profile = {
  name: 'hello',
  shape: 'steady',
  connections: CONNECTIONS,
  warmupMs: 0,
  durationMs: DURATION_S * 1000,
  trials: ROUNDS,
  timeoutMs: 10_000,
  requests: [{ name: 'hello', method: 'GET', path: '/hello', headers: {}, weight: 1, expectStatus: [] }],
  thresholds: [],
  compare: {}
};
const generator = new HttpLoadGenerator();
const TOOLS = ['perfgate', 'perfgate-cli', 'autocannon'];
const cliDir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-bench-'));
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
  // Unmeasured warmup for the server's JIT, then alternate, starting with either tool in turn.
  await generator.warmup({ ...profile, warmupMs: 2000 }, target, new AbortController().signal);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? TOOLS : [...TOOLS].reverse();
    for (const tool of order) rows.push({ round: round + 1, tool, ...(await measure(tool)) });
  }
} finally {
  server.kill('SIGTERM');
}

console.log('');
console.log(
  pad('round', 6) + pad('tool', 14) + pad('req/s', 10) + pad('p50 ms', 9) + pad('p99 ms', 9) + 'generator CPU'
);
for (const r of rows) {
  console.log(
    pad(String(r.round), 6) +
      pad(r.tool, 14) +
      pad(r.rps.toFixed(0), 10) +
      pad(String(r.p50), 9) +
      pad(String(r.p99), 9) +
      (r.cpu === undefined ? '-' : `${(r.cpu * 100).toFixed(0)} %${r.note ? ` (${r.note})` : ''}`)
  );
}
const med = tool => median(rows.filter(r => r.tool === tool).map(r => r.rps));
const spread = tool => {
  const xs = rows.filter(r => r.tool === tool).map(r => r.rps);
  return `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
};
console.log('');
console.log(`median req/s: ${TOOLS.map(t => `${t} ${med(t).toFixed(0)} (${spread(t)})`).join(', ')}`);
for (const tool of ['perfgate', 'perfgate-cli']) {
  const perRound = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const of = t => rows.find(r => r.round === round && r.tool === t).rps;
    perRound.push(of(tool) / of('autocannon'));
  }
  console.log(
    `ratio ${tool}/autocannon: of the medians ${(med(tool) / med('autocannon')).toFixed(3)}; ` +
      `per round ${perRound.map(r => r.toFixed(3)).join(' ')}; median ${median(perRound).toFixed(3)}`
  );
}
console.log('(autocannon floors latencies to whole ms; perfgate records µs)');
clearTimeout(deadline);

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
      note: t.valid ? '' : 'invalid'
    };
  }
  if (tool === 'perfgate-cli') {
    await run(process.execPath, [
      path.join(ROOT, 'bin/perfgate.js'),
      'run',
      '-c',
      path.join(cliDir, 'perfgate.yml')
    ]);
    const results = JSON.parse(readFileSync(path.join(cliDir, 'report/results.json'), 'utf8'));
    const t = results.profiles[0].head.trials[0];
    return {
      rps: t.metrics.throughput,
      p50: t.metrics.latency.p50,
      p99: t.metrics.latency.p99,
      cpu: t.generatorCpu
    };
  }
  const cli = path.join(ROOT, 'node_modules/autocannon/autocannon.js');
  const args = [cli, '-c', String(CONNECTIONS), '-d', String(DURATION_S), '--json', `${target}/hello`];
  const out = await run(process.execPath, args);
  const j = JSON.parse(out.trim().split('\n').pop());
  return { rps: j.requests.total / j.duration, p50: j.latency.p50, p99: j.latency.p99 };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('close', code => {
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(args[0])} exited ${code}: ${err.slice(-500)}`));
    });
  });
}

function startServer(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'examples/hello/server.mjs')], {
      env: { ...process.env, PORT: String(port) },
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

function pad(s, n) {
  return s.padEnd(n);
}

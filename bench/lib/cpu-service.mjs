// A CPU-bound Node service for bench/profiling-overhead.mjs: GET /work spends about 1.2 ms of CPU
// (WORK records, default 1400, on one core of the bench machine) in three named functions —
// buildRecords (allocates), scoreRecords (arithmetic), renderPage (JSON) — so the CPU sampler and
// the heap sampler both have real work to observe; the records of the last 64 responses stay alive,
// so the sampled heap holds in-use memory. GET /health answers at once. PORT on 127.0.0.1.
// PID_FILE: written with the pid once listening (the bench kills a service its perfgate left behind);
// CPU_FILE: written on SIGTERM with the process's CPU time (ms, all threads: the profiler's sampler
// and the collector's helpers too), the responses served, and `timeline`, [Date.now(), CPU ms,
// responses] every 100 ms, from which the bench takes the CPU per response of the measured window.
import { writeFileSync } from 'node:fs';
import http from 'node:http';

const WORK = Number(process.env.WORK ?? 1400);
const KEPT = 64;
const kept = [];
let served = 0;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const timeline = [];
setInterval(() => timeline.push([Date.now(), cpuMs(), served]), 100).unref();

function buildRecords(n) {
  const records = new Array(n);
  for (let i = 0; i < n; i++) {
    records[i] = { id: i, name: `item-${i}`, tags: [i % 7, i % 13, i % 31], price: (i * 37) % 1000 };
  }
  return records;
}

function scoreRecords(records) {
  let score = 0;
  for (let round = 0; round < 64; round++) {
    for (const r of records) score += Math.sqrt(r.id * 31 + round) * r.tags[round % 3] + r.price / (round + 1);
  }
  return score;
}

function renderPage(records, score) {
  const page = records.filter(r => r.tags[0] === 3).map(r => ({ ...r, label: r.name.toUpperCase() }));
  return JSON.stringify({ score, count: records.length, page });
}

const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  const records = buildRecords(WORK);
  const body = renderPage(records, scoreRecords(records));
  kept[served++ % KEPT] = records;
  res.setHeader('content-type', 'application/json');
  res.end(body);
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  if (process.env.PID_FILE) writeFileSync(process.env.PID_FILE, String(process.pid));
  console.log('listening');
});

process.once('SIGTERM', () => {
  if (process.env.CPU_FILE) {
    writeFileSync(process.env.CPU_FILE, JSON.stringify({ cpuMs: cpuMs(), served, timeline }));
  }
  process.exit(0);
});

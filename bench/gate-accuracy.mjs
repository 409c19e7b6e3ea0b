// Gate accuracy (SPEC §5): repeated paired gates of the example service against itself.
//   A/A:  base and head with the same per-request delay — every "fail" is a false alarm;
//   A/B:  the head slower by δ and by 2δ (δ = 5 %, the default for the median and throughput).
// Prints the A/A false-fail rate, the detection rates at δ and 2δ, the minimum detectable change
// (median half-width of the median's 95 % interval over the A/A runs) and how long each gate took,
// then times one gate with the default settings (10 trials of 5 s per side, 2 s warmup).
// Knobs: AA_RUNS (default 50), AB_RUNS (20), TRIAL (1s), TRIALS (10, or "auto" for trials: auto with
// AUTO_MIN 10, AUTO_BATCH 5, AUTO_MAX 30), DELAY_MS (20). Needs lib/.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, median } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/perfgate.js');
const AA_RUNS = Number(process.env.AA_RUNS ?? 50);
const AB_RUNS = Number(process.env.AB_RUNS ?? 20);
const TRIAL = process.env.TRIAL ?? '1s';
const TRIALS = process.env.TRIALS === 'auto' ? 'auto' : Number(process.env.TRIALS ?? 10);
const AUTO = {
  min: Number(process.env.AUTO_MIN ?? 10),
  batch: Number(process.env.AUTO_BATCH ?? 5),
  max: Number(process.env.AUTO_MAX ?? 30)
};
const DELAY = Number(process.env.DELAY_MS ?? 20);
const DELTA = 0.05;
const GATE_LIMIT_MS = 10 * 60_000;

if (!existsSync(path.join(ROOT, 'lib/cli.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}

const scenarios = [
  { name: 'A/A', runs: AA_RUNS, head: DELAY },
  { name: `A/B +δ (${DELTA * 100} %)`, runs: AB_RUNS, head: DELAY * (1 + DELTA) },
  { name: `A/B +2δ (${2 * DELTA * 100} %)`, runs: AB_RUNS, head: DELAY * (1 + 2 * DELTA) }
];
const trialsText =
  TRIALS === 'auto'
    ? `trials: auto (min ${AUTO.min}, batch ${AUTO.batch}, max ${AUTO.max})`
    : `${TRIALS} trials`;
console.log(
  `paired gates on examples/hello, base DELAY_MS=${DELAY}, ${trialsText} of ${TRIAL} per side (+1 warmup pair), 10 connections`
);
const rows = [];
for (const s of scenarios) {
  const runs = [];
  for (let i = 0; i < s.runs; i++) {
    runs.push(await gate({ headDelay: s.head, trials: TRIALS, duration: TRIAL, warmup: '1s' }));
    process.stderr.write(`${s.name} ${i + 1}/${s.runs}: ${runs.at(-1).verdict}\n`);
  }
  rows.push({ ...s, runs });
}

console.log('');
console.log(
  [
    'scenario',
    'runs',
    'fail',
    'median regressed',
    'inconclusive',
    'median change',
    'median pairs',
    'median gate s',
    'errors'
  ].join(' | ')
);
for (const r of rows) {
  const n = r.runs.length;
  const fails = r.runs.filter(x => x.verdict === 'fail').length;
  const medReg = r.runs.filter(x => x.med?.verdict === 'regressed').length;
  const inconc = r.runs.filter(x => x.verdict === 'inconclusive').length;
  console.log(
    [
      r.name,
      n,
      `${fails} (${pct(fails / n)})`,
      `${medReg} (${pct(medReg / n)})`,
      `${inconc} (${pct(inconc / n)})`,
      pct(median(r.runs.map(x => x.med?.estimate ?? NaN)), 1),
      median(r.runs.filter(x => x.verdict !== 'error').map(x => x.pairs)),
      (median(r.runs.map(x => x.ms)) / 1000).toFixed(1),
      r.runs.filter(x => x.verdict === 'error').length
    ].join(' | ')
  );
}
const [aa, ab1, ab2] = rows;
const halfWidths = aa.runs.filter(x => x.med).map(x => (x.med.interval[1] - x.med.interval[0]) / 2);
console.log('');
console.log(`A/A false-fail rate: ${aa.runs.filter(x => x.verdict === 'fail').length}/${aa.runs.length}`);
console.log(`detection at δ:  ${ab1.runs.filter(x => x.verdict === 'fail').length}/${ab1.runs.length}`);
console.log(`detection at 2δ: ${ab2.runs.filter(x => x.verdict === 'fail').length}/${ab2.runs.length}`);
console.log(
  `minimum detectable change of the median (A/A interval half-width, median): ${pct(median(halfWidths), 1)}`
);

const defaults = await gate({ headDelay: DELAY, trials: 10, duration: '5s', warmup: '2s' });
console.log(
  `one gate with the default settings (10 trials of 5 s per side): ${(defaults.ms / 1000).toFixed(0)} s, verdict ${defaults.verdict}`
);

/** One paired gate through the CLI; returns its verdict, the median's comparison and its wall time. */
async function gate({ headDelay, trials, duration, warmup }) {
  const [head, base] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-accuracy-'));
  const file = path.join(dir, 'perfgate.yml');
  const example = path.join(ROOT, 'examples/hello');
  writeFileSync(
    file,
    [
      'version: 1',
      'service:',
      `  command: node server.mjs`,
      `  cwd: ${example}`,
      `  env: { PORT: "${head}", DELAY_MS: "${headDelay}" }`,
      `  ready: { url: "http://127.0.0.1:${head}/health" }`,
      '  base:',
      `    command: node server.mjs`,
      `    cwd: ${example}`,
      `    env: { PORT: "${base}", DELAY_MS: "${DELAY}" }`,
      `    ready: { url: "http://127.0.0.1:${base}/health" }`,
      `    target: http://127.0.0.1:${base}`,
      `target: http://127.0.0.1:${head}`,
      `defaults: { connections: 10, warmup: ${warmup}, duration: ${duration}, trials: ${trials} }`,
      'profiles: [{ name: hello, requests: [{ path: /hello }] }]',
      'report: { dir: report }',
      `statistics: { auto: { min: ${AUTO.min}, batch: ${AUTO.batch}, max: ${AUTO.max}, budget: 30m } }`,
      ''
    ].join('\n')
  );
  const t0 = Date.now();
  const { code, stderr } = await run([BIN, 'run', '-c', file]);
  const ms = Date.now() - t0;
  const resultsFile = path.join(dir, 'report/results.json');
  if (!existsSync(resultsFile)) {
    // A gate that could not run at all (exit 2 or a crash): counted as an error, its output shown.
    process.stderr.write(`gate exited ${code} without results:\n${stderr.slice(-2000)}\n`);
    return { verdict: 'error', med: undefined, ms, pairs: 0 };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  if (code === 3) {
    process.stderr.write(`gate failed to run: ${results.error?.message}\n`);
    return { verdict: 'error', med: undefined, ms, pairs: 0 };
  }
  const med = results.comparisons.find(c => c.metric === 'http_req_duration.med');
  return { verdict: results.verdict, med, ms, pairs: results.profiles[0].trialsPlanned };
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGINT'), GATE_LIMIT_MS);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function pct(x, digits = 0) {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

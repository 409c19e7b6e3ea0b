// Accuracy of command benchmarks (SPEC §4, §5): repeated paired gates through the CLI
// (`perfgate run`, `benchmarks:` with `base:`, base and head interleaved run by run, the first
// pair discarded) of a deterministic CPU-bound command, mawk's `BEGIN{for(i=0;i<N;i++)s+=i}`:
//   A/A:  the same N on both sides — every failed gate is a false alarm;
//   A/B:  the head does 10 % more work (1.1 × N; 2δ for the default δ = 5 % of wall_time.med; the
//         wall time grows a little less, as the start-up of sh and awk does not grow with N).
// N is calibrated first so that one run takes about WORK_MS of CPU (from bash's `times`, which
// other load on the machine hardly disturbs, unlike wall time): awk's start-up and its cost per
// iteration, measured with an empty and a long loop, also give the CPU change 1.1 × N makes.
// Prints per scenario the failed gates, the wall_time.med verdicts, the median estimate and the
// median half-width of its 95 % interval (the minimum detectable change), the per-pair noise (robust
// spread of ln(head/base) over a gate's pairs), the runs per side and the time per gate; then
// PASS/FAIL against the targets: A/A false fails at most 1 in 50, A/B caught (wall_time.med
// regressed) in at least 80 % of the gates; then both counted apart for quiet gates (per-pair noise
// under 2δ) and noisy ones. With the noise it prints how long the machine's tasks
// waited for a CPU (Linux PSI) and the runs per side each target would need at the noise seen: when
// the noise is large against δ, an A/A gate fails whenever the one-sided test does (α = 5 %), as its
// estimate then reaches δ too; only enough runs to make an estimate ≥ δ rare keep it under 2 %.
// Exits 1 when a target is missed or a gate could not run.
// Knobs: AA_RUNS (gates, default 50), AB_RUNS (20), RUNS (measured runs per side and gate, default
// 30, or "auto" for `runs: auto` with AUTO_MIN 10, AUTO_BATCH 10, AUTO_MAX 60), WARMUP (1), WORK_MS
// (30), AWK_N (skips the calibration), SLOWER (0.10: the head's extra work in A/B). About 4.5
// minutes with the defaults on a quiet 2-core machine, 8 when it is busy. Needs lib/, awk and bash.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/perfgate.js');
const AA_RUNS = Number(process.env.AA_RUNS ?? 50);
const AB_RUNS = Number(process.env.AB_RUNS ?? 20);
const RUNS = process.env.RUNS === 'auto' ? 'auto' : Number(process.env.RUNS ?? 30);
const AUTO = {
  min: Number(process.env.AUTO_MIN ?? 10),
  batch: Number(process.env.AUTO_BATCH ?? 10),
  max: Number(process.env.AUTO_MAX ?? 60)
};
const WARMUP = Number(process.env.WARMUP ?? 1);
const WORK_MS = Number(process.env.WORK_MS ?? 30);
const SLOWER = Number(process.env.SLOWER ?? 0.1);
const DELTA = 0.05;
/** The targets of the issue: A/A false fails at most 1 in 50, +10 % caught in at least 80 %. */
const MAX_FALSE_FAIL = 1 / 50;
const MIN_DETECTION = 0.8;
const GATE_LIMIT_MS = 5 * 60_000;
const METRIC = 'wall_time.med';

if (!existsSync(path.join(ROOT, 'lib/cli.js'))) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
if (spawnSync('bash', ['-c', "awk 'BEGIN{}'"]).status !== 0) {
  console.error('awk or bash is missing');
  process.exit(1);
}

const work = n => `awk 'BEGIN{for(i=0;i<${n};i++)s+=i}'`;
const model = costModel();
const n = process.env.AWK_N ? Number(process.env.AWK_N) : calibrate(model, WORK_MS);
const nSlow = Math.round(n * (1 + SLOWER));
const realised = { base: model.cpuMs(n), head: model.cpuMs(nSlow) };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-benchmark-accuracy-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const runsText =
  RUNS === 'auto' ? `runs: auto (min ${AUTO.min}, batch ${AUTO.batch}, max ${AUTO.max})` : `runs: ${RUNS}`;
console.log(
  `paired command gates: ${work(n)} (${realised.base.toFixed(1)} ms CPU per run), ${runsText} per side, ` +
    `warmup: ${WARMUP}, first pair discarded; ${METRIC} gated at δ = ${DELTA * 100} %`
);
console.log(
  `A/B head: N × ${1 + SLOWER} = ${nSlow} (${realised.head.toFixed(1)} ms CPU: ` +
    `${pct(realised.head / realised.base - 1, 1)}); load average at start ${loadavg()}`
);

const scenarios = [
  { name: 'A/A', gates: AA_RUNS, head: n },
  { name: `A/B +${SLOWER * 100} % work`, gates: AB_RUNS, head: nSlow }
];
const rows = [];
const started = Date.now();
const pressureAtStart = cpuPressure();
for (const s of scenarios) {
  const gates = [];
  for (let i = 0; i < s.gates; i++) {
    gates.push(await gate(s.head, `${s.name === 'A/A' ? 'aa' : 'ab'}-${i}`));
    const g = gates.at(-1);
    process.stderr.write(
      `${s.name} ${i + 1}/${s.gates}: ${g.verdict}` +
        (g.cmp
          ? `, ${METRIC} ${g.cmp.verdict} ${pct(g.cmp.estimate, 1)} ± ${pct(halfWidth(g.cmp), 1)}`
          : '') +
        `, ${g.runs} runs, pair noise ${pct(g.noise, 1)}, ${(g.ms / 1000).toFixed(1)} s\n`
    );
  }
  rows.push({ ...s, gates });
}

console.log('');
console.log(
  [
    'scenario',
    'gates',
    'fail',
    `${METRIC} regressed`,
    'improved',
    'unchanged',
    'inconclusive',
    'median estimate',
    'median half-width',
    'median pair noise',
    'median runs/side',
    'median gate s',
    'errors'
  ].join(' | ')
);
for (const r of rows) {
  const g = r.gates;
  const count = verdict => g.filter(x => x.cmp?.verdict === verdict).length;
  const share = k => `${k} (${pct(k / g.length)})`;
  console.log(
    [
      r.name,
      g.length,
      share(g.filter(x => x.verdict === 'fail').length),
      share(count('regressed')),
      count('improved'),
      count('unchanged'),
      count('inconclusive'),
      pct(median(g.map(x => x.cmp?.estimate ?? NaN)), 1),
      pct(median(g.map(x => (x.cmp ? halfWidth(x.cmp) : NaN))), 1),
      pct(median(g.map(x => x.noise)), 1),
      median(g.filter(x => x.verdict !== 'error').map(x => x.runs)),
      (median(g.map(x => x.ms)) / 1000).toFixed(1),
      g.filter(x => x.verdict === 'error').length
    ].join(' | ')
  );
}

const [aa, ab] = rows;
const aaFails = aa.gates.filter(x => x.verdict === 'fail').length;
const abCaught = ab.gates.filter(x => x.cmp?.verdict === 'regressed').length;
const errors = rows.flatMap(r => r.gates).filter(x => x.verdict === 'error').length;
const aaOk = aa.gates.length > 0 && aaFails / aa.gates.length <= MAX_FALSE_FAIL;
const abOk = ab.gates.length > 0 && abCaught / ab.gates.length >= MIN_DETECTION;
console.log('');
console.log(
  `A/A false-fail rate: ${aaFails}/${aa.gates.length} (${pct(aaFails / aa.gates.length, 1)}; target ≤ ` +
    `${pct(MAX_FALSE_FAIL)}) ${aaOk ? 'PASS' : 'FAIL'}`
);
console.log(
  `A/B detection rate (+${SLOWER * 100} % work, ${METRIC} regressed): ${abCaught}/${ab.gates.length} ` +
    `(${pct(abCaught / ab.gates.length, 1)}; target ≥ ${pct(MIN_DETECTION)}) ${abOk ? 'PASS' : 'FAIL'}`
);
console.log(
  `minimum detectable change of ${METRIC} (A/A interval half-width, median): ` +
    `${pct(median(aa.gates.map(x => (x.cmp ? halfWidth(x.cmp) : NaN))), 1)}`
);
console.log(
  `time per gate (median, all gates): ${(median(rows.flatMap(r => r.gates).map(x => x.ms)) / 1000).toFixed(1)} s; ` +
    `whole bench ${((Date.now() - started) / 1000).toFixed(0)} s; load average at end ${loadavg()}`
);
const noise = median(rows.flatMap(r => r.gates).map(x => x.noise));
/** Gates split at a per-pair noise of 2δ: where the gate is on firm ground and where not. */
const QUIET = 2 * DELTA;
const split = (gates, hit) =>
  [gates.filter(x => x.noise < QUIET), gates.filter(x => !(x.noise < QUIET))]
    .map(g => `${g.filter(hit).length}/${g.length}`)
    .join(' quiet, ');
console.log(
  `by per-pair noise (quiet: < ${pct(QUIET)}): A/A false fails ${split(aa.gates, x => x.verdict === 'fail')} ` +
    `noisy; A/B caught ${split(ab.gates, x => x.cmp?.verdict === 'regressed')} noisy`
);
const pressureAtEnd = cpuPressure();
const waited =
  pressureAtStart && pressureAtEnd
    ? (pressureAtEnd.waitUs - pressureAtStart.waitUs) / 1000 / (pressureAtEnd.at - pressureAtStart.at)
    : NaN;
console.log(
  `per-pair noise (1.4826 × MAD of ln(head/base), median over gates): ${pct(noise, 1)}; ` +
    `some task waited for a CPU ${pct(waited)} of the time (/proc/pressure/cpu)`
);
console.log(
  `runs per side this noise needs (Hodges–Lehmann efficiency 3/π): about ${Math.ceil(runsNeeded(noise, 2.054, Math.log(1 + DELTA)))} ` +
    `for A/A false fails ≤ 2 % (an estimate ≥ δ at most 2 % of the time: at noise, the one-sided α = 0.05 ` +
    `alone allows 5 %), about ${Math.ceil(runsNeeded(noise, 1.645 + 0.842, Math.log(1 + SLOWER)))} for 80 % ` +
    `detection of +${SLOWER * 100} %`
);
if (errors) console.log(`${errors} gate(s) could not run (see stderr)`);
process.exitCode = aaOk && abOk && errors === 0 ? 0 : 1;

/** One paired gate through the CLI: its verdict, the comparison of wall_time.med, runs per side, ms. */
async function gate(headN, id) {
  const dir = path.join(tmp, id);
  const file = path.join(tmp, `${id}.yml`);
  writeFileSync(
    file,
    [
      'version: 1',
      'benchmarks:',
      '  - name: work',
      `    command: ${JSON.stringify(work(headN))}`,
      `    base: { command: ${JSON.stringify(work(n))} }`,
      `    warmup: ${WARMUP}`,
      `    runs: ${RUNS}`,
      `statistics: { auto: { min: ${AUTO.min}, batch: ${AUTO.batch}, max: ${AUTO.max}, budget: 5m } }`,
      ''
    ].join('\n')
  );
  const t0 = Date.now();
  const { code, stderr } = await run([BIN, 'run', '-c', file, '--out', dir, '--force']);
  const ms = Date.now() - t0;
  const resultsFile = path.join(dir, 'results.json');
  if (!existsSync(resultsFile) || code === 2 || code === 3 || code === null) {
    process.stderr.write(`gate exited ${code}:\n${stderr.slice(-2000)}\n`);
    return { verdict: 'error', cmp: undefined, ms, runs: 0, noise: NaN };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const cmp = results.comparisons.find(c => c.metric === METRIC);
  const runs = results.benchmarks[0].runs;
  const measured = runs.filter(r => r.side === 'head' && !r.warmupDiscarded).length;
  return { verdict: results.verdict, cmp, ms, runs: measured, noise: pairNoise(runs) };
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

/**
 * CPU ms (user + sys) of one run of the work, from bash's `times` (getrusage of its children, ms
 * resolution): unlike wall time it hardly changes with other load on the machine.
 */
function cpuOnce(count) {
  const r = spawnSync('bash', ['-c', `${work(count)}; times`], { encoding: 'utf8' });
  const children = r.stdout?.trim().split('\n').at(-1) ?? '';
  const parts = [...children.matchAll(/(\d+)m([\d.]+)s/g)];
  if (r.status !== 0 || parts.length !== 2)
    throw new Error(`could not time ${work(count)}: ${r.stderr || children}`);
  return parts.reduce((sum, m) => sum + (60 * m[1] + Number(m[2])) * 1000, 0);
}

/**
 * The CPU cost of the work as start-up + per iteration × N (medians of 7 runs of an empty loop and
 * of a long one, 3 M iterations, so that `times`' ms resolution hardly matters).
 */
function costModel() {
  const probe = 3_000_000;
  const startUp = median(Array.from({ length: 7 }, () => cpuOnce(0)));
  const perIteration = (median(Array.from({ length: 7 }, () => cpuOnce(probe))) - startUp) / probe;
  return { cpuMs: count => startUp + perIteration * count, perIteration, startUp };
}

/** The loop count whose run takes about `targetMs` of CPU. */
function calibrate(model, targetMs) {
  return Math.max(1000, Math.round((targetMs - model.startUp) / model.perIteration));
}

/**
 * Robust spread (1.4826 × MAD) of d = ln(head / base) over a gate's measured pairs: the per-pair
 * noise the gate's statistics have to see through.
 */
function pairNoise(runs) {
  const sides = { base: new Map(), head: new Map() };
  for (const r of runs) if (!r.warmupDiscarded && sides[r.side]) sides[r.side].set(r.index, r.wallMs);
  const d = [...sides.base]
    .filter(([i]) => sides.head.has(i))
    .map(([i, b]) => Math.log(sides.head.get(i) / b));
  const m = median(d);
  return 1.4826 * median(d.map(x => Math.abs(x - m)));
}

/** Share of wall time in which some runnable task waited for a CPU (Linux PSI), since `from`. */
function cpuPressure() {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0];
    return { waitUs: Number(/total=(\d+)/.exec(line)[1]), at: performance.now() };
  } catch {
    return undefined;
  }
}

/**
 * Pairs after which a shift `effect` (log scale) lies `z` standard errors from zero, for per-pair
 * spread `sd` and the signed-rank statistics' efficiency against the mean on normal data (3/π):
 * (z · sd / effect)² / (3/π). z = 2.054 and effect = ln(1 + δ): an A/A estimate reaches δ in 2 % of
 * the gates; z = 1.645 + 0.842 and effect = ln(1 + SLOWER): significance at one-sided α = 0.05 in
 * 80 % of the A/B gates (the δ condition binds less for a shift of 2δ).
 */
function runsNeeded(sd, z, effect) {
  return (z * sd) ** 2 / effect ** 2 / (3 / Math.PI);
}

function halfWidth(cmp) {
  const [lo, hi] = cmp.interval ?? [];
  return Number.isFinite(lo) && Number.isFinite(hi) ? (hi - lo) / 2 : NaN;
}

function loadavg() {
  return os
    .loadavg()
    .map(x => x.toFixed(1))
    .join(' ');
}

function pct(x, digits = 0) {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

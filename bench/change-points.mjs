// Change point detection (SPEC §6, scheduled runs): src/stats/change-points.ts on synthetic histories.
//   noise only:  series of normal noise around a constant mean — every series with a change point is
//                a false alarm;
//   planted:     the same noise with a step of +5 %, +10 %, +20 % (and −10 %) at a random index in
//                [LENGTH/4, 3·LENGTH/4] — detected when a change point lies within ±2 of the step.
// Prints both rates per scenario, the change points per series, how many lay away from the step, and
// the time one 1000-point history takes. Knobs: RUNS (default 500), LENGTH (60), CV (0.03), SEED (1),
// WINDOW / MIN_MAGNITUDE / MAX_P / MIN_SEGMENT (the library's defaults). Needs lib/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIB = path.join(ROOT, 'lib/stats/change-points.js');
if (!existsSync(LIB)) {
  console.error('lib/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { changePoints } = await import(pathToFileURL(LIB).href);
// The project's seeded generator (mulberry32): the same numbers on every run.
const { seededRandom } = await import(pathToFileURL(path.join(ROOT, 'lib/stats/random.js')).href);

const RUNS = Number(process.env.RUNS ?? 500);
const LENGTH = Number(process.env.LENGTH ?? 60);
const CV = Number(process.env.CV ?? 0.03);
const SEED = Number(process.env.SEED ?? 1);
const options = Object.fromEntries(
  [
    ['window', process.env.WINDOW],
    ['minMagnitude', process.env.MIN_MAGNITUDE],
    ['maxPValue', process.env.MAX_P],
    ['minSegment', process.env.MIN_SEGMENT]
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, Number(v)])
);

console.log(
  `${RUNS} series of ${LENGTH} points per scenario, normal noise with CV ${pct(CV, 1)}, seed ${SEED}, ` +
    `options ${JSON.stringify(options)} (defaults: maxPValue 0.001, minMagnitude 0.05, window 30, minSegment 3)`
);
console.log('');
console.log(
  [
    'scenario',
    'series with a change point',
    'step found (±2)',
    'change points / series',
    'elsewhere / series'
  ].join(' | ')
);
const random = seededRandom(SEED);
for (const shift of [0, 0.05, 0.1, 0.2, -0.1]) {
  let any = 0;
  let found = 0;
  let total = 0;
  let elsewhere = 0;
  for (let r = 0; r < RUNS; r++) {
    const at = Math.floor(LENGTH / 4) + Math.floor(random() * (Math.floor(LENGTH / 2) + 1));
    const xs = Array.from(
      { length: LENGTH },
      (_, i) => (i >= at ? 100 * (1 + shift) : 100) * (1 + CV * gauss(random))
    );
    const points = changePoints(xs, options);
    if (points.length > 0) any++;
    if (shift !== 0 && points.some(p => Math.abs(p.index - at) <= 2)) found++;
    total += points.length;
    elsewhere += points.filter(p => shift === 0 || Math.abs(p.index - at) > 2).length;
  }
  console.log(
    [
      shift === 0 ? 'noise only' : `step ${shift > 0 ? '+' : ''}${pct(shift)}`,
      `${any}/${RUNS} (${pct(any / RUNS, 1)})`,
      shift === 0 ? '–' : `${found}/${RUNS} (${pct(found / RUNS, 1)})`,
      (total / RUNS).toFixed(3),
      (elsewhere / RUNS).toFixed(3)
    ].join(' | ')
  );
}

console.log('');
const levels = [100, 110, 99, 120, 128];
const long = Array.from({ length: 1000 }, (_, i) => levels[Math.floor(i / 200)] * (1 + CV * gauss(random)));
const times = [];
let found;
for (let k = 0; k < 20; k++) {
  const t0 = performance.now();
  found = changePoints(long, options);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  `1000 points with steps at 200, 400, 600, 800: found ${found.map(p => p.index).join(', ')}; ` +
    `median ${times[10].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms over 20 runs`
);

/** A standard normal draw (Box–Muller). */
function gauss(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pct(x, digits = 0) {
  return `${(x * 100).toFixed(digits)} %`;
}

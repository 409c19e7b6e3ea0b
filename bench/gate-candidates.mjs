// Candidate settings of the paired gate (issue 15, SPEC §5), judged on the same measurements: the
// gates bench/gate-accuracy.mjs ran with KEEP=DIR (each gate's whole results.json, trial histograms
// included), decided again as perfgate would decide them with other settings — nothing is measured
// here, so every candidate sees the very same trials and differences between candidates are the
// settings', not the machine's.
//
//   node bench/gate-candidates.mjs DIR [DIR …]
//
// Candidates (each against the defaults' δ: 5 % median and rate, 10 % p99, unless DELTA_P99 is set):
//   fixed N pairs       the first N measured pairs of every gate (N ≤ the pairs the gates ran), with
//                       statistics.tail hdr, harrell-davis and tail-mean (stats/tail-estimate.ts);
//   auto min/batch/max  trials: auto replayed look by look on the gate's pairs in the order measured
//                       (compare/sequential.ts AutoSampling: the same alpha spending and Holm family);
//   pooled N            p99 from the pooled histograms of each side with a pair (cluster) bootstrap
//                       interval (stats/pooled-bootstrap.ts) instead of the per-trial signed-rank
//                       test; decided with the gate's rule on that interval (regressed: the
//                       one-sided 1 − α/3 bound above 0 — Bonferroni over the three gated metrics,
//                       Holm's most conservative step — and the estimate ≥ δ; unchanged: the 1 − 2α
//                       interval inside ±δ). Median and rate as in `fixed N`;
//   N/2 pairs of 2 ×    the first N pairs merged two by two into N/2 pairs of trials twice as long
//                       (histograms merged exactly, rates over the summed time): fewer, longer
//                       trials for about the same time (a merged gate's real counterpart also runs
//                       its discarded first pair twice as long: one trial duration more per side);
//   N pairs, 95 %       the rule before (until issue 15): `unchanged` only when the two-sided 1 − α
//                       interval (95 %) lies inside ±δ — the equivalence test at α/2; the gate's
//                       rule since is the 1 − 2α interval (90 %: TOST at α, compare/verdicts.ts).
// A gate's time under a candidate is what it measured (its wall time) less the trials it did not
// need: 2 × trial duration per pair fewer, as the trials of a pair run back to back.
//
// Printed per condition: for each candidate, the gate's median time and pairs, the A/A false-fail
// rate of the gate (any gated metric regressed) with its one-sided upper 95 % Clopper–Pearson
// bound, and per gated metric: A/A unchanged share (conclusive), A/A false fails, median A/A
// interval half-width, and detection (regressed) at every level the gates ran, with the median
// measured change. Needs lib/ (`npm run build`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { clopperPearsonUpper, pct } from './lib/accuracy-stats.mjs';
import { median } from './lib/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = rel => import(path.join(ROOT, 'lib', rel));
const { compareProfiles, intervalLevel } = await lib('compare/verdicts.js');
const { AutoSampling, profileLooks } = await lib('compare/sequential.js');
const { pooledPercentileRatio } = await lib('stats/pooled-bootstrap.js');
const { decodeHistogram, encodeHistogram, histogramBuckets, mergeHistograms, summarizeLatency } =
  await lib('stats/histogram.js');

const ALPHA = 0.05;
const GATED = ['http_req_duration.med', 'http_req_duration.p(99)', 'http_reqs.rate'];
const P99 = 'http_req_duration.p(99)';
const DELTAS = {
  'http_req_duration.med': 0.05,
  [P99]: process.env.DELTA_P99 ? Number(process.env.DELTA_P99) : 0.1,
  'http_reqs.rate': 0.05
};
const TAILS = ['hdr', 'harrell-davis', 'tail-mean'];

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error(
    'usage: node bench/gate-candidates.mjs DIR [DIR …]  (directories written by gate-accuracy KEEP=DIR)'
  );
  process.exit(2);
}
const gates = dirs
  .flatMap(dir =>
    readdirSync(dir)
      .filter(f => f.endsWith('.json.gz'))
      .map(f => {
        const kept = JSON.parse(gunzipSync(readFileSync(path.join(dir, f))).toString('utf8'));
        return { file: path.join(dir, f), ...kept };
      })
  )
  .filter(g => g.results?.profiles?.[0]?.base && g.gate.verdict !== 'error');
if (gates.length === 0) {
  console.error(`no kept paired gates in ${dirs.join(', ')}`);
  process.exit(2);
}

/** Indices of the pairs measured in a gate (the discarded first pair is kept but never valid). */
function measuredPairs(profile) {
  const base = new Set(profile.base.trials.map(t => t.index));
  return [...new Set(profile.head.trials.map(t => t.index))].filter(i => base.has(i)).sort((a, b) => a - b);
}

/** Pairs measured and compared (the first, discarded pair is not counted). */
function pairsOf(profile) {
  return measuredPairs(profile).filter(i => i > 0).length;
}

/** The profile's trials cut to the first `n` measured pairs (and the discarded one before them). */
function firstPairs(profile, n) {
  const indices = new Set(measuredPairs(profile).slice(0, n + 1));
  const keep = side => ({ ...profile[side], trials: profile[side].trials.filter(t => indices.has(t.index)) });
  return { ...profile, head: keep('head'), base: keep('base') };
}

/**
 * The first `n` measured pairs with every `k` consecutive ones merged into one pair of trials `k`
 * times as long: each side's histograms merged exactly, its counts summed and its rate taken over
 * the summed time. On the same measurements it stands for `trials: n / k` of trials `k` times the
 * duration (the trials of a merged pair are not contiguous: a pair's order is A B or B A, so two
 * merged pairs ran A B B A). A merged trial is valid when all its parts are; the discarded first
 * pair stays as it was.
 */
function mergedPairs(profile, n, k) {
  const pairs = measuredPairs(profile).slice(0, n + 1);
  const [first, ...rest] = pairs;
  const groups = [];
  for (let i = 0; i + k <= rest.length; i += k) groups.push(rest.slice(i, i + k));
  const side = name => {
    const byIndex = new Map(profile[name].trials.map(t => [t.index, t]));
    const merged = groups.map((group, g) => {
      const parts = group.map(i => byIndex.get(i));
      const histogram = mergeHistograms(parts.map(t => t.metrics.histogram));
      const sum = key => parts.reduce((s, t) => s + t.metrics[key], 0);
      const ms = parts.reduce((s, t) => s + (t.measuredMs ?? t.durationMs), 0);
      return {
        ...parts[0],
        index: g + 1,
        valid: parts.every(t => t.valid),
        durationMs: ms,
        measuredMs: ms,
        requests: {},
        resources: undefined,
        metrics: {
          ...parts[0].metrics,
          requests: sum('requests'),
          responses: sum('responses'),
          failed: sum('failed'),
          bytesReceived: sum('bytesReceived'),
          throughput: (sum('requests') / ms) * 1000,
          latency: summarizeLatency(histogram),
          histogram: encodeHistogram(histogram)
        }
      };
    });
    return { ...profile[name], trials: [byIndex.get(first), ...merged] };
  };
  return { ...profile, head: side('head'), base: side('base') };
}

function profileConfig(profile, tail) {
  return { name: profile.name, compare: DELTAS, tail };
}

/** Verdicts by gated metric of `profile` decided at the gate's alpha. */
function fixed(profile, tail) {
  const comparisons = compareProfiles([{ config: profileConfig(profile, tail), result: profile }], {
    alpha: ALPHA
  });
  return { comparisons: comparisons.filter(c => c.gated), pairs: pairsOf(profile) };
}

/**
 * `fixed`, with `unchanged` decided as before issue 15: the 1 − α interval inside ±δ. Its ends are
 * those of the gate's own interval at alpha / 2; `regressed` and `improved` stay the gate's.
 */
function fixed95(profile, tail) {
  const { comparisons, pairs } = fixed(profile, tail);
  const wide = compareProfiles([{ config: profileConfig(profile, tail), result: profile }], {
    alpha: ALPHA / 2
  });
  return {
    comparisons: comparisons.map(c => {
      if (c.verdict === 'regressed' || c.verdict === 'improved') return c;
      const interval = wide.find(w => w.metric === c.metric).interval;
      const inside = interval[0] > -c.delta && interval[1] < c.delta;
      return { ...c, interval, verdict: inside ? 'unchanged' : 'inconclusive' };
    }),
    pairs
  };
}

/** `trials: auto` replayed on the gate's pairs in the order measured. */
function auto(profile, settings) {
  const sizes = [];
  const sampler = new AutoSampling(
    {
      get comparable() {
        return true;
      },
      compare: (alpha, familySize) => {
        const n = sampler.record.looks.length;
        const size = sizes[n];
        const cut = firstPairs(profile, size);
        return profileLooks({ config: profileConfig(profile, settings.tail), result: cut }).compare(
          alpha,
          familySize
        );
      }
    },
    { ...settings, budgetMs: Number.POSITIVE_INFINITY },
    ALPHA,
    GATED.length
  );
  for (let n = settings.min; n < settings.max; n += settings.batch) sizes.push(n);
  sizes.push(settings.max);
  while (!sampler.look());
  const pairs = sampler.record.looks.at(-1).trials;
  return { comparisons: sampler.comparisons().filter(c => c.gated), pairs };
}

/** p99 from pooled histograms with a pair bootstrap; median and rate as `fixed`. */
function pooled(profile) {
  const { comparisons, pairs } = fixed(profile, 'hdr');
  const byIndex = side => new Map(profile[side].trials.filter(t => t.valid).map(t => [t.index, t]));
  const head = byIndex('head');
  const base = byIndex('base');
  const histogramPairs = [...head.keys()]
    .filter(i => base.has(i))
    .map(i => ({
      head: histogramBuckets(decodeHistogram(head.get(i).metrics.histogram)),
      base: histogramBuckets(decodeHistogram(base.get(i).metrics.histogram))
    }));
  const delta = DELTAS[P99];
  const narrow = pooledPercentileRatio(histogramPairs, { p: 99, level: intervalLevel(ALPHA) });
  const wide = pooledPercentileRatio(histogramPairs, { p: 99, level: intervalLevel(ALPHA / GATED.length) });
  const estimate = narrow.ratio - 1;
  const interval = [narrow.interval[0] - 1, narrow.interval[1] - 1];
  const verdict =
    wide.interval[0] > 1 && estimate >= delta
      ? 'regressed'
      : wide.interval[1] < 1 && -estimate >= delta
        ? 'improved'
        : interval[0] > -delta && interval[1] < delta
          ? 'unchanged'
          : 'inconclusive';
  return {
    comparisons: comparisons.map(c => (c.metric === P99 ? { ...c, estimate, interval, verdict } : c)),
    pairs
  };
}

const maxPairs = Math.min(...gates.map(g => pairsOf(g.results.profiles[0])));
const trialMs = median(gates.map(g => g.results.profiles[0].head.trials[0].durationMs));
const candidates = [];
for (const n of [6, 8, 10, 12, 14, 16, 20].filter(n => n <= maxPairs)) {
  for (const tail of TAILS) {
    candidates.push({
      name: `${n} pairs, tail ${tail}`,
      pairs: n,
      decide: p => fixed(firstPairs(p, n), tail)
    });
  }
}
for (const n of [12, 16].filter(n => n <= maxPairs)) {
  for (const tail of ['hdr', 'harrell-davis']) {
    candidates.push({
      name: `${n / 2} pairs of 2 × the trial (the first ${n} merged by two), tail ${tail}`,
      pairs: n,
      decide: p => ({ ...fixed(mergedPairs(p, n, 2), tail), pairs: n })
    });
  }
}
for (const n of [8, 10, 16].filter(n => n <= maxPairs)) {
  candidates.push({
    name: `${n} pairs, tail harrell-davis, 95 % (before)`,
    pairs: n,
    decide: p => fixed95(firstPairs(p, n), 'harrell-davis')
  });
}
for (const n of [8, 10, 12, 16].filter(n => n <= maxPairs)) {
  candidates.push({
    name: `${n} pairs, p99 pooled + pair bootstrap`,
    pairs: n,
    decide: p => pooled(firstPairs(p, n))
  });
}
for (const settings of [
  { min: 6, batch: 2, max: 16 },
  { min: 6, batch: 4, max: 14 },
  { min: 8, batch: 2, max: 16 },
  { min: 8, batch: 4, max: 16 },
  { min: 10, batch: 2, max: 16 },
  { min: 10, batch: 5, max: 20 },
  { min: 10, batch: 5, max: 30 }
].filter(s => s.max <= maxPairs)) {
  for (const tail of ['hdr', 'harrell-davis']) {
    candidates.push({
      name: `auto ${settings.min}/${settings.batch}/${settings.max}, tail ${tail}`,
      decide: p => auto(p, { ...settings, tail })
    });
  }
}

const conditions = [...new Set(gates.map(g => g.gate.condition))];
const levels = [...new Set(gates.map(g => g.gate.level))].sort((a, b) => a - b);
const lines = [
  `# Gate candidates — ${gates.length} kept gates from ${dirs.join(', ')}; ${maxPairs} pairs of ${(trialMs / 1000).toFixed(1)} s each; alpha ${ALPHA}; δ ${GATED.map(k => `${k} ${pct(DELTAS[k])}`).join(', ')}`,
  ''
];
for (const condition of conditions) {
  const mine = gates.filter(g => g.gate.condition === condition);
  const count = level => mine.filter(g => g.gate.level === level).length;
  lines.push(
    `## ${condition}`,
    '',
    `${levels.map(l => `${l === 0 ? 'A/A' : `+${pct(l)}`}: ${count(l)} gates`).join(', ')}; commit ${mine[0].meta.commit}`,
    ''
  );
  const rows = candidates.map(c => evaluate(c, mine));
  lines.push(
    '| candidate | gate s (median) | pairs (median) | A/A gate false fails | upper 95 % | ' +
      GATED.map(k => `${short(k)} A/A unchanged`).join(' | ') +
      ' | ' +
      GATED.map(k => `${short(k)} A/A half-width`).join(' | ') +
      ' | ' +
      levels
        .filter(l => l > 0)
        .flatMap(l => GATED.map(k => `${short(k)} caught at +${pct(l)}`))
        .join(' | ') +
      ' |'
  );
  lines.push(`|${' --- |'.repeat(5 + 2 * GATED.length + GATED.length * levels.filter(l => l > 0).length)}`);
  for (const r of rows) lines.push(r);
  lines.push('');
}
console.log(lines.join('\n'));

function short(key) {
  return { 'http_req_duration.med': 'med', [P99]: 'p99', 'http_reqs.rate': 'rate' }[key];
}

function share(x, n) {
  return n === 0 ? '–' : `${x}/${n} (${pct(x / n)})`;
}

/** One table row: the candidate's verdicts on every gate of the condition. */
function evaluate(candidate, mine) {
  const decided = mine.map(g => {
    const { comparisons, pairs } = candidate.decide(g.results.profiles[0]);
    const ran = pairsOf(g.results.profiles[0]);
    return { gate: g.gate, comparisons, pairs, ms: g.gate.wallMs - (ran - pairs) * 2 * trialMs };
  });
  const aa = decided.filter(d => d.gate.level === 0);
  const of = (d, key) => d.comparisons.find(c => c.metric === key);
  const falseFails = aa.filter(d => d.comparisons.some(c => c.verdict === 'regressed')).length;
  const halfWidth = c => (c.interval[1] - c.interval[0]) / 2;
  const cells = [
    candidate.name,
    (median(decided.map(d => d.ms)) / 1000).toFixed(1),
    String(median(decided.map(d => d.pairs))),
    share(falseFails, aa.length),
    pct(clopperPearsonUpper(falseFails, aa.length), 1),
    ...GATED.map(k => share(aa.filter(d => of(d, k)?.verdict === 'unchanged').length, aa.length)),
    ...GATED.map(k => `±${pct(median(aa.map(d => halfWidth(of(d, k)))), 1)}`),
    ...levels
      .filter(l => l > 0)
      .flatMap(l =>
        GATED.map(k => {
          const at = decided.filter(d => d.gate.level === l);
          const caught = at.filter(d => of(d, k)?.verdict === 'regressed').length;
          return `${share(caught, at.length)} (${pct(median(at.map(d => of(d, k).estimate)), 1)})`;
        })
      )
  ];
  return `| ${cells.join(' | ')} |`;
}

// Summaries of repeated gates for bench/gate-accuracy.mjs: per condition and metric, the A/A
// false-fail rate with its exact upper bound, verdict shares, detection per injected change and the
// resolution; markdown tables. Pure functions over the records the bench writes to its JSON dump.
import { median, percentile } from './util.mjs';

const logFactorials = [0];
function logFactorial(n) {
  for (let k = logFactorials.length; k <= n; k++) logFactorials[k] = logFactorials[k - 1] + Math.log(k);
  return logFactorials[n];
}

/** P(X ≤ x) for X ~ Binomial(n, p), summed exactly in log space. */
export function binomialCdf(x, n, p) {
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let sum = 0;
  for (let k = 0; k <= x; k++) {
    const log = logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    sum += Math.exp(log);
  }
  return Math.min(1, sum);
}

/**
 * One-sided upper Clopper–Pearson bound of a proportion with `x` successes in `n` at `level`: the p
 * where P(X ≤ x) = 1 − level (equal to the beta quantile B(level; x + 1, n − x); x = 0 gives
 * 1 − (1 − level)^(1/n)). Solved by bisection to 1e-10; NaN when n = 0.
 */
export function clopperPearsonUpper(x, n, level = 0.95) {
  if (n === 0) return NaN;
  if (x >= n) return 1;
  let [lo, hi] = [x / n, 1];
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(x, n, mid) > 1 - level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Half the width of a comparison's interval (its precision, whatever δ is); NaN without one. */
export function halfWidth(c) {
  const [lo, hi] = c.interval ?? [];
  return Number.isFinite(lo) && Number.isFinite(hi) ? (hi - lo) / 2 : NaN;
}

/**
 * The resolution of a comparison: its own `resolution` (the smallest change it could have called,
 * never below δ) when it has one, else half its interval's width.
 */
export function resolutionOf(c) {
  return Number.isFinite(c.resolution) ? c.resolution : halfWidth(c);
}

/** `12 %`, `4.5 %`; `–` for a non-number. */
export function pct(x, digits = 0) {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

/** `k/n (share)`, or `–` when n = 0. */
function share(k, n) {
  return n === 0 ? '–' : `${k}/${n} (${pct(k / n)})`;
}

function seconds(ms) {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)}` : '–';
}

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(r => `| ${r.join(' | ')} |`)
  ].join('\n');
}

/** A gate's comparison of `metric`, when it ran. */
function comparison(gate, metric) {
  return gate.comparisons?.find(c => c.metric === metric);
}

/**
 * The markdown of one condition: gates per scenario (verdicts, errors, wall time, pairs), then per
 * gated metric the A/A false fails with their upper 95 % bound, the A/A verdict shares, detection at
 * the metric's δ and 2δ and the median A/A resolution, then every metric × scenario in detail.
 * `scenarios`: [{ name, level }] (level 0 for A/A); `metrics`: [{ key, delta }].
 */
export function conditionTables(gates, scenarios, metrics) {
  const of = s => gates.filter(g => g.scenario === s.name);
  const ran = gs => gs.filter(g => g.verdict !== 'error');
  const out = [];

  out.push(
    table(
      ['scenario', 'gates', 'errors', 'fail', 'inconclusive', 'pass', 'pairs (median)', 'wall s (median)', 'wall s (p90)'],
      scenarios.map(s => {
        const all = of(s);
        const ok = ran(all);
        const n = ok.length;
        const walls = ok.map(g => g.wallMs).sort((a, b) => a - b);
        return [
          s.name,
          all.length,
          all.length - n,
          share(ok.filter(g => g.verdict === 'fail').length, n),
          share(ok.filter(g => g.verdict === 'inconclusive').length, n),
          share(ok.filter(g => g.verdict === 'pass').length, n),
          median(ok.map(g => g.pairs)),
          seconds(median(walls)),
          seconds(percentile(walls, 90))
        ];
      })
    )
  );

  const aa = ran(gates.filter(g => g.level === 0));
  const at = level => {
    const s = scenarios.find(x => x.level > 0 && Math.abs(x.level - level) < 1e-9);
    return s && ran(of(s));
  };
  out.push('');
  out.push(
    table(
      [
        'metric',
        'δ',
        'A/A false fails',
        'upper 95 %',
        'A/A unchanged',
        'A/A inconclusive',
        'regressed at +δ',
        'regressed at +2δ',
        'half-width (A/A median)',
        'resolution (A/A median)'
      ],
      metrics.map(m => {
        const cs = aa.map(g => comparison(g, m.key)).filter(Boolean);
        const n = cs.length;
        const ff = cs.filter(c => c.verdict === 'regressed').length;
        const detect = level => {
          const gs = at(level);
          if (!gs) return 'not run';
          const xs = gs.map(g => comparison(g, m.key)).filter(Boolean);
          return share(xs.filter(c => c.verdict === 'regressed').length, xs.length);
        };
        return [
          m.key,
          pct(m.delta),
          share(ff, n),
          pct(clopperPearsonUpper(ff, n), 1),
          share(cs.filter(c => c.verdict === 'unchanged').length, n),
          share(cs.filter(c => c.verdict === 'inconclusive').length, n),
          detect(m.delta),
          detect(2 * m.delta),
          `±${pct(median(cs.map(halfWidth)), 1)}`,
          pct(median(cs.map(resolutionOf)), 1)
        ];
      })
    )
  );

  out.push('');
  out.push(
    table(
      [
        'metric',
        'scenario',
        'n',
        'regressed',
        'unchanged',
        'inconclusive',
        'improved',
        'change (median)',
        'half-width (median)',
        'resolution (median)'
      ],
      metrics.flatMap(m =>
        scenarios.map(s => {
          const cs = ran(of(s))
            .map(g => comparison(g, m.key))
            .filter(Boolean);
          const n = cs.length;
          const count = v => share(cs.filter(c => c.verdict === v).length, n);
          return [
            m.key,
            s.name,
            n,
            count('regressed'),
            count('unchanged'),
            count('inconclusive'),
            count('improved'),
            pct(median(cs.map(c => c.estimate)), 1),
            `±${pct(median(cs.map(halfWidth)), 1)}`,
            pct(median(cs.map(resolutionOf)), 1)
          ];
        })
      )
    )
  );

  const errors = gates.filter(g => g.verdict === 'error');
  if (errors.length > 0) {
    out.push('');
    out.push(`Errors (${errors.length}):`);
    for (const g of errors.slice(0, 10)) out.push(`- ${g.scenario} #${g.index}: ${g.error}`);
    if (errors.length > 10) out.push(`- … and ${errors.length - 10} more (see the JSON dump)`);
  }
  return out.join('\n');
}

/**
 * The whole markdown of a run (or of its JSON dump): per condition the bench's setup, the exact
 * perfgate.yml of every gate (ports aside), the tables of `conditionTables`, and what else ran
 * beside the gates (the hog's CPU, the whole machine's, the generator's own event-loop delay).
 */
export function report(meta, gates) {
  const out = [`# Gate accuracy — ${meta.startedAt}, commit ${meta.commit}, node ${meta.node}, ${meta.cpus} CPUs`, ''];
  const aa = meta.scenarios.find(s => s.level === 0)?.runs ?? 0;
  const ab = meta.scenarios.filter(s => s.level > 0);
  for (const condition of meta.conditions) {
    const mine = gates.filter(g => g.condition === condition);
    out.push(`## ${condition}${condition === 'hog' ? " (a `node -e 'for(;;){}'` busy loop beside each gate)" : ''}`, '');
    out.push(
      `Target ${meta.target === 'nginx' ? `two nginx, echo_sleep ${meta.delayMs} ms` : `examples/hello, DELAY_MS=${meta.delayMs}`}, ` +
        `the head's delay × (1 + level); ${aa} A/A gates${ab.length ? ` and ${ab[0].runs} at each of ${ab.map(s => s.name).join(', ')}` : ''}; ` +
        'the config of every gate:',
      ''
    );
    out.push('```yaml', meta.config.trimEnd(), '```', '');
    out.push(conditionTables(mine, meta.scenarios, meta.metrics), '');
    const med = f => median(mine.map(f));
    const beside = [
      Number.isFinite(med(g => g.hogCpu)) && `the hog ${pct(med(g => g.hogCpu))} of one core`,
      Number.isFinite(med(g => g.machineBusy)) && `the whole machine ${pct(med(g => g.machineBusy))} busy (all cores)`,
      Number.isFinite(med(g => g.generatorDelay?.p99)) &&
        `the generator's event-loop delay p99 ${med(g => g.generatorDelay?.p99).toFixed(2)} ms (head trials)`
    ].filter(Boolean);
    if (beside.length > 0) out.push(`During a gate (medians): ${beside.join('; ')}.`, '');
  }
  return out.join('\n');
}

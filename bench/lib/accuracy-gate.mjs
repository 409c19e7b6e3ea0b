// One gate of bench/gate-accuracy.mjs: the config it runs, its time limit, the CLI run, and what
// its results.json keeps for the dump.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './util.mjs';
// The defaults a user gets (the gates run with them unless a knob is set); lib/ is built by then.
import { AUTO_DEFAULTS, BUILT_IN_DEFAULTS } from '../../lib/config/resolve.js';

/**
 * The perfgate.yml of one gate. `setup`: { target: nginx | hello, delay (base ms), knobs (config
 * settings, each written only when set), metrics ([{ key, delta }]), root (the repository) }.
 */
export function configText(setup, { head, base, headDelay }) {
  const { target, delay, knobs, metrics, root } = setup;
  const lines = ['version: 1', 'service:'];
  if (target === 'nginx') {
    // The bench runs both nginx; paired mode needs a head command, so each side's is a placeholder
    // that lives as long as perfgate (tail --pid), never outliving a killed gate. The base gets one
    // too: perfgate samples the resources of a service it started during that side's trials, and a
    // sampler on one side only is load on one side only.
    const placeholder = 'exec tail --pid=$PPID -f /dev/null';
    lines.push(
      `  command: ${placeholder}`,
      `  ready: { tcp: "127.0.0.1:${head}" }`,
      '  base:',
      `    command: ${placeholder}`,
      `    ready: { tcp: "127.0.0.1:${base}" }`,
      `    target: "http://127.0.0.1:${base}"`
    );
  } else {
    const example = path.join(root, 'examples/hello');
    lines.push(
      '  command: node server.mjs',
      `  cwd: ${example}`,
      `  env: { PORT: "${head}", DELAY_MS: "${headDelay}" }`,
      `  ready: { url: "http://127.0.0.1:${head}/health" }`,
      '  base:',
      '    command: node server.mjs',
      `    cwd: ${example}`,
      `    env: { PORT: "${base}", DELAY_MS: "${delay}" }`,
      `    ready: { url: "http://127.0.0.1:${base}/health" }`,
      `    target: "http://127.0.0.1:${base}"`
    );
  }
  lines.push(`target: "http://127.0.0.1:${head}"`);
  const defaults = Object.entries({
    connections: knobs.connections,
    warmup: knobs.warmup,
    duration: knobs.duration,
    trials: knobs.trials
  }).filter(([, v]) => v !== undefined);
  if (defaults.length > 0) lines.push(`defaults: { ${defaults.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
  lines.push('profiles:', `  - name: ${target === 'nginx' ? 'sleep' : 'hello'}`);
  lines.push(`    requests: [{ path: ${target === 'nginx' ? '/sleep' : '/hello'} }]`);
  if (knobs.compare) {
    lines.push(`    compare: { ${metrics.map(m => `"${m.key}": ${m.delta}`).join(', ')} }`);
  }
  lines.push('report: { dir: report }');
  const auto = Object.entries(knobs.auto).filter(([, v]) => v !== undefined);
  const statistics = [
    ...(auto.length > 0 ? [`auto: { ${auto.map(([k, v]) => `${k}: ${v}`).join(', ')} }`] : []),
    ...(knobs.tail ? [`tail: ${knobs.tail}`] : [])
  ];
  if (statistics.length > 0) lines.push(`statistics: { ${statistics.join(', ')} }`);
  return lines.join('\n') + '\n';
}

/** Seconds of a duration as the config writes it (`2s`, `500ms`, `1m`); `fallback` when unset. */
function durationMs(text, fallback) {
  if (text === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) return fallback;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2]];
}

/**
 * How long a gate's trials take, ms, fewest to most: both sides' warmup and trials, plus the first
 * pair (measured, then discarded as warmup); with `trials: auto` from the first look to `max` (or
 * the budget). Start-up and the report add about 2–4 s on this machine.
 */
export function plannedMs(knobs) {
  const d = BUILT_IN_DEFAULTS;
  const trial = durationMs(knobs.duration, d.durationMs);
  const warmup = durationMs(knobs.warmup, d.warmupMs);
  const run = trials => 2 * (warmup + (trials + 1) * trial);
  if (knobs.trials !== 'auto') return { least: run(knobs.trials ?? d.trials), most: run(knobs.trials ?? d.trials) };
  const budget = durationMs(knobs.auto.budget, AUTO_DEFAULTS.budgetMs) + 2 * warmup;
  return {
    least: run(knobs.auto.min ?? AUTO_DEFAULTS.min),
    most: Math.min(run(knobs.auto.max ?? AUTO_DEFAULTS.max), budget)
  };
}

/** The longest a gate may take: 1.5 × its longest planned run + 60 s. */
export function gateLimitMs(knobs) {
  return 1.5 * plannedMs(knobs).most + 60_000;
}

/** What the dump keeps of a gate's results.json; a gate without results, or exit 3, is an error. */
export function readResults(file, code, stderr, timedOut) {
  // The line that says what went wrong (a crash's SyntaxError, perfgate's own message), else the end.
  const lines = stderr.trim().split('\n');
  const tail = lines.filter(l => /^\w*Error\b|^perfgate:|^error:/.test(l)).at(-1) ?? lines.slice(-3).join(' / ');
  if (!existsSync(file)) {
    return {
      verdict: 'error',
      error: `${timedOut ? 'timed out; ' : ''}exit ${code} without results: ${tail}`
    };
  }
  const results = JSON.parse(readFileSync(file, 'utf8'));
  if (code !== 0 && code !== 1) {
    const why = results.error?.message ?? tail;
    return { verdict: 'error', error: `${timedOut ? 'timed out; ' : ''}exit ${code}: ${why}` };
  }
  const profile = results.profiles?.[0];
  const trials = side => profile?.[side]?.trials ?? [];
  const delay = (side, q) => median(trials(side).map(t => t.generatorDelay?.[q]));
  return {
    verdict: results.verdict,
    // Valid pairs compared (the first pair is a discarded warmup, invalid trials drop out).
    pairs: Math.max(0, ...(results.comparisons ?? []).filter(c => c.gated).map(c => c.samples)),
    invalidTrials: [...trials('head'), ...trials('base')].filter(t => !t.valid).length,
    ...(profile?.auto && { auto: { stopped: profile.auto.stopped, looks: profile.auto.looks } }),
    generatorDelay: { p50: delay('head', 'p50'), p99: delay('head', 'p99'), baseP99: delay('base', 'p99') },
    comparisons: (results.comparisons ?? []).map(c => ({
      metric: c.metric,
      gated: c.gated,
      delta: c.delta,
      alpha: c.alpha,
      samples: c.samples,
      values: c.values,
      estimate: c.estimate,
      interval: c.interval,
      resolution: c.resolution,
      pValue: c.pValue,
      adjustedPValue: c.adjustedPValue,
      verdict: c.verdict,
      ...(c.moreTrials !== undefined && { moreTrials: c.moreTrials })
    }))
  };
}

/**
 * Runs `bin` (perfgate) `run -c file`, tracked in `processes`; SIGINT after `limitMs` (perfgate
 * stops its services) and SIGKILL 15 s later.
 */
export function runGate(bin, file, limitMs, processes) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', '-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    processes.add(child);
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-20_000)));
    let kill;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGINT');
      kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    }, limitMs);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(limit);
      clearTimeout(kill);
      processes.delete(child);
      resolve({ code, stderr, timedOut });
    });
  });
}


/** Synthetic imported results for the report's tests: imports and format benchmarks as the gate records them. */
import type {
  BenchmarkResult,
  BenchmarkRun,
  Comparison,
  ImportedBenchmarkRecord,
  Results,
  Series
} from '../../../src/model.js';
import { sampleResults } from '../../helpers/results.js';
import { run } from './benchmark-fixture.js';

/** Names a tool may write: spaces, slashes, unicode, HTML, table pipes, backticks. */
export const NAMES = {
  single: 'parse small',
  samples: 'BenchmarkParse/size=1 KiB-8',
  summary: '<script>alert(1)</script>',
  info: 'pipe | and `tick`',
  added: 'nouveau ünïcode ✓',
  removed: 'gone | old'
} as const;

export function importComparison(
  source: string,
  metric: string,
  test: Comparison['test'],
  verdict: Comparison['verdict'],
  estimate: number,
  values: { base: number; head: number },
  more: Partial<Comparison> = {}
): Comparison {
  return {
    profile: source,
    metric,
    better: 'lower',
    unit: 'ns',
    delta: 0.05,
    gated: true,
    alpha: 0.05,
    samples: test === 'single-value' ? 1 : 5,
    test,
    method: 'exact',
    values,
    estimate,
    interval: test === 'single-value' ? [estimate, estimate] : [estimate - 0.02, estimate + 0.02],
    pValue: test === 'single-value' ? NaN : 0.01,
    adjustedPValue: test === 'single-value' ? NaN : 0.02,
    verdict,
    // What verdicts.ts gives a test at δ 5 % whose spread is tighter than δ; none for single values.
    ...(test !== 'single-value' && { resolution: 0.05 }),
    ...more
  };
}

function series(
  source: string,
  key: string,
  unit: string,
  head: number[] | number,
  base: number[] | number
): Series {
  const side = (v: number[] | number) =>
    Array.isArray(v) ? v.map((value, index) => ({ index, value })) : [];
  const summary = (v: number[] | number) => (Array.isArray(v) ? undefined : { mean: v, stdev: 0, n: 1 });
  const s: Series = {
    source,
    key,
    unit,
    better: 'lower',
    base: 'stored',
    samples: { head: side(head), base: side(base) }
  };
  const h = summary(head);
  const b = summary(base);
  if (h || b) s.summaries = { ...(h && { head: h }), ...(b && { base: b }) };
  return s;
}

const record = (
  name: string,
  data: 'samples' | 'summary' | 'value',
  more = false
): ImportedBenchmarkRecord => ({
  name,
  metrics: [
    { name: 'time', unit: 'ns', better: 'lower', data },
    ...(more ? [{ name: 'memory', unit: 'B', better: 'lower' as const, data }] : [])
  ]
});

/**
 * A run of one import `suite/é` (generic-smaller, head.json against base.json): a single value
 * regressed by δ alone, samples unchanged by the rank test, a summary improved by Welch, an
 * informational regression, one benchmark added and one removed.
 */
export function importResults(): Results {
  const r = sampleResults({ verdict: 'fail' });
  const src = 'suite/é';
  r.profiles = [];
  r.thresholds = [];
  r.imports = [
    {
      name: src,
      format: 'generic-smaller',
      path: 'head.json',
      base: { format: 'generic-smaller', path: 'base.json' },
      benchmarks: [
        record(NAMES.single, 'value'),
        record(NAMES.samples, 'samples', true),
        record(NAMES.summary, 'summary'),
        record(NAMES.info, 'value'),
        record(NAMES.added, 'value')
      ],
      added: [NAMES.added],
      removed: [NAMES.removed]
    }
  ];
  r.series = [
    series(src, NAMES.single, 'ns', 10.8, 10),
    series(src, NAMES.samples, 'ns', [4100, 4200, 4150, 4180, 4120], [4110, 4190, 4140, 4170, 4130]),
    series(src, `${NAMES.samples} · memory`, 'B', [2048, 2048, 2048], [1024, 1024, 1024]),
    {
      ...series(src, NAMES.summary, 'ns', [], []),
      summaries: { head: { mean: 2.5e6, stdev: 1e5, n: 30 }, base: { mean: 3e6, stdev: 1e5, n: 30 } }
    },
    series(src, NAMES.info, 'ns', 50, 40),
    { ...series(src, NAMES.added, 'ns', 1, []), base: 'stored' }
  ];
  r.comparisons = [
    importComparison(
      src,
      NAMES.single,
      'single-value',
      'regressed',
      0.08,
      { base: 10, head: 10.8 },
      {
        reason: 'single values, no spread to test: decided by δ 5.0 % alone (no history to give a spread)'
      }
    ),
    importComparison(src, NAMES.samples, 'mann-whitney-u', 'unchanged', 0.002, { base: 4140, head: 4150 }),
    importComparison(
      src,
      `${NAMES.samples} · memory`,
      'mann-whitney-u',
      'regressed',
      1,
      {
        base: 1024,
        head: 2048
      },
      { gated: false, unit: 'B' }
    ),
    importComparison(
      src,
      NAMES.summary,
      'welch-t',
      'improved',
      -0.1667,
      { base: 3e6, head: 2.5e6 },
      { resolution: 0.12 }
    ),
    importComparison(
      src,
      NAMES.info,
      'single-value',
      'regressed',
      0.25,
      { base: 40, head: 50 },
      { gated: false }
    )
  ];
  return r;
}

/**
 * An import of `n` Go benchmarks (samples, against a stored baseline) of which the first `regressed`
 * regressed and the rest are unchanged, all gated.
 */
export function largeImportResults(n: number, regressed: number): Results {
  const r = sampleResults({ verdict: regressed > 0 ? 'fail' : 'pass' });
  r.profiles = [];
  r.thresholds = [];
  const names = Array.from({ length: n }, (_, i) => `pkg.BenchmarkCase/n=${i}-8`);
  r.imports = [
    {
      name: 'go',
      format: 'go',
      path: 'new.txt',
      benchmarks: names.map(x => record(x, 'samples')),
      added: [],
      removed: []
    }
  ];
  r.series = names.map(x => series('go', x, 'ns', [100, 101, 102], [100, 101, 102]));
  r.comparisons = names.map((x, i) =>
    i < regressed
      ? importComparison('go', x, 'mann-whitney-u', 'regressed', 0.2, { base: 100, head: 120 })
      : importComparison('go', x, 'mann-whitney-u', 'unchanged', 0, { base: 101, head: 101 })
  );
  return r;
}

/**
 * A paired command benchmark `gotest` with `format: go`: `tools` Go benchmarks, each run's value of
 * each in `values`, the first `regressed` of them regressed (head 20 % slower), the rest unchanged.
 */
export function formatBenchmarkResults(tools: number, regressed: number): Results {
  const r = sampleResults({ verdict: regressed > 0 ? 'fail' : 'pass' });
  r.profiles = [];
  r.thresholds = [];
  const names = Array.from({ length: tools }, (_, i) => `BenchmarkTool/${i} ✓`);
  const runs: BenchmarkRun[] = [];
  for (let i = 0; i < 4; i++) {
    for (const side of ['base', 'head'] as const) {
      const values = Object.fromEntries(
        names.map((x, j) => [x, (side === 'head' && j < regressed ? 1200 : 1000) + i])
      );
      runs.push({ ...run(side, i, 100 + i), values, ...(i === 0 && { warmupDiscarded: 'first pair' }) });
    }
  }
  const b: BenchmarkResult = {
    name: 'gotest',
    command: 'go test -bench . -count 1',
    base: { command: 'go test -bench . -count 1' },
    warmup: 0,
    runsPlanned: 3,
    imported: {
      format: 'go',
      from: 'stdout',
      benchmarks: names.map(x => record(x, 'value')),
      added: [],
      removed: []
    },
    runs
  };
  r.benchmarks = [b];
  r.comparisons = [
    {
      ...importComparison('gotest', 'wall_time.med', 'wilcoxon-signed-rank', 'unchanged', 0, {
        base: 102,
        head: 102
      }),
      unit: 'ms'
    },
    // Three counted pairs (runs 1–3; run 0 is the discarded first pair).
    ...names.map((x, j) =>
      j < regressed
        ? importComparison(
            'gotest',
            x,
            'wilcoxon-signed-rank',
            'regressed',
            0.2,
            { base: 1002, head: 1202 },
            { samples: 3 }
          )
        : importComparison(
            'gotest',
            x,
            'wilcoxon-signed-rank',
            'unchanged',
            0,
            { base: 1002, head: 1002 },
            { samples: 3 }
          )
    )
  ];
  return r;
}

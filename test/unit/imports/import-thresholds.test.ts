/**
 * What the imported tools judged themselves — k6's thresholds and checks, benchmarks a tool reports
 * as failed — read from the real fixtures through readImports, as the gate reads them.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImportConfig } from '../../../src/config/types.js';
import { IMPORTERS } from '../../../src/importers/index.js';
import { importThresholds } from '../../../src/imports/import-thresholds.js';
import { readImports } from '../../../src/imports/read-imports.js';
import type { Results } from '../../../src/model.js';
import { brokenThresholds, decideVerdict, gateFails } from '../../../src/verdict.js';

const FIXTURES = path.resolve('test/fixtures/imports');
/** The config sits beside the fixtures' folders: files are shown as `k6/handle-summary.json`. */
const CONFIG = path.join(FIXTURES, 'perfgate.yml');

function config(name: string, head: string, base?: string, format?: string): ImportConfig {
  return {
    name,
    ...(format && { format }),
    path: path.join(FIXTURES, head),
    pathWhere: 'perfgate.yml:3:11',
    ...(base && { base: { path: path.join(FIXTURES, base), where: 'perfgate.yml:4:11' } }),
    compare: [{ pattern: '*', delta: 0.05 }]
  };
}

const judged = (...configs: ImportConfig[]) => importThresholds(readImports(configs, IMPORTERS, CONFIG));

describe('k6 thresholds as threshold results', () => {
  const at = (metric: string, expression: string) =>
    `k6/handle-summary.json $.metrics${/^\w+$/.test(metric) ? `.${metric}` : `[${JSON.stringify(metric)}]`}.thresholds[${JSON.stringify(expression)}]`;
  const expected = (
    metric: string,
    expression: string,
    ok: boolean,
    observed: number | null,
    unit: string
  ) => ({
    profile: 'load',
    metric,
    expression,
    severity: 'fail',
    observed,
    unit,
    ok,
    where: at(metric, expression)
  });

  it('each threshold of the head is one, ok as k6 judged it, with the value its expression reads', () => {
    const { thresholds } = judged(config('load', 'k6/handle-summary.json'));
    expect(thresholds).toEqual([
      expected('checks', 'rate>0.999', false, 0.9973148148148148, 'ratio'),
      expected('http_req_duration', 'p(95)<500', true, 121.5042, 'ms'),
      expected('http_req_duration', 'p(99)<1000', true, null, 'ms'),
      expected('http_req_duration{scenario:checkout flow é}', 'p(95)<100', false, 150.33, 'ms'),
      expected('http_req_failed', 'rate<0.01', true, 0.004833333333333334, 'ratio'),
      expected('http_reqs', 'rate>100', true, 199.9699245233517, 'req/s'),
      expected('order_errors', 'count<10', false, 20, 'count')
    ]);
  });

  it("--summary-export's inverted booleans give the same outcomes", () => {
    const summary = judged(config('load', 'k6/summary-export.json')).thresholds;
    const handle = judged(config('load', 'k6/handle-summary.json')).thresholds;
    expect(summary.map(t => [t.metric, t.expression, t.ok, t.observed])).toEqual(
      handle.map(t => [t.metric, t.expression, t.ok, t.observed])
    );
    expect(summary[0]!.where).toBe('k6/summary-export.json $.metrics.checks.thresholds["rate>0.999"]');
  });

  it('fail the gate like perfgate’s own: three broken, verdict fail, the job failed', () => {
    const { thresholds } = judged(config('load', 'k6/handle-summary.json'));
    const results = { thresholds, comparisons: [] } as unknown as Results;
    expect(brokenThresholds(results)).toBe(3);
    expect(decideVerdict(results)).toBe('fail');
    expect(gateFails(results, 'threshold')).toBe(true);
    expect(gateFails(results, 'regression')).toBe(false);
  });

  it('only the head’s are gated: the base’s thresholds judged the base', () => {
    const { thresholds } = judged(config('load', 'k6/summary-export.json', 'k6/handle-summary.json'));
    expect(thresholds.every(t => t.where.startsWith('k6/summary-export.json '))).toBe(true);
    expect(thresholds).toHaveLength(7);
  });

  it('a summary whose thresholds all held passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'perfgate-k6-'));
    try {
      const file = path.join(dir, 'k6.json');
      writeFileSync(
        file,
        JSON.stringify({
          metrics: {
            http_req_duration: {
              type: 'trend',
              contains: 'time',
              values: { avg: 10, med: 9, 'p(95)': 20 },
              thresholds: { 'p(95)<50': { ok: true } }
            }
          }
        })
      );
      const c = { ...config('ok', 'x'), path: file };
      const { thresholds, notes } = importThresholds(readImports([c], IMPORTERS, path.join(dir, 'p.yml')));
      expect(thresholds).toEqual([
        {
          profile: 'ok',
          metric: 'http_req_duration',
          expression: 'p(95)<50',
          severity: 'fail',
          observed: 20,
          unit: 'ms',
          ok: true,
          where: 'k6.json $.metrics.http_req_duration.thresholds["p(95)<50"]'
        }
      ]);
      expect(notes).toEqual([]);
      expect(decideVerdict({ thresholds, comparisons: [] } as unknown as Results)).toBe('pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('k6 checks as notes', () => {
  it('one note per check that failed, with its group; a check that never failed is not named', () => {
    for (const file of ['k6/handle-summary.json', 'k6/summary-export.json']) {
      const { notes } = judged(config('load', file));
      expect([...notes].sort()).toEqual([
        'Import "load" (k6): check "order created" (group "::checkout flow") failed 20 of 1200 times (1.7 %).',
        'Import "load" (k6): check "status is 200" failed 9 of 4800 times (0.19 %).'
      ]);
    }
  });
});

describe('benchmarks the tool reports as failed', () => {
  it.each([
    [
      'BenchmarkDotNet',
      config('dotnet', 'benchmarkdotnet/full.json'),
      'Import "dotnet" (benchmarkdotnet): benchmark "Perfgate.Benchmarks.StringBenchmarks.Throws [.NET 6.0(Runtime=.NET 6.0)]" failed in BenchmarkDotNet\'s run: no result (Statistics null, no measurements); BenchmarkDotNet\'s log says why.'
    ],
    [
      'Google Benchmark',
      config('cpp', 'google-benchmark/error.json'),
      'Import "cpp" (google-benchmark): benchmark "BM_Fails" failed in Google Benchmark\'s run: could not open the input.'
    ],
    [
      'go test',
      config('go', 'go/failed.txt'),
      'Import "go" (go): benchmark "example.com/perfgate-fixtures/alpha.BenchmarkFail" failed in go test\'s run: alpha_test.go:53: failed on purpose.'
    ],
    [
      'cargo bench',
      config('rust', 'libtest/decimals-two-binaries.txt'),
      'Import "rust" (libtest): benchmark "bench_panics" failed in cargo bench\'s run: thread \'main\' panicked at benches/parse.rs:40:9: index out of bounds: the len is 3 but the index is 7.'
    ]
  ])('%s: a note naming it and why', (_tool, c, note) => {
    const { thresholds, notes } = judged(c);
    expect(notes).toEqual([note]);
    expect(thresholds).toEqual([]);
  });

  it('in the base too, and says a head benchmark that failed was not compared', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'perfgate-failed-'));
    try {
      copyFileSync(path.join(FIXTURES, 'google-benchmark/error.json'), path.join(dir, 'head.json'));
      const base = JSON.parse(readFileSync(path.join(FIXTURES, 'google-benchmark/error.json'), 'utf8')) as {
        benchmarks: Array<Record<string, unknown>>;
      };
      // The base: BM_Fails ran, BM_StringCreation failed.
      base.benchmarks[1] = { ...base.benchmarks[0], name: 'BM_Fails', run_name: 'BM_Fails' };
      base.benchmarks[0] = { ...base.benchmarks[0], error_occurred: true, error_message: 'out of memory.' };
      writeFileSync(path.join(dir, 'base.json'), JSON.stringify(base));
      const c: ImportConfig = {
        ...config('cpp', 'x'),
        path: path.join(dir, 'head.json'),
        base: { path: path.join(dir, 'base.json'), where: 'p.yml:4:11' }
      };
      const { notes } = importThresholds(readImports([c], IMPORTERS, path.join(dir, 'p.yml')));
      expect(notes).toEqual([
        'Import "cpp" (google-benchmark): benchmark "BM_Fails" failed in Google Benchmark\'s run: could not open the input (not compared).',
        'Import "cpp" (google-benchmark): benchmark "BM_StringCreation" failed in Google Benchmark\'s run of the base (base.json): out of memory.'
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats with nothing of the kind give nothing', () => {
    expect(judged(config('hf', 'hyperfine/several-commands.json'))).toEqual({ thresholds: [], notes: [] });
  });
});

/**
 * An imported single value against a stored baseline with history, through the real CLI: runs
 * saved one after another with `--save-baseline` keep each import's values in the baseline's
 * history, and a later run is judged by δ and the spread of those runs — a clearly worse value
 * regresses, a value within them does not — with the comparison saying which decided, and a trend.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { tempConfig } from '../helpers/example-config.js';
import { runGate } from '../helpers/run-gate.js';

const gate = (file: string, ...args: string[]) => runGate(file, args);

/** A generic-smaller list with one value per benchmark, in ms. */
const generic = (values: Record<string, number>) =>
  JSON.stringify(Object.entries(values).map(([name, value]) => ({ name, unit: 'ms', value })));

beforeAll(buildLib, 120_000);

it('single values are judged by the spread of the stored runs, and the report says so', async () => {
  const { dir, file } = tempConfig('perfgate-imp-hist-', [
    'version: 1',
    'imports:',
    '  - name: suite',
    '    format: generic-smaller',
    '    path: head.json',
    "    compare: { '*': 5% }",
    'report: { dir: report }'
  ]);
  const head = path.join(dir, 'head.json');
  const stored = path.join(dir, 'baseline.json');
  // "parse" varies by about ±5 % run to run, "lex" hardly at all.
  const parse = [100, 108, 95, 104, 100];
  const lex = [50, 50.5, 49.5, 50.2, 50];
  for (let i = 0; i < parse.length; i++) {
    writeFileSync(head, generic({ parse: parse[i]!, lex: lex[i]! }));
    const saved = await gate(file, '--save-baseline', stored);
    expect(saved.output).toMatch(/^exit 0/);
  }
  const baseline = JSON.parse(readFileSync(stored, 'utf8')) as Results;
  expect(baseline.history!.map(h => h.imports?.suite)).toEqual(
    [0, 1, 2, 3].map(i => ({
      format: 'generic-smaller',
      values: { parse: parse[i]! * 1e6, lex: lex[i]! * 1e6 }
    }))
  );

  // Clearly worse: +60 %, beyond δ and the runs' spread (±11.9 % over 5 runs).
  writeFileSync(head, generic({ parse: 160, lex: 50.3 }));
  const worse = await gate(file, '--baseline', stored);
  expect(worse.output).toMatch(/^exit 1/);
  const by = (r: Results, key: string) => r.comparisons.find(c => c.profile === 'suite' && c.metric === key)!;
  expect(by(worse.results!, 'parse')).toMatchObject({
    test: 'single-value',
    gated: true,
    verdict: 'regressed',
    history: { runs: 5 },
    reason:
      "single values, no spread to test: decided by δ 5.0 % and the stored runs' spread (±11.9 % over 5 runs)"
  });
  expect(by(worse.results!, 'lex')).toMatchObject({ verdict: 'unchanged', history: { runs: 5 } });
  expect(worse.stdout).toContain('perfgate: gate failed (1 regression');
  // The reports say what decided it.
  const summary = readFileSync(path.join(dir, 'report/summary.md'), 'utf8');
  expect(summary).toMatch(/`parse` .* ❌ regressed .*δ and the stored runs' spread/);
  // And the trend of each gated benchmark: the stored runs and this one.
  const trend = worse.results!.trends!.find(t => t.profile === 'suite' && t.metric === 'parse')!;
  expect(trend.points.map(p => p.value / 1e6)).toEqual([...parse, 160]);

  // Within δ and the spread: unchanged.
  writeFileSync(head, generic({ parse: 103, lex: 50.3 }));
  const within = await gate(file, '--baseline', stored);
  expect(within.output).toMatch(/^exit 0/);
  expect(by(within.results!, 'parse')).toMatchObject({ verdict: 'unchanged', history: { runs: 5 } });

  // +8 %: beyond δ, but the stored runs vary by as much: not a regression (δ alone would call it one).
  writeFileSync(head, generic({ parse: 108, lex: 50 }));
  const noisy = await gate(file, '--baseline', stored);
  expect(noisy.output).toMatch(/^exit 0/);
  expect(by(noisy.results!, 'parse')).toMatchObject({ verdict: 'inconclusive', history: { runs: 5 } });
  expect(noisy.results!.verdict).toBe('inconclusive');
}, 120_000);

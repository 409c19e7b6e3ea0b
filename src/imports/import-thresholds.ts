/**
 * What the tools behind the imported files decided themselves, brought into the gate (SPEC §4):
 *
 * - **Thresholds** (k6): each threshold of the head's file is a threshold result of the import,
 *   severity `fail`, `ok` as the tool judged it — a threshold k6 failed fails perfgate's gate as
 *   perfgate's own do (verdict.ts). The base's thresholds judge the base's run, not this change, and
 *   are not gated.
 * - **Checks** (k6): a note per check that failed at least once. Not threshold results: k6 itself
 *   never fails a run on checks (only thresholds decide its exit code, and a check's pass rate is
 *   gated the k6 way, with a threshold on `checks` — which then arrives here as one); a check's
 *   rate is also a series (`checks{check:NAME}`) compared with the base's.
 * - **Failed benchmarks** (`ImportedBenchmark.failed`): a note per benchmark the tool reports as
 *   failed, in the head or the base, rather than one that silently has no numbers.
 */
import type { ImportedFile } from '../importers/types.js';
import type { ThresholdResult } from '../model.js';
import type { ReadImport } from './read-imports.js';

/** The tools as their users call them, for notes; the format's name otherwise. */
const TOOL: Readonly<Record<string, string>> = {
  benchmarkdotnet: 'BenchmarkDotNet',
  catch2: 'Catch2',
  go: 'go test',
  'google-benchmark': 'Google Benchmark',
  libtest: 'cargo bench',
  k6: 'k6'
};

export interface ImportJudgements {
  thresholds: ThresholdResult[];
  notes: string[];
}

/** The thresholds, failed checks and failed benchmarks of every import (see the file's comment). */
export function importThresholds(imports: readonly ReadImport[]): ImportJudgements {
  const out: ImportJudgements = { thresholds: [], notes: [] };
  for (const r of imports) {
    const one = fileJudgements(r.config.name, r.paths, r.head, r.base);
    out.thresholds.push(...one.thresholds);
    out.notes.push(...one.notes);
  }
  return out;
}

/**
 * The same for one import named `name`: its head's file (shown as `paths.head`) and optionally its
 * base's. Also what `perfgate compare` needs for two outputs of one tool.
 */
export function fileJudgements(
  name: string,
  paths: { head: string; base?: string },
  head: ImportedFile,
  base?: ImportedFile
): ImportJudgements {
  const label = `Import "${name}" (${head.format})`;
  const thresholds = (head.thresholds ?? []).map((t): ThresholdResult => ({
    profile: name,
    metric: t.metric,
    expression: t.expression,
    severity: 'fail',
    observed: t.observed,
    unit: t.unit,
    ok: t.ok,
    where: `${paths.head} ${t.where}`
  }));
  const notes: string[] = [];
  for (const c of head.checks ?? []) {
    if (c.fails === 0) continue;
    const total = c.passes + c.fails;
    const group = c.group ? ` (group "${c.group}")` : '';
    notes.push(
      `${label}: check "${c.name}"${group} failed ${c.fails} of ${total} times (${percent(c.fails / total)}).`
    );
  }
  const tool = TOOL[head.format] ?? head.format;
  for (const b of head.benchmarks) {
    if (b.failed === undefined) continue;
    const other = base?.benchmarks.find(x => x.name === b.name);
    const uncompared = b.metrics.length === 0 && other && other.metrics.length > 0 ? ' (not compared)' : '';
    notes.push(
      `${label}: benchmark "${b.name}" failed in ${tool}'s run: ${sentence(b.failed)}${uncompared}.`
    );
  }
  for (const b of base?.benchmarks ?? []) {
    if (b.failed === undefined) continue;
    const where = paths.base === undefined ? 'the base' : `the base (${paths.base})`;
    notes.push(`${label}: benchmark "${b.name}" failed in ${tool}'s run of ${where}: ${sentence(b.failed)}.`);
  }
  return { thresholds, notes };
}

/** A tool's message without its own full stop, to end the note's sentence. */
function sentence(message: string): string {
  return message.trim().replace(/\.+$/, '');
}

/** `0.19 %`, `25 %`: two significant digits below 10 %. */
function percent(ratio: number): string {
  const p = ratio * 100;
  return `${p >= 10 ? Math.round(p) : Number(p.toPrecision(2))} %`;
}

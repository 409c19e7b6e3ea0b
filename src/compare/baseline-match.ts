/**
 * Matches the profiles of this run with a stored baseline's and says what makes them less
 * comparable: another environment or config (flagged, still compared), or a profile whose load
 * settings differ (not compared — the numbers would measure the settings, not the code).
 */
import type { ProfileResult, Results, Series, TrialResult } from '../model.js';
import type { StoredImport } from '../imports/import-sources.js';
import { benchmarkHistory, importHistory, profileHistory } from '../baseline/history.js';

export interface BaselineMatch {
  /** Baseline trials per profile name, for the profiles that can be compared. */
  trials: Map<string, TrialResult[]>;
  /** The baseline's series per profile name (schema 2; empty for a baseline of schema 1). */
  series: Map<string, Series[]>;
  /** Per profile, the values of the baseline's earlier runs with the same load settings. */
  history: Map<string, Array<Record<string, number>>>;
  /**
   * Per benchmark that ran the same command in the baseline: the baseline's series, and the values
   * of its earlier runs of that command.
   */
  benchmarks: Map<string, StoredBenchmark>;
  /**
   * Per import the baseline has: its format, its series, the benchmarks it held, and the values of
   * its earlier runs that read the same format.
   */
  imports: Map<string, StoredImport>;
  notes: string[];
}

/** A benchmark's side in a stored baseline that ran the same command. */
export interface StoredBenchmark {
  series: Series[];
  /** The values of the baseline's earlier runs of that command. */
  history: Array<Record<string, number>>;
  /** With `format:`: the tool's benchmarks the baseline's runs reported. */
  imported?: string[];
}

export function matchBaseline(run: Results, baseline: Results, label: string): BaselineMatch {
  const sha = baseline.git.sha ? ` at ${baseline.git.sha.slice(0, 7)}` : '';
  const event = baseline.git.event ? `, ${baseline.git.event}` : '';
  const notes = [`Compared with the baseline ${label} (measured ${baseline.createdAt}${sha}${event}).`];
  const env = (r: Results) => r.environment;
  const diffs = (['cpuModel', 'cores', 'os', 'arch', 'node'] as const).filter(
    k => env(run)[k] !== env(baseline)[k]
  );
  const placed = (r: Results) => {
    const cpus = env(r).cpus;
    return cpus ? `service ${cpus.service}, generator ${cpus.generator}` : 'shared';
  };
  const what = [
    ...diffs.map(k => `${k} ${String(env(baseline)[k])} → ${String(env(run)[k])}`),
    ...(placed(run) === placed(baseline) ? [] : [`CPUs ${placed(baseline)} → ${placed(run)}`])
  ].join(', ');
  if (what) {
    notes.push(
      `The baseline ${label} was measured in a different environment (${what}): differences may come from the machine.`
    );
  }
  if (baseline.configHash !== run.configHash) {
    notes.push(
      `The baseline ${label} was measured with a different config (hash ${baseline.configHash.slice(0, 12)}).`
    );
  }
  const trials = new Map<string, TrialResult[]>();
  const series = new Map<string, Series[]>();
  const history = new Map<string, Array<Record<string, number>>>();
  // Sources with a base side of their own are compared with it, never with a stored baseline.
  for (const profile of run.profiles.filter(p => !p.base)) {
    const base = baseline.profiles.find(p => p.name === profile.name);
    if (!base) {
      notes.push(`Profile "${profile.name}" is not in the baseline ${label}: not compared.`);
      continue;
    }
    const mismatch = settingsMismatch(base, profile);
    if (mismatch) {
      notes.push(`Profile "${profile.name}" differs from the baseline ${label} (${mismatch}): not compared.`);
      continue;
    }
    trials.set(profile.name, base.head.trials);
    series.set(
      profile.name,
      (baseline.series ?? []).filter(s => s.source === profile.name)
    );
    history.set(
      profile.name,
      profileHistory(baseline.history, profile).map(h => h.values)
    );
  }
  const benchmarks = new Map<string, StoredBenchmark>();
  for (const b of (run.benchmarks ?? []).filter(r => !r.base)) {
    const base = baseline.benchmarks?.find(s => s.name === b.name);
    const stored = (baseline.series ?? []).filter(s => s.source === b.name);
    if (!base || stored.length === 0) {
      notes.push(`Benchmark "${b.name}" is not in the baseline ${label}: not compared.`);
    } else if (base.command !== b.command) {
      notes.push(
        `Benchmark "${b.name}" ran another command in the baseline ${label} (${base.command}): not compared.`
      );
    } else {
      benchmarks.set(b.name, {
        series: stored,
        history: benchmarkHistory(baseline.history, b).map(h => h.values),
        ...(base.imported && { imported: base.imported.benchmarks.map(x => x.name) })
      });
    }
  }
  const imports = new Map<string, StoredImport>();
  for (const i of baseline.imports ?? []) {
    imports.set(i.name, {
      format: i.format,
      series: (baseline.series ?? []).filter(s => s.source === i.name),
      benchmarks: i.benchmarks.map(b => b.name),
      history: importHistory(baseline.history, i).map(h => h.values)
    });
  }
  return { trials, series, history, benchmarks, imports, notes };
}

function settingsMismatch(base: ProfileResult, head: ProfileResult): string | undefined {
  const fields = ['shape', 'model', 'connections', 'rate', 'durationMs'] as const;
  const diff = fields
    .filter(f => base[f] !== head[f])
    .map(f => `${f} ${base[f]} in the baseline, ${head[f]} now`);
  return diff.length > 0 ? diff.join('; ') : undefined;
}

/**
 * The config hash stored with every result, so results of different configs are never compared
 * blindly. It covers what shapes a measurement, not where it is written down: the file's own path
 * and the positions of thresholds are left out, other paths are taken relative to the config's
 * directory (a checkout elsewhere is the same config), and substituted secrets count by their
 * variable name (rotating a token is not a new config).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Substitution } from './env-substitution.js';
import type { UnhashedConfig } from './resolve.js';
import type { BenchmarkSide } from './types.js';

/** SHA-256 (hex) of the canonical JSON of the config's hashed view. */
export function configHash(config: UnhashedConfig, secrets: readonly Substitution[]): string {
  const dir = path.dirname(config.file);
  const relative = (p: string) => path.relative(dir, p).split(path.sep).join('/') || '.';
  // No `benchmarks` or `imports` key without them: configs from before them keep their hash.
  // `findings` judges results and shapes no measurement: out of the hash.
  const { file: _file, benchmarks: _benchmarks, imports: _imports, findings: _findings, ...rest } = config;
  const side = ({ cwdWhere: _where, ...s }: BenchmarkSide) => ({ ...s, cwd: relative(s.cwd) });
  const view = {
    ...rest,
    ...(config.service && { service: { ...config.service, cwd: relative(config.service.cwd) } }),
    profiles: config.profiles.map(p => ({
      ...p,
      thresholds: p.thresholds.map(({ where: _where, ...t }) => t)
    })),
    ...(config.imports.length > 0 && {
      imports: config.imports.map(({ pathWhere: _p, base, ...i }) => ({
        ...i,
        path: relative(i.path),
        ...(base && { base: relative(base.path) })
      }))
    }),
    ...(config.benchmarks.length > 0 && {
      benchmarks: config.benchmarks.map(b => ({
        ...b,
        head: side(b.head),
        ...(b.base && { base: side(b.base) }),
        thresholds: b.thresholds.map(({ where: _where, ...t }) => t)
      }))
    }),
    ...(config.baseline?.store === 'file' && {
      baseline: { ...config.baseline, path: relative(config.baseline.path) }
    }),
    report: { ...config.report, dir: relative(config.report.dir) }
  };
  // Longest first, so a secret that contains another is replaced whole.
  const bySize = [...secrets].sort((a, b) => b.value.length - a.value.length);
  const unsecret = (text: string) => bySize.reduce((t, s) => t.split(s.value).join(`\${${s.name}}`), text);
  return createHash('sha256').update(canonicalJson(view, unsecret)).digest('hex');
}

/** JSON with object keys sorted at every level and undefined left out; strings go through `mapString`. */
export function canonicalJson(value: unknown, mapString: (s: string) => string = s => s): string {
  const canonical = (v: unknown): unknown => {
    if (typeof v === 'string') return mapString(v);
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter(k => (v as Record<string, unknown>)[k] !== undefined)
          .map(k => [k, canonical((v as Record<string, unknown>)[k])])
      );
    }
    return v;
  };
  return JSON.stringify(canonical(value));
}

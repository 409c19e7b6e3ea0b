/**
 * Argument checks shared by the statistics functions. They throw `RangeError`s that name the
 * function and what it needs, so that a bad measurement fails loudly instead of producing a NaN
 * p-value that would silently pass or fail a gate.
 */
import type { Alternative } from './types.js';

const ALTERNATIVES: readonly string[] = ['two-sided', 'less', 'greater'];

/** Throws unless `xs` has at least `min` values, all finite (no NaN, no ±Infinity). */
export function checkSample(fn: string, name: string, xs: readonly number[], min = 1): void {
  if (xs.length < min) {
    throw new RangeError(
      `${fn}: ${name} needs at least ${min} value${min === 1 ? '' : 's'}, got ${xs.length}`
    );
  }
  xs.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${fn}: ${name}[${i}] is ${String(v)}; only finite numbers are allowed`);
    }
  });
}

/** Throws unless `alternative` is one of SciPy's three names (callers may be untyped JavaScript). */
export function checkAlternative(fn: string, alternative: Alternative): void {
  if (!ALTERNATIVES.includes(alternative)) {
    throw new RangeError(
      `${fn}: alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`
    );
  }
}

/** Throws unless `min` ≤ `level` < 1 (or `min` < `level` < 1 when `inclusive` is false). */
export function checkLevel(fn: string, level: number, min: number, inclusive = true): void {
  const ok = (inclusive ? level >= min : level > min) && level < 1;
  if (!ok) {
    throw new RangeError(`${fn}: level must be in ${inclusive ? '[' : '('}${min}, 1), got ${String(level)}`);
  }
}

/** Throws unless every p-value is a number in [0, 1]. */
export function checkProbabilities(fn: string, p: readonly number[]): void {
  p.forEach((v, i) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new RangeError(`${fn}: p[${i}] is ${String(v)}; p-values must be in [0, 1]`);
    }
  });
}

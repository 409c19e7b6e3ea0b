/**
 * The one result model's unit of comparison (SPEC §4): a **series** is one metric of one source —
 * an HTTP profile today, a command benchmark or an imported file next — with its direction and,
 * per side, its samples: one value per trial or run, each with the index it was measured at so
 * that the sides of a paired run line up. Statistics, verdicts and history take series and never
 * ask where they came from; each source has one adapter that makes them (series/http-profile.ts).
 */

export type { Sample, Series } from '../model.js';
import type { Sample, Series } from '../model.js';

/** The values of one side, in the order they were measured. */
export function values(samples: readonly Sample[]): number[] {
  return samples.map(s => s.value);
}

/** The pairs of a paired series (both sides measured at an index), and their log ratios ln(head / base). */
export function pairs(series: Series): { head: number[]; base: number[]; d: number[] } {
  const base = new Map(series.samples.base.map(s => [s.index, s.value]));
  const out = { head: [] as number[], base: [] as number[], d: [] as number[] };
  for (const h of series.samples.head) {
    const b = base.get(h.index);
    if (b === undefined) continue;
    out.head.push(h.value);
    out.base.push(b);
    out.d.push(Math.log(h.value / b));
  }
  return out;
}

/** A value a comparison can use: finite and positive (comparisons work on logarithms). */
export function comparable(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && value > 0;
}

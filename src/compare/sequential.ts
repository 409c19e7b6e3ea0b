/**
 * `trials: auto` (SPEC §5): the verdicts are looked at after `min` trials per side, and again after
 * every batch, until each gated comparison is conclusive, `max` trials are reached or the time
 * budget would be overrun. Looking again must not inflate false fails, so alpha is split across the
 * looks in advance: look k tests at αₖ = α(tₖ) − α(tₖ₋₁), with tₖ = nₖ / max the planned share of
 * the trials and α(t) = α · ln(1 + (e − 1) · t), the Pocock-type spending function of Lan & DeMets
 * (1983, Biometrika 70, "Discrete sequential boundaries for clinical trials"). The αₖ sum to α, so
 * by the union bound the chance of a false `regressed` at any look is at most α (tachometer's
 * auto-sampling stops on the interval alone, without this correction). Within a look, Holm runs over
 * the whole gate's gated metrics as if the other profiles' were not significant, an upper bound of
 * their final adjustment (stats/adjust.ts): a verdict reached at a look stands in the final one.
 */
import type { AutoTrials } from '../config/types.js';
import type { AutoRecord, Comparison } from '../model.js';
import { compareProfiles, compareSeries, type ProfileToCompare, type SeriesGroup } from './verdicts.js';

/** Planned trials per side at each look: min, min + batch, …, max. */
export function lookSizes(auto: Pick<AutoTrials, 'min' | 'batch' | 'max'>): number[] {
  const sizes: number[] = [];
  for (let n = auto.min; n < auto.max; n += auto.batch) sizes.push(n);
  sizes.push(auto.max);
  return sizes;
}

/** Pocock-type alpha spending, α · ln(1 + (e − 1) · t) for the share t ∈ [0, 1] of the trials. */
export function pocockSpending(alpha: number, t: number): number {
  return alpha * Math.log(1 + (Math.E - 1) * Math.min(1, Math.max(0, t)));
}

/** The level of each look: the increments of the spending function; they sum to alpha. */
export function lookAlphas(alpha: number, sizes: number[]): number[] {
  const max = sizes[sizes.length - 1]!;
  return sizes.map(
    (n, k) => pocockSpending(alpha, n / max) - (k > 0 ? pocockSpending(alpha, sizes[k - 1]! / max) : 0)
  );
}

export interface Look {
  /** Trials per side measured at this look. */
  trials: number;
  /** The level of this look. */
  alpha: number;
  /** Every comparison at this look, gated and informational. */
  comparisons: Comparison[];
  /** The gated ones. */
  gated: Comparison[];
  /** Every gated comparison is regressed, improved or unchanged. */
  conclusive: boolean;
}

/** What a look compares: one source (a profile, a benchmark), whatever it is. */
export interface LookTarget {
  /** Whether there is a base side or a stored baseline to compare with. */
  readonly comparable: boolean;
  /** The source's comparisons at level `alpha`, with Holm over `familySize` gated metrics. */
  compare(alpha: number, familySize: number): Comparison[];
}

/** A profile's looks (with the rule on errors appearing). */
export function profileLooks(profile: Omit<ProfileToCompare, 'alpha'>): LookTarget {
  return {
    comparable: profile.result.base !== undefined || profile.baseline !== undefined,
    compare: (alpha, familySize) => compareProfiles([{ ...profile, alpha }], { alpha, familySize })
  };
}

/** Any source's looks, from its series (the group's `comparable` is read at each look). */
export function seriesLooks(group: () => Omit<SeriesGroup, 'alpha'>): LookTarget {
  return {
    get comparable() {
      return group().comparable;
    },
    compare: (alpha, familySize) => compareSeries([{ ...group(), alpha }], { alpha, familySize })
  };
}

/**
 * The verdicts of one source at a look, at that look's level, with Holm over `familySize` gated
 * metrics (the whole gate's).
 */
export function look(target: LookTarget, trials: number, alpha: number, familySize: number): Look {
  const comparisons = target.compare(alpha, familySize);
  const gated = comparisons.filter(c => c.gated);
  return { trials, alpha, comparisons, gated, conclusive: gated.every(c => c.verdict !== 'inconclusive') };
}

/**
 * The looks of one source with `trials: auto` (or a benchmark's `runs: auto`). A gated comparison that is conclusive at a look is
 * kept as it was then (it was decided at that look's level; later looks spend their own share of
 * alpha on the comparisons still open); the others, and the informational ones, come from the last
 * look.
 */
export class AutoSampling {
  readonly record: AutoRecord;
  private readonly sizes: number[];
  private readonly alphas: number[];
  private readonly settled = new Map<string, Comparison>();
  private last: Comparison[] = [];

  constructor(
    private readonly target: LookTarget,
    auto: AutoTrials,
    alpha: number,
    private readonly familySize: number
  ) {
    this.sizes = lookSizes(auto);
    this.alphas = lookAlphas(alpha, this.sizes);
    this.record = { min: auto.min, batch: auto.batch, max: auto.max, budgetMs: auto.budgetMs, looks: [] };
  }

  /** Nothing to compare with (no base side, no baseline): the first look is the last. */
  get comparable(): boolean {
    return this.target.comparable;
  }

  /** Trials per side to run before the next look; 0 once sampling is over. */
  get next(): number {
    if (this.record.stopped) return 0;
    const k = this.record.looks.length;
    const done = k === 0 ? 0 : this.sizes[k - 1]!;
    return this.sizes[k]! - done;
  }

  /** Takes the next look at the trials measured so far; true when sampling is over. */
  look(): boolean {
    if (!this.comparable) {
      this.record.stopped = 'nothing-to-compare';
      return true;
    }
    const k = this.record.looks.length;
    const at = look(this.target, this.sizes[k]!, this.alphas[k]!, this.familySize);
    this.last = at.comparisons;
    for (const c of at.gated) {
      if (c.verdict !== 'inconclusive' && !this.settled.has(c.metric)) this.settled.set(c.metric, c);
    }
    const open = at.gated.filter(c => !this.settled.has(c.metric)).map(c => c.metric);
    this.record.looks.push({ trials: at.trials, alpha: at.alpha, open });
    if (open.length === 0) this.record.stopped = 'conclusive';
    else if (k + 1 === this.sizes.length) this.record.stopped = 'max';
    return this.record.stopped !== undefined;
  }

  /** The time budget ends sampling before the next look. */
  outOfTime(): void {
    this.record.stopped ??= 'budget';
  }

  /** The source's comparisons: settled gated ones as decided, the rest from the last look. */
  comparisons(): Comparison[] {
    return this.last.map(c => (c.gated ? (this.settled.get(c.metric) ?? c) : c));
  }
}

/** Why sampling stopped, in words (for the log and the reports). */
export function stopReason(record: AutoRecord): string {
  switch (record.stopped) {
    case 'conclusive':
      return 'every gated comparison is conclusive';
    case 'max':
      return `the most trials (${record.max}) were reached`;
    case 'budget':
      return 'another batch would overrun the time budget';
    case 'nothing-to-compare':
      return 'there is no base or baseline to compare with';
    case undefined:
      return 'still sampling';
  }
}

/**
 * The log line of a look of `trials: auto` (or `runs: auto`) for source `name`: where sampling
 * stands, what is still open and what comes next. `unit` names what is counted (`pairs`, `trials`,
 * `runs`), `planned` the samples before the first look.
 */
export function lookLine(
  name: string,
  auto: AutoSampling,
  key: string,
  unit: string,
  planned: number
): string {
  const r = auto.record;
  const last = r.looks[r.looks.length - 1];
  if (!last) return `[${name}] ${key}: auto: ${stopReason(r)}; ran ${planned} ${unit}`;
  const head = `[${name}] ${key}: auto, look ${r.looks.length} at ${last.trials} ${unit}`;
  const open = last.open.length > 0 ? `; open: ${last.open.join(', ')}` : '';
  if (r.stopped === undefined) {
    return `${head} (alpha ${last.alpha.toPrecision(2)})${open}; adding ${auto.next} ${unit}`;
  }
  return `${head}: ${r.stopped === 'conclusive' ? '' : 'stopped, '}${stopReason(r)}${open}`;
}

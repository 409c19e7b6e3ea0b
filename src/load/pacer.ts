/**
 * Pacing of the open load model (wrk2's semantics): the rate schedule as intended send times, and
 * the loop that hands each request over once its intended time has come. The k-th request (0-based)
 * is due when the integral of the rate reaches k; a late send keeps its intended time, so that the
 * latency measured from it includes the wait (no coordinated omission). Nothing is sent early.
 */

import { MAX_TIMER_MS } from './deadline.js';

/** One stage of the rate schedule: the rate goes linearly from `from` to `to` req/s over `durationMs` (equal: constant). */
export interface RateStage {
  durationMs: number;
  from: number;
  to: number;
}

/** Slack for float error in request counts (integrals of a few million at most). */
const EPS = 1e-6;

/** The intended send times of a rate schedule, as ms offsets from its start. Pure. */
export class RateSchedule {
  /** Sum of the stage durations, ms. */
  readonly durationMs: number;
  /** Start of each stage, ms. */
  readonly stageStarts: number[];
  /** Requests the whole schedule asks for: those due before its end. */
  readonly total: number;
  /** Integral of the rate over the stages before each one (requests, not rounded). */
  private readonly before: number[] = [];

  constructor(readonly stages: RateStage[]) {
    if (stages.length === 0) throw new Error('a rate schedule needs at least one stage');
    let start = 0;
    let count = 0;
    this.stageStarts = stages.map(s => {
      const ok = (x: number) => Number.isFinite(x) && x >= 0;
      if (!ok(s.durationMs) || !ok(s.from) || !ok(s.to)) {
        throw new Error(`a rate stage needs a finite duration and rates ≥ 0, got ${JSON.stringify(s)}`);
      }
      this.before.push(count);
      count += stageCount(s);
      const at = start;
      start += s.durationMs;
      return at;
    });
    this.durationMs = start;
    this.total = Math.max(0, Math.ceil(count - EPS));
  }

  /** Requests due before `ms` after the start (intended time < `ms`): the integral rounded up. */
  countBefore(ms: number): number {
    if (!(ms > 0)) return 0;
    if (ms >= this.durationMs) return this.total;
    let i = this.stageStarts.length - 1;
    while (i > 0 && this.stageStarts[i]! > ms) i--;
    const s = this.stages[i]!;
    const t = (ms - this.stageStarts[i]!) / 1000;
    const rate = s.durationMs > 0 ? (s.to - s.from) / (s.durationMs / 1000) : 0;
    return Math.min(
      this.total,
      Math.max(0, Math.ceil(this.before[i]! + s.from * t + (rate * t * t) / 2 - EPS))
    );
  }

  /**
   * Intended time of the k-th request (0-based), ms after the start: the first moment the integral
   * of the rate reaches k with requests following (a stage with rate 0 sends nothing; its next
   * request leaves at its end). Infinity for k ≥ `total`.
   */
  at(k: number): number {
    if (!(k >= 0) || k >= this.total) return Infinity;
    let i = 0;
    const last = this.stages.length - 1;
    while (i < last && k >= this.before[i]! + stageCount(this.stages[i]!)) i++;
    const s = this.stages[i]!;
    const m = Math.max(0, k - this.before[i]!);
    return Math.min(this.stageStarts[i]! + offsetOf(s, m), this.durationMs);
  }
}

/** Requests a stage asks for: the area under its rate line. */
function stageCount(s: RateStage): number {
  return ((s.from + s.to) / 2) * (s.durationMs / 1000);
}

/**
 * Time t (ms into the stage) where the stage's integral reaches m: solves
 * from·t + (to − from)·t² / (2·D) = m (t and D in s) as t = 2m / (from + √(from² + 2·c·m)), c = (to − from) / D,
 * the form that stays exact for from = 0 and for falling ramps.
 */
function offsetOf(s: RateStage, m: number): number {
  if (m <= 0) return 0;
  if (s.from === s.to) return (m / s.from) * 1000;
  const c = (s.to - s.from) / (s.durationMs / 1000);
  const root = Math.sqrt(Math.max(0, s.from * s.from + 2 * c * m));
  return Math.min(s.durationMs, ((2 * m) / (s.from + root)) * 1000);
}

/** What the pacing loop calls; times are on the `performance.now()` clock. */
export interface PacerHandlers {
  /** The k-th request is due (intended time `intended` ≤ now); it is handed over now. */
  due(k: number, intended: number): void;
  /** Stage `index` starts (`at`: its start on the schedule, which may be a moment ago). */
  stage(index: number, at: number): void;
  /** The schedule has run out (`at`: its end). Not called after `stop()`. */
  end(at: number): void;
}

/**
 * Default for `spinMs`: waits shorter than this spin on setImmediate, longer ones sleep on a timer.
 * Node's timers have 1 ms granularity and fire up to ~1 ms late, so sleeping only on timers sends
 * ~0.5–1 ms late (measured here: p50 0.6–0.75 ms), and that adds to every latency; spinning sends on
 * time but keeps the thread busy — all the time at rates ≥ 1000 / spinMs req/s, which takes a core
 * from the service on a small runner and trips the generator-saturation check (load/saturation.ts).
 * So perfgate sleeps (0), and reports the lateness with each trial so the bias is in plain sight.
 */
export const SPIN_MS = 0;

/**
 * The pacing loop: wakes when the next request (or stage, or the end) is due, hands over every
 * request due by then, sleeps again. One timer at a time, whatever the rate; it ends by itself at
 * the end of the schedule.
 */
export class Pacer {
  /** Index of the next request to hand over (= requests handed over so far). */
  next = 0;
  private stageIndex = -1;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  /** `t0`: the start of the schedule on the `performance.now()` clock; `spinMs`: see `SPIN_MS`. */
  constructor(
    private readonly schedule: RateSchedule,
    private readonly t0: number,
    private readonly h: PacerHandlers,
    private readonly spinMs = SPIN_MS
  ) {}

  start(): void {
    this.tick();
  }

  /** Stops at once: nothing more is handed over, `end` is not called. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
  }

  private readonly tick = (): void => {
    this.timer = this.immediate = undefined;
    const s = this.schedule;
    const end = this.t0 + s.durationMs;
    const now = performance.now();
    // Past the end the measured window is over: what fell due in its last moments but was not handed
    // over in time is not sent (it counts as not sent, so a generator that fell behind shows it).
    if (now >= end) {
      this.enterStages(end - 1e-6); // a stage that began before the end is entered, even with nothing due
      this.stopped = true;
      return this.h.end(end);
    }
    let due = this.t0 + s.at(this.next);
    while (due <= now && !this.stopped) {
      this.enterStages(due);
      this.h.due(this.next++, due);
      due = this.t0 + s.at(this.next);
    }
    this.enterStages(now);
    if (this.stopped) return;
    const stage =
      this.stageIndex + 1 < s.stageStarts.length ? this.t0 + s.stageStarts[this.stageIndex + 1]! : end;
    // Timers can fire a little early (libuv's cached loop time); the next tick then sleeps again.
    const wait = Math.min(due, stage, end) - performance.now();
    if (wait < this.spinMs) this.immediate = setImmediate(this.tick);
    else this.timer = setTimeout(this.tick, Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(wait))));
  };

  private enterStages(upTo: number): void {
    const starts = this.schedule.stageStarts;
    while (
      !this.stopped &&
      this.stageIndex + 1 < starts.length &&
      this.t0 + starts[this.stageIndex + 1]! <= upTo
    ) {
      this.stageIndex++;
      this.h.stage(this.stageIndex, this.t0 + starts[this.stageIndex]!);
    }
  }
}

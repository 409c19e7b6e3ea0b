/**
 * A profile's shape as a schedule of stages (SPEC §3): steady, rampup, spike, soak, stress and wave
 * each become stages; `stages:` is taken as written. Levels are connections in the closed model and
 * requests per second in the open model (`rate:`). Only measured stages are gated: the steady part
 * of rampup and spike, every stage of steady, soak and wave, and custom stages unless
 * `measured: false`. Stress steps are each judged against the thresholds (the SLO).
 */
import { MIN_LOAD_MS } from './duration-fields.js';
import { formatDuration } from './durations.js';
import type { PathIssue } from './format-issues.js';
import type { ParsedConfig } from './schema.js';
import type { LoadModel, ProfileConfig, Shape, Stage } from './types.js';
import type { PathSegment } from './yaml-positions.js';

type ParsedProfile = NonNullable<ParsedConfig['profiles']>[number];

export type Schedule = Pick<
  ProfileConfig,
  'shape' | 'model' | 'rate' | 'stages' | 'durationMs' | 'stopOnBreak'
>;

const SHAPE_KEYS = ['rampup', 'spike', 'stress', 'wave'] as const;
/** Closed-model ramps and waves change the number of connections once a second. */
const STEP_MS = 1000;
/**
 * A wave has at most this many steps (as `stages:` at most this many stages): every stage keeps a
 * histogram per request, so a long wave steps more slowly rather than by the second.
 */
const MAX_WAVE_STEPS = 1000;

/**
 * The schedule of one trial. `connections` and `durationMs` are the profile's (after `defaults:`);
 * problems are returned with their key paths under `at`, not thrown.
 */
export function resolveSchedule(
  p: ParsedProfile,
  connections: number,
  durationMs: number,
  at: PathSegment[]
): { schedule: Schedule; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const issue = (path: PathSegment[], message: string) => issues.push({ path: [...at, ...path], message });
  for (const key of SHAPE_KEYS) {
    if (p[key] !== undefined && p.shape !== key) {
      issue([key], `expected ${key} settings only with shape: ${key}, got shape ${p.shape ?? 'steady'}`);
    }
  }
  if (p.stages) {
    if (p.shape !== undefined) issue(['shape'], 'expected either a shape or custom stages, got both');
    if (p.rate !== undefined)
      issue(['rate'], 'expected the rate in each stage with custom stages, got a profile rate');
    return { schedule: customStages(p.stages, issue), issues };
  }
  const model: LoadModel = p.rate !== undefined ? 'open' : 'closed';
  const level = p.rate ?? connections;
  const shape: Shape = p.shape ?? 'steady';
  const make = SHAPES[shape as Exclude<Shape, 'stages'>];
  const stages = make({ p, level, model, durationMs, issue });
  return {
    schedule: {
      shape,
      model,
      ...(p.rate !== undefined && { rate: p.rate }),
      stages,
      durationMs: stages.reduce((n, s) => n + s.durationMs, 0),
      ...(shape === 'stress' && { stopOnBreak: true })
    },
    issues
  };
}

interface ShapeInput {
  p: ParsedProfile;
  /** The steady level: connections, or req/s. */
  level: number;
  model: LoadModel;
  durationMs: number;
  issue: (path: PathSegment[], message: string) => void;
}

const hold = (name: string, durationMs: number, level: number, measured: boolean): Stage => ({
  name,
  durationMs,
  from: level,
  to: level,
  measured
});

const SHAPES: Record<Exclude<Shape, 'stages'>, (i: ShapeInput) => Stage[]> = {
  steady: ({ level, durationMs }) => [hold('steady', durationMs, level, true)],
  soak: ({ level, durationMs }) => [hold('soak', durationMs, level, true)],

  rampup: ({ p, level, model, durationMs, issue }) => {
    const from = p.rampup?.from ?? 0;
    const over = p.rampup?.over ?? durationMs;
    const steps = p.rampup?.steps ?? 5;
    if (from >= level)
      issue(['rampup', 'from'], `expected a level below the profile's (${level}), got ${from}`);
    const stepMs = over / steps;
    if (stepMs < MIN_LOAD_MS) {
      issue(
        p.rampup?.over !== undefined ? ['rampup', 'over'] : ['duration'],
        `expected a ramp of at least ${formatDuration(steps * MIN_LOAD_MS)} (${steps} steps of at least ${MIN_LOAD_MS}ms), got ${formatDuration(over)}`
      );
    }
    const ramp = Array.from({ length: steps }, (_, k): Stage => {
      const lo = from + ((level - from) * k) / steps;
      const hi = from + ((level - from) * (k + 1)) / steps;
      // Closed: each step holds its top level; open: the rate moves linearly within the step.
      return model === 'open'
        ? { name: `ramp ${k + 1}/${steps}`, durationMs: stepMs, from: lo, to: hi, measured: false }
        : hold(`ramp ${k + 1}/${steps}`, stepMs, Math.max(1, Math.round(hi)), false);
    });
    return [...ramp, hold('steady', durationMs, level, true)];
  },

  spike: ({ p, level, model, durationMs, issue }) => {
    const to = p.spike?.to ?? level * 5;
    if (to <= level) issue(['spike', 'to'], `expected a peak above the profile level (${level}), got ${to}`);
    if (model === 'closed' && !Number.isInteger(to)) {
      issue(['spike', 'to'], `expected a whole number of connections, got ${to}`);
    }
    return [
      hold('steady', durationMs, level, true),
      hold('spike', p.spike?.for ?? 5000, to, false),
      hold('recovery', p.spike?.after ?? durationMs, level, false)
    ];
  },

  stress: ({ p, level, model, durationMs, issue }) => {
    const from = p.stress?.from ?? level;
    const step = p.stress?.step ?? level;
    const steps = p.stress?.steps ?? 10;
    if (model === 'closed') {
      for (const key of ['from', 'step'] as const) {
        const v = p.stress?.[key];
        if (v !== undefined && !Number.isInteger(v))
          issue(['stress', key], `expected a whole number of connections, got ${v}`);
      }
    }
    return Array.from({ length: steps }, (_, k) =>
      hold(`step ${k + 1}/${steps}`, p.stress?.stepDuration ?? durationMs, from + k * step, true)
    );
  },

  wave: ({ p, level, model, durationMs, issue }) => {
    const min = p.wave?.min ?? 0;
    const max = p.wave?.max ?? level * 2;
    const period = p.wave?.period ?? durationMs;
    const step = waveStepMs(durationMs);
    if (min >= max) issue(['wave', 'max'], `expected max above min (${min}), got ${max}`);
    // Two steps per period at least: a shorter sine, sampled once a step, is another wave (aliasing).
    if (period < 2 * step) {
      issue(
        p.wave?.period !== undefined ? ['wave', 'period'] : ['duration'],
        `expected a period of at least ${formatDuration(2 * step)} (two of the wave's ${formatDuration(step)} steps), got ${formatDuration(period)}`
      );
    }
    if (period > durationMs) {
      issue(
        ['wave', 'period'],
        `expected a period no longer than the profile duration (${durationMs / 1000}s), got ${period / 1000}s`
      );
    }
    const at = (t: number) => (min + max) / 2 + ((max - min) / 2) * Math.sin((2 * Math.PI * t) / period);
    const stages: Stage[] = [];
    for (let t = 0; t < durationMs;) {
      // A remainder too short to measure (under MIN_LOAD_MS) joins the last step.
      const rest = durationMs - t;
      const ms = rest - step < MIN_LOAD_MS ? rest : step;
      const name = `wave ${t / 1000}s`;
      // Open: linear between the sine's values at the step's ends; closed: its value mid-step.
      stages.push(
        model === 'open'
          ? { name, durationMs: ms, from: at(t), to: at(t + ms), measured: true }
          : hold(name, ms, Math.round(at(t + ms / 2)), true)
      );
      t += ms;
    }
    return stages;
  }
};

/** One second, or for a wave longer than 1000 s as many whole seconds as keep it to 1000 steps. */
function waveStepMs(durationMs: number): number {
  return Math.max(STEP_MS, Math.ceil(durationMs / MAX_WAVE_STEPS / STEP_MS) * STEP_MS);
}

type ParsedStage = NonNullable<ParsedProfile['stages']>[number];

function customStages(
  stages: ParsedStage[],
  issue: (path: PathSegment[], message: string) => void
): Schedule {
  const model: LoadModel = stages[0]?.rate !== undefined ? 'open' : 'closed';
  const resolved = stages.map((s, j): Stage => {
    const both = s.rate !== undefined && s.connections !== undefined;
    if (both)
      issue(['stages', j], 'expected either connections (closed model) or rate (open model), got both');
    else if (s.rate === undefined && s.connections === undefined) {
      issue(['stages', j], 'expected connections (closed model) or rate (open model), got neither');
    } else if ((s.rate !== undefined ? 'open' : 'closed') !== model) {
      issue(
        ['stages', j],
        `expected every stage in the ${model} model like the first (${model === 'open' ? 'rate' : 'connections'}), got the other`
      );
    }
    const level = s.rate ?? s.connections ?? 0;
    return hold(s.name ?? `stage ${j + 1}`, s.duration, level, s.measured ?? true);
  });
  if (!resolved.some(s => s.measured)) issue(['stages'], 'expected at least one measured stage, got none');
  return {
    shape: 'stages',
    model,
    stages: resolved,
    durationMs: resolved.reduce((n, s) => n + s.durationMs, 0)
  };
}

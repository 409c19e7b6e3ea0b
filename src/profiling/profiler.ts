/**
 * The driver of `profiling:` (SPEC §11): sets up each side's captures once the services are ready
 * — Node's inspector of the process serving the side's target, or the side's pprof endpoint — is
 * told of every measured trial (measure-profile.ts: not warmup, not the discarded first pair), and
 * after each load profile saves the artifacts and adds the entries and, in paired mode, the diffs
 * to `results.profiling`. Whatever cannot be profiled is a warning and the run goes on unprofiled;
 * a service that exits while profiled leaves its entry with `missing` saying so.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { CapturedProfile, ProfileDiff, ProfileKind } from '../model-profiling.js';
import type { Results } from '../model.js';
import type { Reporter } from '../reporter.js';
import type { ServiceHandle } from '../service/types.js';
import { artifactName, capturedProfile, profileDiff, saveArtifact } from './profile-results.js';
import { sideCaptures } from './side-captures.js';
import type { CaptureOutcome, CaptureWindow, ProfileCapture } from './types.js';

type Side = 'head' | 'base';

export interface ProfilerDeps {
  config: ResolvedConfig;
  /** The services perfgate started. */
  services: ServiceHandle[];
  reportDir: string;
  results: Results;
  reporter: Reporter;
}

/** What the profiler knows of one side. */
interface SideState {
  side: Side;
  captures: ProfileCapture[];
  /** The trial being recorded, between `begin` and `end`. */
  open?: CaptureWindow;
  last?: CaptureWindow;
  /** Set when the side's service exited on its own: the trial it was recorded in, if any. */
  exited?: { during?: CaptureWindow; after?: CaptureWindow };
}

export class Profiler {
  private readonly taken = new Set<string>();

  private constructor(
    private readonly deps: ProfilerDeps,
    private readonly sides: SideState[]
  ) {}

  /**
   * The profiler of `deps.config.profiling`, its captures set up; undefined without `profiling:`.
   * Creates `results.profiling`; never throws for a side that cannot be profiled (a warning says why).
   */
  static async start(deps: ProfilerDeps): Promise<Profiler | undefined> {
    const profiling = deps.config.profiling;
    if (!profiling || deps.config.profiles.length === 0) return undefined;
    deps.results.profiling = { profiles: [], diffs: [], warnings: [] };
    const sides = (['head', 'base'] as const).filter(s => s === 'head' || deps.config.base);
    const warn = (message: string) => {
      deps.results.profiling!.warnings.push(message);
      deps.reporter.warn(message);
    };
    const states: SideState[] = await Promise.all(
      sides.map(async side => ({ side, captures: await sideCaptures({ ...deps, profiling, side, warn }) }))
    );
    const profiler = new Profiler(deps, states);
    for (const state of states) {
      const service = deps.services.find(s => s.side === state.side);
      void service?.exited.then(exit => {
        if (!exit.expected) state.exited = { during: state.open, after: state.last };
      });
    }
    return profiler;
  }

  /** Right before a measured trial's load: the side's captures start recording. */
  async begin(window: CaptureWindow): Promise<void> {
    const state = this.state(window.side);
    if (!state || state.captures.length === 0) return;
    state.open = window;
    state.last = window;
    await Promise.all(state.captures.map(c => c.begin(window)));
  }

  /** Right after a measured trial's load (also when it failed): the side's captures stop recording. */
  async end(window: CaptureWindow): Promise<void> {
    const state = this.state(window.side);
    if (!state || state.captures.length === 0) return;
    state.open = undefined;
    await Promise.all(state.captures.map(c => c.end(window)));
  }

  /**
   * After a load profile (also when it failed): saves what each capture recorded and adds the
   * entries, and the diffs, to `results.profiling`. `planned`: its measured trials per side.
   */
  async take(profile: string, planned: number): Promise<void> {
    const profiling = this.deps.results.profiling!;
    const trees = new Map<string, CaptureOutcome['tree']>();
    for (const state of this.sides) {
      for (const capture of state.captures) {
        try {
          const outcome = await capture.take(profile);
          const entry = this.entry(profile, state, outcome, planned);
          profiling.profiles.push(entry);
          trees.set(`${state.side} ${outcome.kind}`, outcome.tree);
          this.deps.reporter.info(profileLine(entry));
        } catch (err) {
          // Never in the way of the run's own outcome (take runs after a failed profile too).
          this.warn(
            `profiling: the ${state.side} ${capture.kind} profile of "${profile}" is lost: ${errorText(err)}`
          );
        }
      }
    }
    for (const kind of ['cpu', 'heap'] as const satisfies ProfileKind[]) {
      const diff = profileDiff(profile, kind, trees.get(`base ${kind}`), trees.get(`head ${kind}`));
      if (diff) profiling.diffs.push(diff);
      if (diff?.grew[0]) this.deps.reporter.info(diffLine(diff));
    }
  }

  /** Releases every capture's connection. */
  async close(): Promise<void> {
    await Promise.all(this.sides.flatMap(s => s.captures.map(c => c.close().catch(() => undefined))));
  }

  private state(side: Side): SideState | undefined {
    return this.sides.find(s => s.side === side);
  }

  private entry(
    profile: string,
    state: SideState,
    outcome: CaptureOutcome,
    planned: number
  ): CapturedProfile {
    let file: string | undefined;
    if (outcome.artifact) {
      const name = artifactName(profile, state.side, outcome.kind, outcome.artifact.extension, this.taken);
      try {
        file = saveArtifact(this.deps.reportDir, name, outcome.artifact);
      } catch (err) {
        this.warn(`profiling: cannot save ${name}: ${errorText(err)}`);
      }
    }
    return capturedProfile(profile, state.side, outcome, file, missing(state, this.sides, outcome, planned));
  }

  private warn(message: string): void {
    this.deps.results.profiling!.warnings.push(message);
    this.deps.reporter.warn(message);
  }
}

/**
 * Why an entry is partial or empty: its service's exit when it exited, else the capture's reason,
 * else the other side's exit or an early stop of the run (a failure elsewhere, a cancel).
 */
function missing(
  state: SideState,
  sides: SideState[],
  outcome: CaptureOutcome,
  planned: number
): string | undefined {
  const captured = `${outcome.windows} of ${planned} trials captured`;
  if (state.exited) {
    const { during, after } = state.exited;
    const when = during
      ? `during trial ${during.trial + 1}`
      : after
        ? `after trial ${after.trial + 1}`
        : 'before its first trial';
    return `the service exited ${when}; ${captured}`;
  }
  if (outcome.missing !== undefined) return `${outcome.missing}; ${captured}`;
  if (outcome.windows >= planned) return undefined;
  const other = sides.find(s => s.exited);
  return `${other ? `the run stopped when the ${other.side}'s service exited` : 'the run stopped early'}; ${captured}`;
}

function profileLine(p: CapturedProfile): string {
  const top = p.top.self[0];
  const at = top?.file ? ` (${shortFile(top.file)}${top.line > 0 ? `:${top.line}` : ''})` : '';
  const lead = top ? `, top self ${top.name}${at} ${(top.self * 100).toFixed(1)} %` : '';
  const where = p.file ? ` → ${p.file}` : '';
  const partial = p.missing ? ` (${p.missing})` : '';
  const trials = `${p.trials} trial${p.trials === 1 ? '' : 's'}`;
  return `[${p.profile}] ${p.side} ${p.kind} profile: ${p.samples} samples over ${trials}${lead}${where}${partial}`;
}

function diffLine(d: ProfileDiff): string {
  const g = d.grew[0]!;
  return `[${d.profile}] ${d.kind} profile, head vs base: ${g.name} grew most, ${(g.base * 100).toFixed(1)} % → ${(g.head * 100).toFixed(1)} % (+${g.points.toFixed(1)} points)`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function shortFile(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

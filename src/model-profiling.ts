/**
 * What `profiling:` records of a service (SPEC §11, §12 `profiling`): per load profile and side, the
 * CPU and heap profiles captured over the measured trials only, each kept as an artifact in its
 * native format beside results.json, summarised here as top functions and a pruned call tree (what
 * the flame graphs are drawn from, so `perfgate report` re-renders them without the artifacts), and,
 * with a base side, what changed between the sides. Source-blind past capture: a Node inspector
 * profile and a pprof profile end as the same call tree (profiling/call-tree.ts).
 */

/** Where a profile came from. */
export type ProfileSource = 'node-inspector' | 'pprof';

/** What a profile measures: CPU time, or memory (live sampled allocations). */
export type ProfileKind = 'cpu' | 'heap';

/**
 * A function as profiles name it. Runtime internals keep their names in parentheses and have no
 * file: `(garbage collector)`, `(idle)`, `(program)`, `(root)`.
 */
export interface ProfileFrame {
  /** The function's name; `(anonymous)` when it has none. */
  name: string;
  /** Script URL or source file; empty for runtime internals and natives. */
  file: string;
  /** 1-based line of the function's start; 0 when unknown. */
  line: number;
}

/**
 * One function's share of a profile, self (its own samples) and total (it or its callees). Shares
 * are of the busy total: every value but that of the runtime's `(idle)` frame, which is never
 * listed (a service idle between requests would otherwise make its hot function look small; how
 * idle it was is the tree's `(idle)` node, profiling/call-tree.ts).
 */
export interface FunctionShare extends ProfileFrame {
  /** Self value / the profile's busy total, 0 … 1. */
  self: number;
  /** Total (inclusive) value / the profile's busy total, 0 … 1; a recursive function counts once per sample. */
  total: number;
  /** Self and total value in the profile's unit. */
  selfValue: number;
  totalValue: number;
}

/**
 * A node of the pruned call tree: frames on one call path merged. `v` the node's total value, `s`
 * its self value (what pruned children left is added to it), `c` its children, heaviest first.
 * Short keys: a tree of thousands of nodes is written into results.json.
 */
export interface FlameNode {
  /** Frame name. */
  n: string;
  /** File (empty for internals). */
  f: string;
  /** Line (0 when unknown). */
  l: number;
  /** Total value. */
  v: number;
  /** Self value. */
  s: number;
  c?: FlameNode[];
}

export interface CapturedProfile {
  /** The load profile during whose measured trials it was captured. */
  profile: string;
  side: 'head' | 'base';
  kind: ProfileKind;
  source: ProfileSource;
  /** The artifact, relative to the report directory (`profiles/api-mix.head.cpuprofile`); absent when nothing was captured. */
  file?: string;
  /** Unit of the values: `us` (CPU time), `ns` (pprof CPU), `bytes` (heap). */
  unit: string;
  /** Sum of every sample's value. */
  totalValue: number;
  /** Samples taken. */
  samples: number;
  /** Measured trials the profile covers (one capture per trial, merged). */
  trials: number;
  /** Measured time covered, ms (the sum of the captured windows). */
  windowMs: number;
  /** The 20 heaviest functions by self value, and by total value. */
  top: { self: FunctionShare[]; total: FunctionShare[] };
  /** The call tree, nodes under 0.1 % of the total folded into their parent's self value. */
  tree: FlameNode;
  /** Why the profile is missing or partial (e.g. the service exited in trial 4): absent when whole. */
  missing?: string;
}

/** A function whose share changed between the base's profile and the head's. */
export interface ShareChange extends ProfileFrame {
  /** Self share (of the side's busy total, as FunctionShare) in the base and in the head, 0 … 1. */
  base: number;
  head: number;
  /** head − base, in percentage points (+12.5 means 12.5 points more of the profile). */
  points: number;
}

/** What changed between the sides' profiles of one kind, for one load profile. */
export interface ProfileDiff {
  profile: string;
  kind: ProfileKind;
  /** Functions whose self share grew most, largest first (at most 20). */
  grew: ShareChange[];
  /** Functions whose self share shrank most, largest drop first (at most 20). */
  shrank: ShareChange[];
}

export interface ProfilingResult {
  profiles: CapturedProfile[];
  /** Paired mode: one per load profile and kind that both sides captured. */
  diffs: ProfileDiff[];
  /** What could not be profiled and why (not Node, inspector unreachable, pprof endpoint faults). */
  warnings: string[];
}

/**
 * `results.profiling` as the renderings show it (SPEC §11): per load profile, each side's CPU and
 * heap profile — its artifact, samples and measured window, whatever is missing, the top functions
 * by self and by total, the flame graph (report.html) — and with a base the functions whose share
 * changed most and the differential flame graph; for the PR comment the top three by self beside
 * the top three growers. Strings are raw (each template escapes); shares are of the busy total, as
 * profiling/call-tree.ts computes them, `(idle)` stated apart.
 *
 * File paths are shown relative to the working directory when they are `file://` URLs under it,
 * as plain paths when elsewhere (a paired run's base checkout), and as they are otherwise
 * (`node:internal/…`, a Go source path).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Results } from '../model.js';
import type {
  CapturedProfile,
  FlameNode,
  FunctionShare,
  ProfileFrame,
  ProfileKind,
  ShareChange
} from '../model-profiling.js';
import { busyValue, frameWhere, profileValue, signedPoints } from './flame-svg.js';
import { formatNumber, formatPercent } from './format.js';

/** Rows of each top-functions table (the results keep 20). */
export const TOP_ROWS = 20;
/** Rows of the PR comment's table: the top by self beside the top growers. */
export const COMMENT_ROWS = 3;

/** A frame's file as shown: relative to `root` for `file://` URLs under it (see the header). */
export function displayFile(file: string, root: string): string {
  if (!file.startsWith('file://')) return file;
  let abs: string;
  try {
    abs = fileURLToPath(file);
  } catch {
    return file.slice('file://'.length);
  }
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join('/');
}

/** A relative path of letters, digits, `.`, `_`, `-` and `/`, no segment `..` or empty: nothing a link could be made to do. */
function safeRelative(file: string): boolean {
  return /^[\w.-]+(\/[\w.-]+)*$/.test(file) && !file.split('/').includes('..');
}

const KINDS: Record<ProfileKind, { label: string; value: string }> = {
  cpu: { label: 'CPU', value: 'CPU time' },
  heap: { label: 'heap', value: 'memory' }
};

/** How a kind is named; a kind a newer perfgate wrote is shown as it is. */
function kindOf(kind: string): { label: string; value: string } {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind as ProfileKind] : { label: kind, value: 'value' };
}

/** How a frame's place is shown (`src/server.js:12`). */
type Where = (f: ProfileFrame) => string;

export type CaptureView = ReturnType<typeof captureView>;
export type ProfilingView = ReturnType<typeof profilingView>;

function shareRow(f: FunctionShare, unit: string, by: 'self' | 'total', where: Where, rank: number) {
  return {
    rank,
    name: f.name,
    where: where(f),
    share: formatPercent(f[by], 1),
    value: profileValue(by === 'self' ? f.selfValue : f.totalValue, unit)
  };
}

function captureView(c: CapturedProfile, paired: boolean, where: Where, fileLabel: (f: string) => string) {
  const busy = busyValue(c.tree);
  const idle = c.tree.v - busy;
  const side = paired ? ` (${c.side})` : '';
  const title = `${c.profile} — ${kindOf(c.kind).label}${side}`;
  return {
    profile: c.profile,
    side: c.side,
    kind: c.kind,
    title,
    source: c.source === 'pprof' ? 'pprof' : 'Node inspector',
    file: c.file ?? '',
    /** report.html links the artifact when its path is a plain relative one (as perfgate names them). */
    link: safeRelative(c.file ?? ''),
    valueHeading: kindOf(c.kind).value,
    /** `12,345 samples over 10 trials (50 s measured)`. */
    facts:
      `${formatNumber(c.samples)} samples over ${c.trials} trial${c.trials === 1 ? '' : 's'}` +
      ` (${(c.windowMs / 1000).toFixed(1)} s measured)` +
      (c.kind === 'cpu'
        ? `, ${profileValue(busy, c.unit)} busy`
        : `, ${profileValue(busy, c.unit)} sampled`) +
      (idle > 0
        ? `; idle ${formatPercent(idle / c.tree.v, 1)} of the recording, left out of the shares`
        : ''),
    missing: c.missing ?? '',
    empty: c.samples === 0,
    topSelf: c.top.self.slice(0, TOP_ROWS).map((f, i) => shareRow(f, c.unit, 'self', where, i + 1)),
    topTotal: c.top.total.slice(0, TOP_ROWS).map((f, i) => shareRow(f, c.unit, 'total', where, i + 1)),
    /** For report.html's `{{{flameGraph flame}}}`. */
    flame: { tree: c.tree, unit: c.unit, title: `Flame graph: ${title}`, fileLabel }
  };
}

function changeRow(c: ShareChange, where: Where) {
  return {
    name: c.name,
    where: where(c),
    base: formatPercent(c.base, 1),
    head: formatPercent(c.head, 1),
    points: signedPoints(c.points),
    grew: c.points > 0
  };
}

/**
 * The profiling section of every rendering, or undefined without `profiling:`. `root`: the
 * directory file paths are shown relative to (the working directory by default).
 */
export function profilingView(results: Results, root = process.cwd()) {
  const p = results.profiling;
  if (!p) return undefined;
  const fileLabel = (file: string) => displayFile(file, root);
  const where: Where = f => frameWhere(f, fileLabel);
  const paired = p.profiles.some(c => c.side === 'base');
  const names = [...new Set([...p.profiles.map(c => c.profile), ...p.diffs.map(d => d.profile)])];
  const groups = names.map(profile => {
    const captures = p.profiles
      .filter(c => c.profile === profile)
      .sort((a, b) => a.kind.localeCompare(b.kind) || (a.side === b.side ? 0 : a.side === 'head' ? -1 : 1))
      .map(c => captureView(c, paired, where, fileLabel));
    const diffs = p.diffs
      .filter(d => d.profile === profile)
      .map(d => {
        const tree = (side: 'head' | 'base'): FlameNode | undefined =>
          p.profiles.find(c => c.profile === profile && c.kind === d.kind && c.side === side)?.tree;
        const base = tree('base');
        const head = tree('head');
        const unit = p.profiles.find(c => c.profile === profile && c.kind === d.kind)?.unit ?? 'us';
        const title = `${profile} — ${kindOf(d.kind).label}, base → head`;
        return {
          profile,
          kind: d.kind,
          title,
          grew: d.grew.slice(0, TOP_ROWS).map(c => changeRow(c, where)),
          shrank: d.shrank.slice(0, TOP_ROWS).map(c => changeRow(c, where)),
          /** For report.html's `{{{diffFlameGraph diffFlame}}}`; absent when a side's tree is. */
          diffFlame:
            base && head
              ? { base, head, unit, title: `Differential flame graph: ${title}`, fileLabel }
              : undefined
        };
      });
    return { profile, captures, diffs };
  });
  const missing = p.profiles
    .filter(c => c.missing)
    .map(c => `${c.profile} (${c.side}) ${kindOf(c.kind).label}: ${c.missing}`);
  const comment = commentTables(results, where);
  return {
    groups,
    warnings: p.warnings,
    /** Every capture that is missing or partial, for the comment: `api (head) CPU: why`. */
    missing,
    comment,
    /** Whether any load profile has the share changes of a base and a head. */
    diffs: p.diffs.length > 0,
    /** Whether the comment has anything of profiling to show. */
    commentShown: comment.length + missing.length + p.warnings.length > 0
  };
}

/**
 * The comment's tables, one per load profile and kind: the head's top COMMENT_ROWS by self beside
 * the COMMENT_ROWS functions whose share grew most (paired runs).
 */
function commentTables(results: Results, where: Where) {
  const p = results.profiling!;
  return p.profiles
    .filter(c => c.side === 'head' && c.samples > 0)
    .map(c => {
      const grew = p.diffs.find(d => d.profile === c.profile && d.kind === c.kind)?.grew ?? [];
      const top = c.top.self.slice(0, COMMENT_ROWS);
      const rows = Array.from(
        { length: Math.max(top.length, Math.min(grew.length, COMMENT_ROWS)) },
        (_, i) => {
          const t = top[i];
          const g = grew[i];
          return {
            top: t ? { name: t.name, where: where(t), share: formatPercent(t.self, 1) } : undefined,
            grew: g ? { name: g.name, where: where(g), points: signedPoints(g.points) } : undefined
          };
        }
      );
      return {
        title: `${c.profile} — ${kindOf(c.kind).label}`,
        paired: p.diffs.some(d => d.profile === c.profile && d.kind === c.kind),
        rows
      };
    });
}

/**
 * From what a capture recorded to what results.json keeps (model-profiling.ts): the artifact saved
 * in its native format as `profiles/<profile>.<side>.<kind><ext>` in the report directory, the
 * entry with its top functions and pruned call tree, and in paired mode the functions whose share
 * changed between the sides. Everything a report draws is in the entry, so `perfgate report`
 * re-renders without the artifacts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CapturedProfile, ProfileDiff, ProfileKind } from '../model-profiling.js';
import { writeFileAtomic } from '../write-atomic.js';
import { pruneTree, shareChanges, topFunctions, treeTotals, type CallTree } from './call-tree.js';
import type { CaptureOutcome } from './types.js';

/** The directory of the artifacts, inside the report directory. */
export const PROFILES_DIR = 'profiles';

/**
 * A file name for the artifact: the profile's name made safe (letters, digits, `.`, `_`, `-`), the
 * side, the kind unless the extension says it (`.cpuprofile`, `.heapprofile`), and the extension.
 * `taken`: names given before, so two profiles whose names are made safe alike get `-2`, `-3`.
 */
export function artifactName(
  profile: string,
  side: 'head' | 'base',
  kind: ProfileKind,
  extension: string,
  taken: Set<string>
): string {
  const safe =
    profile
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[.-]+/, '_')
      .slice(0, 100) || '_';
  const ext = extension.startsWith(`.${kind}`) ? extension : `.${kind}${extension}`;
  let name = `${safe}.${side}${ext}`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${safe}-${n}.${side}${ext}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Writes `outcome`'s artifact into `<reportDir>/profiles/` and returns its path relative to the
 * report directory; throws the file system's error.
 */
export function saveArtifact(
  reportDir: string,
  name: string,
  artifact: NonNullable<CaptureOutcome['artifact']>
): string {
  const dir = path.join(reportDir, PROFILES_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, name), artifact.data);
  return `${PROFILES_DIR}/${name}`;
}

/** The results entry of a capture's outcome: `file` as saved (absent when nothing was), `missing` as worded by the caller. */
export function capturedProfile(
  profile: string,
  side: 'head' | 'base',
  outcome: CaptureOutcome,
  file: string | undefined,
  missing: string | undefined
): CapturedProfile {
  const tree = outcome.tree;
  const totals = tree ? treeTotals(tree) : { value: 0, samples: 0 };
  return {
    profile,
    side,
    kind: outcome.kind,
    source: outcome.source,
    ...(file !== undefined && { file }),
    unit: tree?.unit ?? (outcome.kind === 'cpu' ? 'us' : 'bytes'),
    totalValue: totals.value,
    samples: totals.samples,
    trials: outcome.windows,
    windowMs: Math.round(outcome.windowMs),
    top: tree ? topFunctions(tree, 20) : { self: [], total: [] },
    tree: tree ? pruneTree(tree, 0.001) : { n: '(root)', f: '', l: 0, v: 0, s: 0 },
    ...(missing !== undefined && { missing })
  };
}

/** The diff of one load profile's base and head trees of one kind, when both hold samples. */
export function profileDiff(
  profile: string,
  kind: ProfileKind,
  base: CallTree | undefined,
  head: CallTree | undefined
): ProfileDiff | undefined {
  if (!base || !head || treeTotals(base).samples === 0 || treeTotals(head).samples === 0) return undefined;
  return { profile, kind, ...shareChanges(base, head, 20) };
}

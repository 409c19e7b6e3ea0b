/**
 * The findings stage (SPEC §11): what the measured results say about the service beyond the
 * verdict, each finding with the numbers behind it. It reads results only — the stages, timelines
 * and resources the trials recorded — and measures nothing. One file per kind; limits are constants
 * beside each kind, with their reasons.
 */
import type { Finding, ProfileResult, Results, SideResult } from '../model.js';
import { cpuBound } from './cpu-bound.js';
import { errorOnset } from './error-onset.js';
import { generatorBound } from './generator-bound.js';
import { memoryGrowth } from './memory-growth.js';
import { saturationKnee } from './saturation-knee.js';
import { tailRatio } from './tail-ratio.js';

type Kind = (p: ProfileResult, side: SideResult, cores: number) => Finding | undefined;

/** The kinds, in the order a reader meets them: capacity, failures, latency, memory, CPU, the generator. */
const KINDS: Kind[] = [saturationKnee, errorOnset, tailRatio, memoryGrowth, cpuBound, generatorBound];

/** Every finding of every profile, head before base; warnings first within a profile. */
export function findings(results: Results): Finding[] {
  const cores = results.environment.cores;
  return results.profiles.flatMap(p => {
    const found = [p.head, ...(p.base ? [p.base] : [])].flatMap(side =>
      KINDS.flatMap(kind => kind(p, side, cores) ?? [])
    );
    return [...found.filter(f => f.severity === 'warn'), ...found.filter(f => f.severity === 'info')];
  });
}

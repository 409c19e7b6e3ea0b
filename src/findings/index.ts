/**
 * The findings stage (SPEC §11): what the measured results say about the service beyond the
 * verdict, each finding with the numbers behind it. It reads results only — the stages, timelines
 * and resources the trials recorded — and measures nothing. One file per kind; the default limits
 * are constants beside each kind, with their reasons; `findings:` in the config sets them
 * (limits.ts).
 */
import type { Finding, ProfileResult, Results, SideResult } from '../model.js';
import { cpuBound } from './cpu-bound.js';
import { errorOnset } from './error-onset.js';
import { generatorBound } from './generator-bound.js';
import { DEFAULT_FINDING_LIMITS, type FindingContext, type FindingLimits } from './limits.js';
import { memoryGrowth } from './memory-growth.js';
import { saturationKnee } from './saturation-knee.js';
import { tailRatio } from './tail-ratio.js';
import { parseCpuList } from '../service/cpu-placement.js';

type Kind = (p: ProfileResult, side: SideResult, context: FindingContext) => Finding | undefined;

/** The kinds, in the order a reader meets them: capacity, failures, latency, memory, CPU, the generator. */
const KINDS: Kind[] = [saturationKnee, errorOnset, tailRatio, memoryGrowth, cpuBound, generatorBound];

/** Every finding of every profile under `limits`, head before base; warnings first within a profile. */
export function findings(results: Results, limits: FindingLimits = DEFAULT_FINDING_LIMITS): Finding[] {
  // A service placed apart from the load generator had only its own CPUs.
  const placed = results.environment.cpus?.service;
  const cores = placed === undefined ? results.environment.cores : parseCpuList(placed).length;
  const context: FindingContext = { cores, limits };
  return results.profiles.flatMap(p => {
    const found = [p.head, ...(p.base ? [p.base] : [])].flatMap(side =>
      KINDS.flatMap(kind => kind(p, side, context) ?? [])
    );
    return [...found.filter(f => f.severity === 'warn'), ...found.filter(f => f.severity === 'info')];
  });
}

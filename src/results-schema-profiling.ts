/**
 * The results schema of `profiling` (model-profiling.ts `ProfilingResult`): the captured profiles
 * with their top functions and pruned call trees, the paired diffs, the warnings. results-schema.ts
 * checks it agrees with the model. Loose like the rest: keys a newer perfgate adds are kept.
 */
import { z } from 'zod';
import type { FlameNode } from './model-profiling.js';
import { count, list, num, object, oneOf, side, text } from './results-schema-parts.js';

const frame = { name: text, file: text, line: count };

const functionShare = object({ ...frame, self: num, total: num, selfValue: num, totalValue: num });

/** A node of the pruned call tree, children nested (written with short keys, model-profiling.ts). */
const flameNode: z.ZodType<FlameNode> = z.lazy(() =>
  object({ n: text, f: text, l: count, v: num, s: num, c: list(flameNode).optional() })
);

const capturedProfile = object({
  profile: text,
  side,
  kind: oneOf(['cpu', 'heap']),
  source: oneOf(['node-inspector', 'pprof']),
  file: text.optional(),
  unit: text,
  totalValue: num,
  samples: count,
  trials: count,
  windowMs: num,
  top: object({ self: list(functionShare), total: list(functionShare) }),
  tree: flameNode,
  missing: text.optional()
});

const shareChange = object({ ...frame, base: num, head: num, points: num });

/** model-profiling.ts `ProfilingResult`. */
export const profilingResult = object({
  profiles: list(capturedProfile),
  diffs: list(
    object({
      profile: text,
      kind: oneOf(['cpu', 'heap']),
      grew: list(shareChange),
      shrank: list(shareChange)
    })
  ),
  warnings: list(text)
});

/**
 * `findings:` (SPEC §11): the limits the findings stage judges results by (findings/limits.ts), for a
 * team whose service or runner reads differently from the defaults — any of them set, the others
 * kept — or `false` to look for none. Findings read results and shape no measurement, so the key
 * is not in the config hash.
 */
import { z } from 'zod';
import { DEFAULT_FINDING_LIMITS, type FindingLimits } from '../findings/limits.js';
import { changeFraction } from './fields.js';
import { expected, strictMap } from './messages.js';

const SHARE_EXAMPLE = 'a share like "5%" or 0.05';

/** A share written `5%` or `0.05`, with `min` < share ≤ `max` (fractions). */
function share(min: number, max: number) {
  const range = `a share greater than ${min * 100}% and at most ${max * 100}%`;
  return z
    .union(
      [z.string(expected(SHARE_EXAMPLE)).regex(/^\d+(?:\.\d+)?%$/), z.number(expected(SHARE_EXAMPLE))],
      expected(SHARE_EXAMPLE)
    )
    .refine(value => {
      const fraction = changeFraction(value);
      return fraction === undefined || (fraction > min && fraction <= max);
    }, expected(range))
    .transform(value => changeFraction(value) ?? Number.NaN);
}

const SIZE_EXAMPLE = 'a size like "10MB" (B, KB, MB, GB: binary) or a number of MB';
const SIZE_UNITS: Record<string, number> = { b: 1 / 1024 ** 2, kb: 1 / 1024, mb: 1, gb: 1024 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?) *(b|kb|mb|gb)$/i;

/** Megabytes (binary, as `ps` and the findings count) of `10MB` or of a number of MB; NaN for neither. */
function toMegabytes(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = SIZE_PATTERN.exec(value);
  return m ? Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]! : Number.NaN;
}

const megabytes = z
  .union(
    [z.string(expected(SIZE_EXAMPLE)).regex(SIZE_PATTERN), z.number(expected(SIZE_EXAMPLE))],
    expected(SIZE_EXAMPLE)
  )
  .refine(value => {
    const mb = toMegabytes(value);
    // Not a size at all: the pattern's issue says so.
    return Number.isNaN(mb) || (mb > 0 && mb <= 1024 * 1024);
  }, expected('a size greater than 0 and at most 1 TB'))
  .transform(toMegabytes);

const FINDINGS_WHAT =
  'false, or a map with kneeGain, kneeP99Rise, errorRate, tailRatio, memoryGrowth, cpuShare';

/** The `findings:` key. */
export const findingsSchema = z.union(
  [
    z.literal(false, expected(FINDINGS_WHAT)),
    strictMap(
      {
        kneeGain: share(0, 0.5)
          .optional()
          .describe(
            'Saturation knee: a step whose throughput rose by at most this share has stopped rising. Default: 5%.'
          ),
        kneeP99Rise: share(0, 10)
          .optional()
          .describe('Saturation knee: …while its p99 rose by at least this share. Default: 25%.'),
        errorRate: share(0, 1)
          .optional()
          .describe(
            'Error onset: the first step or second with more than this share of requests failed. Default: 1%.'
          ),
        tailRatio: z
          .number(expected('a ratio greater than 1, like 10'))
          .gt(1)
          .max(1_000_000)
          .optional()
          .describe('Tail ratio: p99 ÷ p50 above this is reported (only with p99 ≥ 5 ms). Default: 10.'),
        memoryGrowth: megabytes
          .optional()
          .describe(
            "Memory growth in a soak: a leak is suspected only when RSS grew more than this over the window (and its slope's interval excludes 0). Default: 10MB."
          ),
        cpuShare: share(0, 1)
          .optional()
          .describe(
            'CPU-bound: the service used at least this share of the cores it ran into where throughput plateaued. Default: 80%.'
          )
      },
      'a map with kneeGain, kneeP99Rise, errorRate, tailRatio, memoryGrowth, cpuShare'
    )
  ],
  expected(FINDINGS_WHAT)
);

export type ParsedFindings = z.output<typeof findingsSchema>;

/**
 * The limits of `findings:`: the defaults with what it sets; `false` when it turns findings off;
 * undefined without the key (the defaults).
 */
export function resolveFindings(parsed: ParsedFindings | undefined): FindingLimits | false | undefined {
  if (parsed === undefined) return undefined;
  if (parsed === false) return false;
  const { memoryGrowth, ...rest } = parsed;
  const set = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...DEFAULT_FINDING_LIMITS,
    ...set,
    ...(memoryGrowth !== undefined && { memoryGrowthMb: memoryGrowth })
  };
}

/**
 * `profiling:` (SPEC §11, §12): what perfgate records of the service during the measured trials — a
 * CPU profile, a sampled heap profile — and through what: Node's inspector (the service perfgate
 * starts runs with one on a loopback port) or, with `pprof:`, the service's pprof endpoint. The
 * schema here is part of the config schema in `schema.ts`; `resolveProfiling` turns it into
 * `ResolvedConfig.profiling`, absent when nothing is to be profiled (so configs without the key, or
 * with everything off, keep their hash).
 */
import { z } from 'zod';
import * as f from './fields.js';
import { describeValue, expected, strictMap } from './messages.js';
import type { PathIssue } from './format-issues.js';
import type { ProfilingConfig } from './types.js';

/** Node's own CPU sampling interval (`--cpu-prof-interval`), and V8's mean bytes between heap samples. */
export const PROFILING_DEFAULTS = { intervalUs: 1000, heapIntervalBytes: 32768 };

/**
 * The finest and coarsest CPU sampling interval, µs. Finer than 100 µs the sampler's own interrupts
 * cost the service a share of its CPU that the profile then shows as its work; coarser than 100 ms a
 * trial of a few seconds holds too few samples to rank functions.
 */
export const INTERVAL_RANGE_US = { min: 100, max: 100_000 };

const INTERVAL_UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };
/** A number and a unit of `INTERVAL_UNITS`, without flags so it goes into the JSON Schema as is. */
const INTERVAL_PATTERN = '^(?:\\d+(?:\\.\\d+)?|\\.\\d+) *(?:us|µs|ms|s)$';
const INTERVAL_EXAMPLE = 'an interval like "1ms" or "500us"';

/** Microseconds of an interval like `500us`, rounded to whole µs; undefined when the text is not one. */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+) *(us|µs|ms|s)$/.exec(text);
  return m ? Math.round(Number(m[1]) * INTERVAL_UNITS[m[2]!]!) : undefined;
}

const interval = z
  .string(expected(INTERVAL_EXAMPLE))
  .regex(new RegExp(INTERVAL_PATTERN))
  .superRefine((text, ctx) => {
    const us = parseInterval(text);
    if (us !== undefined && (us < INTERVAL_RANGE_US.min || us > INTERVAL_RANGE_US.max)) {
      ctx.addIssue({
        code: 'custom',
        message:
          `expected an interval from 100us to 100ms (finer costs the service more CPU than it measures, ` +
          `coarser leaves too few samples), got ${describeValue(text)}`
      });
    }
  })
  .transform(text => parseInterval(text) ?? Number.NaN);

const PPROF_EXAMPLE = 'an http(s) URL of a pprof endpoint like "http://127.0.0.1:6060/debug/pprof"';

/**
 * The base URL of a pprof endpoint (`…/debug/pprof`, to which `profile` and `heap` are added): any
 * http(s) URL without `user:password@`, query or fragment; stored without its trailing `/`.
 */
const pprofUrl = z
  .string(expected(PPROF_EXAMPLE))
  .refine(
    text => {
      try {
        const url = new URL(text);
        return (
          (url.protocol === 'http:' || url.protocol === 'https:') &&
          !url.username &&
          !url.password &&
          !/[?#]/.test(text)
        );
      } catch {
        return false;
      }
    },
    expected(`${PPROF_EXAMPLE}, without user:password, query or fragment`)
  )
  .transform(text => text.replace(/\/+$/, ''));

const PPROF_WHAT = `${PPROF_EXAMPLE}, or a map with head and base URLs`;

/** The `profiling:` key. */
export const profiling = strictMap(
  {
    cpu: z
      .boolean(expected('true or false'))
      .optional()
      .describe(
        'Record a CPU profile of the service over the measured trials (not start-up, not warmup). Default: false; true with pprof.'
      ),
    heap: z
      .boolean(expected('true or false'))
      .optional()
      .describe('Record a sampled heap profile over the measured trials. Default: false; true with pprof.'),
    pprof: z
      .union(
        [
          pprofUrl,
          strictMap(
            {
              head: pprofUrl.describe("The head's pprof endpoint."),
              base: pprofUrl.optional().describe("The base's pprof endpoint (paired mode).")
            },
            'a map with head and base URLs'
          )
        ],
        expected(PPROF_WHAT)
      )
      .optional()
      .describe(
        "The service's pprof endpoint (Go's net/http/pprof or any pprof-speaking service), e.g. http://127.0.0.1:6060/debug/pprof; { head, base } in paired mode. Profiles through it instead of Node's inspector."
      ),
    interval: interval
      .optional()
      .describe('CPU sampling interval of the Node inspector, from 100us to 100ms. Default: 1ms.'),
    heapInterval: f
      .integer(1024, 1_073_741_824)
      .optional()
      .describe('Mean bytes allocated between two heap samples of the Node inspector. Default: 32768.')
  },
  'a map with cpu, heap, pprof, interval, heapInterval'
);

type ParsedProfiling = z.output<typeof profiling>;

/**
 * `ResolvedConfig.profiling`: defaults applied (with `pprof`, cpu and heap are on unless turned
 * off), absent when neither is on. `paired`: the config has a base side.
 */
export function resolveProfiling(
  parsed: ParsedProfiling | undefined,
  paired: boolean
): { profiling?: ProfilingConfig; issues: PathIssue[] } {
  if (!parsed) return { issues: [] };
  const issues: PathIssue[] = [];
  const at = (key: string, ...rest: string[]) => ['profiling', key, ...rest];
  const pprof = typeof parsed.pprof === 'string' ? { head: parsed.pprof } : parsed.pprof;
  if (pprof?.base !== undefined && !paired) {
    issues.push({
      path: at('pprof', 'base'),
      message: 'expected a base endpoint only in paired mode (with service.base), got one without a base'
    });
  }
  if (pprof) {
    for (const key of ['interval', 'heapInterval'] as const) {
      if (parsed[key] === undefined) continue;
      issues.push({
        path: at(key),
        message: `expected ${key} only without pprof (a pprof endpoint samples at the rate its service set), got ${key} with pprof`
      });
    }
  }
  const cpu = parsed.cpu ?? pprof !== undefined;
  const heap = parsed.heap ?? pprof !== undefined;
  if (!cpu && !heap) return { issues };
  return {
    profiling: {
      cpu,
      heap,
      ...(pprof && { pprof }),
      intervalUs: parsed.interval ?? PROFILING_DEFAULTS.intervalUs,
      heapIntervalBytes: parsed.heapInterval ?? PROFILING_DEFAULTS.heapIntervalBytes
    },
    issues
  };
}

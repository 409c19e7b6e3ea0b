/**
 * The schema of one entry of `imports:` (SPEC §4, §12): a file another tool wrote for the head, and
 * optionally one for the base, read by the importer of its format (named, or detected from the
 * content), and which of its benchmarks are gated with which δ. Part of the config schema in `schema.ts`.
 */
import { z } from 'zod';
import * as f from './fields.js';
import { expected, strictMap } from './messages.js';

const compare = z
  .record(
    z.string().min(1),
    f.relevantChange,
    expected('a map of benchmark names or globs ("*", "Benchmark*") to a minimum relevant change')
  )
  .describe(
    'Benchmark name or glob → minimum relevant change of its primary metric ("5%" or 0.05). An exact name overrides a glob, a longer glob a shorter one. Default: { "*": 5% }.'
  );

/** One entry of `imports:`. */
export const importEntry = strictMap(
  {
    name: f
      .nonEmptyString('an import name')
      .describe('Unique name of the import (among profiles, benchmarks and imports).'),
    format: f
      .nonEmptyString('a format name')
      .optional()
      .describe(
        'The format of the files, e.g. go, criterion, google-benchmark. Default: detected from the content.'
      ),
    path: f
      .nonEmptyString('a file path')
      .describe("The head's output file, relative to the config file's directory."),
    base: f
      .nonEmptyString('a file path')
      .optional()
      .describe(
        "The base's output file: its benchmarks are compared with the head's. Default: a stored baseline, if any."
      ),
    compare: compare.optional()
  },
  'a map with name, path and optionally format, base, compare'
);

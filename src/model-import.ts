/**
 * Imported results' part of the result model (SPEC §4, §12 `imports[]`): what each imported file
 * held. Its measurements are in `results.series` (source = the import's name) like every other
 * source's; this record says where they came from and which benchmarks the two sides did not share.
 */

/** One imported benchmark's metrics and the kind of data each had. */
export interface ImportedBenchmarkRecord {
  name: string;
  metrics: Array<{
    name: string;
    unit: string;
    better: 'lower' | 'higher';
    /** `samples`: raw samples (rank tests); `summary`: mean and spread (Welch); `value`: one number (δ). */
    data: 'samples' | 'summary' | 'value';
  }>;
}

export interface ImportResult {
  name: string;
  format: string;
  /** The head's file, as the config names it. */
  path: string;
  /** The base's file, when the config names one. */
  base?: { format: string; path: string };
  /** The head's benchmarks in the file's order. */
  benchmarks: ImportedBenchmarkRecord[];
  /** With a base (a file or a stored baseline): benchmarks only the head has, and only the base has. */
  added: string[];
  removed: string[];
}

/**
 * Evaluates a benchmark's thresholds over the head's counted runs (series/benchmark.ts): each
 * expression's aggregation (avg, min, med, max, p(N)) is taken over one value per run.
 */
import type { BenchmarkConfig } from '../config/types.js';
import type { BenchmarkResult, ThresholdResult } from '../model.js';
import { countedRuns, runValue } from '../series/benchmark.js';
import { sampleAggregate, thresholdResult } from './evaluate.js';

/** Threshold results of one benchmark, in the order they were written. */
export function evaluateRunThresholds(config: BenchmarkConfig, result: BenchmarkResult): ThresholdResult[] {
  const runs = countedRuns(result, 'head');
  return config.thresholds.map(spec => {
    const values = runs.flatMap(r => {
      const v = runValue(r, spec.metric);
      return v !== null && Number.isFinite(v) ? [v] : [];
    });
    return thresholdResult(config.name, spec, sampleAggregate(values, spec.parsed.aggregation));
  });
}

/**
 * The standard normal distribution for the normal approximations, from @stdlib (computed through
 * `erfc`, accurate far into the tails, like SciPy's `special.ndtr`).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Alternative } from './types.js';

/** Φ(z), the standard normal CDF. */
export function phi(z: number): number {
  return normalCdf(z, 0, 1);
}

/** Φ⁻¹(p), the standard normal quantile. */
export function phiInverse(p: number): number {
  return normalQuantile(p, 0, 1);
}

/**
 * p-value of a standardized statistic z that is large under `'greater'`: Φ(z) for `'less'`,
 * 1 − Φ(z) = Φ(−z) for `'greater'`, 2 Φ(−|z|) for `'two-sided'` (SciPy's `_get_pvalue` with its
 * `_SimpleNormal`).
 */
export function normalPValue(z: number, alternative: Alternative): number {
  if (alternative === 'less') return phi(z);
  if (alternative === 'greater') return phi(-z);
  return 2 * phi(-Math.abs(z));
}

/**
 * The weighted request mix as one fixed sequence. autocannon sends each connection's requests in
 * the order of its `requests` array, round and round; so the array is the mix. Weights become
 * integer shares, and smooth weighted round-robin (nginx's `ngx_http_upstream_get_peer`) spreads
 * them evenly, so that any prefix of the sequence is already close to the weights (1 : 2 → a b b,
 * interleaved as b a b).
 */

/** Longest sequence built; also the resolution of non-integer weights (1 / 1000 of the mix). */
export const MAX_SEQUENCE_LENGTH = 1000;

/**
 * Integer shares proportional to `weights`, reduced by their greatest common divisor. Weights that
 * are integers (or become integers when multiplied by a small factor, e.g. 0.5 and 1.5) are kept
 * exactly when their sum fits `maxLength`; otherwise the shares are the largest-remainder
 * apportionment of `maxLength`, each at least 1.
 */
export function integerShares(weights: number[], maxLength = MAX_SEQUENCE_LENGTH): number[] {
  if (weights.length === 0) throw new Error('a request mix needs at least one request');
  if (weights.some(w => !(w > 0) || !Number.isFinite(w))) {
    throw new Error(`request weights must be positive numbers, got ${weights.join(', ')}`);
  }
  if (maxLength < weights.length)
    throw new Error(`a mix of ${weights.length} requests needs maxLength ≥ that`);
  return reduce(exactShares(weights, maxLength) ?? apportion(weights, maxLength));
}

/** Sequence of request indices (0-based) with `integerShares(weights)` occurrences each, interleaved. */
export function buildMixSequence(weights: number[], maxLength = MAX_SEQUENCE_LENGTH): number[] {
  const shares = integerShares(weights, maxLength);
  const total = shares.reduce((a, b) => a + b, 0);
  const current = shares.map(() => 0);
  const sequence: number[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < shares.length; i++) {
      current[i]! += shares[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    sequence.push(best);
  }
  return sequence;
}

function exactShares(weights: number[], maxLength: number): number[] | null {
  for (let factor = 1; factor <= 100; factor++) {
    const scaled = weights.map(w => w * factor);
    if (scaled.every(s => Math.abs(s - Math.round(s)) < 1e-9)) {
      const ints = scaled.map(Math.round);
      return ints.reduce((a, b) => a + b, 0) <= maxLength ? ints : null;
    }
  }
  return null;
}

function apportion(weights: number[], length: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  // Every request gets one slot first, the rest goes by largest remainder.
  const spare = length - weights.length;
  const quotas = weights.map(w => (w / sum) * spare);
  const shares = quotas.map(q => 1 + Math.floor(q));
  let left = length - shares.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return shares;
}

function reduce(shares: number[]): number[] {
  const g = shares.reduce((a, b) => gcd(a, b));
  return shares.map(s => s / g);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

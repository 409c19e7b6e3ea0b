/**
 * Benchmark-name patterns of `imports[].compare` (SPEC §12 `compare: { '*': 5% }`): `*` any run of
 * characters and `?` one character — `/` included, since benchmark names are not paths
 * (`BenchmarkParse/large-8` is matched by `BenchmarkParse*`). Path globs (picomatch and the like)
 * stop `*` at `/`, so this is its own small matcher.
 */

/** Whether `pattern` holds a wildcard. */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** Whether `name` matches `pattern` as a whole. */
export function globMatches(pattern: string, name: string): boolean {
  const source = [...pattern]
    .map(ch => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'u').test(name);
}

/**
 * The δ `name` is gated with: an exact name first, else the matching glob with the most literal
 * characters (the more specific); undefined when none matches (reported, not gated).
 */
export function gatedDelta(
  compare: ReadonlyArray<{ pattern: string; delta: number }>,
  name: string
): number | undefined {
  const exact = compare.find(c => !isGlob(c.pattern) && c.pattern === name);
  if (exact) return exact.delta;
  const literal = (p: string) => p.replace(/[*?]/g, '').length;
  const globs = compare.filter(c => isGlob(c.pattern) && globMatches(c.pattern, name));
  globs.sort((a, b) => literal(b.pattern) - literal(a.pattern));
  return globs[0]?.delta;
}

/** Benchmark-name patterns of `imports[].compare`: `*` and `?` cross `/`; the most specific pattern wins. */
import { gatedDelta, globMatches, isGlob } from '../../../src/imports/glob.js';

describe('benchmark-name globs', () => {
  it('match whole names, with * and ? across slashes, spaces and unicode, and nothing else special', () => {
    expect(globMatches('*', 'pkg.BenchmarkParse/size=1KB/ünïcode name-8')).toBe(true);
    expect(globMatches('BenchmarkParse*', 'BenchmarkParse/large-8')).toBe(true);
    expect(globMatches('BenchmarkParse*', 'pkg.BenchmarkParse')).toBe(false);
    expect(globMatches('fib(?0)', 'fib(20)')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('[x]+', '[x]+')).toBe(true);
    expect(isGlob('parse big')).toBe(false);
    expect(isGlob('parse *')).toBe(true);
  });

  it('gate with the δ of an exact name first, else of the matching glob with the most literal characters', () => {
    const compare = [
      { pattern: '*', delta: 0.05 },
      { pattern: 'parse *', delta: 0.1 },
      { pattern: 'parse big', delta: 0.2 }
    ];
    expect(gatedDelta(compare, 'parse big')).toBe(0.2);
    expect(gatedDelta(compare, 'parse small')).toBe(0.1);
    expect(gatedDelta(compare, 'render')).toBe(0.05);
    expect(gatedDelta([{ pattern: 'parse *', delta: 0.1 }], 'render')).toBeUndefined();
  });
});

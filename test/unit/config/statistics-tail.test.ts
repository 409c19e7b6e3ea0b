/** `statistics.tail`: the per-trial estimator of latency percentiles in comparisons. */
import { parseConfig } from '../../../src/config/load-config.js';
import { configErrorOf } from '../../helpers/config-error.js';

function config(statistics: string[]): string {
  return [
    'version: 1',
    'target: http://127.0.0.1:3000',
    ...statistics,
    'profiles:',
    '  - name: hello',
    '  - name: other'
  ].join('\n');
}

const errorOf = configErrorOf;

describe('statistics.tail', () => {
  it.each(['hdr', 'tail-mean'] as const)('%s reaches the statistics and every profile', tail => {
    const c = parseConfig(config([`statistics: { tail: ${tail} }`]), '/repo/perfgate.yml', {});
    expect(c.statistics.tail).toBe(tail);
    expect(c.profiles.map(p => p.tail)).toEqual([tail, tail]);
  });

  it('is absent by default and for harrell-davis (the default), which keeps the hash of a config that does not set it', () => {
    const plain = parseConfig(config([]), '/repo/perfgate.yml', {});
    const hd = parseConfig(config(['statistics: { tail: harrell-davis }']), '/repo/perfgate.yml', {});
    const hdr = parseConfig(config(['statistics: { tail: hdr }']), '/repo/perfgate.yml', {});
    for (const c of [plain, hd]) {
      expect(c.statistics.tail).toBeUndefined();
      expect(c.profiles.every(p => !('tail' in p))).toBe(true);
    }
    expect(hd.hash).toBe(plain.hash);
    expect(hdr.hash).not.toBe(plain.hash);
  });

  it.each([
    [
      'an unknown estimator',
      ['statistics: { tail: hd }'],
      'perfgate.yml:3:21 statistics.tail: expected one of hdr, harrell-davis, tail-mean, got "hd"'
    ],
    [
      'a number',
      ['statistics:', '  alpha: 0.05', '  tail: 99'],
      'perfgate.yml:5:9 statistics.tail: expected one of hdr, harrell-davis, tail-mean, got 99'
    ],
    [
      'a misspelt key',
      ['statistics: { tial: tail-mean }'],
      'perfgate.yml:3:15 statistics.tial: expected one of alpha, auto, changePoints, tail, got "tial"'
    ]
  ])('refuses %s with file:line:col', (_, lines, message) => {
    const err = errorOf(config(lines));
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(2);
  });
});

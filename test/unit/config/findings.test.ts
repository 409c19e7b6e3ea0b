/** `findings:`: the limits the findings stage judges by, any of them set, or false for none. */
import { parseConfig } from '../../../src/config/load-config.js';
import { DEFAULT_FINDING_LIMITS } from '../../../src/findings/limits.js';
import { configErrorOf } from '../../helpers/config-error.js';

/** A config whose `findings` lines start on line 4. */
const config = (lines: string[]) =>
  ['version: 1', 'target: http://127.0.0.1:3000', 'profiles: [{ name: hello }]', ...lines].join('\n');

const parse = (text: string) => parseConfig(text, '/repo/perfgate.yml', {});

describe('findings: accepted', () => {
  it.each([
    ['one limit, the others kept', 'findings: { tailRatio: 20 }', { tailRatio: 20 }],
    [
      'shares as percentages and fractions',
      'findings: { kneeGain: 2.5%, kneeP99Rise: 0.5, errorRate: 0.1%, cpuShare: 90% }',
      { kneeGain: 0.025, kneeP99Rise: 0.5, errorRate: 0.001, cpuShare: 0.9 }
    ],
    ['a p99 rise above 100 %', 'findings: { kneeP99Rise: 150% }', { kneeP99Rise: 1.5 }],
    ['memory growth in MB', 'findings: { memoryGrowth: 50MB }', { memoryGrowthMb: 50 }],
    ['memory growth in KB (binary)', 'findings: { memoryGrowth: 512 kb }', { memoryGrowthMb: 0.5 }],
    ['memory growth in GB', 'findings: { memoryGrowth: 1.5GB }', { memoryGrowthMb: 1536 }],
    ['memory growth as a number of MB', 'findings: { memoryGrowth: 25 }', { memoryGrowthMb: 25 }]
  ])('%s', (_, line, expected) => {
    expect(parse(config([line])).findings).toEqual({ ...DEFAULT_FINDING_LIMITS, ...expected });
  });

  it('false turns findings off; without the key the defaults apply (findings absent)', () => {
    expect(parse(config(['findings: false'])).findings).toBe(false);
    expect(parse(config([])).findings).toBeUndefined();
  });

  it('does not change the config hash: findings judge results, they shape no measurement', () => {
    const plain = parse(config([]));
    expect(parse(config(['findings: { tailRatio: 3 }'])).hash).toBe(plain.hash);
    expect(parse(config(['findings: false'])).hash).toBe(plain.hash);
  });
});

describe('findings: refused with file:line:col', () => {
  it.each([
    [
      'a misspelt key',
      ['findings: { tailRatoi: 3 }'],
      'perfgate.yml:4:13 findings.tailRatoi: expected one of kneeGain, kneeP99Rise, errorRate, tailRatio, memoryGrowth, cpuShare, got "tailRatoi"'
    ],
    [
      'a tail ratio of 1 or less',
      ['findings:', '  tailRatio: 1'],
      'perfgate.yml:5:14 findings.tailRatio: expected a ratio greater than 1, like 10, got 1'
    ],
    [
      'a share without a percent sign or a fraction',
      ['findings: { kneeGain: five }'],
      'perfgate.yml:4:23 findings.kneeGain: expected a share like "5%" or 0.05, got "five"'
    ],
    [
      'a knee gain of half or more',
      ['findings: { kneeGain: 60% }'],
      'perfgate.yml:4:23 findings.kneeGain: expected a share greater than 0% and at most 50%, got "60%"'
    ],
    [
      'an error rate of 0',
      ['findings: { errorRate: 0 }'],
      'perfgate.yml:4:24 findings.errorRate: expected a share greater than 0% and at most 100%, got 0'
    ],
    [
      'a CPU share above 100 %',
      ['findings: { cpuShare: 120% }'],
      'perfgate.yml:4:23 findings.cpuShare: expected a share greater than 0% and at most 100%, got "120%"'
    ],
    [
      'a size with an unknown unit',
      ['findings: { memoryGrowth: 10 MiB }'],
      'perfgate.yml:4:27 findings.memoryGrowth: expected a size like "10MB" (B, KB, MB, GB: binary) or a number of MB, got "10 MiB"'
    ],
    [
      'a size of 0',
      ['findings: { memoryGrowth: 0MB }'],
      'perfgate.yml:4:27 findings.memoryGrowth: expected a size greater than 0 and at most 1 TB, got "0MB"'
    ],
    [
      'true',
      ['findings: true'],
      'perfgate.yml:4:11 findings: expected false, or a map with kneeGain, kneeP99Rise, errorRate, tailRatio, memoryGrowth, cpuShare, got true'
    ]
  ])('%s', (_, lines, message) => {
    const err = configErrorOf(config(lines));
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(2);
  });
});

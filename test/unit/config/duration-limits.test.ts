import { ConfigError } from '../../../src/errors.js';
import { MAX_DURATION_MS, parseDuration } from '../../../src/config/durations.js';
import { MAX_TIMER_MS as TIMER_MAX_MS } from '../../../src/load/deadline.js';
import { durationRangeIssue, LOAD_RANGE } from '../../../src/config/duration-fields.js';
import { parseConfig } from '../../../src/config/load-config.js';

/** A config with one profile: `profile` lines under it, `top` lines before `profiles:`. */
function config(profile: string[] = [], top: string[] = []): string {
  return ['version: 1', 'target: http://127.0.0.1:3000', ...top, 'profiles:', '  - name: p', ...profile].join(
    '\n'
  );
}

function errorLines(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, 'perfgate.yml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

const TOO_LONG = 'expected a duration of at most 596h (about 24.8 days, the longest a timer holds)';
const LOAD_FLOOR = 'expected a duration of at least 100ms (shorter load measures only its own start-up)';
const MS_FLOOR = 'expected a duration of at least 1ms (timers count whole milliseconds)';
const ZERO_OR_MS = 'expected a duration of 0 or at least 1ms (timers count whole milliseconds)';
const SERVICE = ['service:', '  command: node server.js'];

/** Every duration key of the config, too long and too short. */
const CASES: Array<{ name: string; text: string; env?: NodeJS.ProcessEnv; line: string }> = [
  {
    name: 'trial too long',
    text: config(['    duration: 597h']),
    line: `perfgate.yml:5:15 profiles[0].duration: ${TOO_LONG}, got "597h"`
  },
  {
    name: 'trial too long in minutes',
    text: config(['    duration: 35761m']),
    line: `perfgate.yml:5:15 profiles[0].duration: ${TOO_LONG}, got "35761m"`
  },
  {
    name: 'trial too long to be a number at all',
    text: config([`    duration: ${'9'.repeat(400)}h`]),
    line: `perfgate.yml:5:15 profiles[0].duration: ${TOO_LONG}, got "${'9'.repeat(60)}…"`
  },
  {
    name: 'trial too short',
    text: config(['    duration: 99ms']),
    line: `perfgate.yml:5:15 profiles[0].duration: ${LOAD_FLOOR}, got "99ms"`
  },
  {
    name: 'trial of zero',
    text: config(['    duration: 0s']),
    line: 'perfgate.yml:5:15 profiles[0].duration: expected a duration greater than 0, got "0s"'
  },
  {
    name: 'default trial too short',
    text: config([], ['defaults: { duration: 0.05s }']),
    line: `perfgate.yml:3:23 defaults.duration: ${LOAD_FLOOR}, got "0.05s"`
  },
  {
    name: 'warmup between 0 and 1 ms',
    text: config(['    warmup: 0.5ms']),
    line: `perfgate.yml:5:13 profiles[0].warmup: ${ZERO_OR_MS}, got "0.5ms"`
  },
  {
    name: 'warmup too long',
    text: config([], ['defaults: { warmup: 600h }']),
    line: `perfgate.yml:3:21 defaults.warmup: ${TOO_LONG}, got "600h"`
  },
  {
    name: 'request timeout below 1 ms',
    text: config(['    timeout: .9ms']),
    line: `perfgate.yml:5:14 profiles[0].timeout: ${MS_FLOOR}, got ".9ms"`
  },
  {
    name: 'request timeout too long',
    text: config(['    timeout: 1000h']),
    line: `perfgate.yml:5:14 profiles[0].timeout: ${TOO_LONG}, got "1000h"`
  },
  {
    name: 'stage too short',
    text: config(['    stages: [{ duration: 10ms, connections: 1 }]']),
    line: `perfgate.yml:5:26 profiles[0].stages[0].duration: ${LOAD_FLOOR}, got "10ms"`
  },
  {
    name: 'stage too long',
    text: config(['    stages: [{ duration: 2147483647ms, connections: 1 }]']),
    line: `perfgate.yml:5:26 profiles[0].stages[0].duration: ${TOO_LONG}, got "2147483647ms"`
  },
  {
    name: 'spike too short',
    text: config(['    shape: spike', '    spike: { for: 50ms }']),
    line: `perfgate.yml:6:19 profiles[0].spike.for: ${LOAD_FLOOR}, got "50ms"`
  },
  {
    name: 'recovery too long',
    text: config(['    shape: spike', '    spike: { after: 700h }']),
    line: `perfgate.yml:6:21 profiles[0].spike.after: ${TOO_LONG}, got "700h"`
  },
  {
    name: 'stress step too short',
    text: config(['    shape: stress', '    stress: { stepDuration: 1ms }']),
    line: `perfgate.yml:6:29 profiles[0].stress.stepDuration: ${LOAD_FLOOR}, got "1ms"`
  },
  {
    name: 'ramp too long',
    text: config(['    shape: rampup', '    rampup: { over: 601h }']),
    line: `perfgate.yml:6:21 profiles[0].rampup.over: ${TOO_LONG}, got "601h"`
  },
  {
    name: 'ramp steps too short',
    text: config(['    shape: rampup', '    rampup: { over: 300ms, steps: 5 }']),
    line: 'perfgate.yml:6:21 profiles[0].rampup.over: expected a ramp of at least 500ms (5 steps of at least 100ms), got 300ms'
  },
  {
    name: 'ramp over the profile duration, its steps too short',
    text: config(['    duration: 200ms', '    shape: rampup', '    rampup: { steps: 4 }']),
    line: 'perfgate.yml:5:15 profiles[0].duration: expected a ramp of at least 400ms (4 steps of at least 100ms), got 200ms'
  },
  {
    name: 'wave period shorter than two steps',
    text: config(['    duration: 10s', '    shape: wave', '    wave: { period: 1500ms }']),
    line: "perfgate.yml:7:21 profiles[0].wave.period: expected a period of at least 2s (two of the wave's 1s steps), got 1500ms"
  },
  {
    name: 'wave over a duration too short for its period',
    text: config(['    duration: 1s', '    shape: wave']),
    line: "perfgate.yml:5:15 profiles[0].duration: expected a period of at least 2s (two of the wave's 1s steps), got 1s"
  },
  {
    name: 'a long wave steps more slowly, and its period must hold two of those steps',
    text: config(['    duration: 2h', '    shape: wave', '    wave: { period: 10s }']),
    line: "perfgate.yml:7:21 profiles[0].wave.period: expected a period of at least 16s (two of the wave's 8s steps), got 10s"
  },
  {
    name: 'wave period too long',
    text: config(['    shape: wave', '    wave: { period: 1000h }']),
    line: `perfgate.yml:6:21 profiles[0].wave.period: ${TOO_LONG}, got "1000h"`
  },
  {
    name: 'ready timeout too short',
    text: config([], [...SERVICE, '  ready: { tcp: "127.0.0.1:3000", timeout: 50ms }']),
    line: 'perfgate.yml:5:44 service.ready.timeout: expected a duration of at least 100ms (a service needs longer to start), got "50ms"'
  },
  {
    name: 'ready timeout too long',
    text: config([], [...SERVICE, '  ready: { tcp: "127.0.0.1:3000", timeout: 25d }']),
    line: 'perfgate.yml:5:44 service.ready.timeout: expected a duration like "30s", got "25d"'
  },
  {
    name: 'stop grace period between 0 and 1 ms',
    text: config([], [...SERVICE, '  stopTimeout: 0.1ms']),
    line: `perfgate.yml:5:16 service.stopTimeout: ${ZERO_OR_MS}, got "0.1ms"`
  },
  {
    name: 'base stop grace period too long',
    text: config([], [...SERVICE, '  base: { target: "http://127.0.0.1:3001", stopTimeout: 999h }']),
    line: `perfgate.yml:5:57 service.base.stopTimeout: ${TOO_LONG}, got "999h"`
  },
  {
    name: 'auto budget too long',
    text: config([], ['statistics: { auto: { budget: 600h } }']),
    line: `perfgate.yml:3:31 statistics.auto.budget: ${TOO_LONG}, got "600h"`
  },
  {
    name: 'auto budget too short',
    text: config([], ['statistics: { auto: { budget: 10ms } }']),
    line: 'perfgate.yml:3:31 statistics.auto.budget: expected a duration of at least 100ms (it cannot hold a trial), got "10ms"'
  },
  {
    name: 'a duration from the environment, shown as written',
    text: config(['    duration: ${DURATION}']),
    env: { DURATION: '720h' },
    line: `perfgate.yml:5:15 profiles[0].duration: ${TOO_LONG}, got "\${DURATION}"`
  },
  {
    name: 'a warmup from the environment',
    text: config(['    warmup: "${{ env.WARMUP }}"']),
    env: { WARMUP: '0.25ms' },
    line: `perfgate.yml:5:13 profiles[0].warmup: ${ZERO_OR_MS}, got "\${{ env.WARMUP }}"`
  }
];

describe('duration limits', () => {
  it.each(CASES)('$name', ({ text, env, line }) => {
    expect(errorLines(text, env)).toEqual([line]);
  });

  it.each([
    ['the longest duration', config(['    duration: 596h'])],
    ['the shortest trial', config(['    duration: 100ms'])],
    ['no warmup', config(['    warmup: 0s'])],
    ['a 1 ms warmup and request timeout', config(['    warmup: 1ms', '    timeout: 1ms'])],
    ['killing at once on stop', config([], [...SERVICE, '  stopTimeout: 0ms'])],
    ['a ramp of 100 ms steps', config(['    shape: rampup', '    rampup: { over: 500ms }'])],
    ['a wave of two steps', config(['    duration: 2s', '    shape: wave'])]
  ])('accepts %s', (_, text) => {
    expect(() => parseConfig(text, 'perfgate.yml', {})).not.toThrow();
  });

  it('steps a long wave more slowly, never in more than 1000 stages', () => {
    const long = parseConfig(config(['    duration: 596h', '    shape: wave']), 'perfgate.yml', {});
    const stages = long.profiles[0]!.stages;
    expect(stages).toHaveLength(1000);
    expect(stages.reduce((n, s) => n + s.durationMs, 0)).toBe(596 * 3_600_000);
    const short = parseConfig(config(['    duration: 20s', '    shape: wave']), 'perfgate.yml', {});
    expect(short.profiles[0]!.stages.map(s => s.durationMs)).toEqual(Array(20).fill(1000));
  });

  it('keeps every duration, with what autocannon adds, within what a timer holds', () => {
    // A stage runs for its duration + 10 s; a request timeout is rounded up to whole seconds.
    expect(MAX_DURATION_MS + 10_000).toBeLessThanOrEqual(TIMER_MAX_MS);
    expect(Math.ceil(MAX_DURATION_MS / 1000) * 1000).toBeLessThanOrEqual(TIMER_MAX_MS);
    expect(parseDuration('596h')).toBe(MAX_DURATION_MS);
    expect(parseDuration(`${'9'.repeat(400)}s`)).toBe(Infinity);
  });

  it.each<[number, string | undefined]>([
    [100, undefined],
    [MAX_DURATION_MS, undefined],
    [99.5, 'a duration of at least 100ms (shorter load measures only its own start-up)'],
    [0, 'a duration greater than 0'],
    [MAX_DURATION_MS + 1, 'a duration of at most 596h (about 24.8 days, the longest a timer holds)'],
    [Infinity, 'a duration of at most 596h (about 24.8 days, the longest a timer holds)'],
    [NaN, 'a duration of at most 596h (about 24.8 days, the longest a timer holds)']
  ])('checks a duration given outside the file (%d ms) as the config does', (ms, issue) => {
    expect(durationRangeIssue(ms, LOAD_RANGE)).toBe(issue);
  });
});

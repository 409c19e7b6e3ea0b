import { parseTimes, shellArgs } from '../../../src/commands/shell-times.js';

describe('parseTimes', () => {
  it.each([
    ['dash', '0m0.000000s 0m0.000000s\n0m0.250000s 0m0.010000s\n', { userMs: 250, sysMs: 10 }],
    ['bash', '0m0.002s 0m0.000s\n0m0.195s 0m0.004s\n', { userMs: 195, sysMs: 4 }],
    ['minutes', '0m0.01s 0m0.00s\n2m3.500s 1m0.250s\n', { userMs: 123_500, sysMs: 60_250 }],
    ['busybox spacing', '0m 0.01s 0m 0.00s\n0m 1.25s 0m 0.50s\n', { userMs: 1250, sysMs: 500 }],
    ['a decimal comma', '0m0,000s 0m0,000s\n0m0,300s 0m0,020s\n', { userMs: 300, sysMs: 20 }],
    ['CRLF', '0m0.000s 0m0.000s\r\n0m0.300s 0m0.020s\r\n', { userMs: 300, sysMs: 20 }]
  ])('reads the children line of %s', (_name, text, expected) => {
    expect(parseTimes(text)).toEqual(expected);
  });

  it.each([
    ['nothing', ''],
    ['one line only', '0m0.250000s 0m0.010000s\n'],
    ['no durations', 'hello\nworld\n']
  ])('gives up on %s', (_name, text) => {
    expect(parseTimes(text)).toBeUndefined();
  });
});

describe('shellArgs', () => {
  it('puts a command line after the trap on its own line, so a trailing comment cannot hide it', () => {
    const [flag, script] = shellArgs('echo hi # a comment', true);
    expect(flag).toBe('-c');
    expect(script!.split('\n')).toEqual(["trap 'times >&3' EXIT", 'echo hi # a comment']);
  });

  it('passes an argv as positional parameters, unparsed', () => {
    expect(shellArgs(['printf', '%s', 'a "b" $c'], false)).toEqual([
      '-c',
      `trap 'times >&3' EXIT\n"$@"`,
      'sh',
      'printf',
      '%s',
      'a "b" $c'
    ]);
  });
});

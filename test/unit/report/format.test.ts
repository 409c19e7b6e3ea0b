import {
  codeBlock,
  codeSpan,
  escapeMarkdown,
  formatDuration,
  formatMs,
  formatObserved,
  formatPercent
} from '../../../src/report/format.js';

describe('formatMs', () => {
  it.each([
    [0.0842, '0.084 ms'],
    [4.214, '4.21 ms'],
    [153.4, '153 ms'],
    [2400, '2.40 s'],
    [null, '–'],
    [Number.NaN, '–']
  ])('%p → %s', (ms, text) => expect(formatMs(ms)).toBe(text));
});

describe('formatObserved', () => {
  it.each([
    [12.5, 'ms', '12.50 ms'],
    [0.0125, 'ratio', '1.25 %'],
    [1234.56, 'req/s', '1,234.6 req/s'],
    [1234, 'count', '1,234'],
    [null, 'ms', 'not measured']
  ])('%p %s → %s', (v, unit, text) => expect(formatObserved(v, unit)).toBe(text));
});

describe('formatPercent and formatDuration', () => {
  it('formats', () => {
    expect(formatPercent(0.5, 1)).toBe('50.0 %');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(5000)).toBe('5s');
    expect(formatDuration(500)).toBe('500ms');
  });
});

describe('escapeMarkdown keeps user strings inert', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '"&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ['a|b', 'a\\|b'],
    ['`rm -rf`', '\\`rm -rf\\`'],
    ['ping @octocat', 'ping @\u200boctocat'],
    ['**bold** [link](x)', '\\*\\*bold\\*\\* \\[link\\](x)'],
    ['two\nlines', 'two lines']
  ])('%j', (input, output) => expect(escapeMarkdown(input)).toBe(output));
});

describe('codeSpan', () => {
  it.each([
    ['p(95)<250', '`p(95)<250`'],
    ['a|b', '`a\\|b`'],
    ['has `tick`', '`` has `tick` ``'],
    ['x\ny', '`x y`']
  ])('%j', (input, output) => expect(codeSpan(input)).toBe(output));
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(codeBlock('plain')).toBe('```\nplain\n```\n');
    expect(codeBlock('has ``` inside')).toBe('````\nhas ``` inside\n````\n');
  });
});

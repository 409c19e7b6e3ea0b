/** escape-terminal.ts: what a terminal or a GitHub Actions runner would act on is shown, not done. */
import { escapeTerminal, escapeTerminalLines } from '../../../src/report/escape-terminal.js';
import { runnerCommands } from '../../helpers/runner-commands.js';

describe('escapeTerminal: one inert line', () => {
  it.each([
    ['plain name', 'plain name'],
    ['red \x1b[31mtext\x1b[0m', 'red \\x1b[31mtext\\x1b[0m'],
    ['clear \x1b[2J\x1b[H', 'clear \\x1b[2J\\x1b[H'],
    ['title \x1b]0;pwned\x07', 'title \\x1b]0;pwned\\x07'],
    ['over\rwrite', 'over\\rwrite'],
    ['two\nlines', 'two\\nlines'],
    ['crlf\r\nend', 'crlf\\r\\nend'],
    ['tab\there', 'tab\\there'],
    ['nul\0byte', 'nul\\x00byte'],
    ['bell\x07 bs\b del\x7f', 'bell\\x07 bs\\x08 del\\x7f'],
    ['vt\v ff\f', 'vt\\x0b ff\\x0c'],
    ['c1 \u009b31m csi, \u0085 nel', 'c1 \\x9b31m csi, \\x85 nel'],
    ['bidi \u202eevil\u202c', 'bidi \\u202eevil\\u202c'],
    ['isolates \u2066a\u2067b\u2068c\u2069', 'isolates \\u2066a\\u2067b\\u2068c\\u2069'],
    ['marks \u200e\u200f\u061c', 'marks \\u200e\\u200f\\u061c'],
    ['seps \u2028 \u2029', 'seps \\u2028 \\u2029'],
    ['::warning::pwned', '\\x3a:warning::pwned'],
    ['  ::add-mask::x', '  \\x3a:add-mask::x'],
    ['\u00a0\u3000::set-output name=a::b', '\u00a0\u3000\\x3a:set-output name=a::b'],
    ['\ufeff::stop-commands::tok', '\ufeff\\x3a:stop-commands::tok'],
    ['name\n::warning::pwned', 'name\\n::warning::pwned'],
    ['name\r::add-mask::x', 'name\\r::add-mask::x'],
    ['x ##[warning]pwned', 'x ##\\x5bwarning]pwned'],
    ['##[add-mask]a ##[group]b', '##\\x5badd-mask]a ##\\x5bgroup]b'],
    ['a :: b', 'a :: b'],
    ['C:\\Users\\x and é ü 日本 👨‍👩‍👧', 'C:\\Users\\x and é ü 日本 👨‍👩‍👧']
  ])('%j', (input, output) => {
    const escaped = escapeTerminal(input);
    expect(escaped).toBe(output);
    expect(runnerCommands(escaped)).toEqual([]);
    // Nothing left to escape: twice is once.
    expect(escapeTerminal(escaped)).toBe(escaped);
  });

  it('leaves no control character of any code point', () => {
    const all = Array.from({ length: 0x2070 }, (_, i) => String.fromCharCode(i)).join('');
    expect(escapeTerminal(all)).not.toMatch(
      // eslint-disable-next-line no-control-regex -- the point of the test
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
    );
  });
});

describe('escapeTerminalLines: our lines kept, each escaped', () => {
  it.each([
    ['perfgate: config error\nprofiles[0].name: bad', 'perfgate: config error\nprofiles[0].name: bad'],
    ['service crashed\r\n--- log ---\r\nline', 'service crashed\n--- log ---\nline'],
    ['progress 10%\rprogress 100%', 'progress 10%\\rprogress 100%'],
    ['log\n::warning::pwned\n  ::add-mask::x', 'log\n\\x3a:warning::pwned\n  \\x3a:add-mask::x'],
    ['\tat Foo.bar(Foo.java:1)\n\t::error::x', '\tat Foo.bar(Foo.java:1)\n\t\\x3a:error::x'],
    ['\x1b[32mINFO\x1b[0m ready\u0000', '\\x1b[32mINFO\\x1b[0m ready\\x00'],
    ['a\u2028::warning::b', 'a\\u2028::warning::b']
  ])('%j', (input, output) => {
    const escaped = escapeTerminalLines(input);
    expect(escaped).toBe(output);
    expect(runnerCommands(escaped)).toEqual([]);
  });
});

/** escape-markdown.ts, one table per place a user- or file-controlled string can land in markdown. */
import {
  codeBlock,
  codeSpan,
  escapeHtmlText,
  escapeMarkdown,
  markdownUrl
} from '../../../src/report/escape-markdown.js';

const ZW = '\u200b';
/** Every character CommonMark ends a line on, or a renderer may break a line or a table row on. */
const BREAKS = ['\n', '\r', '\r\n', '\v', '\f', '\u0085', '\u2028', '\u2029'];
const BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

describe('escapeMarkdown: inline text (table cells, headings, list items, quotes)', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '"&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ['</details><details open>', '&lt;/details&gt;&lt;details open&gt;'],
    ['<!-- perfgate:comment config=x -->', '&lt;!-- perfgate:comment config=x --&gt;'],
    ['&lt; stays &amp;', '&amp;lt; stays &amp;amp;'],
    ['a|b', 'a\\|b'],
    ['`rm -rf`', '\\`rm -rf\\`'],
    ['**bold** [link](x) ![img](y)', '\\*\\*bold\\*\\* \\[link\\](x) !\\[img\\](y)'],
    ['# heading ~~strike~~ $x^2$', '\\# heading \\~\\~strike\\~\\~ \\$x^2\\$'],
    ['back\\slash', 'back\\\\slash'],
    ['ping @octocat and @org/team', `ping @${ZW}octocat and @${ZW}org/team`],
    ['fixes #123, o/r#4 and GH-5', `fixes \\#${ZW}123, o/r\\#${ZW}4 and GH-${ZW}5`],
    [
      'see https://evil.example and www.evil.example',
      `see https:${ZW}//evil.example and www${ZW}.evil.example`
    ],
    ['two\nlines', 'two lines'],
    ['lone\rcarriage return', 'lone carriage return'],
    ['crlf\r\nend', 'crlf end'],
    ['tab\there', 'tab here'],
    ['vt\vff\fnel\u0085ls\u2028ps\u2029end', 'vt ff nel ls ps end'],
    ['esc \x1b[31m nul \0 bel \x07', 'esc \\x1b\\[31m nul \\x00 bel \\x07'],
    ['bidi \u202eevil\u202c \u2066x\u2069', 'bidi \\u202eevil\\u202c \\u2066x\\u2069'],
    ['name\n| x | y |\n::warning::x', 'name \\| x \\| y \\| ::warning::x']
  ])('%j', (input, output) => expect(escapeMarkdown(input)).toBe(output));

  it.each(BREAKS)('a table row stays one row with %j in a cell', br => {
    const row = `| ${escapeMarkdown(`a${br}| b | c${br}${br}# h`)} | 2 |`;
    expect(row).not.toMatch(BREAK);
    expect(row.split(/(?<!\\)\|/)).toHaveLength(4);
  });
});

describe('escapeHtmlText: text inside <details><summary>, where markdown is not parsed', () => {
  it.each([
    [
      '</summary></details><img src=x onerror=alert(1)>',
      '&lt;/summary&gt;&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;'
    ],
    ['<!-- perfgate:comment config=x -->', '&lt;!-- perfgate:comment config=x --&gt;'],
    ['a & b', 'a &amp; b'],
    // A blank line would end the HTML block and hand the rest to markdown.
    ['a\n\nb\r\rc\u2028d', 'a  b  c d'],
    ['**not bold** a|b `x`', '**not bold** a|b `x`'],
    ['@octocat #1 https://x.example', `@${ZW}octocat #${ZW}1 https:${ZW}//x.example`],
    ['\x1b[2J \u202e', '\\x1b[2J \\u202e']
  ])('%j', (input, output) => expect(escapeHtmlText(input)).toBe(output));
});

describe('codeSpan: literal text in backticks', () => {
  it.each([
    ['p(95)<250', '`p(95)<250`'],
    ['a|b', '`a\\|b`'],
    ['has `tick`', '`` has `tick` ``'],
    ['``double``', '``` ``double`` ```'],
    ['x\ny', '`x y`'],
    ['x\ry\r\nz\u2028w', '`x y z w`'],
    ['esc\x1b[31m nul\0', '`esc\\x1b[31m nul\\x00`'],
    ['\u202eevil', '`\\u202eevil`'],
    ['<!-- perfgate:comment config=x -->', `\`<!-${ZW}- perfgate:comment config=x -->\``],
    ['@octocat <img src=x>', `\`@octocat <${ZW}img src=x>\``],
    ['a < b, 1<2, <3', '`a < b, 1<2, <3`']
  ])('%j', (input, output) => expect(codeSpan(input)).toBe(output));
});

describe('codeBlock: a fenced block no line inside can close', () => {
  it.each([
    ['plain', '```\nplain\n```\n'],
    ['has ``` inside', '````\nhas ``` inside\n````\n'],
    ['a\n`````\nb', '``````\na\n`````\nb\n``````\n'],
    ['crlf\r\nline', '```\ncrlf\nline\n```\n'],
    ['progress 10%\rprogress 100%', '```\nprogress 10%\\rprogress 100%\n```\n'],
    ['nul\0 bel\x07 esc\x1b[2J', '```\nnul\\x00 bel\\x07 esc\\x1b[2J\n```\n'],
    ['\x1b[32mINFO\x1b[0m ready', '```\nINFO ready\n```\n'],
    ['\tat Foo.bar', '```\n\tat Foo.bar\n```\n'],
    [
      '</details>\n<!-- perfgate:comment config=x -->',
      `\`\`\`\n<${ZW}/details>\n<!-${ZW}- perfgate:comment config=x -->\n\`\`\`\n`
    ],
    ['\u202eevil \u2028', '```\n\\u202eevil \\u2028\n```\n']
  ])('%j', (input, output) => expect(codeBlock(input)).toBe(output));

  it('is not closed by a fence after a lone carriage return (CommonMark ends a line there)', () => {
    const block = codeBlock('log\r`````\rafter');
    const fence = /^`+/.exec(block)![0];
    const lines = block.split(/\r\n|\r|\n/);
    const closers = lines.slice(1).filter(l => /^ {0,3}`+\s*$/.test(l) && l.trim().length >= fence.length);
    expect(closers).toEqual([fence]);
    expect(lines.at(-2)).toBe(fence);
  });
});

describe('markdownUrl: a link destination', () => {
  it.each([
    ['https://github.com/o/r/actions/runs/1', 'https://github.com/o/r/actions/runs/1'],
    ['http://127.0.0.1:8080/x?y=1#z', 'http://127.0.0.1:8080/x?y=1#z'],
    ['https://x.example/a b(c)<d>', 'https://x.example/a%20b%28c%29%3Cd%3E'],
    [
      'https://x.example/\n[x](javascript:alert(1))',
      'https://x.example/%0A%5Bx%5D%28javascript:alert%281%29%29'
    ],
    ['https://x.example/\u202e', 'https://x.example/%E2%80%AE'],
    ['javascript:alert(1)', '#'],
    ['data:text/html,x', '#'],
    ['', '#']
  ])('%j', (input, output) => expect(markdownUrl(input)).toBe(output));
});

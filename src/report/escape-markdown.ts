/**
 * Markdown for GitHub (pure): a user- or file-controlled string placed in a table cell, heading,
 * list item, code span, code block or `<details>` block renders as the text it is. Each helper takes
 * care of one place: {@link escapeMarkdown} (inline text), {@link codeSpan}, {@link codeBlock},
 * {@link escapeHtmlText} (inside an HTML block such as `<summary>`, where markdown is not parsed) and
 * {@link markdownUrl} (a link's destination).
 */
import { CONTROL_CHARS, visibleChar } from './escape-terminal.js';

/**
 * Line endings as CommonMark knows them (LF, CR, CR LF), the other characters it or a renderer may
 * break a line or a table row on (VT, FF, NEL, U+2028, U+2029), and tabs (which indent code at the
 * start of a line): a flat string holds none, each becomes one space.
 */
const BREAKS = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * What GitHub links by itself in text: `@user` and `@org/team` (a ping), `#123`, `GH-123` (a
 * cross-reference on that issue), `https://` and `www.` (a live link): a zero-width space after
 * the trigger keeps each readable and inert.
 */
function unlink(text: string): string {
  return text
    .replace(/@/g, '@\u200b')
    .replace(/#(?=\d)/g, '#\u200b')
    .replace(/\b(GH-)(?=\d)/gi, '$1\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\b(www)\./gi, '$1\u200b.');
}

/** `&`, `<`, `>` as entities: no tag, comment or entity of the input survives (quotes matter only in attributes). */
function entities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A user-controlled string as inert inline markdown (a table cell, a heading, a list item, a quote):
 * line breaks become spaces, HTML is entity-escaped, markdown punctuation (table pipes, emphasis,
 * code, links, headings, strikethrough, math) is backslash-escaped, other control characters and
 * bidi overrides are shown as `\x1b`, `\u202e`, and mentions, references and bare links are inert.
 */
export function escapeMarkdown(text: string): string {
  return unlink(
    entities(text.replace(BREAKS, ' '))
      .replace(/([\\`*_[\]|#~$])/g, '\\$1')
      // After the backslash escapes: the escape's own backslash must stay single (`\x` is literal text).
      .replace(CONTROL_CHARS, visibleChar)
  );
}

/**
 * A user-controlled string as text inside a raw HTML block of the markdown (`<details><summary>…`),
 * where markdown is not parsed: entities rather than backslashes, no line break (a blank line would
 * end the block and let markdown, or a `</details>`, take over).
 */
export function escapeHtmlText(text: string): string {
  return unlink(entities(text.replace(BREAKS, ' ')).replace(CONTROL_CHARS, visibleChar));
}

/**
 * Breaks every HTML tag opener in code, where entities do not work, with a zero-width space: no
 * forged `<!-- perfgate:… -->` marker, and no `</details>` or `<summary>` that the comment's folding
 * (github/comment-body.ts, which finds its sections by their tags) would take for one of its own.
 */
function breakComments(text: string): string {
  return text.replace(/<!--/g, '<!-\u200b-').replace(/<(?=[/a-z])/gi, '<\u200b');
}

/** The longest run of backticks in `text` (a spread over a huge match list would overflow the stack). */
function longestRun(text: string): number {
  return (text.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
}

/**
 * A markdown code span holding `text` literally: the fence is longer than any backtick run inside,
 * table pipes are escaped (GFM splits cells before parsing code spans), line breaks become spaces,
 * other controls are shown escaped, and an HTML comment opener cannot forge a marker.
 */
export function codeSpan(text: string): string {
  const flat = breakComments(text.replace(BREAKS, ' ').replace(CONTROL_CHARS, visibleChar)).replace(
    /\|/g,
    '\\|'
  );
  const longest = longestRun(flat);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

// eslint-disable-next-line no-control-regex -- colour sequences of a log
const SGR = /\x1b\[[0-9;:]*m/g;

/**
 * A fenced markdown code block holding `text` literally (a service's log tail, an error): the fence
 * outgrows any backtick run inside; `\n` and `\r\n` end lines, a lone `\r` and every other control is
 * shown escaped (a tab is kept); colour sequences, which markdown cannot show, are dropped.
 */
export function codeBlock(text: string): string {
  const body = breakComments(
    text
      .replace(SGR, '')
      .split(/\r?\n/)
      .map(line =>
        line
          .split('\t')
          .map(part => part.replace(CONTROL_CHARS, visibleChar))
          .join('\t')
      )
      .join('\n')
  );
  const longest = Math.max(2, longestRun(body));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${body}\n${fence}\n`;
}

/**
 * A link destination for `[text](…)`: only `http:` and `https:` URLs (anything else gives `#`), with
 * the characters that could end the destination or the line percent-encoded.
 */
export function markdownUrl(url: string): string {
  if (!/^https?:\/\/[^\s]/i.test(url)) return '#';
  return url.replace(
    // eslint-disable-next-line no-control-regex -- controls must not reach the link
    /[\s()<>\\`"'[\]\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    ch => {
      const code = ch.charCodeAt(0);
      return code < 0x80 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(ch);
    }
  );
}

/**
 * Text for a terminal or a CI runner's log (pure). A user- or file-controlled string printed there
 * must not move the cursor, recolour or hide text, reorder it (bidi overrides, "Trojan Source") or be
 * taken by the GitHub Actions runner for a workflow command. The runner (actions/runner
 * `ActionCommand.cs`) reads its stdout line by line, a line being ended by `\n`, `\r` or `\r\n`, and
 * takes a line as a command when, after its leading whitespace, it starts with `::` (`::add-mask::x`),
 * or when it holds `##[` anywhere followed by a registered command name and `]` (the v1 syntax). The
 * CLI can run in a runner's step as well, so both the CLI and the Action print through these.
 */

/**
 * Characters shown as escapes rather than printed: C0 controls (NUL, BEL, BS, TAB, LF, VT, FF, CR,
 * ESC…), DEL, C1 controls (U+0080–U+009F, NEL among them, and CSI, which some terminals honour
 * alone), the Arabic letter mark, LRM/RLM, the line and paragraph separators, and the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
 */
export const CONTROL_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One control character as a visible escape: `\n`, `\x1b`, `\x85`, `\u202e`. */
export function visibleChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A string that may hold anything, as one inert line: every control character (line breaks
 * included) escaped visibly, `##[` broken and a leading `::` escaped so that the runner sees no
 * workflow command in it. A backslash is left alone (paths stay readable), so `\x1b` typed literally
 * and an escaped ESC read alike; nothing is executed either way.
 */
export function escapeTerminal(text: string): string {
  return neutraliseCommands(text.replace(CONTROL_CHARS, visibleChar));
}

/**
 * Text of several lines that are ours (a config error's issues, a service's log tail): the line
 * breaks `\n` and `\r\n` are kept, each line is escaped as {@link escapeTerminal} does (a lone `\r`
 * included); tabs are kept, as log lines indent with them.
 */
export function escapeTerminalLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map(line => line.split('\t').map(escapeTerminal).join('\t'))
    .join('\n');
}

/**
 * Breaks what the runner would parse as a command. Whitespace first: .NET's `TrimStart` skips the
 * Unicode white space, a superset of what is left here once controls are escaped (JavaScript's `\s`
 * covers it).
 */
function neutraliseCommands(line: string): string {
  return line.replace(/##\[/g, '##\\x5b').replace(/^(\s*):(?=:)/, '$1\\x3a');
}

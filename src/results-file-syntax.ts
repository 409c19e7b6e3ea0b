/**
 * Where a JSON text stops being JSON, by line and column. `JSON.parse` says why it failed but, on
 * Node 20, often not where (and quotes the text it failed on); this scanner is run only after
 * `JSON.parse` has failed, to name the position of the first error in words a reader knows.
 * Iterative (a stack, no recursion), so a deeply nested file cannot overflow the call stack.
 */

/** The first syntax error of a text: 1-based line and column, and what was expected there. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const WANTED: Record<Want, string> = {
  value: 'a value',
  'value-or-close': "a value or ']'",
  key: 'a key in double quotes',
  'key-or-close': "a key in double quotes or '}'",
  colon: "':'",
  'comma-or-close': '',
  end: 'the end of the file'
};

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const TOKEN = /[^\s,:{}[\]"]{1,20}/y;

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: Array<'{' | '['> = [];
  let want: Want = 'value';
  let i = 0;
  const fail = (at: number, what: string) => ({ ...lineAndColumn(text, at), message: what });
  const afterValue = (): Want => (stack.length === 0 ? 'end' : 'comma-or-close');
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
    const close = stack.at(-1) === '{' ? '}' : ']';
    const wanted = want === 'comma-or-close' ? `',' or '${close}'` : WANTED[want];
    if (i >= text.length) {
      return want === 'end' ? undefined : fail(i, `expected ${wanted}, got the end of the file`);
    }
    const c = text[i]!;
    if ((want === 'value-or-close' && c === ']') || (want === 'key-or-close' && c === '}')) {
      stack.pop();
      i++;
      want = afterValue();
    } else if (want === 'value' || want === 'value-or-close') {
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        want = c === '{' ? 'key-or-close' : 'value-or-close';
        continue;
      }
      const end = scalarEnd(text, i);
      if (typeof end !== 'number')
        return fail(end.at, end.message ?? `expected ${wanted}, got ${got(text, i)}`);
      i = end;
      want = afterValue();
    } else if (want === 'key' || want === 'key-or-close') {
      if (c !== '"') return fail(i, `expected ${wanted}, got ${got(text, i)}`);
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return fail(end.at, end.message!);
      i = end;
      want = 'colon';
    } else if (want === 'colon' && c === ':') {
      i++;
      want = 'value';
    } else if (want === 'comma-or-close' && c === ',') {
      i++;
      want = close === '}' ? 'key' : 'value';
    } else if (want === 'comma-or-close' && c === close) {
      stack.pop();
      i++;
      want = afterValue();
    } else {
      return fail(i, `expected ${wanted}, got ${got(text, i)}`);
    }
  }
}

type Failure = { at: number; message?: string };

/** End of the string, number or literal at `i`; a failure without a message: no value there. */
function scalarEnd(text: string, i: number): number | Failure {
  if (text[i] === '"') return stringEnd(text, i);
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return i + word.length;
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? NUMBER.lastIndex : { at: i };
}

/** End of the string that starts (with its quote) at `i`. */
function stringEnd(text: string, i: number): number | Failure {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x0a) return { at: j, message: "expected '\"' to end the string before the end of the line" };
    if (c < 0x20) {
      const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      return {
        at: j,
        message: `expected an escape such as \\t in a string, got the control character ${code}`
      };
    }
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 5;
      else if (next !== undefined && '"\\/bfnrt'.includes(next)) j += 1;
      else return { at: j, message: 'expected an escape such as \\n, \\" or \\u00e9 after a backslash' };
    }
  }
  return { at: text.length, message: "expected '\"' to end the string, got the end of the file" };
}

/** What is at `i`, for the "got …" half of a message. */
function got(text: string, i: number): string {
  TOKEN.lastIndex = i;
  const token = TOKEN.test(text) ? text.slice(i, TOKEN.lastIndex) : text[i]!;
  return JSON.stringify(token);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let j = text.indexOf('\n'); j !== -1 && j < offset; j = text.indexOf('\n', j + 1)) {
    line++;
    start = j + 1;
  }
  return { line, column: offset - start + 1 };
}

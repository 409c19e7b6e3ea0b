/**
 * Masking of secrets in text for logs and reports (SPEC §1). A secret is masked in whatever form a
 * writer may have put it into: as is, JSON-escaped (results.json), as HTML entities (report.html),
 * backslash-escaped or with zero-width spaces (markdown), percent-encoded (a URL) — every writer
 * escapes in its own way, and a mask that looks only for the plain text would miss `ghp\_…` in
 * markdown or `a&amp;b` in HTML. The password of any URL (`scheme://user:password@`) is masked too,
 * whether perfgate knew it or not (a service printing its database URL).
 */

/** What a masked secret is replaced by (as GitHub's runner does). */
export const MASK = '***';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const eitherCase = (text: string) =>
  [...text].map(c => (/[a-f]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const NAMED_ENTITIES: Record<string, string[]> = {
  '&': ['amp'],
  '<': ['lt'],
  '>': ['gt'],
  '"': ['quot'],
  "'": ['apos']
};
const JSON_SHORT: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
  '\b': 'b',
  '\f': 'f'
};

/** Every way one character of a secret may have been written by an escaper, as a regex. */
function charPattern(c: string): string {
  const code = c.codePointAt(0)!;
  const alternatives = [
    escapeRegex(c),
    // Backslash escapes: markdown's, and JSON's (nested JSON doubles them).
    `\\\\+${escapeRegex(c)}`,
    `&#[xX]0*${eitherCase(hex(code, 1))};`,
    `&#0*${code};`,
    ...(NAMED_ENTITIES[c] ?? []).map(name => `&${name};`),
    ...(code <= 0xffff ? [`\\\\+u${eitherCase(hex(code, 4))}`] : []),
    ...(code <= 0xff ? [`\\\\+x${eitherCase(hex(code, 2))}`] : []),
    ...(JSON_SHORT[c] !== undefined ? [`\\\\+${escapeRegex(JSON_SHORT[c])}`] : []),
    [...Buffer.from(c, 'utf8')].map(byte => `%${eitherCase(hex(byte, 2).toUpperCase())}`).join('')
  ];
  return `(?:${alternatives.join('|')})`;
}

/** A secret in any of its escaped forms; a zero-width space may sit between any two characters. */
function secretPattern(secret: string): string {
  return [...secret].map(charPattern).join('\u200b?');
}

/**
 * `scheme://user:password@`: the password up to the `@`. Escapers may have put a zero-width space
 * or a backslash after the colon of the scheme, and entities (`&#x3D;`) into the password. Written
 * to run in linear time over any text (it runs over every service log line and rendered report):
 * a scheme starts where no scheme character precedes it, every part is bounded, and an `&` is read
 * one way only (an entity, or an `&` that starts none) — `&quot;` read both as an entity and as six
 * characters made a JSON log line take time exponential in its number of quotes.
 */
const URL_PASSWORD =
  /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\u200b?\\?\/\/[^\s/?#@:]{0,256}:)((?:&#?[0-9a-z]{1,8};|&(?!#?[0-9a-z]{1,8};)|[^\s/?#@&]){1,256})(?=@)/gi;

/** Masks the password of every `scheme://user:password@` in `text`: `http://user:***@host/`. */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, (_, head: string) => `${head}${MASK}`);
}

/**
 * A function replacing every secret in `text` (in any escaped form) and every URL password by
 * `***`. Longer secrets first, so a secret that contains another is masked whole.
 */
export function secretMask(secrets: readonly string[]): (text: string) => string {
  const sorted = [...new Set(secrets)].filter(s => s.length > 0).sort((a, b) => b.length - a.length);
  const pattern = sorted.length > 0 ? new RegExp(sorted.map(secretPattern).join('|'), 'g') : undefined;
  return text => maskUrlPasswords(pattern ? text.replace(pattern, MASK) : text);
}

/**
 * A copy of `value` with `mask` applied to every string in it (keys included), for masking a model
 * before it is rendered or saved. Values under a key in `keep` are copied as they are: encoded
 * data (a histogram's base64) holds no text, and a short secret could match inside it by chance.
 */
export function maskStrings<T>(
  value: T,
  mask: (text: string) => string,
  keep: ReadonlySet<string> = new Set()
): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return mask(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [mask(k), keep.has(k) ? v : walk(v)]));
    }
    return node;
  };
  return walk(value) as T;
}

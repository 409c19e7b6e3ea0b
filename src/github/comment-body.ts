/**
 * The sticky comment's text: the hidden marker that finds it again, and the fitting of a long report
 * under GitHub's size limit. Pure functions.
 *
 * Counting: GitHub refuses an issue comment over 65 536 characters (422 "Body is too long (maximum is
 * 65536 characters)"). We count UTF-16 code units (JS `length`). That is at least the number of code
 * points, so if GitHub counts code points (as Ruby's `String#length` does) an emoji costs us one unit
 * too many and we stay on the safe side; if it counts UTF-16 units we are exact. Bytes are not what
 * GitHub documents and are not assumed. We send `\n` line ends only. Should GitHub still answer "too
 * long", the caller refits once against a smaller limit (see `comment.ts`).
 */

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

/** What replaces the content of a folded `<details>` section. */
export const FOLD_NOTE = "(folded: see the full report in the run's artifact)";

const FOLDED_CONTENT = `\n\n${FOLD_NOTE}\n\n`;

/**
 * The hidden marker of one config's sticky comment: `<!-- perfgate:comment config=<id> -->`.
 * Characters that could end the HTML comment or be confused with its syntax (anything but letters,
 * digits and `._:/@+-`) are replaced by `_`, so an id taken from a path is safe.
 */
export function commentMarker(configId: string): string {
  const id = configId.replace(/[^\w.:/@+-]/g, '_') || '_';
  return `<!-- perfgate:comment config=${id} -->`;
}

/** The result of fitting a report into one comment. */
export interface FittedComment {
  /** Marker, newline, then the (possibly folded or truncated) report. */
  body: string;
  /** How many `<details>` sections were folded. */
  folded: number;
  /** Whether the report had to be cut and a link to the run appended. */
  truncated: boolean;
}

/**
 * Puts `marker` + `\n` + `report` into at most `limit` characters: first folds the longest
 * `<details>` sections (their `<summary>` stays), then, if that is not enough, cuts the report at
 * a line end, closes what the cut left open (code fence, `<details>`, HTML comment) and appends a
 * line with a link to the run.
 */
export function fitComment(
  marker: string,
  report: string,
  runUrl: string,
  limit = COMMENT_LIMIT
): FittedComment {
  const head = `${marker}\n`;
  const budget = limit - head.length;
  const folding = report.length > budget ? fold(report, budget) : { text: report, folded: 0 };
  const truncated = folding.text.length > budget;
  const text = truncated ? truncate(folding.text, budget, truncationNote(runUrl, limit)) : folding.text;
  return { body: head + text, folded: folding.folded, truncated };
}

/** The line appended to a cut report. */
export function truncationNote(runUrl: string, limit = COMMENT_LIMIT): string {
  const where = runUrl
    ? `[the full report is in the run](${runUrl})`
    : "the full report is in the run's artifact";
  const n = limit.toLocaleString('en-US').replace(/,/g, ' ');
  return `\n\n---\n\n**Report truncated** to fit GitHub's ${n}-character comment limit: ${where}.\n`;
}

interface DetailsBlock {
  /** Where the foldable content starts (after `<summary>…</summary>`, else after `<details>`). */
  contentStart: number;
  /** Where `</details>` starts. */
  contentEnd: number;
}

/** Every `<details>…</details>` pair, nested ones included; unbalanced tags are ignored. */
export function detailsBlocks(text: string): DetailsBlock[] {
  const blocks: DetailsBlock[] = [];
  const open: number[] = [];
  for (const m of text.matchAll(/<details\b[^>]*>|<\/details\s*>/gi)) {
    if (m[0][1] !== '/') {
      open.push(m.index + m[0].length);
      continue;
    }
    const start = open.pop();
    if (start === undefined) continue;
    blocks.push({ contentStart: afterSummary(text, start, m.index), contentEnd: m.index });
  }
  return blocks;
}

/** Skips a `<summary>` that opens the block, so a folded section keeps its title. */
function afterSummary(text: string, start: number, end: number): number {
  const inner = text.slice(start, end);
  const lead = /^\s*<summary\b/i.exec(inner);
  if (!lead) return start;
  const close = /<\/summary\s*>/i.exec(inner);
  return close ? start + close.index + close[0].length : start;
}

/**
 * Folds the sections with the longest content first until the text fits in `budget` (or nothing
 * foldable is left). One pass: an outer section always has longer content than any section inside
 * it, so it is chosen first and the ones inside go with it; the chosen sections never overlap and
 * their savings add up.
 */
function fold(text: string, budget: number): { text: string; folded: number } {
  const candidates = detailsBlocks(text)
    .filter(b => b.contentEnd - b.contentStart > FOLDED_CONTENT.length)
    .sort((a, b) => b.contentEnd - b.contentStart - (a.contentEnd - a.contentStart));
  const chosen: DetailsBlock[] = [];
  let length = text.length;
  for (const b of candidates) {
    if (length <= budget) break;
    if (chosen.some(c => c.contentStart <= b.contentStart && b.contentEnd <= c.contentEnd)) continue;
    chosen.push(b);
    length -= b.contentEnd - b.contentStart - FOLDED_CONTENT.length;
  }
  const parts: string[] = [];
  let at = 0;
  for (const b of chosen.sort((x, y) => x.contentStart - y.contentStart)) {
    parts.push(text.slice(at, b.contentStart), FOLDED_CONTENT);
    at = b.contentEnd;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), folded: chosen.length };
}

/** Cuts `text` so that cut + closers + `note` fits in `budget`. */
function truncate(text: string, budget: number, note: string): string {
  const room = budget - note.length;
  if (room <= 0) return note.slice(0, Math.max(0, budget));
  let cut = room;
  for (;;) {
    const kept = cutAt(text, cut);
    const closers = closersFor(kept);
    if (kept.length + closers.length <= room) return kept + closers + note;
    cut = room - closers.length;
  }
}

/**
 * At most `max` characters of `text`, ending at a line end when one is in the second half, never
 * inside a surrogate pair.
 */
function cutAt(text: string, max: number): string {
  if (max <= 0) return '';
  let kept = text.slice(0, max);
  const nl = kept.lastIndexOf('\n');
  if (nl >= max / 2) kept = kept.slice(0, nl);
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  return kept;
}

/** What closes the constructs a cut left open, so the truncation note renders as text. */
function closersFor(kept: string): string {
  let closers = '';
  if (kept.lastIndexOf('<!--') > kept.lastIndexOf('-->')) closers += ' -->';
  const fence = openFence(kept);
  if (fence) closers += `\n${fence}`;
  const opens = kept.match(/<details\b[^>]*>/gi)?.length ?? 0;
  const closes = kept.match(/<\/details\s*>/gi)?.length ?? 0;
  closers += '\n</details>'.repeat(Math.max(0, opens - closes));
  return closers;
}

/** The fence (``` or ~~~ run) of a code block left open at the end of `text`, if any. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const m of text.matchAll(/^ {0,3}(`{3,}|~{3,})/gm)) {
    const run = m[1]!;
    if (open === undefined) open = run;
    else if (run[0] === open[0] && run.length >= open.length) open = undefined;
  }
  return open;
}

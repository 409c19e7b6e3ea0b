/**
 * The markdown outside code: fenced code blocks become `⟦block⟧` and code spans `⟦code⟧`, as
 * CommonMark reads them (a fence closes on a line of at least as many backticks; a span on a run of
 * the same length; a backslash escapes the next character). What is left is what GitHub parses for
 * HTML, mentions, references and links. Lines end at LF, CR LF and a lone CR, as CommonMark says.
 */
export function outsideCode(md: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of md.split(/\r\n|\r|\n/)) {
    const opener = /^ {0,3}(`{3,})/.exec(line)?.[1];
    if (fence) {
      if (opener && opener.length >= fence.length && /^ {0,3}`+\s*$/.test(line)) fence = undefined;
    } else if (opener) {
      fence = opener;
      kept.push('⟦block⟧');
    } else {
      kept.push(outsideCodeSpans(line));
    }
  }
  return kept.join('\n');
}

/** One line with every code span replaced by `⟦code⟧`. */
export function outsideCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] === '\\') {
      out += md.slice(i, i + 2);
      i += 2;
    } else if (md[i] === '`') {
      const run = /^`+/.exec(md.slice(i))![0];
      const closer = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
      closer.lastIndex = i + run.length;
      const end = closer.exec(md);
      out += end ? '⟦code⟧' : run;
      i = end ? end.index + run.length : i + run.length;
    } else {
      out += md[i++];
    }
  }
  return out;
}

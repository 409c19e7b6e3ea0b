/** Formatting and escaping helpers shared by every rendering (pure). */

/** Milliseconds with a precision that suits the magnitude: 0.084 ms, 4.21 ms, 153 ms, 2.40 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatPercent(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** An observed threshold value in its unit. */
export function formatObserved(value: number | null, unit: string): string {
  if (value === null) return 'not measured';
  if (unit === 'ms') return formatMs(value);
  if (unit === 'ratio') return formatPercent(value);
  if (unit === 'req/s') return `${formatNumber(value, 1)} req/s`;
  if (unit === '%') return `${formatNumber(value, 1)} %`;
  if (unit === 'bytes') return formatBytes(value);
  return formatNumber(value);
}

/** Bytes in binary units, as `ps` and `top` count memory: `212.4 MB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/**
 * Makes a user-controlled string inert inside a markdown table cell or line: HTML is entity-escaped,
 * table pipes and markdown punctuation are backslash-escaped, and `@mentions` cannot ping anyone.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

export { formatDuration } from '../config/durations.js';

/**
 * A markdown code span holding `text` literally: the fence is longer than any backtick run inside,
 * table pipes are escaped (GFM splits cells before parsing code spans), newlines become spaces.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced markdown code block holding `text` literally (the fence outgrows any backtick run inside). */
export function codeBlock(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}\n`;
}

/** A relative change with its sign: `+3.1 %`, `−0.4 %`. */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)} %`;
}

/** A p-value as a reader wants it: 3 significant digits, `< 0.001` below that. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toPrecision(2);
}

/** Formatting and escaping helpers shared by every rendering (pure). */

/** Milliseconds with a precision that suits the magnitude: 0.084 ms, 4.21 ms, 153 ms, 2.40 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** One formatter per number of digits: `toLocaleString` with options builds a new one at every call. */
const numberFormats = new Map<number, Intl.NumberFormat>();

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    numberFormats.set(digits, format);
  }
  return format.format(n);
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

export { formatDuration } from '../config/durations.js';

// The markdown escapes, where they have always been imported from.
export { codeBlock, codeSpan, escapeHtmlText, escapeMarkdown, markdownUrl } from './escape-markdown.js';

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

/**
 * Units of imported measurements, normalised so that one metric compares with itself across tools
 * and runs: every time to nanoseconds (`ns`), every size to bytes (`B`), every rate of operations to
 * operations per second (`ops/s`) and of bytes to bytes per second (`B/s`). Each normalised unit
 * knows its direction. Sizes follow the tools: `KB`/`MB`/`GB` are powers of 1000 (Go's MB/s is
 * 10⁶ B/s), `KiB`/`MiB`/`GiB` powers of 1024. Units are also read spelt out (`nanoseconds`, `msec`,
 * `Seconds`, `kilobytes`, `hours`), as generic lists write them; JMH writes `hr` and `day`. A unit of
 * no dimension (`''`, `x`, `%`, `ratio`) has no normalised form and no direction: see `dimensionless`.
 */

/** Nanoseconds per unit of time; `us`, `µs` (micro sign) and `μs` (Greek mu) are all microseconds. */
const TIME_NS: Readonly<Record<string, number>> = {
  ps: 1e-3,
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  sec: 1e9,
  min: 60e9,
  m: 60e9,
  h: 3600e9,
  hr: 3600e9,
  day: 86400e9,
  ...spelt(1, ['nanosecond', 'nanoseconds', 'nsec', 'nsecs']),
  ...spelt(1e3, ['microsecond', 'microseconds', 'usec', 'usecs', 'µsec', 'μsec']),
  ...spelt(1e6, ['millisecond', 'milliseconds', 'msec', 'msecs']),
  ...spelt(1e9, ['second', 'seconds', 'secs']),
  ...spelt(60e9, ['minute', 'minutes', 'mins']),
  ...spelt(3600e9, ['hour', 'hours', 'hrs']),
  ...spelt(86400e9, ['days'])
};

const SIZE_B: Readonly<Record<string, number>> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  ...spelt(1e3, ['kilobyte', 'kilobytes']),
  ...spelt(1e6, ['megabyte', 'megabytes']),
  ...spelt(1e9, ['gigabyte', 'gigabytes']),
  ...spelt(1e12, ['terabyte', 'terabytes']),
  ...spelt(1024, ['kibibyte', 'kibibytes']),
  ...spelt(1024 ** 2, ['mebibyte', 'mebibytes']),
  ...spelt(1024 ** 3, ['gibibyte', 'gibibytes']),
  ...spelt(1024 ** 4, ['tebibyte', 'tebibytes'])
};

/** Words for one factor, as table entries. */
function spelt(factor: number, words: string[]): Record<string, number> {
  return Object.fromEntries(words.map(w => [w, factor]));
}

/** A value in a normalised unit, with the direction that unit implies. */
export interface Normalised {
  value: number;
  unit: string;
  better: 'lower' | 'higher';
}

/** Nanoseconds in `value` of time unit `unit` (`ns`, `µs`, `ms`, `s`, …); undefined for another unit. */
export function timeToNs(value: number, unit: string): number | undefined {
  const factor = TIME_NS[unit.trim()] ?? TIME_NS[unit.trim().toLowerCase()];
  return factor === undefined ? undefined : value * factor;
}

/** Bytes in `value` of size unit `unit` (`B`, `KB`, `MiB`, …); undefined for another unit. */
export function sizeToBytes(value: number, unit: string): number | undefined {
  const factor = SIZE_B[unit.trim().toLowerCase()];
  return factor === undefined ? undefined : value * factor;
}

/** Denominators of a cost per operation (`ns/op`, `B/iter`). */
const PER_OPERATION = ['op', 'ops', 'operation', 'iter', 'iteration', 'call', 'run'];

/**
 * Any unit perfgate knows, normalised: a time (`ms`, also per operation: `ns/op`, `us/iter`), a size
 * (`B`, `B/op`), a rate (`ops/s`, `ops/ms`, `op/s`, `req/s`, `Hz`, `MB/s`); undefined for a unit it
 * does not know (the caller keeps the tool's own, and says which way is better).
 */
export function normaliseUnit(value: number, unit: string): Normalised | undefined {
  const u = unit.trim();
  const [numerator, denominator] = u.includes('/') ? splitRate(u) : [u, undefined];
  if (denominator === undefined || PER_OPERATION.includes(denominator.toLowerCase())) {
    // Per operation (ns/op, B/op) or plain: what one operation costs.
    const ns = timeToNs(value, numerator);
    if (ns !== undefined) return { value: ns, unit: 'ns', better: 'lower' };
    const bytes = sizeToBytes(value, numerator);
    if (bytes !== undefined) return { value: bytes, unit: 'B', better: 'lower' };
    if (denominator !== undefined && ['allocs', 'alloc', 'allocations'].includes(numerator.toLowerCase())) {
      return { value, unit: 'allocs', better: 'lower' };
    }
    if (denominator === undefined && u.toLowerCase() === 'hz')
      return { value, unit: 'ops/s', better: 'higher' };
    return undefined;
  }
  // A rate: something per unit of time.
  const perNs = timeToNs(1, denominator);
  if (perNs === undefined) return undefined;
  const perSecond = (value * 1e9) / perNs;
  const bytes = sizeToBytes(1, numerator);
  if (bytes !== undefined) return { value: perSecond * bytes, unit: 'B/s', better: 'higher' };
  if (
    ['op', 'ops', 'req', 'reqs', 'requests', 'iter', 'iterations', 'calls', ''].includes(
      numerator.toLowerCase()
    )
  ) {
    return { value: perSecond, unit: 'ops/s', better: 'higher' };
  }
  return undefined;
}

/** A unit of no dimension, named: what it is called and the one spelling perfgate keeps. */
export interface Dimensionless {
  /** `unitless` (no unit at all), `x` (a factor: speed-up, ratio of two measurements), `%`, `ratio` (0–1). */
  unit: string;
  /** What the metric is, where the file gives no other name: `value`, `factor`, `percent`, `ratio`. */
  name: string;
}

const DIMENSIONLESS: Readonly<Record<string, Dimensionless>> = {
  '': { unit: 'unitless', name: 'value' },
  unitless: { unit: 'unitless', name: 'value' },
  x: { unit: 'x', name: 'factor' },
  '×': { unit: 'x', name: 'factor' },
  times: { unit: 'x', name: 'factor' },
  '%': { unit: '%', name: 'percent' },
  percent: { unit: '%', name: 'percent' },
  percentage: { unit: '%', name: 'percent' },
  ratio: { unit: 'ratio', name: 'ratio' }
};

/**
 * A unit that measures no dimension — none (`''`), a factor (`x`), a percentage (`%`, `Percent`), a
 * ratio — in the one spelling perfgate keeps, or undefined for any other unit. Such a unit says
 * nothing about which way is better: the format (or the file) must.
 */
export function dimensionless(unit: string): Dimensionless | undefined {
  return DIMENSIONLESS[unit.trim().toLowerCase()];
}

function splitRate(unit: string): [string, string] {
  const i = unit.lastIndexOf('/');
  return [unit.slice(0, i).trim(), unit.slice(i + 1).trim()];
}

/** Largest plausible measurement in a normalised unit: a year in ns, a petabyte, 10¹⁸ per second. */
const ABSURD = 1e18;

/**
 * Why `value` cannot be a measurement (not a number, NaN, infinite, negative, beyond 10¹⁸), or
 * undefined when it can.
 */
export function implausible(value: unknown): string | undefined {
  if (typeof value !== 'number') return `expected a number, got ${JSON.stringify(value) ?? String(value)}`;
  if (Number.isNaN(value)) return 'expected a number, got NaN';
  if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
  if (value < 0) return `expected a value of 0 or more, got ${value}`;
  if (value > ABSURD) return `expected a plausible measurement, got ${value}`;
  return undefined;
}

import {
  dimensionless,
  implausible,
  normaliseUnit,
  sizeToBytes,
  timeToNs
} from '../../../src/importers/units.js';

describe('timeToNs', () => {
  it.each([
    ['ps', 1e-3],
    ['ns', 1],
    ['us', 1e3],
    ['µs', 1e3], // micro sign
    ['μs', 1e3], // Greek mu
    ['ms', 1e6],
    ['s', 1e9],
    ['sec', 1e9],
    ['min', 60e9],
    ['m', 60e9], // Catch2's minutes
    ['h', 3600e9],
    ['hr', 3600e9], // JMH
    ['day', 86400e9], // JMH
    ['nanoseconds', 1],
    ['Nanosecond', 1],
    ['nsec', 1],
    ['microseconds', 1e3],
    ['usec', 1e3],
    ['µsec', 1e3],
    ['Milliseconds', 1e6],
    ['msec', 1e6],
    ['second', 1e9],
    ['Seconds', 1e9],
    ['secs', 1e9],
    ['minutes', 60e9],
    ['hours', 3600e9],
    ['hrs', 3600e9],
    ['days', 86400e9],
    [' ms ', 1e6]
  ])('%s is %d ns', (unit, ns) => {
    expect(timeToNs(1, unit)).toBe(ns);
  });

  it.each(['', 'x', '%', 'B', 'ops', 'd', 'nanos', 'ms/op'])('knows no time unit %j', unit => {
    expect(timeToNs(1, unit)).toBeUndefined();
  });
});

describe('sizeToBytes', () => {
  it.each([
    ['B', 1],
    ['bytes', 1],
    ['Byte', 1],
    ['KB', 1e3],
    ['kilobytes', 1e3],
    ['Kilobyte', 1e3],
    ['MB', 1e6],
    ['Megabytes', 1e6],
    ['gigabytes', 1e9],
    ['terabyte', 1e12],
    ['KiB', 1024],
    ['kibibytes', 1024],
    ['MiB', 1024 ** 2],
    ['mebibytes', 1024 ** 2],
    ['GiB', 1024 ** 3],
    ['gibibyte', 1024 ** 3],
    ['tebibytes', 1024 ** 4]
  ])('%s is %d B', (unit, bytes) => {
    expect(sizeToBytes(1, unit)).toBe(bytes);
  });

  it.each(['', 'bits', 'kB/s', 'ms'])('knows no size unit %j', unit => {
    expect(sizeToBytes(1, unit)).toBeUndefined();
  });
});

describe('normaliseUnit', () => {
  it.each([
    // [value, unit, normalised value, unit, better]
    [3, 'ns/op', 3, 'ns', 'lower'],
    [3, 'nanoseconds/op', 3, 'ns', 'lower'],
    [2, 'µsec/iter', 2e3, 'ns', 'lower'],
    [2, 'Milliseconds', 2e6, 'ns', 'lower'],
    [1.5, 'seconds/operation', 1.5e9, 'ns', 'lower'],
    [0.5, 'hours', 1800e9, 'ns', 'lower'],
    [64, 'B/op', 64, 'B', 'lower'],
    [2, 'kilobytes', 2e3, 'B', 'lower'],
    [1, 'MiB', 1024 ** 2, 'B', 'lower'],
    [5, 'allocs/op', 5, 'allocs', 'lower'],
    [100, 'ops/s', 100, 'ops/s', 'higher'],
    [100, 'ops/sec', 100, 'ops/s', 'higher'],
    [2, 'ops/ms', 2000, 'ops/s', 'higher'],
    [7, 'req/s', 7, 'ops/s', 'higher'],
    [60, 'requests/minute', 1, 'ops/s', 'higher'],
    [3600, 'ops/hr', 1, 'ops/s', 'higher'],
    [86400, 'ops/day', 1, 'ops/s', 'higher'],
    [9, 'Hz', 9, 'ops/s', 'higher'],
    [1, 'MB/s', 1e6, 'B/s', 'higher'],
    [1, 'megabytes/second', 1e6, 'B/s', 'higher'],
    [1, 'KiB/ms', 1024e3, 'B/s', 'higher']
  ])('%d %s → %d %s (%s is better)', (value, unit, expected, normalised, better) => {
    const n = normaliseUnit(value, unit)!;
    expect(n).toBeDefined();
    expect(n.value).toBeCloseTo(expected, 6);
    expect([n.unit, n.better]).toEqual([normalised, better]);
  });

  it.each(['', 'x', '%', 'ratio', 'points', 'hits/op', 'items/frame', 'ms/B'])(
    'leaves %j to the caller (not a time, size or rate)',
    unit => {
      expect(normaliseUnit(1, unit)).toBeUndefined();
    }
  );
});

describe('dimensionless', () => {
  it.each([
    ['', 'unitless', 'value'],
    ['  ', 'unitless', 'value'],
    ['unitless', 'unitless', 'value'],
    ['x', 'x', 'factor'],
    ['X', 'x', 'factor'],
    ['×', 'x', 'factor'],
    ['times', 'x', 'factor'],
    ['%', '%', 'percent'],
    ['Percent', '%', 'percent'],
    ['percentage', '%', 'percent'],
    ['ratio', 'ratio', 'ratio']
  ])('%j is %s, a %s', (unit, normalised, name) => {
    expect(dimensionless(unit)).toEqual({ unit: normalised, name });
  });

  it.each(['ms', 'B', 'points', 'ops/s', '%/s'])('%j has a dimension (or is unknown)', unit => {
    expect(dimensionless(unit)).toBeUndefined();
  });
});

describe('implausible', () => {
  it.each([
    [0, undefined],
    [1.5, undefined],
    [1e18, undefined],
    [-1, 'expected a value of 0 or more, got -1'],
    [NaN, 'expected a number, got NaN'],
    [Infinity, 'expected a finite number, got Infinity'],
    [2e18, 'expected a plausible measurement, got 2000000000000000000'],
    ['3', 'expected a number, got "3"'],
    [null, 'expected a number, got null']
  ])('%p → %p', (value, why) => {
    expect(implausible(value)).toBe(why);
  });
});

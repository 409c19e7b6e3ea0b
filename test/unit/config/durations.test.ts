import { parseDuration } from '../../../src/config/durations.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['0s', 0],
    ['10 seconds', 10_000],
    ['3 mins', 180_000]
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['thirty', '30', '', '-5s', '5', '1d', '5 s s', 's', '30S', ' 30s', '1e3ms'])(
    '%j is not a duration',
    text => {
      expect(parseDuration(text)).toBeUndefined();
    }
  );
});

/**
 * bench/lib/wire.mjs pairs a loopback capture into exchanges (latency-agreement's server-side
 * times). The text is tcpdump's `-n -q -tt --time-stamp-precision=nano` output, as `readExchanges`
 * reads it.
 */
// @ts-expect-error: a bench helper in plain JavaScript, without types
import { pairExchanges, wirePercentiles } from '../../../bench/lib/wire.mjs';

const SERVER = 8080;
const line = (s: string, from: number, to: number, bytes: number) =>
  `${s} IP 127.0.0.1.${from} > 127.0.0.1.${to}: tcp ${bytes}`;

interface Exchange {
  at: number;
  ms: number;
}

describe('pairExchanges', () => {
  test('times each request from its first segment out to its response’s last, per connection', () => {
    const text = [
      line('1000.000000000', 40001, SERVER, 60), // A's request
      line('1000.000100000', 40002, SERVER, 60), // B's request
      line('1000.000150000', 40002, SERVER, 20), // B's request, a second segment
      line('1000.005000000', SERVER, 40002, 100), // B's response
      line('1000.005200000', SERVER, 40001, 1448), // A's response, first segment
      line('1000.005250000', SERVER, 40001, 300), // … and its last
      line('1000.005300000', 40002, SERVER, 60), // B's next request
      line('1000.005400000', 40002, SERVER, 0), // an ACK-like line without bytes: ignored
      line('1000.011300000', SERVER, 40002, 100), // its response
      line('1000.012000000', 40001, SERVER, 60), // A's next request: never answered, left out
      'reading from file x.pcap, link-type EN10MB',
      ''
    ].join('\n');
    const got = (pairExchanges(text, SERVER) as Exchange[]).map(e => ({
      at: Math.round(e.at * 1000) / 1000,
      ms: Math.round(e.ms * 1000) / 1000
    }));
    expect(got).toEqual([
      { at: 1_000_000, ms: 5.25 },
      { at: 1_000_000.1, ms: 4.9 },
      { at: 1_000_005.3, ms: 6 }
    ]);
  });

  test('keeps microseconds of epoch timestamps', () => {
    const text = [
      line('1796609933.827252123', 5, SERVER, 10),
      line('1796609933.832264456', SERVER, 5, 10)
    ].join('\n');
    const [e] = pairExchanges(text, SERVER) as Exchange[];
    expect(e!.ms).toBeCloseTo(5.012333, 5);
  });
});

describe('wirePercentiles', () => {
  test('over the exchanges whose request left within the window, by nearest rank', () => {
    const exchanges = Array.from({ length: 200 }, (_, i) => ({ at: i, ms: i + 1 }));
    expect(wirePercentiles(exchanges, { from: 100, to: 200 })).toEqual({
      p50: 150,
      p90: 190,
      p99: 199,
      n: 100
    });
    expect(wirePercentiles(exchanges)).toEqual({ p50: 100, p90: 180, p99: 198, n: 200 });
    expect(wirePercentiles([], undefined).n).toBe(0);
  });
});

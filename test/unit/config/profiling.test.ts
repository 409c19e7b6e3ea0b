/** `profiling:`: CPU and heap profiles through Node's inspector or a pprof endpoint. */
import { parseConfig } from '../../../src/config/load-config.js';
import { parseInterval } from '../../../src/config/profiling-schema.js';
import { configErrorOf } from '../../helpers/config-error.js';

/** A config with a service (and, `paired`, a base) and `profiling` lines from line 6 on (7 when paired). */
function config(profiling: string[], paired = false): string {
  return [
    'version: 1',
    'service:',
    '  command: node server.js',
    ...(paired ? ['  base: { command: node server.js, target: "http://127.0.0.1:3001" }'] : []),
    'target: http://127.0.0.1:3000',
    'profiles: [{ name: hello }]',
    ...profiling
  ].join('\n');
}

const parse = (text: string) => parseConfig(text, '/repo/perfgate.yml', {});

describe('profiling: accepted', () => {
  it.each([
    ['cpu only', 'profiling: { cpu: true }', { cpu: true, heap: false }],
    ['both', 'profiling: { cpu: true, heap: true }', { cpu: true, heap: true }],
    [
      'a finer interval and a heap interval',
      'profiling: { cpu: true, interval: 250us, heapInterval: 65536 }',
      { cpu: true, heap: false, intervalUs: 250, heapIntervalBytes: 65536 }
    ],
    [
      'a pprof endpoint: cpu and heap on by default, trailing slash dropped',
      'profiling: { pprof: "http://127.0.0.1:6060/debug/pprof/" }',
      { cpu: true, heap: true, pprof: { head: 'http://127.0.0.1:6060/debug/pprof' } }
    ],
    [
      'a pprof endpoint with heap turned off',
      'profiling: { pprof: "http://127.0.0.1:6060/debug/pprof", heap: false }',
      { cpu: true, heap: false, pprof: { head: 'http://127.0.0.1:6060/debug/pprof' } }
    ]
  ])('%s', (_, line, expected) => {
    const c = parse(config([line]));
    expect(c.profiling).toEqual({ intervalUs: 1000, heapIntervalBytes: 32768, ...expected });
  });

  it('a pprof endpoint per side in paired mode', () => {
    const c = parse(
      config(
        [
          'profiling:',
          '  pprof: { head: "http://127.0.0.1:6060/debug/pprof", base: "http://127.0.0.1:6061/debug/pprof" }'
        ],
        true
      )
    );
    expect(c.profiling?.pprof).toEqual({
      head: 'http://127.0.0.1:6060/debug/pprof',
      base: 'http://127.0.0.1:6061/debug/pprof'
    });
  });

  it('is absent without the key and with everything off, which keep the hash', () => {
    const plain = parse(config([]));
    const off = parse(config(['profiling: { cpu: false, heap: false }']));
    const on = parse(config(['profiling: { cpu: true }']));
    expect(plain.profiling).toBeUndefined();
    expect(off.profiling).toBeUndefined();
    expect(off.hash).toBe(plain.hash);
    expect(on.hash).not.toBe(plain.hash);
  });

  it.each([
    ['100us', 100],
    ['1ms', 1000],
    ['0.5ms', 500],
    ['2.5 ms', 2500],
    ['750µs', 750],
    ['0.1s', 100_000],
    ['1 minute', undefined],
    ['10', undefined]
  ])('interval %s is %s µs', (text, us) => {
    expect(parseInterval(text)).toBe(us);
  });
});

describe('profiling: refused with file:line:col', () => {
  it.each([
    [
      'a misspelt key',
      ['profiling: { cpu: true, hep: true }'],
      'perfgate.yml:6:25 profiling.hep: expected one of cpu, heap, pprof, interval, heapInterval, got "hep"'
    ],
    [
      'cpu that is not a boolean',
      ['profiling:', '  cpu: yes please'],
      'perfgate.yml:7:8 profiling.cpu: expected true or false, got "yes please"'
    ],
    [
      'an interval without a unit',
      ['profiling: { cpu: true, interval: 1 }'],
      'perfgate.yml:6:35 profiling.interval: expected an interval like "1ms" or "500us", got 1'
    ],
    [
      'an interval finer than 100us',
      ['profiling: { cpu: true, interval: 50us }'],
      'perfgate.yml:6:35 profiling.interval: expected an interval from 100us to 100ms (finer costs the service more CPU than it measures, coarser leaves too few samples), got "50us"'
    ],
    [
      'an interval coarser than 100ms',
      ['profiling: { cpu: true, interval: 1s }'],
      'perfgate.yml:6:35 profiling.interval: expected an interval from 100us to 100ms (finer costs the service more CPU than it measures, coarser leaves too few samples), got "1s"'
    ],
    [
      'a heap interval below 1 KiB',
      ['profiling: { heap: true, heapInterval: 100 }'],
      'perfgate.yml:6:40 profiling.heapInterval: expected an integer from 1024 to 1073741824, got 100'
    ],
    [
      'a pprof URL that is not http',
      ['profiling: { pprof: "ftp://127.0.0.1/debug/pprof" }'],
      'perfgate.yml:6:21 profiling.pprof: expected an http(s) URL of a pprof endpoint like "http://127.0.0.1:6060/debug/pprof", without user:password, query or fragment, got "ftp://127.0.0.1/debug/pprof"'
    ],
    [
      'a pprof URL with a password',
      ['profiling: { pprof: "http://u:p@127.0.0.1:6060/debug/pprof" }'],
      'perfgate.yml:6:21 profiling.pprof: expected an http(s) URL of a pprof endpoint like "http://127.0.0.1:6060/debug/pprof", without user:password, query or fragment, got "http://u:***@127.0.0.1:6060/debug/pprof"'
    ],
    [
      'a misspelt key of the pprof map',
      ['profiling:', '  pprof: { head: "http://127.0.0.1:6060/debug/pprof", bsae: "http://127.0.0.1:6061" }'],
      'perfgate.yml:7:55 profiling.pprof.bsae: expected one of head, base, got "bsae"'
    ],
    [
      'a pprof list',
      ['profiling: { pprof: [] }'],
      'perfgate.yml:6:21 profiling.pprof: expected an http(s) URL of a pprof endpoint like "http://127.0.0.1:6060/debug/pprof", or a map with head and base URLs, got an empty list'
    ],
    [
      'a base endpoint without a base',
      [
        'profiling:',
        '  pprof: { head: "http://127.0.0.1:6060/debug/pprof", base: "http://127.0.0.1:6061/debug/pprof" }'
      ],
      'perfgate.yml:7:61 profiling.pprof.base: expected a base endpoint only in paired mode (with service.base), got one without a base'
    ],
    [
      'an interval with pprof',
      ['profiling: { pprof: "http://127.0.0.1:6060/debug/pprof", interval: 1ms }'],
      'perfgate.yml:6:68 profiling.interval: expected interval only without pprof (a pprof endpoint samples at the rate its service set), got interval with pprof'
    ],
    [
      'a list',
      ['profiling: [cpu]'],
      'perfgate.yml:6:12 profiling: expected a map with cpu, heap, pprof, interval, heapInterval, got a list'
    ]
  ])('%s', (_, lines, message) => {
    const err = configErrorOf(config(lines));
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(2);
  });
});

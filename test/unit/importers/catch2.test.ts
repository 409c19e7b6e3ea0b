import { readdirSync, readFileSync } from 'node:fs';
import { ImportError } from '../../../src/errors.js';
import { catch2Importer } from '../../../src/importers/catch2.js';
import type { ImportedBenchmark } from '../../../src/importers/types.js';

/**
 * Real Catch2 2.13.10 output made on this machine by scripts/fixtures/catch2.sh (see the README beside
 * the fixtures); the expected values below were read off the files.
 */
const dir = new URL('../../fixtures/imports/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`catch2/${name}`, dir), 'utf8');
const parse = (name: string): ImportedBenchmark[] => catch2Importer.parse(fixture(name), `catch2/${name}`);

function parseError(text: string, file = 'bench.txt'): ImportError {
  try {
    catch2Importer.parse(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('parsed without an error');
}

const summary = (name: string, mean: number, stdev: number, n = 20) => ({
  name,
  metrics: [{ name: 'time', unit: 'ns', better: 'lower' as const, summary: { mean, stdev, n } }]
});
const value = (name: string, v: number) => ({
  name,
  metrics: [{ name: 'time', unit: 'ns', better: 'lower' as const, value: v }]
});

/** Every number rounded to 9 significant digits (unit conversions are not exact). */
function rounded(benchmarks: unknown): unknown {
  return JSON.parse(JSON.stringify(benchmarks), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(9)) : v
  );
}

const LONG = 'a rather long benchmark name that does not fit in the name column';
const SLASHES = 'path/to/a/very/long/benchmark/name/with/slashes';

describe('catch2 importer: console', () => {
  it('mean, std dev and samples as a summary, each value in its own unit; wrapped names rejoined', () => {
    expect(rounded(parse('console.txt'))).toEqual(
      rounded([
        summary('Fibonacci / fib 10', 45.4487, 0.199005),
        summary('fib 20/recursive', 7971.53, 1533.06),
        summary(LONG, 5.54423, 0.0177548),
        summary('Fibonacci again / fib 10', 45.4453, 0.21315),
        summary(SLASHES, 43.0112, 149.776),
        summary('vector fill – 1000 ints', 387.755, 162.006),
        summary('string concat', 407.973, 16.4542),
        summary('sleep 1ms', 1.42216e6, 1.04721e6)
      ])
    );
  });

  it('--benchmark-no-analysis: only the mean, a single value', () => {
    expect(rounded(parse('console-no-analysis.txt'))).toEqual(
      rounded([
        value('Fibonacci / fib 10', 45.6924),
        value('fib 20/recursive', 8042.5),
        value(LONG, 5.5329),
        value('Fibonacci again / fib 10', 922.718),
        value(SLASHES, 8.64257),
        value('vector fill – 1000 ints', 383.347),
        value('string concat', 407.025),
        value('sleep 1ms', 1.11814e6)
      ])
    );
  });

  it('a row per unit: a 362 ns standard deviation of a mean in µs stays 362 ns', () => {
    const text = [
      'benchmark name                       samples       iterations    estimated',
      '                                     mean          low mean      high mean',
      '                                     std dev       low std dev   high std dev',
      '-------------------------------------------------------------------------------',
      'parse                                          100            12     2.5452 ms ',
      '                                        2.10012 us    2.09001 us    2.11523 us ',
      '                                        362.001 ns    301.223 ns    455.9 ns ',
      '                                                                               ',
      'minutes                                          2             1         3 m ',
      '                                           1.5 m         1.4 m          1.6 m ',
      '                                           2.5 s           2 s            3 s ',
      ''
    ].join('\n');
    expect(rounded(catch2Importer.parse(text, 'x'))).toEqual(
      rounded([summary('parse', 2100.12, 362.001, 100), summary('minutes', 90e9, 2.5e9, 2)])
    );
  });

  it('names wrapped mid-word (a hyphen added) and before a bracket', () => {
    const text = [
      'benchmark name                            samples    iterations          mean',
      '-------------------------------------------------------------------------------',
      'averyveryverylongwordwithoutanybrea-',
      'kpoint                                          20           539    45.6924 ns ',
      'a name with a parameter list',
      '(a, b)                                          20           539    45.6924 ns ',
      ''
    ].join('\n');
    expect(catch2Importer.parse(text, 'x').map(b => b.name)).toEqual([
      'averyveryverylongwordwithoutanybreakpoint',
      'a name with a parameter list(a, b)'
    ]);
  });

  it("a failed benchmark is listed with no metrics and Catch2's message", () => {
    const text = [
      'benchmark name                            samples    iterations          mean',
      '-------------------------------------------------------------------------------',
      'broken                     Benchmark failed (boom: no (such) file)',
      'fine                                            20           539    45.6924 ns ',
      'a name that Catch2 wrapped over two',
      'lines                      Benchmark failed ()',
      ''
    ].join('\n');
    expect(catch2Importer.parse(text, 'x')).toEqual([
      { name: 'broken', metrics: [], failed: 'boom: no (such) file' },
      value('fine', 45.6924),
      { name: 'a name that Catch2 wrapped over two lines', metrics: [], failed: 'Benchmark failed' }
    ]);
  });
});

describe('catch2 importer: XML', () => {
  it('mean and standardDeviation (ns) with samples as a summary; names exact; duplicates qualified', () => {
    expect(parse('report.xml')).toEqual([
      summary('Fibonacci / fib 10', 46.129, 1.94932),
      summary('fib 20/recursive', 7829.82, 1064.32),
      summary(LONG, 5.53368, 0.00835781),
      summary('Fibonacci again / fib 10', 49.706, 13.6679),
      summary(SLASHES, 9.26304, 1.9149),
      summary('vector fill – 1000 ints', 373.433, 117.744),
      summary('string concat', 405.918, 13.3872),
      summary('sleep 1ms', 1.4099e6, 1.46116e6)
    ]);
  });

  it('without analysis (ci="0", zero deviation): the mean as a single value', () => {
    expect(parse('report-no-analysis.xml').map(b => b.metrics[0])).toEqual(
      [51.3598, 8140.15, 60.0993, 45.4539, 8.65448, 380.617, 406.629, 1.29424e6].map(v => ({
        name: 'time',
        unit: 'ns',
        better: 'lower',
        value: v
      }))
    );
  });

  const xml = (body: string, end = '</Catch>\n') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Catch name="b">\n  <Group name="b">\n${body}  </Group>\n${end}`;
  const bench = (name: string, mean: string, sd: string, samples = '10') =>
    `      <BenchmarkResults name="${name}" samples="${samples}" resamples="100" iterations="3" clockResolution="20" estimatedDuration="1e+06">\n` +
    `        <mean value="${mean}" lowerBound="1" upperBound="3" ci="0.95"/>\n` +
    `        <standardDeviation value="${sd}" lowerBound="1" upperBound="3" ci="0.95"/>\n` +
    `        <outliers variance="0" lowMild="0" lowSevere="0" highMild="0" highSevere="0"/>\n      </BenchmarkResults>\n`;

  it('entities decoded; sections qualify duplicates; a repeat in the same place is pooled; <failed> marked', () => {
    const text = xml(
      `    <TestCase name="T" tags="" filename="a.cpp" line="1">\n` +
        `      <Section name="s &amp; t" filename="a.cpp" line="2">\n${bench('x &lt;&quot;y&quot;&gt; &#x3bc;', '2', '1')}` +
        `        <OverallResults successes="0" failures="0" expectedFailures="0"/>\n      </Section>\n` +
        `      <Section name="u" filename="a.cpp" line="3">\n${bench('x &lt;&quot;y&quot;&gt; &#x3bc;', '4', '1')}` +
        `        <OverallResults successes="0" failures="0" expectedFailures="0"/>\n      </Section>\n` +
        bench('loop', '10', '1') +
        bench('loop', '20', '1') +
        `      <BenchmarkResults name="bad">\n        <failed message="boom"/>\n      </BenchmarkResults>\n` +
        `      <OverallResult success="true"/>\n    </TestCase>\n`
    );
    expect(catch2Importer.parse(text, 'x')).toEqual([
      summary('T / s & t / x <"y"> μ', 2, 1, 10),
      summary('T / u / x <"y"> μ', 4, 1, 10),
      // 20 samples: mean 15; sum of squares 9·1 + 9·1 + 10·25 + 10·25 = 518 over 19.
      summary('loop', 15, Math.sqrt(518 / 19), 20),
      { name: 'bad', metrics: [], failed: 'boom' }
    ]);
  });

  it('a benchmark that failed in one of its repeats keeps the others, marked failed', () => {
    const text = xml(
      `    <TestCase name="T">\n${bench('loop', '10', '1')}` +
        `      <BenchmarkResults name="loop">\n        <failed message="boom"/>\n      </BenchmarkResults>\n` +
        `      <OverallResult success="false"/>\n    </TestCase>\n`
    );
    expect(catch2Importer.parse(text, 'x')).toEqual([{ ...summary('loop', 10, 1, 10), failed: 'boom' }]);
  });

  it.each([
    [
      'truncated',
      xml(bench('a', '1', '1')).slice(0, 300),
      'x.xml: line 6 (catch2): the XML ends early (a truncated file?)'
    ],
    [
      'no closing root',
      xml(bench('a', '1', '1'), ''),
      'x.xml: line 10 (catch2): the XML ends early (a truncated file?)'
    ],
    [
      'nan',
      xml(bench('a', 'nan', '1')),
      'x.xml: line 5 (catch2): <mean value="nan">: expected a number, got NaN'
    ],
    [
      'negative',
      xml(bench('a', '1', '-2')),
      'x.xml: line 6 (catch2): <standardDeviation value="-2">: expected a value of 0 or more, got -2'
    ],
    [
      'absurd',
      xml(bench('a', '1e+30', '1')),
      'x.xml: line 5 (catch2): <mean value="1e+30">: expected a plausible measurement, got 1e+30'
    ],
    [
      'not a number',
      xml(bench('a', 'fast', '1')),
      'x.xml: line 5 (catch2): <mean value="fast">: "fast" is not a number'
    ],
    [
      'samples',
      xml(bench('a', '1', '1', '0')),
      'x.xml: line 4 (catch2): samples: expected a whole number of 1 or more, got "0"'
    ],
    [
      'no benchmarks',
      xml('    <TestCase name="T">\n      <OverallResult success="true"/>\n    </TestCase>\n'),
      'x.xml (catch2): no benchmark results (BENCHMARK needs CATCH_CONFIG_ENABLE_BENCHMARKING in Catch2 v2; were the benchmarks run or all failed?)'
    ]
  ])('%s', (_what, text, message) => {
    expect(parseError(text, 'x.xml').message).toBe(message);
  });
});

describe('catch2 importer: bad console input', () => {
  const console = fixture('console.txt');
  const lines = console.split('\n');
  // Line 16 is the row of "fib 10" (name, samples, iterations, estimated), 17 its mean, 18 its std dev.
  const nameRow = lines[15]!.replace('921.6 us', '921.6 ms');
  it.each([
    [
      'cut inside a mean row',
      lines.slice(0, 16).join('\n') + '\n' + lines[16]!.slice(0, 52),
      'bench.txt: line 17 (catch2): the results of "fib 10" end early (a truncated file?)'
    ],
    [
      'cut after a name row',
      lines.slice(0, 16).join('\n') + '\n',
      'bench.txt: line 17 (catch2): the results of "fib 10" end early (a truncated file?)'
    ],
    [
      'cut inside a name row ("ms" cut to "m" must not read as minutes)',
      lines.slice(0, 15).join('\n') + '\n' + nameRow.slice(0, nameRow.indexOf('ms') + 1),
      'bench.txt: line 16 (catch2): a benchmark row cut short: "fib 10                                          20           512      921.6 m" (a truncated file?)'
    ],
    [
      'NaN',
      console.replace('45.4487 ns', 'nan ns'),
      'bench.txt: line 17 (catch2): nan ns: expected a number, got NaN'
    ],
    [
      'negative',
      console.replace('0.199005 ns', '-0.199005 ns'),
      'bench.txt: line 18 (catch2): -0.199005 ns: expected a value of 0 or more, got -0.199005'
    ],
    [
      'garbage in a row',
      console.replace('45.4487 ns', 'lots'),
      'bench.txt: line 17 (catch2): expected the mean row of "fib 10": "lots     45.398 ns    45.6373 ns"'
    ],
    [
      'no benchmarks (a test run without BENCHMARK)',
      '\nx is a Catch v2.13.10 host application.\nRun with -? for options\n\n===============================================================================\nAll tests passed (1 assertion in 1 test case)\n\n',
      'bench.txt (catch2): no benchmark results (BENCHMARK needs CATCH_CONFIG_ENABLE_BENCHMARKING in Catch2 v2; were the benchmarks run or all failed?)'
    ]
  ])('%s', (_what, text, message) => {
    expect(parseError(text).message).toBe(message);
  });
});

describe('catch2 importer: detect', () => {
  it.each(['console.txt', 'console-no-analysis.txt', 'report.xml', 'report-no-analysis.xml'])(
    '%s is unmistakable',
    name => expect(catch2Importer.detect(fixture(name))).toBeGreaterThanOrEqual(0.9)
  );

  it('a Catch2 run without benchmarks is likely (so that parse says what is missing)', () => {
    expect(catch2Importer.detect('\nx is a Catch2 v3.4.0 host application.\nRun with -? for options\n')).toBe(
      0.6
    );
  });

  const others = readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== 'catch2')
    .flatMap(d => readdirSync(new URL(`${d.name}/`, dir)).map(f => `${d.name}/${f}`));
  it.each(others.length > 0 ? others : ['(none)'])('other formats: %s scores 0', name => {
    if (name === '(none)') return;
    expect(catch2Importer.detect(readFileSync(new URL(name, dir), 'utf8'))).toBe(0);
  });

  it.each([
    ['generic JSON', '[{"name": "parse", "unit": "ns", "value": 12, "range": "± 1"}]'],
    ['plain text', 'benchmark name: parse\nsamples were taken\n'],
    ['other XML', '<?xml version="1.0"?>\n<testsuites><testsuite name="a"/></testsuites>\n'],
    [
      'JUnit XML from Catch2',
      '<?xml version="1.0"?>\n<testsuitesx name="a"><BenchmarkResultsx/></testsuitesx>\n'
    ]
  ])('%s scores 0', (_what, text) => expect(catch2Importer.detect(text)).toBe(0));
});

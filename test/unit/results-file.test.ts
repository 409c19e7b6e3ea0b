/**
 * The one schema every results file read back goes through: real files written by real runs pass,
 * and each wrong shape is a UsageError naming the file, the JSON path and the value found.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, UsageError } from '../../src/errors.js';
import { parseResults, readResults, ResultsFileError } from '../../src/results-file.js';
import { REPO } from '../helpers/example-config.js';

const FIXTURES = path.join(REPO, 'test/fixtures/results');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
/** A real baseline, with history; each case breaks one thing in a fresh copy. */
const REAL = fixture('baseline-with-history.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function broken(edit: (r: Json) => void): string {
  const r = JSON.parse(REAL) as Json;
  edit(r);
  return JSON.stringify(r, null, 2);
}

/** The message parseResults throws for `text`, checking it is a ResultsFileError (exit 2). */
function problem(text: string, name = 'baseline.json'): string {
  try {
    parseResults(text, name);
  } catch (err) {
    expect(err).toBeInstanceOf(ResultsFileError);
    expect((err as UsageError).exitCode).toBe(ExitCode.Usage);
    return (err as Error).message;
  }
  throw new Error('expected parseResults to refuse the file');
}

describe('parseResults: real files', () => {
  it.each(['paired.json', 'baseline-with-history.json', 'against-baseline.json'])(
    '%s, written by a real run, reads back',
    name => {
      const text = fixture(name);
      const results = parseResults(text, name);
      expect(results.tool.name).toBe('perfgate');
      expect(results.profiles[0]!.head.trials.length).toBeGreaterThan(0);
      // Unknown keys are none here: everything read is what was written (nulls aside, below).
      expect(Object.keys(results).sort()).toEqual(Object.keys(JSON.parse(text)).sort());
    }
  );

  it('reads version 1 (no series) and version 2 (with them; a series written before units has unit "")', () => {
    expect(parseResults(REAL, 'v1.json')).toMatchObject({ schemaVersion: 1 });
    const v2 = JSON.parse(REAL) as Json;
    v2.schemaVersion = 2;
    v2.series = [
      {
        source: 'hello',
        key: 'http_req_duration.med',
        better: 'lower',
        base: 'none',
        samples: { head: [{ index: 0, value: 1.25 }], base: [] }
      }
    ];
    expect(parseResults(JSON.stringify(v2), 'v2.json').series).toEqual([{ ...v2.series[0], unit: '' }]);
    v2.series[0].unit = 'ms';
    expect(parseResults(JSON.stringify(v2), 'v2.json').series).toEqual(v2.series);
  });

  it('reads an unbounded interval end (written as null) back as an infinity, a missing estimate as NaN', () => {
    const paired = parseResults(fixture('paired.json'), 'paired.json');
    const written = JSON.parse(fixture('paired.json')) as Json;
    expect(written.comparisons[0].interval[1]).toBeNull();
    expect(paired.comparisons[0]!.interval[1]).toBe(Infinity);
    const text = broken(r => {
      r.comparisons = [{ ...JSON.parse(fixture('paired.json')).comparisons[0], estimate: null }];
      r.comparisons[0].interval = [null, null];
    });
    const c = parseResults(text, 'x.json').comparisons[0]!;
    expect([c.estimate, ...c.interval]).toEqual([NaN, -Infinity, Infinity]);
  });

  it('keeps a finding of a kind a newer perfgate found, and refuses one without its numbers', () => {
    const finding = {
      kind: 'connection-churn',
      profile: 'api',
      side: 'head',
      severity: 'warn',
      title: 'connections reopened',
      numbers: { reopened: 12 },
      message: '12 connections were reopened.'
    };
    const text = broken(r => {
      r.findings = [finding];
    });
    expect(parseResults(text, 'x.json').findings).toEqual([finding]);
    const without = broken(r => {
      r.findings = [{ ...finding, numbers: undefined }];
    });
    expect(() => parseResults(without, 'x.json')).toThrow('findings[0].numbers');
  });

  it('accepts a UTF-8 byte order mark, and keeps keys it does not know (a newer perfgate of this schema)', () => {
    const text = `\ufeff${broken(r => {
      r.futureKey = [{ kind: 'new' }];
      r.profiles[0].head.trials[0].gcPauses = 3;
    })}`;
    const results = parseResults(text, 'baseline.json') as unknown as Json;
    expect(results.futureKey).toEqual([{ kind: 'new' }]);
    expect(results.profiles[0].head.trials[0].gcPauses).toBe(3);
  });
});

describe('parseResults: wrong shapes', () => {
  it.each<[string, (r: Json) => void, string]>([
    [
      'a series sample that cannot be compared (0)',
      r => {
        r.schemaVersion = 2;
        r.series = [
          {
            source: 'hello',
            key: 'http_reqs.rate',
            better: 'higher',
            base: 'none',
            samples: { head: [{ index: 0, value: 0 }], base: [] }
          }
        ];
      },
      'baseline.json: series[0].samples.head[0].value: expected a positive number, got 0'
    ],
    [
      'a series of an unknown direction',
      r => {
        r.schemaVersion = 2;
        r.series = [
          { source: 'hello', key: 'k', better: 'up', base: 'none', samples: { head: [], base: [] } }
        ];
      },
      'baseline.json: series[0].better: expected one of "lower", "higher", got "up"'
    ],
    [
      'trials not a list',
      r => (r.profiles[0].head.trials = 'many'),
      'baseline.json: profiles[0].head.trials: expected a list, got "many"'
    ],
    ['profiles not a list', r => (r.profiles = {}), 'baseline.json: profiles: expected a list, got {}'],
    [
      'a missing key',
      r => delete r.profiles[0].head.trials[1].metrics.latency,
      'baseline.json: profiles[0].head.trials[1].metrics.latency: expected an object, got nothing'
    ],
    [
      'a count that is not whole',
      r => (r.profiles[0].head.trials[0].metrics.requests = 1.5),
      'baseline.json: profiles[0].head.trials[0].metrics.requests: expected a whole number ≥ 0, got 1.5'
    ],
    [
      'a negative count',
      r => (r.environment.cores = -2),
      'baseline.json: environment.cores: expected a whole number ≥ 0, got -2'
    ],
    [
      'a number as a string',
      r => (r.profiles[0].head.trials[0].metrics.latency.p99 = '4.5'),
      'baseline.json: profiles[0].head.trials[0].metrics.latency.p99: expected a number, got "4.5"'
    ],
    [
      'an unknown status',
      r => (r.status = 'done'),
      'baseline.json: status: expected one of "running", "complete", "failed", got "done"'
    ],
    [
      'an unknown side',
      r => (r.profiles[0].order[0] = 'left'),
      'baseline.json: profiles[0].order[0]: expected one of "head", "base", got "left"'
    ],
    [
      'a date that is not one',
      r => (r.createdAt = 'yesterday'),
      'baseline.json: createdAt: expected a date and time (ISO 8601), got "yesterday"'
    ],
    [
      'a boolean as a string',
      r => (r.profiles[0].head.trials[0].valid = 'yes'),
      'baseline.json: profiles[0].head.trials[0].valid: expected true or false, got "yes"'
    ],
    [
      'a map value of the wrong type',
      r => (r.profiles[0].head.trials[0].metrics.statusCodes['200'] = 'lots'),
      'baseline.json: profiles[0].head.trials[0].metrics.statusCodes["200"]: expected a whole number ≥ 0, got "lots"'
    ],
    [
      'a history entry without profiles',
      r => delete r.history[0].profiles,
      'baseline.json: history[0].profiles: expected an object, got nothing'
    ],
    [
      'a history value under a dotted key',
      r => (r.history[1].profiles.hello.values['http_req_duration.med'] = [1]),
      'baseline.json: history[1].profiles.hello.values["http_req_duration.med"]: expected a number or null, got [1]'
    ],
    [
      'an interval of one number',
      r => (r.comparisons = [{ ...JSON.parse(fixture('paired.json')).comparisons[0], interval: [0.1] }]),
      'baseline.json: comparisons[0].interval: expected a list of two numbers, got [0.1]'
    ],
    [
      'a long value, cut',
      r => (r.profiles[0].head.target = { url: 'http://127.0.0.1:3000', note: 'x'.repeat(100) }),
      'baseline.json: profiles[0].head.target: expected a string, got {"url":"http://127.0.0.1:3000","note":"x…'
    ],
    [
      'a measurement problem of an unknown kind',
      r => (r.problems = [{ profile: 'hello', side: 'head', kind: 'nothing', message: 'm' }]),
      'baseline.json: problems[0].kind: expected one of "nothing-measured", "failed-requests", got "nothing"'
    ],
    [
      'a null object',
      r => (r.profiles[0].head.trials[0].timeline[0] = null),
      'baseline.json: profiles[0].head.trials[0].timeline[0]: expected an object, got null'
    ],
    [
      'a threshold without its observed value',
      r =>
        (r.thresholds[0] = {
          profile: 'hello',
          metric: 'm',
          expression: 'x',
          severity: 'fail',
          unit: '',
          ok: true,
          where: ''
        }),
      'baseline.json: thresholds[0].observed: expected a number or null, got nothing'
    ]
  ])('%s', (_name, edit, message) => {
    expect(problem(broken(edit))).toBe(message);
  });

  it('lists several problems one a line, the first ten, then how many more', () => {
    const text = broken(r => {
      for (const t of r.profiles[0].head.trials) t.timeline = 3;
      r.notes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    });
    const lines = problem(text).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('baseline.json: profiles[0].head.trials[0].timeline: expected a list, got 3');
    expect(lines.slice(0, 10).every(l => l.startsWith('baseline.json: '))).toBe(true);
    expect(lines[10]).toBe('… and 4 more');
  });

  it('shows a deeply nested value cut, without walking all of it (no stack overflow)', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const shown = `${'['.repeat(40)}…`;
    expect(problem(deep)).toBe(`baseline.json: expected a perfgate results object, got ${shown}`);
    const inNotes = REAL.replace('"notes": [', `"notes": [${deep}, `);
    expect(problem(inNotes)).toBe(`baseline.json: notes[0]: expected a string, got ${shown}`);
    // Under a key this perfgate does not know, it is kept as it is.
    const unknown = REAL.replace('"notes": [', `"deep": ${deep}, "notes": [`);
    expect(parseResults(unknown, 'x.json').notes).toEqual(JSON.parse(REAL).notes);
  });

  it.each<[string, string, string]>([
    ['an array', '[1, 2]', 'baseline.json: expected a perfgate results object, got [1,2]'],
    ['a string', '"results"', 'baseline.json: expected a perfgate results object, got "results"'],
    [
      'another JSON file',
      '{"name":"perfgate","version":"1.0.0"}',
      'baseline.json: tool.name: expected "perfgate" (a results file written by perfgate), got nothing'
    ],
    [
      'no schema version',
      broken(r => delete r.schemaVersion),
      'baseline.json: schemaVersion: expected 1 or 2, got nothing'
    ],
    [
      'an older schema version',
      broken(r => (r.schemaVersion = 0)),
      'baseline.json: schemaVersion: expected 1 or 2, got 0'
    ],
    [
      'a schema version as a string',
      broken(r => (r.schemaVersion = '1')),
      'baseline.json: schemaVersion: expected 1 or 2, got "1"'
    ]
  ])('refuses %s at the top, in one line', (_name, text, message) => {
    expect(problem(text)).toBe(message);
  });

  it('says a newer perfgate wrote a file of a newer schema, whatever its shape', () => {
    const text = broken(r => {
      r.schemaVersion = 3 as never;
      r.profiles = 'reshaped';
    });
    expect(problem(text, 'on the data branch')).toBe(
      'on the data branch: written by a newer perfgate (schemaVersion 3; this one reads 2): upgrade perfgate to read it'
    );
    try {
      parseResults(text, 'x');
    } catch (err) {
      expect((err as ResultsFileError).newerSchema).toBe(3);
    }
  });
});

describe('parseResults: not JSON', () => {
  it.each<[string, string, string]>([
    ['empty', '', 'line 1, column 1: expected a value, got the end of the file'],
    [
      'a real file cut short',
      REAL.slice(0, REAL.indexOf('"profiles"') + 13),
      `line ${REAL.slice(0, REAL.indexOf('"profiles"')).split('\n').length}, column 16: expected a value or ']', got the end of the file`
    ],
    ['cut in a list', '{"a": [1, 2', "line 1, column 12: expected ',' or ']', got the end of the file"],
    [
      'cut in a string',
      '{"a": "b',
      "line 1, column 9: expected '\"' to end the string, got the end of the file"
    ],
    ['a missing value', '{\n  "a": 1,\n  "b": }', 'line 3, column 8: expected a value, got "}"'],
    ['a trailing comma', '[1, 2,]', 'line 1, column 7: expected a value, got "]"'],
    ['a bare word', '{ not json', 'line 1, column 3: expected a key in double quotes or \'}\', got "not"'],
    ['a missing comma', '{"a": 1\n "b": 2}', "line 2, column 2: expected ',' or '}', got \"\\\"\""],
    ['text after the end', '{"a": 1} x', 'line 1, column 10: expected the end of the file, got "x"'],
    [
      'an unterminated string',
      '{"a": "b\n}',
      "line 1, column 9: expected '\"' to end the string before the end of the line"
    ],
    [
      'a bad escape',
      '{"a": "\\x"}',
      'line 1, column 8: expected an escape such as \\n, \\" or \\u00e9 after a backslash'
    ],
    ['a leading zero', '{"a": 01}', "line 1, column 8: expected ',' or '}', got \"1\""]
  ])('%s: names the line and column', (_name, text, where) => {
    expect(problem(text)).toBe(`baseline.json: not valid JSON at ${where}`);
  });

  it('names the position after a byte order mark as an editor counts it', () => {
    expect(problem('\ufeff{"a" 1}')).toBe(
      'baseline.json: not valid JSON at line 1, column 6: expected \':\', got "1"'
    );
  });
});

describe('readResults', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-results-file-'));

  it('reads a file and names it in messages', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      broken(r => (r.profiles[0].head.trials = 'many'))
    );
    expect(() => readResults(file)).toThrow(`${file}: profiles[0].head.trials: expected a list, got "many"`);
    writeFileSync(file, REAL);
    expect(readResults(file).status).toBe('complete');
  });

  it('a missing file is a usage error naming it', () => {
    const file = path.join(dir, 'nope.json');
    expect(() => readResults(file)).toThrow(UsageError);
    expect(() => readResults(file)).toThrow(`cannot read ${file}: ENOENT`);
  });
});

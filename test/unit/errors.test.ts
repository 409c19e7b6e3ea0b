/**
 * An unexpected error (a bug) reaches the user and the report as one line — name, message, where it
 * was thrown — never as a stack trace; the stack goes to the debug log only.
 */
import { jest } from '@jest/globals';
import {
  CancelledError,
  debugLog,
  describeError,
  RuntimeError,
  toPerfgateError,
  UsageError
} from '../../src/errors.js';

/** What `body` writes to stderr, with PERFGATE_DEBUG set to `debug` meanwhile. */
function stderrOf(debug: string | undefined, body: () => void): string {
  const saved = { PERFGATE_DEBUG: process.env.PERFGATE_DEBUG, RUNNER_DEBUG: process.env.RUNNER_DEBUG };
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    written.push(String(chunk));
    return true;
  });
  try {
    delete process.env.RUNNER_DEBUG;
    if (debug === undefined) delete process.env.PERFGATE_DEBUG;
    else process.env.PERFGATE_DEBUG = debug;
    body();
  } finally {
    spy.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return written.join('');
}

function thrownTypeError(): TypeError {
  try {
    void (undefined as unknown as { x: number }).x;
  } catch (err) {
    return err as TypeError;
  }
  throw new Error('expected a TypeError');
}

describe('toPerfgateError', () => {
  it('turns a TypeError into a RuntimeError of one line: name, message, first frame; the original is its cause', () => {
    const original = thrownTypeError();
    const err = toPerfgateError(original);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toMatch(
      /^TypeError: Cannot read properties of undefined \(reading 'x'\) \(at .*errors\.test\.ts:\d+:\d+\)?\)$/
    );
    expect(err.message).not.toContain('\n');
    expect(err.cause).toBe(original);
  });

  it.each<[string, unknown, string]>([
    ['a plain Error, without its name', new Error('disk on fire'), 'disk on fire (at '],
    ['a thrown string', 'just a string', 'just a string'],
    ['a thrown number', 42, '42']
  ])('%s', (_name, thrown, start) => {
    const err = toPerfgateError(thrown);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message.startsWith(start)).toBe(true);
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('keeps a PerfgateError as it is, and an abort is a cancellation', () => {
    const usage = new UsageError('bad flag');
    expect(toPerfgateError(usage)).toBe(usage);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toPerfgateError(abort)).toBeInstanceOf(CancelledError);
  });

  it('an error without a stack is its message alone', () => {
    const err = new Error('no stack here');
    err.stack = undefined;
    expect(toPerfgateError(err).message).toBe('no stack here');
  });
});

describe('describeError', () => {
  it('prints an unexpected error without its stack', () => {
    const text = describeError(thrownTypeError());
    expect(text).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(text).not.toMatch(/\n\s+at /);
  });
});

describe('the debug log', () => {
  it('has the whole stack with PERFGATE_DEBUG=1, each line prefixed; nothing otherwise', () => {
    const err = thrownTypeError();
    const debug = stderrOf('1', () => toPerfgateError(err));
    const lines = debug.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every(l => l.startsWith('perfgate debug: '))).toBe(true);
    expect(lines[1]).toMatch(/^perfgate debug: {5}at /);
    expect(stderrOf(undefined, () => toPerfgateError(err))).toBe('');
    expect(stderrOf('0', () => toPerfgateError(err))).toBe('');
  });

  it('is on in a GitHub re-run with debug logging (RUNNER_DEBUG=1), and no line can start a workflow command', () => {
    const written = stderrOf(undefined, () =>
      debugLog('first\n::warning::forged\r::error::also', { RUNNER_DEBUG: '1' })
    );
    expect(written).toBe(
      'perfgate debug: first\nperfgate debug: ::warning::forged\nperfgate debug: ::error::also\n'
    );
  });
});

/**
 * The terminal summary and the CLI's reporter with names that try to drive the terminal or the
 * runner: nothing the user wrote reaches the output as a control character or a workflow command.
 */
import { PassThrough } from 'node:stream';
import { cliReporter } from '../../../src/cli-reporter.js';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { maskSecrets } from '../../../src/reporter.js';
import { richResults } from '../../helpers/report-results.js';
import { runnerCommands } from '../../helpers/runner-commands.js';

const NAME = 'api\x1b[2J\x1b]0;owned\x07\rfake ✅ pass\n::warning::pwned\u202e txt.exe ##[add-mask]x s3cr3t';
// eslint-disable-next-line no-control-regex -- what must not be printed
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function hostile() {
  const r = richResults({ trials: 3, seconds: 2 });
  r.profiles[0]!.name = NAME;
  for (const c of r.comparisons) c.profile = NAME;
  for (const t of r.thresholds) t.profile = NAME;
  r.comparisons[0]!.reason = `reason ${NAME}`;
  r.notes = [`note ${NAME}`];
  return r;
}

describe('renderTerminal with a hostile profile name', () => {
  const files = { results: `out/${NAME}/results.json`, summary: 'out/summary.md' };
  const text = renderTerminal(hostile(), files, { mask: maskSecrets(['s3cr3t']) });
  const lines = text.split('\n');

  it('prints no control character and no line of its own for the name', () => {
    expect(text).not.toMatch(RAW);
    expect(text).not.toMatch(/\r/);
    expect(lines.filter(l => l.startsWith('::') || l.startsWith('fake'))).toEqual([]);
    expect(runnerCommands(text)).toEqual([]);
  });

  it('shows the name escaped and the secret masked', () => {
    const shown =
      'api\\x1b[2J\\x1b]0;owned\\x07\\rfake ✅ pass\\n::warning::pwned\\u202e txt.exe ##\\x5badd-mask]x ***';
    expect(lines.filter(l => l.includes(shown)).length).toBeGreaterThanOrEqual(6);
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain(`results: out/${shown}/results.json`);
  });

  it('keeps the table aligned: an escaped name widens its column', () => {
    // After the leading blank line: the header, then the profile's head and base rows.
    const table = lines.slice(1, 4);
    expect(table[0]).toMatch(/^profile\s+trials/);
    expect(table[2]).toMatch(/\(base\)\s+2\/3/);
    expect(new Set(table.map(l => l.length)).size).toBe(1);
  });
});

describe('cliReporter', () => {
  function capture(tty: boolean) {
    const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 400 });
    let out = '';
    stream.on('data', d => (out += d));
    const reporter = cliReporter(stream as unknown as NodeJS.WriteStream, maskSecrets(['s3cr3t']));
    return { reporter, out: () => out };
  }

  it.each([false, true])('escapes every message on one line (tty: %s)', tty => {
    const { reporter, out } = capture(tty);
    reporter.info(`starting service (head): ${NAME}`);
    reporter.warn(`[${NAME}] inconclusive`);
    reporter.progress({
      profile: NAME,
      side: 'head',
      trial: 1,
      trials: 3,
      elapsedMs: 500,
      totalMs: 1000,
      responses: 10,
      errors: 0
    } as Parameters<typeof reporter.progress>[0]);
    // The reporter's own redraw (`\r\x1b[2K`, on a TTY only) is the one control sequence allowed.
    const printed = out().replaceAll('\r\x1b[2K', '');
    expect(printed).not.toMatch(RAW);
    expect(printed).not.toMatch(/\r/);
    expect(printed).not.toContain('s3cr3t');
    expect(runnerCommands(printed)).toEqual([]);
    expect(printed.split('\n').filter(Boolean)).toHaveLength(3);
    expect(printed).toContain('warning: [api\\x1b[2J');
  });
});

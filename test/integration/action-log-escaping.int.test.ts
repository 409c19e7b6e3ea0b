/**
 * The Action bundle (dist/index.js) as a runner runs it, with a profile and a request whose names
 * try to issue workflow commands (`\n::warning::pwned`, `\r::add-mask::x`, `##[set-output …]`,
 * `::stop-commands::`) and drive the log viewer (ESC sequences, bidi overrides). The runner reads
 * every line of stdout for commands: the only ones it may find are the ones perfgate means.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from '../helpers/run-action.js';
import { hostileConfig, RAW_CONTROL } from '../helpers/hostile-config.js';
import { runnerCommands } from '../helpers/runner-commands.js';

// YAML double-quoted escapes: \e is ESC, \r CR, \n LF, \u202e RIGHT-TO-LEFT OVERRIDE.
const PROFILE = String.raw`api\n::warning::pwned\r::add-mask::x\n  ::stop-commands::tok\e[31m\u202e ##[set-output name=a;]b`;
const REQUEST = String.raw`get\n::add-mask::x\r\n::error::forged`;

describe('the Action log with hostile names', () => {
  it("holds no workflow command but perfgate's own, and no raw control character", async () => {
    const { dir } = await hostileConfig({
      profile: PROFILE,
      request: REQUEST,
      requestThreshold: true,
      // Every request fails: the measurement problem names the profile in setFailed's message too.
      path: '/no-such-route'
    });
    const r = await runAction(dir, {});
    expect(r.code).toBe(1); // the broken thresholds: the names reached the annotations too
    const commands = runnerCommands(r.stdout);
    // perfgate's own: the token's masks, the threshold annotations and setFailed's error.
    expect(commands.filter(c => !/^::(add-mask|error|warning|notice|debug)[ :]/.test(c))).toEqual([]);
    expect(commands.filter(c => c.startsWith('::add-mask::'))).toEqual([
      '::add-mask::ghs_not_a_real_token',
      expect.stringMatching(/^::add-mask::[A-Za-z0-9+/=]+$/)
    ]);
    // What the names would issue, were they printed raw (each line as the runner splits them).
    const forged = /^\s*::(warning::pwned|add-mask::x|stop-commands::|error::forged|set-output)/;
    expect(commands.filter(c => forged.test(c))).toEqual([]);
    expect(commands.filter(c => c.startsWith('::error')).length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(commands.some(c => c.startsWith('::error::perfgate: gate failed: profile "api'))).toBe(true);
    // The names are there, escaped: the progress lines name the profile.
    expect(r.stdout).toContain(
      String.raw`[api\n::warning::pwned\r::add-mask::x\n  ::stop-commands::tok\x1b[31m\u202e ##\x5bset-output`
    );
    // The job summary: the name in one table cell, no raw CR.
    expect(r.summary).not.toContain('\r');
    const row = r.summary.split('\n').find(l => l.startsWith('| api'))!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(10);
    expect(r.summary.trimEnd()).toBe(readFileSync(path.join(dir, 'report/summary.md'), 'utf8').trimEnd());
  }, 120_000);
});

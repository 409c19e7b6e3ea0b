/**
 * The CLI as a child process, with profile and request names that try to drive the terminal (ESC
 * sequences, a lone CR, BEL, a bidi override) and a runner's log (`\n::warning::`, `##[add-mask]`):
 * what it prints holds none of them raw, and no line the runner would take as a command.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLib } from '../helpers/build-lib.js';
import { REPO } from '../helpers/example-config.js';
import { runNode } from '../helpers/run-node.js';
import { hostileConfig, RAW_CONTROL } from '../helpers/hostile-config.js';
import { runnerCommands } from '../helpers/runner-commands.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
// YAML double-quoted escapes: \e is ESC, \a BEL, \r CR, \n LF, \u202e RIGHT-TO-LEFT OVERRIDE.
const PROFILE = String.raw`api\e[2J\e]0;owned\a\rfake pass\n::warning::pwned\u202e ##[add-mask]x`;
const REQUEST = String.raw`get\e[31m red\r::set-output name=x::y`;

describe('perfgate CLI output with hostile names', () => {
  beforeAll(buildLib, 120_000);

  it('prints the names escaped: no raw ESC, CR, BEL or bidi override, no workflow command', async () => {
    const cfg = await hostileConfig({ profile: PROFILE, request: REQUEST });
    const r = await runNode([BIN, 'run', '-c', cfg.file], {
      cwd: cfg.dir,
      env: { ...process.env, CI: 'true' }
    });
    const printed = r.stdout + r.stderr;
    expect(r.code).toBe(1); // the broken threshold: the names did reach every part of the output
    expect(printed).not.toMatch(RAW_CONTROL);
    expect(printed).not.toContain('\r');
    expect(runnerCommands(printed)).toEqual([]);
    const shown = String.raw`api\x1b[2J\x1b]0;owned\x07\rfake pass\n::warning::pwned\u202e ##\x5badd-mask]x`;
    expect(r.stdout).toContain(`FAIL ${shown}  http_req_duration  p(50)<1us`);
    expect(r.stderr).toContain(`[${shown}]`);
  }, 60_000);

  it('validate: a config error quoting a hostile key stays on its lines, escaped', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-escaping-'));
    const file = path.join(dir, `perfgate\x1b[31m.yml`);
    writeFileSync(file, 'version: 1\n"bad\\e[2J\\r::error::key": 1\n');
    const r = await runNode([BIN, 'validate', '-c', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(runnerCommands(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(String.raw`perfgate\x1b[31m.yml`);
  }, 30_000);
});

/**
 * `perfgate run -c FILE --force …` through the real CLI (bin/perfgate.js, as a user runs it), in the
 * config's directory, with the results.json the run wrote to `report/` (the tests' `report.dir`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { REPO } from './example-config.js';
import { runNode } from './run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');

export async function runGate(file: string, args: readonly string[] = [], timeoutMs = 60_000) {
  const dir = path.dirname(file);
  const r = await runNode([BIN, 'run', '-c', file, '--force', ...args], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    timeoutMs
  });
  const out = path.join(dir, 'report/results.json');
  /** Absent when the run wrote none (a config error stops it before the report exists). */
  const results = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Results) : undefined;
  /** The exit code and the end of the output, for a failed expectation to show. */
  const output = `exit ${r.code}\n${(r.stdout + r.stderr).slice(-3000)}`;
  return { ...r, results, output };
}

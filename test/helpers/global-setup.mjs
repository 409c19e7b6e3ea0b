// Jest's global setup: compiles src/ into lib/ once, before any test file runs, for the tests that
// run the `perfgate` bin. Each file compiling it in its own beforeAll rewrote lib/ in place while the
// other worker's CLI was loading it — a run then died on a half-written module (exit 1, at random).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' });
  // Inherited by the workers, which start after this: buildLib() then has nothing to do.
  process.env.PERFGATE_LIB_BUILT = '1';
}

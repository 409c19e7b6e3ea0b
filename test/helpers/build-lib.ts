import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO } from './example-config.js';

/**
 * Compiles src/ into lib/ so that the `perfgate` bin runs the current sources — unless Jest's global
 * setup did it for this run (test/helpers/global-setup.mjs): compiling again here would rewrite lib/
 * under the feet of a CLI another worker is running.
 */
export function buildLib(): void {
  if (process.env.PERFGATE_LIB_BUILT === '1') return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
}

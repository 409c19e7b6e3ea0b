import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO } from './example-config.js';

/** Compiles src/ into lib/ so that the `perfgate` bin runs the current sources. */
export function buildLib(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
}

// Builds lib/ once before the tests, so the CLI tests run the real `perfgate` bin on current sources.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function globalSetup() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

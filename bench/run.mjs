// `npm run bench`: runs every benchmark in this folder in turn (after `npm run build`), or those whose
// file names contain an argument (`npm run bench -- gate-accuracy`). The long ones — the gate
// accuracy study takes hours with its defaults — run only when named.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const LONG = ['gate-accuracy.mjs'];
const benches = readdirSync(here)
  .filter(f => f.endsWith('.mjs') && f !== 'run.mjs')
  .filter(f => (only.length === 0 ? !LONG.includes(f) : only.some(o => f.includes(o))));
if (only.length === 0) console.log(`(not run unless named: ${LONG.join(', ')})`);
let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench/${file}`);
  const r = spawnSync(process.execPath, [path.join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;

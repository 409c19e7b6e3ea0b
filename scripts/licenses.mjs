// Writes dist/licenses.txt: name, version, licence and licence text of every production dependency
// (what the bundle can contain), from package-lock.json in a stable order. ncc's own --license
// output picks one of several installed copies of a package by file-system order, which differs
// between installs and would make the check that dist/ is up to date flaky.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const seen = new Map();
for (const [where, entry] of Object.entries(lock.packages)) {
  if (!where.startsWith('node_modules/') || entry.dev || entry.devOptional) continue;
  const dir = path.join(root, where);
  if (!existsSync(path.join(dir, 'package.json'))) continue; // an optional package for another platform
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const id = `${pkg.name}@${pkg.version}`;
  if (seen.has(id)) continue;
  const file = readdirSync(dir)
    .filter(f => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f))
    .sort()[0];
  const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(no licence file in the package)';
  seen.set(id, `${id}\n${pkg.license ?? 'UNKNOWN'}\n${text}\n`);
}
const body = [...seen.keys()].sort().map(id => seen.get(id));
writeFileSync(path.join(root, 'dist/licenses.txt'), body.join('\n'));
console.log(`dist/licenses.txt: ${body.length} packages`);

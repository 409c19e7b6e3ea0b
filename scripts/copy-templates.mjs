// Copies templates/ (handlebars templates and partials) to dist/templates/, where the bundled
// Action finds them (src/report/render.ts), replacing what was there.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'dist/templates');
rmSync(target, { recursive: true, force: true });
cpSync(path.join(root, 'templates'), target, { recursive: true });
rmSync(path.join(root, 'dist/summary.md.hbs'), { force: true }); // from before templates/ was copied whole
console.log('dist/templates: copied');

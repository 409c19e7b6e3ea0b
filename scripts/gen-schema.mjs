// Writes schema/perfgate.schema.json from the zod schema of the config (run after `npm run build`).
// test/unit/config/json-schema.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { renderJsonSchema } from '../lib/config/schema.js';

writeFileSync(new URL('../schema/perfgate.schema.json', import.meta.url), renderJsonSchema());

/** The stored outputs of every other format (test/fixtures/imports/<format>/…), for detection tests. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = 'test/fixtures/imports';

/** Every fixture file of the formats other than `format`: outputs only, not their READMEs or scripts. */
export function otherFixtures(format: string): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== format)
    .flatMap(d =>
      readdirSync(join(ROOT, d.name), { recursive: true, withFileTypes: true })
        .filter(f => f.isFile() && !/\.(md|sh|py|mjs)$/i.test(f.name) && f.name !== 'VERSION')
        .map(f => join(f.parentPath, f.name))
    );
}

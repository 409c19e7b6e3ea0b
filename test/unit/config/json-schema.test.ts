import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchema } from '../../../src/config/schema.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface JsonSchema {
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
}

describe('JSON Schema', () => {
  it('committed in schema/ is what the zod schema generates (run `npm run build && npm run schema`)', () => {
    const committed = readFileSync(path.join(REPO, 'schema/perfgate.schema.json'), 'utf8');
    expect(committed).toBe(renderJsonSchema());
  });

  it('describes every key, and closes every map with a fixed set of keys', () => {
    const schema = JSON.parse(renderJsonSchema()) as JsonSchema;
    const undescribed: string[] = [];
    const open: string[] = [];
    const walk = (node: JsonSchema, at: string) => {
      if (node.properties) {
        if (node.additionalProperties === undefined) open.push(at);
        for (const [key, child] of Object.entries(node.properties)) {
          if (!child.description) undescribed.push(`${at}.${key}`);
          walk(child, `${at}.${key}`);
        }
      }
      if (node.items) walk(node.items, `${at}[]`);
    };
    walk(schema, '$');
    expect(undescribed).toEqual([]);
    expect(open).toEqual([]);
    expect(schema.properties && Object.keys(schema.properties)).toEqual([
      'version',
      'service',
      'target',
      'defaults',
      'profiles',
      'benchmarks',
      'imports',
      'profiling',
      'findings',
      'statistics',
      'baseline',
      'report'
    ]);
  });
});

/**
 * A stored baseline from another environment is compared with a note that names what differs —
 * the machine's fingerprint and where the service and the load generator ran (`service.cpus`).
 */
import { readFileSync } from 'node:fs';
import { matchBaseline } from '../../../src/compare/baseline-match.js';
import type { Results } from '../../../src/model.js';

const results = (): Results =>
  JSON.parse(readFileSync(new URL('../../fixtures/results/paired.json', import.meta.url), 'utf8')) as Results;

const environmentNote = (run: Results, baseline: Results) =>
  matchBaseline(run, baseline, 'main').notes.find(n => n.includes('different environment'));

describe('the baseline environment note', () => {
  it('none when the fingerprint and the placement are the same', () => {
    const run = results();
    run.environment.cpus = { service: '0', generator: '1' };
    const baseline = structuredClone(run);
    expect(environmentNote(run, baseline)).toBeUndefined();
  });

  it('names a placement that differs, beside the fingerprint keys that do', () => {
    const baseline = results();
    const run = structuredClone(baseline);
    run.environment.cpus = { service: '0-2', generator: '3' };
    expect(environmentNote(run, baseline)).toBe(
      'The baseline main was measured in a different environment (CPUs shared → service 0-2, generator 3): differences may come from the machine.'
    );
    run.environment.node = 'v99.0.0';
    expect(environmentNote(run, baseline)).toBe(
      `The baseline main was measured in a different environment (node ${baseline.environment.node} → v99.0.0, CPUs shared → service 0-2, generator 3): differences may come from the machine.`
    );
  });
});

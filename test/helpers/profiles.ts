import type { ProfileConfig, RequestSpec } from '../../src/config/types.js';

export type TestRequest = Partial<RequestSpec> & { path: string };

/**
 * A resolved profile for generator tests: a steady closed-model stage of `durationMs` at
 * `connections` unless `over` gives its own stages (then `durationMs` is their total).
 */
export function testProfile(requests: TestRequest[], over: Partial<ProfileConfig> = {}): ProfileConfig {
  const connections = over.connections ?? 2;
  const stages = over.stages ?? [
    {
      name: 'steady',
      durationMs: over.durationMs ?? 1000,
      from: connections,
      to: connections,
      measured: true
    }
  ];
  return {
    name: 'test',
    shape: 'steady',
    model: 'closed',
    warmupMs: 0,
    trials: 1,
    timeoutMs: 5000,
    thresholds: [],
    compare: {},
    ...over,
    connections,
    stages,
    durationMs: stages.reduce((n, s) => n + s.durationMs, 0),
    requests: requests.map(r => ({
      name: r.path,
      method: 'GET',
      headers: {},
      weight: 1,
      expectStatus: [],
      ...r
    }))
  };
}

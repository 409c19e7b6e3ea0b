import type { RequestMetrics, Results, TrialResult } from '../../src/model.js';

/** A small, complete result model for rendering tests (numbers are arbitrary but consistent). */
export function sampleResults(
  overrides: Partial<Results> = {},
  names = { profile: 'hello', request: 'hello' }
): Results {
  const latency = {
    min: 0.08,
    mean: 1.2,
    stdev: 0.4,
    p50: 1.1,
    p90: 1.9,
    p95: 2.2,
    p99: 4.5,
    p999: 9,
    max: 12
  };
  const metrics: RequestMetrics = {
    requests: 1000,
    responses: 1000,
    failed: 2,
    throughput: 500,
    bytesReceived: 100_000,
    statusCodes: { '200': 998, '500': 2 },
    errors: { timeout: 0, connection: 0, status: 2, body: 0 },
    latency,
    histogram: ''
  };
  const trial = (index: number): TrialResult => ({
    index,
    side: 'head',
    startedAt: '2026-11-23T12:00:00.000Z',
    durationMs: 2000,
    valid: true,
    metrics,
    requests: { [names.request]: metrics },
    timeline: [],
    stages: [],
    generatorCpu: 0.4,
    generatorBusy: 0.4
  });
  const perRequest = { [names.request]: { requests: 2000, failed: 4, throughput: 500, latency } };
  return {
    schemaVersion: 1,
    tool: { name: 'perfgate', version: '0.1.0' },
    createdAt: '2026-11-23T12:00:00.000Z',
    status: 'complete',
    git: {},
    environment: {
      os: 'Linux',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 1,
      node: 'v20',
      runner: 'r',
      ci: true
    },
    config: 'perfgate.yml',
    configHash: 'abcdef0123456789',
    profiles: [
      {
        name: names.profile,
        shape: 'steady',
        model: 'closed',
        connections: 10,
        durationMs: 2000,
        warmupMs: 1000,
        trialsPlanned: 2,
        order: ['head', 'head'],
        head: {
          side: 'head',
          target: 'http://127.0.0.1:1',
          trials: [trial(0), trial(1)],
          summary: {
            validTrials: 2,
            invalidTrials: 0,
            throughput: 500,
            requests: 2000,
            failed: 4,
            errors: metrics.errors,
            latency,
            perRequest
          }
        }
      }
    ],
    comparisons: [],
    thresholds: [
      {
        profile: names.profile,
        metric: 'http_req_duration',
        expression: 'p(95)<1',
        severity: 'fail',
        observed: 2.2,
        unit: 'ms',
        ok: false,
        where: 'perfgate.yml:9:7'
      },
      {
        profile: names.profile,
        metric: 'http_reqs',
        expression: 'count>0',
        severity: 'fail',
        observed: 2000,
        unit: 'count',
        ok: true,
        where: 'perfgate.yml:10:7'
      }
    ],
    verdict: 'fail',
    notes: [],
    ...overrides
  };
}

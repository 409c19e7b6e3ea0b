import type { ProfileResult, StageResult, TrialResult } from '../../../src/model.js';
import { profileFacts } from '../../../src/report/profile-facts.js';
import { syntheticProfile, syntheticTrial } from '../../helpers/trials.js';

function stage(name: string, from: number, to: number, measured: boolean, broken?: string[]): StageResult {
  const t = syntheticTrial('head', 0, 10, 100 * to);
  return {
    name,
    from,
    to,
    measured,
    startMs: 0,
    durationMs: 5000,
    metrics: t.metrics,
    ...(broken && { broken })
  };
}

function profile(over: Partial<ProfileResult>, trial: Partial<TrialResult>): ProfileResult {
  return { ...syntheticProfile([{ ...syntheticTrial('head', 0, 10, 1000), ...trial }]), ...over };
}

describe('profileFacts', () => {
  it('says nothing more for a steady closed-model profile without resources', () => {
    expect(profileFacts(profile({}, { stages: [stage('steady', 10, 10, true)] }))).toEqual([]);
  });

  it('lists a short schedule stage by stage, and the breaking point of a stress run', () => {
    const stages = [
      stage('step 1/3', 2, 2, true, []),
      stage('step 2/3', 4, 4, true, ['http_req_failed rate<0.01 (observed 3.00 %)'])
    ];
    const p = profile(
      {
        shape: 'stress',
        stress: {
          head: {
            trials: 1,
            held: { stage: 0, name: 'step 1/3', level: 2, throughput: 200, p50: 10, p99: 20, failed: 0 },
            broke: {
              stage: 1,
              name: 'step 2/3',
              level: 4,
              throughput: 380,
              p50: 12,
              p99: 80,
              failed: 0.03,
              broken: ['http_req_failed rate<0.01 (observed 3.00 %)']
            }
          }
        }
      },
      { stages }
    );
    expect(profileFacts(p)).toEqual([
      'stress, closed model (connections): step 1/3 5s at 2 · step 2/3 5s at 4',
      'breaking point: held up to step 1/3 at 2 connections (200 req/s, p99 20.00 ms, 0.00 % failed); ' +
        'broke at step 2/3 at 4 connections (380 req/s, p99 80.00 ms, 3.00 % failed): http_req_failed rate<0.01 (observed 3.00 %)'
    ]);
  });

  it('sums up a long schedule, and reports pacing, drift and resources', () => {
    const stages = Array.from({ length: 20 }, (_, i) =>
      stage(`wave ${i}s`, 100 + i * 10, 110 + i * 10, true)
    );
    const p = profile(
      { shape: 'wave', model: 'open', rate: 200 },
      {
        stages,
        openModel: { scheduled: 1000, sent: 990, lateness: { p50: 0.6, p99: 1.5, max: 4 } },
        drift: { p50: 1.5, p99: 2, throughput: 0.9, seconds: 5 },
        resources: {
          source: 'proc',
          cpu: { peak: 30, mean: 20 },
          rss: { peak: 2 * 1024 ** 2, mean: 1024 ** 2 },
          samples: [
            { second: 0, cpu: 10, rss: 1024 ** 2 },
            { second: 1, cpu: 30, rss: 3 * 1024 ** 2 }
          ]
        }
      }
    );
    expect(profileFacts(p)).toEqual([
      'wave, open model (req/s): 20 stages over 100s, levels 100–300, 20 gated',
      'drift, last quarter vs first: p50 ×1.50, p99 ×2.00, req/s ×0.90',
      'open model pacing: sent 990 of 1,000 scheduled (99.00 %), sends late by up to 1.50 ms (p99)',
      'service: CPU mean 20.0 %, peak 30.0 % of a core; RSS mean 2.0 MB, peak 3.0 MB'
    ]);
  });
});

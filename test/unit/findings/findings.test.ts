/**
 * Each kind of finding on results of real runs (test/fixtures/findings/*.json, written by
 * test/integration/findings.int.test.ts with PERFGATE_FINDINGS_KEEP; test/fixtures/results for a
 * healthy paired run), and on those results changed just past each limit, so that every limit is
 * seen to decide.
 */
import { readFileSync } from 'node:fs';
import { findings } from '../../../src/findings/index.js';
import { cpuBound, nearCores } from '../../../src/findings/cpu-bound.js';
import { errorOnset, ERROR_ONSET_RATE } from '../../../src/findings/error-onset.js';
import { generatorBound } from '../../../src/findings/generator-bound.js';
import { memoryGrowth, MEMORY_GROWTH_MIN_MB, rssPoints } from '../../../src/findings/memory-growth.js';
import { DEFAULT_FINDING_LIMITS, type FindingContext } from '../../../src/findings/limits.js';
import { findKnee, saturationKnee } from '../../../src/findings/saturation-knee.js';
import { loadSteps, type LoadStep } from '../../../src/findings/steps.js';
import { tailRatio, TAIL_MIN_P99_MS } from '../../../src/findings/tail-ratio.js';
import type { Results } from '../../../src/model.js';
import { resultsSchema } from '../../../src/results-schema.js';

const read = (file: string): Results =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8')) as Results;
const MB = 1024 * 1024;
/** The defaults on a 2-core machine, as this project's runs had. */
const ctx = (limits: Partial<FindingContext['limits']> = {}, cores = 2): FindingContext => ({
  cores,
  limits: { ...DEFAULT_FINDING_LIMITS, ...limits }
});

describe('findings of real runs', () => {
  it('a healthy service shows none: the example soak and a real paired run', () => {
    expect(findings(read('findings/hello.json'))).toEqual([]);
    for (const f of ['results/paired.json', 'results/against-baseline.json'])
      expect(findings(read(f))).toEqual([]);
  });

  it('the leaky soak: memory growth, its interval above 0, every number in the message', () => {
    const [f, ...rest] = findings(read('findings/leaky.json'));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'memory-growth', profile: 'leaky', side: 'head', severity: 'warn' });
    const n = f!.numbers as Record<string, number>;
    expect(n.slopeLowMbPerMin).toBeGreaterThan(0);
    expect(n.slopeLowMbPerMin).toBeLessThanOrEqual(n.slopeMbPerMin!);
    expect(n.slopeHighMbPerMin).toBeGreaterThanOrEqual(n.slopeMbPerMin!);
    expect(n.growthMb).toBeGreaterThan(MEMORY_GROWTH_MIN_MB);
    expect(f!.message).toContain(`${n.slopeMbPerMin!.toFixed(2)} MB/min`);
    expect(f!.message).toContain(`${n.samples} samples`);
  });

  it('the CPU-bound rampup: a knee past 2 connections and a service at about one core', () => {
    const r = read('findings/cpu.json');
    expect(findings(r).map(f => f.kind)).toEqual(['saturation-knee', 'cpu-bound']);
    const p = r.profiles[0]!;
    // rampup's steady part (6 connections, like its last ramp step) stands for that level once.
    expect(loadSteps(p, p.head).map(s => s.level)).toEqual([2, 4, 6]);
    expect(saturationKnee(p, p.head, ctx())!.numbers).toMatchObject({
      levelBefore: 2,
      levelAt: 4,
      levelAfter: 6
    });
    expect(cpuBound(p, p.head, ctx())!.numbers.cores).toBe(1);
  });

  it('the overloaded stress: error onset at 6 connections, and the tail of its fast 503s', () => {
    const r = read('findings/overloaded.json');
    const p = r.profiles[0]!;
    const f = errorOnset(p, p.head, ctx())!;
    expect(f.numbers).toMatchObject({
      firstFailingLevel: 6,
      levelBefore: 2,
      failedShareBefore: 0,
      stage: 'step 2/3'
    });
    expect(f.title).toBe('errors from 6 connections');
    expect(tailRatio(p, p.head, ctx())?.kind).toBe('tail-ratio');
    expect(findings(r).map(x => x.kind)).toEqual(['error-onset', 'tail-ratio']);
  });

  it('writes findings the results schema reads back', () => {
    for (const name of ['leaky', 'cpu', 'overloaded']) {
      const r = read(`findings/${name}.json`);
      const parsed = resultsSchema.parse({ ...r, findings: findings(r) });
      expect(parsed.findings!.length).toBeGreaterThan(0);
    }
    expect(() =>
      resultsSchema.parse({ ...read('findings/cpu.json'), findings: [{ kind: 'hunch' }] })
    ).toThrow();
  });
});

describe('the limits decide', () => {
  const step = (level: number, throughput: number, p99: number): LoadStep => ({
    stage: 0,
    name: `at ${level}`,
    level,
    throughput,
    p50: p99 / 2,
    p99,
    requests: 100,
    failed: 0,
    trials: 1
  });

  it.each([
    ['linear scaling', [step(2, 200, 10), step(4, 400, 10), step(6, 600, 11)], undefined],
    ['flat throughput but p99 flat too', [step(2, 200, 10), step(4, 205, 12)], undefined],
    ['+4.5 % throughput, +25 % p99: the knee', [step(2, 200, 10), step(4, 209, 12.5)], 2],
    ['+6 % throughput: still rising', [step(2, 200, 10), step(4, 212, 20)], undefined],
    ['a level rise under 10 % is not judged', [step(10, 500, 10), step(10.5, 500, 20)], undefined],
    ['the first knee of two', [step(1, 100, 5), step(2, 190, 6), step(4, 195, 12), step(8, 196, 24)], 2]
  ])('%s', (_, steps, before) => {
    expect(findKnee(steps, DEFAULT_FINDING_LIMITS)?.before.level).toBe(before);
  });

  it('nearCores: the fewest cores a CPU figure runs into, and whether it is near them', () => {
    expect(nearCores(95, 2)).toEqual({ cores: 1, near: true });
    expect(nearCores(50, 2)).toEqual({ cores: 1, near: false });
    expect(nearCores(130, 2)).toEqual({ cores: 2, near: false });
    expect(nearCores(190, 2)).toEqual({ cores: 2, near: true });
    expect(nearCores(400, 2)).toEqual({ cores: 2, near: true });
  });

  it('the CPU-bound rampup at half a core is not CPU-bound (a knee alone is not)', () => {
    const r = read('findings/cpu.json');
    const p = r.profiles[0]!;
    for (const t of p.head.trials)
      for (const point of t.timeline) if (point.serviceCpu !== undefined) point.serviceCpu /= 2;
    expect(saturationKnee(p, p.head, ctx())).toBeDefined();
    expect(cpuBound(p, p.head, ctx())).toBeUndefined();
  });

  it('error onset: a failed share at the limit is not above it', () => {
    const r = read('findings/hello.json');
    const p = r.profiles[0]!;
    const t = p.head.trials[0]!;
    const point = t.timeline[2]!;
    point.errors = Math.floor(point.completed * ERROR_ONSET_RATE);
    expect(point.errors / point.completed).toBeLessThanOrEqual(ERROR_ONSET_RATE);
    expect(errorOnset(p, p.head, ctx())).toBeUndefined();
    point.errors += 1;
    expect(errorOnset(p, p.head, ctx())!.numbers).toMatchObject({ second: 2, stage: 'soak', level: 200 });
  });

  it('tail ratio: over 10× but under the 5 ms floor is the machine, not the service', () => {
    const r = read('findings/hello.json');
    const p = r.profiles[0]!;
    const l = p.head.summary!.latency!;
    l.p50 = 0.2;
    l.p99 = TAIL_MIN_P99_MS - 0.1;
    expect(tailRatio(p, p.head, ctx())).toBeUndefined();
    l.p99 = TAIL_MIN_P99_MS;
    expect(tailRatio(p, p.head, ctx())!.numbers).toMatchObject({
      p50Ms: 0.2,
      p99Ms: 5,
      ratio: 25,
      limit: 10
    });
  });

  describe('memory growth', () => {
    /** The example soak's measured window, s. */
    const WINDOW_S = 8;

    /**
     * The example soak's real samples made flat at its first RSS (the example grew ~4 MB over its 8 s),
     * then `mbPerSecond` of growth added, and `noise` MB of alternation.
     */
    function grown(mbPerSecond: number, noise = 0) {
      const r = read('findings/hello.json');
      const p = r.profiles[0]!;
      const samples = p.head.trials[0]!.resources!.samples;
      const first = samples[0]!.rss;
      samples.forEach((s, i) => (s.rss = first + (mbPerSecond * s.second + (i % 2 ? noise : -noise)) * MB));
      return { p, minutes: rssPoints(p.head.trials).minutes };
    }

    it('reads the samples of the measured window only, in minutes under load', () => {
      const { p, minutes } = grown(0);
      const { x } = rssPoints(p.head.trials);
      expect(minutes).toBeCloseTo(WINDOW_S / 60, 3);
      expect(x.every(v => v > 0 && v <= minutes)).toBe(true);
      expect(x.length).toBeGreaterThanOrEqual(5);
    });

    it('a flat service has none', () => {
      const { p } = grown(0, 0.5);
      expect(memoryGrowth(p, p.head, ctx())).toBeUndefined();
    });

    it('a significant growth below the limit is not a leak', () => {
      const { p } = grown((MEMORY_GROWTH_MIN_MB * 0.9) / WINDOW_S);
      expect(memoryGrowth(p, p.head, ctx())).toBeUndefined();
    });

    it('a growth above the limit whose interval includes 0 (noisy) is not a leak', () => {
      const { p } = grown((MEMORY_GROWTH_MIN_MB * 1.5) / WINDOW_S, 40);
      expect(memoryGrowth(p, p.head, ctx())).toBeUndefined();
    });

    it('a clean growth above the limit is', () => {
      const { p } = grown((MEMORY_GROWTH_MIN_MB * 1.5) / WINDOW_S);
      const f = memoryGrowth(p, p.head, ctx())!;
      expect(f.numbers.growthMb).toBeGreaterThan(MEMORY_GROWTH_MIN_MB);
      expect(f.numbers.slopeLowMbPerMin).toBeGreaterThan(0);
    });

    it('only in a soak', () => {
      const { p } = grown((MEMORY_GROWTH_MIN_MB * 3) / WINDOW_S);
      p.shape = 'steady';
      expect(memoryGrowth(p, p.head, ctx())).toBeUndefined();
    });
  });

  describe('generator-bound trials', () => {
    const side = () => {
      const r = read('findings/hello.json');
      return { p: r.profiles[0]!, t: r.profiles[0]!.head.trials[0]! };
    };

    it('a saturated generator thread (an invalid trial)', () => {
      const { p, t } = side();
      Object.assign(t, { generatorCpu: 0.93, valid: false, invalidReason: 'load generator saturated' });
      const f = generatorBound(p, p.head)!;
      expect(f.numbers).toMatchObject({ trials: '1', limited: 1, of: 1, invalid: 1, generatorCpuMax: 0.93 });
      expect(f.message).toContain('trial 1: CPU 93 % of a core');
    });

    it('an event loop that never idled, and an open model short of its schedule', () => {
      const a = side();
      a.t.generatorBusy = 0.96;
      expect(generatorBound(a.p, a.p.head)!.message).toContain('event loop busy 96 %');
      const b = side();
      b.t.openModel = { scheduled: 1000, sent: 940, lateness: { p50: 1, p99: 30, max: 80 } };
      expect(generatorBound(b.p, b.p.head)!.message).toContain('sent 94.0 % of its schedule');
    });

    it('a client delay of half the p99 and 5 ms or more; none below', () => {
      const { p, t } = side();
      t.metrics.latency.p99 = 12;
      t.generatorDelay = { p50: 1, p99: 5.9, max: 9 };
      expect(generatorBound(p, p.head)).toBeUndefined();
      t.generatorDelay.p99 = 6;
      expect(generatorBound(p, p.head)!.numbers.generatorDelayP99MaxMs).toBe(6);
    });
  });

  describe('limits set by findings: in the config', () => {
    it('each limit decides its kind, and findings() judges every kind by the limits it is given', () => {
      // The CPU-bound rampup: knee and CPU-bound at the defaults.
      const cpu = read('findings/cpu.json');
      const p = cpu.profiles[0]!;
      const knee = saturationKnee(p, p.head, ctx())!.numbers as Record<string, number>;
      expect(knee).toMatchObject({ levelBefore: 2, levelAt: 4 });
      // A gain limit below that step's gain finds the knee one step later (4 → 6 gained +0.7 %),
      // below every step's gain none; a p99 rise above every step's rise, none either.
      const later = saturationKnee(p, p.head, ctx({ kneeGain: knee.throughputGain! - 0.001 }))!;
      expect(later.numbers).toMatchObject({ levelBefore: 4, levelAt: 6 });
      expect(saturationKnee(p, p.head, ctx({ kneeGain: 0.001 }))).toBeUndefined();
      expect(saturationKnee(p, p.head, ctx({ kneeP99Rise: 10 }))).toBeUndefined();
      expect(findings(cpu, { ...DEFAULT_FINDING_LIMITS, kneeP99Rise: 10 })).toEqual([]);
      // A service placed apart from the generator (service.cpus) is judged on its own CPUs: at
      // 2.2 cores on a 4-core machine it is not near 3 of them, but it is near the 2 it was given.
      const wide = structuredClone(cpu);
      for (const t of wide.profiles[0]!.head.trials)
        for (const point of t.timeline) if (point.serviceCpu !== undefined) point.serviceCpu *= 2.2;
      wide.environment.cores = 4;
      expect(findings(wide).map(f => f.kind)).toEqual(['saturation-knee']);
      wide.environment.cpus = { service: '0-1', generator: '2-3' };
      const placed = findings(wide).find(f => f.kind === 'cpu-bound');
      expect(placed?.numbers.cores).toBe(2);
      expect(placed?.message).toContain('of 2 cores');
      const share = cpuBound(p, p.head, ctx())!.numbers.share as number;
      expect(cpuBound(p, p.head, ctx({ cpuShare: share + 0.01 }))).toBeUndefined();
      expect(cpuBound(p, p.head, ctx({ cpuShare: share - 0.01 }))!.numbers.limitShare).toBe(share - 0.01);

      // The overloaded stress: error onset and tail ratio at the defaults.
      const over = read('findings/overloaded.json');
      const o = over.profiles[0]!;
      const ratio = tailRatio(o, o.head, ctx())!.numbers.ratio as number;
      expect(tailRatio(o, o.head, ctx({ tailRatio: Math.ceil(ratio) }))).toBeUndefined();
      expect(tailRatio(o, o.head, ctx({ tailRatio: 2 }))!.message).toContain('(limit 2×)');
      const onset = errorOnset(o, o.head, ctx({ errorRate: 0.005 }))!;
      expect(onset.numbers.limit).toBe(0.005);
      expect(onset.message).toContain('first level above 0.5 %');
      expect(errorOnset(o, o.head, ctx({ errorRate: 0.999 }))).toBeUndefined();
      expect(findings(over, { ...DEFAULT_FINDING_LIMITS, errorRate: 0.999, tailRatio: 1000 })).toEqual([]);

      // The leaky soak: memory growth at the defaults, none above its growth.
      const leaky = read('findings/leaky.json');
      const l = leaky.profiles[0]!;
      const growth = memoryGrowth(l, l.head, ctx())!.numbers.growthMb as number;
      expect(memoryGrowth(l, l.head, ctx({ memoryGrowthMb: Math.ceil(growth) }))).toBeUndefined();
      expect(memoryGrowth(l, l.head, ctx({ memoryGrowthMb: 1 }))!.message).toContain('(limit 1 MB;');
    });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../../src/config/load-config.js';
import { UsageError } from '../../../src/errors.js';
import {
  allowedCpus,
  CPU_LIST_PATTERN,
  formatCpuList,
  onCpus,
  parseCpuList,
  planPlacement
} from '../../../src/service/cpu-placement.js';

const KEY = 'service.cpus in perfgate.yml';
const withTaskset = (allowed: number[] | undefined) => ({ allowed: () => allowed, taskset: () => true });

describe('CPU lists', () => {
  it.each([
    ['0', [0]],
    ['0-3', [0, 1, 2, 3]],
    ['0-2,4', [0, 1, 2, 4]],
    ['4,0-1,1', [0, 1, 4]],
    ['7-7', [7]]
  ])('%s reads as %j', (text, cpus) => {
    expect(parseCpuList(text)).toEqual(cpus);
  });

  it.each([
    ['', '"" is not a CPU number or a range like 0-3'],
    ['a', '"a" is not a CPU number or a range like 0-3'],
    ['0,,1', '"" is not a CPU number or a range like 0-3'],
    ['1 - 2', '"1 - 2" is not a CPU number or a range like 0-3'],
    ['-1', '"-1" is not a CPU number or a range like 0-3'],
    ['3-1', 'the range 3-1 runs backwards'],
    ['0-5000', "CPU 5000 is beyond the kernel's 4096"]
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseCpuList(text)).toThrow(message);
    if (!/runs backwards|beyond/.test(message)) expect(new RegExp(CPU_LIST_PATTERN).test(text)).toBe(false);
  });

  it("the JSON Schema's pattern takes the lists the parser reads", () => {
    for (const text of ['0', '0-3', '0-2,4', '4,0-1,1', '7-7'])
      expect(new RegExp(CPU_LIST_PATTERN).test(text)).toBe(true);
  });

  it.each([
    [[0], '0'],
    [[0, 1, 2, 4], '0-2,4'],
    [[5, 3, 4, 0], '0,3-5'],
    [[1, 1, 2], '1-2'],
    [[], '']
  ])('%j writes as %s', (cpus, text) => {
    expect(formatCpuList(cpus)).toBe(text);
  });

  it('reads the allowed CPUs from a status file as the kernel writes it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-cpus-'));
    try {
      const file = path.join(dir, 'status');
      writeFileSync(
        file,
        'Name:\tnode\nCpus_allowed:\t0000000d\nCpus_allowed_list:\t0,2-3\nMems_allowed:\t1\n'
      );
      expect(allowedCpus(file)).toEqual([0, 2, 3]);
      expect(allowedCpus(path.join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("this process's own list on Linux: what sched_getaffinity gives Node", () => {
    if (process.platform !== 'linux') {
      expect(allowedCpus()).toBeUndefined();
      return;
    }
    const cpus = allowedCpus();
    expect(cpus?.length).toBe(os.availableParallelism());
  });
});

describe('planPlacement', () => {
  it('shared asks for nothing', () => {
    expect(planPlacement('shared', KEY, withTaskset([0, 1]))).toBeUndefined();
  });

  it('apart: the generator on the last allowed CPU, the service on the others', () => {
    expect(planPlacement('apart', KEY, withTaskset([0, 1]))).toEqual({
      placement: { service: [0], generator: [1] },
      allowed: [0, 1]
    });
    expect(planPlacement('apart', KEY, withTaskset([2, 3, 5, 8]))).toEqual({
      placement: { service: [2, 3, 5], generator: [8] },
      allowed: [2, 3, 5, 8]
    });
  });

  it('a list: the service on it, the generator on every other allowed CPU', () => {
    expect(planPlacement([0, 1], KEY, withTaskset([0, 1, 2, 3]))).toEqual({
      placement: { service: [0, 1], generator: [2, 3] },
      allowed: [0, 1, 2, 3]
    });
  });

  it('shares the CPUs, saying why, where placement cannot be had', () => {
    expect(planPlacement('apart', KEY, withTaskset(undefined))).toEqual({
      shared: `${KEY}: CPU placement needs Linux; the service and the load generator share the CPUs`
    });
    expect(planPlacement('apart', KEY, withTaskset([3]))).toEqual({
      shared: `${KEY}: perfgate may use one CPU (3); the service and the load generator share it`
    });
    expect(planPlacement([0], KEY, { allowed: () => [0, 1], taskset: () => false })).toEqual({
      shared: `${KEY}: taskset (util-linux) is not installed; the service and the load generator share the CPUs`
    });
  });

  it('refuses a list outside the allowed CPUs, or one that leaves the generator none', () => {
    const refused = (setting: number[], allowed: number[]) => {
      try {
        planPlacement(setting, KEY, withTaskset(allowed));
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused([0, 4, 5], [0, 1, 2])).toBe(
      `${KEY}: CPU 4-5 is not among the CPUs perfgate may use (0-2)`
    );
    expect(refused([0, 1], [0, 1])).toBe(
      `${KEY}: 0-1 leaves no CPU for the load generator (perfgate may use 0-1)`
    );
  });

  it('runs a command through taskset and the shell', () => {
    expect(onCpus([0, 1, 3], 'node server.js --port 3000')).toEqual([
      'taskset',
      ['--cpu-list', '0-1,3', '/bin/sh', '-c', 'node server.js --port 3000']
    ]);
  });
});

describe('service.cpus in the config', () => {
  const config = (cpus: string | undefined) =>
    parseConfig(
      [
        'version: 1',
        'target: http://127.0.0.1:3000',
        'service:',
        '  command: node a.js',
        ...(cpus === undefined ? [] : [`  cpus: ${cpus}`]),
        '  base: { command: node b.js, target: "http://127.0.0.1:3001" }',
        'profiles: [{ name: p, requests: [{ path: / }] }]'
      ].join('\n'),
      'perfgate.yml',
      {}
    );

  it.each([
    [undefined, 'shared'],
    ['shared', 'shared'],
    ['apart', 'apart'],
    ['2', [2]],
    ['"0-2,4"', [0, 1, 2, 4]],
    ['0,3', [0, 3]]
  ])('%s resolves to %j, the same for the base', (text, cpus) => {
    const resolved = config(text);
    expect(resolved.service?.cpus).toEqual(cpus);
    expect(resolved.base?.service?.cpus).toEqual(cpus);
  });
});

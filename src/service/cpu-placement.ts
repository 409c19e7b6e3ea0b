/**
 * Where the service and the load generator run (`service.cpus`): apart, the service on some of the
 * CPUs perfgate may use and perfgate's own process — the load generator — on the others, so that
 * neither takes the other's CPU time nor wakes beside it. Sharing a CPU, a server that wakes for
 * each request the client writes preempts the client there and takes a burst one request at a time:
 * on this project's 2-vCPU VM nginx woke 0.98 times a request under perfgate's load (0.30 under
 * wrk's), and 0.34 apart, where perfgate's p50 / p90 came nearer wrk's — while a server on a vCPU of
 * its own waits for the host to wake it, which lengthens every client's tail there (README, "closed
 * model").
 *
 * Linux only: placement is the CPU affinity of the processes (util-linux `taskset`, present on
 * GitHub's runners and in Debian's base system). A child inherits its parent's affinity, so the
 * service's whole tree stays on its CPUs; perfgate's threads move to the generator's CPUs for the
 * profiles' load and back to every allowed CPU afterwards, so that command benchmarks have them all.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { RuntimeError, UsageError } from '../errors.js';

const execFileAsync = promisify(execFile);

/** `service.cpus`: `shared` (the default), `apart`, or the service's CPUs (the generator takes the rest). */
export type CpusSetting = 'shared' | 'apart' | number[];

/** The CPUs of each, when they run apart. */
export interface CpuPlacement {
  service: number[];
  generator: number[];
}

/** A placement to apply, with every CPU perfgate may use (where its own process returns after the load). */
export interface Placed {
  placement: CpuPlacement;
  allowed: number[];
}

/** A placement to apply, or why the service and the generator share every CPU. */
export type PlacementPlan = Placed | { shared: string };

/** One part of a CPU list: a CPU or a range of them ("3", "0-2"). */
const CPU_RANGE = '(\\d+)(?:-(\\d+))?';

/** A whole CPU list as the kernel writes it ("0-2,4"), for the config's JSON Schema. */
export const CPU_LIST_PATTERN = `^${CPU_RANGE}(?:,${CPU_RANGE})*$`;

const ONE_RANGE = new RegExp(`^${CPU_RANGE}$`);

/**
 * A CPU list as the kernel and `taskset -c` write it — "0-2,4" — into its sorted CPU numbers.
 * @throws Error naming what is wrong, for a message under the config key.
 */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.split(',')) {
    const m = ONE_RANGE.exec(part);
    if (!m) throw new Error(`"${part}" is not a CPU number or a range like 0-3`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`the range ${from}-${to} runs backwards`);
    if (to > 4095) throw new Error(`CPU ${to} is beyond the kernel's 4096`);
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** CPU numbers as a list with ranges: [0, 1, 2, 4] → "0-2,4". */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The CPUs this process may run on (`Cpus_allowed_list` of /proc/self/status), or undefined where
 * there is no such file (not Linux).
 */
export function allowedCpus(statusFile = '/proc/self/status'): number[] | undefined {
  let status: string;
  try {
    status = readFileSync(statusFile, 'utf8');
  } catch {
    return undefined;
  }
  const list = /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(status)?.[1];
  return list === undefined ? undefined : parseCpuList(list);
}

/** Whether `taskset` runs here. */
export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Splits `allowed` as `setting` asks: `apart` gives the generator the last CPU and the service the
 * others; a list gives the service those and the generator the rest.
 *
 * @param key where the setting was written ("service.cpus in perfgate.yml"), for the messages.
 * @throws UsageError when a listed CPU is not allowed or the list leaves the generator no CPU.
 */
export function planPlacement(
  setting: CpusSetting,
  key: string,
  machine: { allowed: () => number[] | undefined; taskset: () => boolean } = {
    allowed: () => allowedCpus(),
    taskset: hasTaskset
  }
): PlacementPlan | undefined {
  if (setting === 'shared') return undefined;
  const allowed = machine.allowed();
  if (!allowed)
    return { shared: `${key}: CPU placement needs Linux; the service and the load generator share the CPUs` };
  if (setting === 'apart' && allowed.length < 2) {
    return {
      shared: `${key}: perfgate may use one CPU (${formatCpuList(allowed)}); the service and the load generator share it`
    };
  }
  const placement =
    setting === 'apart'
      ? { service: allowed.slice(0, -1), generator: allowed.slice(-1) }
      : listed(setting, allowed, key);
  if (!machine.taskset()) {
    return {
      shared: `${key}: taskset (util-linux) is not installed; the service and the load generator share the CPUs`
    };
  }
  return { placement, allowed };
}

function listed(service: number[], allowed: number[], key: string): CpuPlacement {
  const outside = service.filter(cpu => !allowed.includes(cpu));
  if (outside.length > 0) {
    throw new UsageError(
      `${key}: CPU ${formatCpuList(outside)} is not among the CPUs perfgate may use (${formatCpuList(allowed)})`
    );
  }
  const generator = allowed.filter(cpu => !service.includes(cpu));
  if (generator.length === 0) {
    throw new UsageError(
      `${key}: ${formatCpuList(service)} leaves no CPU for the load generator (perfgate may use ${formatCpuList(allowed)})`
    );
  }
  return { service, generator };
}

/**
 * Moves every thread of process `pid` onto `cpus` (threads it starts later inherit it).
 * @throws RuntimeError with taskset's own words when the kernel refuses.
 */
export async function pinProcess(pid: number, cpus: readonly number[]): Promise<void> {
  try {
    await execFileAsync('taskset', ['--all-tasks', '--pid', '--cpu-list', formatCpuList(cpus), String(pid)]);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new RuntimeError(
      `taskset could not move process ${pid} to CPUs ${formatCpuList(cpus)}: ${stderr || String(err)}`
    );
  }
}

/** The argv that runs `command` through the shell on `cpus` (taskset sets the affinity, then execs). */
export function onCpus(cpus: readonly number[], shellCommand: string): [string, string[]] {
  return ['taskset', ['--cpu-list', formatCpuList(cpus), '/bin/sh', '-c', shellCommand]];
}

/**
 * Runs `load` with this process — the load generator — on the generator's CPUs, and puts it back on
 * every allowed CPU afterwards, whatever `load` did. A failure to move back is a warning: the load's
 * results stand, and what runs after has fewer CPUs.
 */
export async function onGeneratorCpus<T>(
  plan: Placed,
  warn: (message: string) => void,
  load: () => Promise<T>
): Promise<T> {
  await pinProcess(process.pid, plan.placement.generator);
  try {
    return await load();
  } finally {
    await pinProcess(process.pid, plan.allowed).catch((err: unknown) =>
      warn(err instanceof Error ? err.message : String(err))
    );
  }
}

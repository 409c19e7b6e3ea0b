/**
 * `service.cpus` through the real CLI: with `apart` both services of a paired run are started on
 * every allowed CPU but the last, perfgate's own process drives the load from that last one (the
 * services look up their client's process on each request and record its CPUs), the command
 * benchmark after the profiles has every CPU again, and the results and the report say where each
 * ran. A list that leaves the generator no CPU is refused before anything starts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedCpus, formatCpuList } from '../../src/service/cpu-placement.js';
import { buildLib } from '../helpers/build-lib.js';
import { tempConfig } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runGate } from '../helpers/run-gate.js';

/**
 * A service that answers every request and keeps, per request, its own CPUs and those of the
 * perfgate process above it (the load generator: an ancestor whose command line runs
 * bin/perfgate.js); on SIGTERM it writes what it saw, distinct, to `seen-<PORT>.json` and exits.
 */
const SERVICE = `
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
const cpus = pid => /^Cpus_allowed_list:\\s*(\\S+)/m.exec(readFileSync(\`/proc/\${pid}/status\`, 'utf8'))[1];
function perfgate() {
  for (let pid = process.ppid; pid > 1; ) {
    if (readFileSync(\`/proc/\${pid}/cmdline\`, 'utf8').includes('bin/perfgate.js')) return pid;
    pid = Number(/^PPid:\\s*(\\d+)/m.exec(readFileSync(\`/proc/\${pid}/status\`, 'utf8'))[1]);
  }
  throw new Error('no perfgate above this process');
}
const generator = perfgate();
const seen = { service: new Set(), generator: new Set() };
const server = http.createServer((req, res) => {
  seen.service.add(cpus(process.pid));
  seen.generator.add(cpus(generator));
  res.end('ok');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  writeFileSync(\`seen-\${process.env.PORT}.json\`, JSON.stringify({ service: [...seen.service], generator: [...seen.generator] }));
  process.exit(0);
});
`;

beforeAll(buildLib, 120_000);

// Placement is Linux's CPU affinity; the machines this project tests on have two CPUs or more.
const allowed = allowedCpus() ?? [];
beforeAll(() => expect(allowed.length).toBeGreaterThanOrEqual(2));

it('apart: both services on all CPUs but one, the load from that one, a benchmark after it on every CPU', async () => {
  const [head, base] = [await freePort(), await freePort()];
  const { dir, file } = tempConfig('perfgate-cpus-', [
    'version: 1',
    'service:',
    '  command: node service.mjs',
    `  env: { PORT: "${head}" }`,
    '  cpus: apart',
    `  base: { command: node service.mjs, env: { PORT: "${base}" }, target: "http://127.0.0.1:${base}" }`,
    `target: http://127.0.0.1:${head}`,
    'defaults: { connections: 2, warmup: 300ms, duration: 500ms, trials: 2 }',
    'profiles: [{ name: hello, requests: [{ path: /, expect: { body: ok } }] }]',
    'benchmarks:',
    '  - name: affinity',
    '    command: grep Cpus_allowed_list /proc/self/status >> benchmark-cpus.txt',
    '    warmup: 0',
    '    runs: 2',
    'report: { dir: report }'
  ]);
  writeFileSync(path.join(dir, 'service.mjs'), SERVICE);
  const r = await runGate(file, [], 90_000);
  expect(r.results?.status).toBe('complete');
  const service = formatCpuList(allowed.slice(0, -1));
  const generator = formatCpuList(allowed.slice(-1));
  for (const port of [head, base]) {
    const seen: unknown = JSON.parse(readFileSync(path.join(dir, `seen-${port}.json`), 'utf8'));
    expect({ port, seen }).toEqual({ port, seen: { service: [service], generator: [generator] } });
  }
  const benchmark = readFileSync(path.join(dir, 'benchmark-cpus.txt'), 'utf8').trim().split('\n');
  expect(benchmark.map(line => line.split(/\s+/)[1])).toEqual([
    formatCpuList(allowed),
    formatCpuList(allowed)
  ]);
  expect(r.results!.environment.cpus).toEqual({ service, generator });
  expect(r.results!.profiles[0]!.head.trials.every(t => t.metrics.failed === 0)).toBe(true);
  const where = `the service on CPU ${service}, the load generator on CPU ${generator}`;
  expect(r.stderr).toContain(`CPUs: the service on ${service}, the load generator on ${generator}`);
  expect(readFileSync(path.join(dir, 'report/report.html'), 'utf8')).toContain(where);
}, 90_000);

it('a list of every allowed CPU leaves the generator none: refused before the service starts', async () => {
  const port = await freePort();
  const { dir, file } = tempConfig('perfgate-cpus-', [
    'version: 1',
    'service:',
    '  command: node service.mjs',
    `  env: { PORT: "${port}" }`,
    `  cpus: "${formatCpuList(allowed)}"`,
    `target: http://127.0.0.1:${port}`,
    'profiles: [{ name: hello, requests: [{ path: / }] }]',
    'report: { dir: report }'
  ]);
  writeFileSync(path.join(dir, 'service.mjs'), SERVICE);
  const r = await runGate(file, [], 30_000);
  expect(r.code).toBe(2);
  const list = formatCpuList(allowed);
  expect(r.stderr).toContain(
    `service.cpus in ${file}: ${list} leaves no CPU for the load generator (perfgate may use ${list})`
  );
  expect(r.stderr).not.toContain('starting service');
  expect(r.results?.error).toMatchObject({ kind: 'usage' });
}, 30_000);

/**
 * perfgate must never hang on a stopped service's pipes, sockets or timers. Jest keeps its own process
 * alive, so this runs the service stage in a plain Node process (the sources transpiled on the fly)
 * and checks that, after every way a service can end, nothing keeps that process alive.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { REPO } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { runNode } from '../helpers/run-node.js';

const SOURCES = [
  'src/errors.ts',
  'src/reporter.ts',
  'src/secret-masking.ts',
  'src/url-host-port.ts',
  ...readdirSync(path.join(REPO, 'src/service')).map(f => `src/service/${f}`)
];

/** Transpiles the service stage into `dir` as plain ESM (no type check: tsc does that). */
function transpile(dir: string): void {
  for (const file of SOURCES.filter(f => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(path.join(REPO, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true
      }
    });
    const out = path.join(dir, file.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
}

/**
 * Starts and ends services every way the gate can, each with its own log directory; prints what
 * still keeps the event loop alive.
 */
const SCRIPT = `
import { crashError, startService } from './src/service/start-service.js';

const [fixtures, logDir, port] = process.argv.slice(2);
const node = script => '"' + process.execPath + '" ' + script;
const url = 'http://127.0.0.1:' + port;
const base = { side: 'head', cwd: fixtures, env: { PORT: port }, readyTimeoutMs: 3000, stopTimeoutMs: 300 };
const expectFailure = (p, what) => p.then(
  () => { throw new Error(what + ': expected a failure'); },
  err => console.log(what + ': ' + err.name + ': ' + err.message)
);
console.log('starting');
const before = process.getActiveResourcesInfo();

const ok = await startService({ ...base, command: node('http-server.mjs'), ready: { kind: 'url', url: url + '/health', status: 200 } }, { logDir: logDir + '/1' });
await fetch(url + '/hello').then(r => r.text());
await ok.stop();

await expectFailure(startService({ ...base, command: node('never-ready.mjs'), ready: { kind: 'url', url: url + '/health', status: 200 }, readyTimeoutMs: 500 }, { logDir: logDir + '/2' }), 'never ready');
await expectFailure(startService({ ...base, command: node('exit-early.mjs'), ready: { kind: 'tcp', host: '127.0.0.1', port: Number(port) } }, { logDir: logDir + '/3' }), 'exits early');
const controller = new AbortController();
setTimeout(() => controller.abort(), 300);
await expectFailure(startService({ ...base, command: node('never-ready.mjs'), ready: { kind: 'log', pattern: 'never' } }, { logDir: logDir + '/4', signal: controller.signal }), 'cancelled');

const crashing = await startService({ ...base, env: { PORT: port, CRASH_AFTER_MS: '200' }, command: node('crash-after.mjs'), ready: { kind: 'tcp', host: '127.0.0.1', port: Number(port) } }, { logDir: logDir + '/5' });
console.log('crash: ' + crashError(crashing, await crashing.exited).message);
await crashing.stop();

const tree = await startService({ ...base, command: node('spawn-tree.mjs'), ready: { kind: 'log', pattern: 'session-child-child' } }, { logDir: logDir + '/6' });
await tree.stop();

const escaping = await startService({ ...base, command: node('late-escape.mjs'), ready: { kind: 'log', pattern: '^ready$' } }, { logDir: logDir + '/7' });
await escaping.exited;
await escaping.stop();

// Requests (CloseReq, FSReqCallback…) finish by themselves; handles and timers are what can hang.
// Checked from an immediate after a short pause, where neither timer nor immediate counts itself.
setTimeout(() => setImmediate(() => {
  const left = process.getActiveResourcesInfo().filter(kind => !/Req|Callback|Immediate/.test(kind));
  for (const kind of before) if (left.includes(kind)) left.splice(left.indexOf(kind), 1);
  console.log('left: ' + JSON.stringify(left));
}), 100);
`;

/** ESRCH, or a zombie in every thread (killed orphans stay zombies under an init that never reaps). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.every(tid => /\) [ZX]/.test(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
  } catch {
    return false;
  }
}

describe('service stage in a plain Node process', () => {
  it('leaves nothing that keeps perfgate alive after stop, failure, cancellation or crash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-service-handles-'));
    transpile(dir);
    writeFileSync(path.join(dir, 'script.mjs'), SCRIPT);
    const port = await freePort();
    const fixtures = path.join(REPO, 'test/fixtures/services');
    const r = await runNode([path.join(dir, 'script.mjs'), fixtures, path.join(dir, 'logs'), String(port)], {
      timeoutMs: 30_000
    });

    const logs = readdirSync(path.join(dir, 'logs')).map(d =>
      readFileSync(path.join(dir, 'logs', d, 'service-head.log'), 'utf8')
    );
    const pids = logs.flatMap(log =>
      [...log.matchAll(/^pid (\d+)(.*)$/gm)].map(m => ({ pid: Number(m[1]), role: m[2] }))
    );
    const left = pids.filter(p => !isGone(p.pid));
    left.forEach(p => process.kill(p.pid, 'SIGKILL'));
    expect(pids.length).toBeGreaterThanOrEqual(10);
    // Only the child that late-escape.mjs starts in a new session after the last record is beyond reach.
    expect(left).toEqual([{ pid: expect.any(Number), role: ' escaped' }]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('never ready: ServiceError: service (head) was not ready after 0.5s');
    expect(r.stdout).toContain(
      'exits early: ServiceError: service (head) exited with code 1 before it was ready'
    );
    expect(r.stdout).toContain('cancelled: CancelledError');
    expect(r.stdout).toContain('crash: service (head) crashed during the run (exit code 3)');
    expect(r.stdout).toContain('left: []');
    expect(r.code).toBe(0); // it ended on its own: a hang is killed by runNode's time limit (code null)
    rmSync(dir, { recursive: true, force: true });
  }, 40_000);
});

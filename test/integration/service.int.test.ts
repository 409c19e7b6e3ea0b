/**
 * Service lifecycle against real child processes (test/fixtures/services/*.mjs). Every test checks
 * that no process it started is left behind: each fixture process prints `pid <n>`, and every pid
 * seen in a log must be gone at the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReadyCheck, ServiceConfig } from '../../src/config/types.js';
import { CancelledError, ServiceError } from '../../src/errors.js';
import { crashError, startService } from '../../src/service/start-service.js';
import { isGone } from '../helpers/processes.js';
import type { ServiceHandle } from '../../src/service/types.js';
import { REPO } from '../helpers/example-config.js';
import { isListening } from '../helpers/net.js';
import { freePort } from '../helpers/ports.js';

const FIXTURES = path.join(REPO, 'test/fixtures/services');
const node = (script: string) => `"${process.execPath}" ${script}`;

let logDir: string;
/** Every pid a test saw, killed after the test whatever happened, so a failure cannot leak processes. */
const seen = new Set<number>();
const handles: ServiceHandle[] = [];

beforeEach(() => {
  logDir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-service-'));
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map(h => h.stop()));
  for (const pid of seen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  seen.clear();
  rmSync(logDir, { recursive: true, force: true });
});

function serviceConfig(
  command: string,
  ready: ReadyCheck,
  extra: Partial<ServiceConfig> = {}
): ServiceConfig {
  return {
    side: 'head',
    command,
    cwd: FIXTURES,
    env: {},
    ready,
    readyTimeoutMs: 2000,
    stopTimeoutMs: 500,
    cpus: 'shared',
    ...extra
  };
}

async function start(config: ServiceConfig, opts: { signal?: AbortSignal; secrets?: string[] } = {}) {
  const handle = await startService(config, { logDir, ...opts });
  handles.push(handle);
  seen.add(handle.pid);
  return handle;
}

/** Pids printed by the fixtures (`pid <n> …`) in `text`. */
function pidsIn(text: string): number[] {
  const pids = [...text.matchAll(/^pid (\d+)/gm)].map(m => Number(m[1]));
  pids.forEach(pid => seen.add(pid));
  return pids;
}

function expectAllGone(pids: number[]): void {
  expect(pids.length).toBeGreaterThan(0);
  expect(pids.filter(pid => !isGone(pid))).toEqual([]);
}

/** Polls `read()` until `until` holds (2 s at most). */
async function waitFor(read: () => string, until: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 2000;
  let text = read();
  while (!until(text) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 20));
    text = read();
  }
  return text;
}

const readLog = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('startService: readiness', () => {
  it('url: resolves once GET answers the expected status, then stops gracefully with SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), LISTEN_DELAY_MS: '300' };
    const handle = await start(
      serviceConfig(node('http-server.mjs'), { kind: 'url', url: `${url}/health`, status: 200 }, { env })
    );

    expect(handle.side).toBe('head');
    expect(handle.logFile).toBe(path.join(logDir, 'service-head.log'));
    expect(await (await fetch(`${url}/hello`)).text()).toBe('hello');
    const pids = pidsIn(handle.logTail());
    expect(pids).toHaveLength(1);

    expect(await handle.stop()).toEqual({ forced: false });
    expect(await handle.exited).toMatchObject({ expected: true });
    expect(readFileSync(handle.logFile, 'utf8')).toContain('SIGTERM: shutting down');
    expect(await isListening(port)).toBe(false);
    expectAllGone([handle.pid, ...pids]);
  });

  it('tcp: resolves once the port accepts connections', async () => {
    const port = await freePort();
    const env = { PORT: String(port), LISTEN_DELAY_MS: '300' };
    const handle = await start(
      serviceConfig(node('http-server.mjs'), { kind: 'tcp', host: '127.0.0.1', port }, { env })
    );
    expect(await isListening(port)).toBe(true);
    await handle.stop();
    expect(await isListening(port)).toBe(false);
    expectAllGone([handle.pid, ...pidsIn(readLog(handle.logFile))]);
  });

  it('log: resolves once a line matches the pattern; the service chose its own port', async () => {
    const ready: ReadyCheck = { kind: 'log', pattern: 'listening on http://127\\.0\\.0\\.1:\\d+' };
    const handle = await start(
      serviceConfig(node('http-server.mjs'), ready, { env: { PORT: '0', LISTEN_DELAY_MS: '200' } })
    );
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(handle.logTail())?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/hello`)).text()).toBe('hello');
    await handle.stop();
    expect(await isListening(port)).toBe(false);
    expectAllGone([handle.pid, ...pidsIn(readLog(handle.logFile))]);
  });
});

describe('startService: failures', () => {
  it('exits before ready: ServiceError with the exit code, log tail and log file, without waiting for the timeout', async () => {
    const port = await freePort();
    const ready: ReadyCheck = { kind: 'url', url: `http://127.0.0.1:${port}/health`, status: 200 };
    const err = await rejection(
      startService(serviceConfig(node('exit-early.mjs'), ready, { readyTimeoutMs: 30_000 }), { logDir })
    );

    expect(err).toBeInstanceOf(ServiceError);
    const e = err as ServiceError;
    expect(e.message).toBe('service (head) exited with code 1 before it was ready');
    expect(e.logTail).toContain('starting up');
    expect(e.logTail).toContain('error: cannot read config.json');
    expect(e.logFile).toBe(path.join(logDir, 'service-head.log'));
    expect(readFileSync(e.logFile!, 'utf8')).toContain('error: cannot read config.json');
    expectAllGone(pidsIn(e.logTail));
  }, 10_000);

  it('a command that does not exist: exit code 127 with a hint, and the shell says why', async () => {
    const err = await rejection(
      startService(serviceConfig('perfgate-no-such-command --flag', { kind: 'log', pattern: 'never' }), {
        logDir
      })
    );
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toBe('service (head) exited with code 127 before it was ready (command not found)');
    expect((err as ServiceError).logTail).toMatch(/perfgate-no-such-command.*not found/);
  });

  it('a working directory that does not exist: ServiceError, nothing started', async () => {
    const cwd = path.join(logDir, 'missing');
    const config = serviceConfig(node('http-server.mjs'), { kind: 'log', pattern: 'listening' }, { cwd });
    const err = await rejection(startService(config, { logDir }));
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toBe(
      `service (head) cannot start: working directory ${cwd} does not exist or is not a directory`
    );
    expect(existsSync(path.join(logDir, 'service-head.log'))).toBe(false);
  });

  it('a command the shell cannot even be spawned for: ServiceError naming the reason', async () => {
    const config = serviceConfig(
      node('http-server.mjs'),
      { kind: 'log', pattern: 'listening' },
      { env: { BAD: 'a\0b' } }
    );
    const err = await rejection(startService(config, { logDir }));
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toMatch(/^service \(head\) could not be started: .*BAD/);
    expect((err as ServiceError).logFile).toBe(path.join(logDir, 'service-head.log'));
    expect(readLog(path.join(logDir, 'service-head.log'))).toBe('');
  });

  it('an invalid log pattern: ServiceError, nothing started', async () => {
    const err = await rejection(
      startService(serviceConfig(node('http-server.mjs'), { kind: 'log', pattern: '(' }), { logDir })
    );
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toMatch(/^service \(head\): invalid ready\.log pattern \/\(\/: /);
    expect(readLog(path.join(logDir, 'service-head.log'))).toBe('');
  });

  const never: [string, string, (port: number) => ReadyCheck, (port: number) => string][] = [
    [
      'url, refused',
      'never-ready.mjs',
      port => ({ kind: 'url', url: `http://127.0.0.1:${port}/health`, status: 200 }),
      port => `GET http://127.0.0.1:${port}/health → ECONNREFUSED`
    ],
    [
      'url, wrong status',
      'http-server.mjs',
      port => ({ kind: 'url', url: `http://127.0.0.1:${port}/health`, status: 200 }),
      port => `GET http://127.0.0.1:${port}/health → status 503 (expected 200)`
    ],
    [
      'tcp',
      'never-ready.mjs',
      port => ({ kind: 'tcp', host: '127.0.0.1', port }),
      port => `TCP connect 127.0.0.1:${port} → ECONNREFUSED`
    ],
    [
      'log',
      'http-server.mjs',
      () => ({ kind: 'log', pattern: 'ready to serve' }),
      () => 'no line of its output matched /ready to serve/'
    ]
  ];
  it.each(never)(
    'never ready (%s): times out naming what was tried last, stops the service',
    async (_, script, ready, tried) => {
      const port = await freePort();
      const config = serviceConfig(node(script), ready(port), {
        env: { PORT: String(port), HEALTH_STATUS: '503' },
        readyTimeoutMs: 1000
      });
      const err = await rejection(startService(config, { logDir }));

      expect(err).toBeInstanceOf(ServiceError);
      expect(err.message).toBe(`service (head) was not ready after 1s: ${tried(port)}`);
      const e = err as ServiceError;
      expect(e.logFile).toBe(path.join(logDir, 'service-head.log'));
      expect(await isListening(port)).toBe(false);
      expectAllGone(pidsIn(e.logTail));
    }
  );

  it('crash mid-run: `exited` settles unexpected and crashError names the exit code with the log tail', async () => {
    const port = await freePort();
    const env = { PORT: String(port), CRASH_AFTER_MS: '300' };
    const handle = await start(
      serviceConfig(node('crash-after.mjs'), { kind: 'tcp', host: '127.0.0.1', port }, { env })
    );

    const exit = await handle.exited;
    expect(exit).toEqual({ code: 3, signal: null, expected: false });
    const err = crashError(handle, exit);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toBe('service (head) crashed during the run (exit code 3)');
    expect(err.logTail).toContain('fatal: simulated crash');
    expect(err.logFile).toBe(handle.logFile);

    await handle.stop();
    expectAllGone([handle.pid, ...pidsIn(readLog(handle.logFile))]);
  });

  it('crashError names the signal when the service was killed', () => {
    const handle = {
      side: 'base',
      logFile: '/tmp/x.log',
      logTail: () => 'segfault'
    } as unknown as ServiceHandle;
    const err = crashError(handle, { code: null, signal: 'SIGSEGV', expected: false });
    expect(err.message).toBe('service (base) crashed during the run (killed by SIGSEGV)');
    expect(err.logTail).toBe('segfault');
  });
});

describe('startService: cancellation', () => {
  it('abort while waiting for readiness: CancelledError, the service is stopped', async () => {
    const controller = new AbortController();
    const config = serviceConfig(
      node('never-ready.mjs'),
      { kind: 'log', pattern: 'never' },
      { readyTimeoutMs: 30_000 }
    );
    const starting = rejection(startService(config, { logDir, signal: controller.signal }));
    const file = path.join(logDir, 'service-head.log');
    const before = await waitFor(
      () => readLog(file),
      text => /booting/.test(text)
    );
    const pids = pidsIn(before);
    expect(pids.filter(isGone)).toEqual([]);

    controller.abort();
    const err = await starting;
    expect(err).toBeInstanceOf(CancelledError);
    expectAllGone(pids);
  }, 10_000);

  it('a signal aborted before the start: CancelledError, nothing started', async () => {
    const err = await rejection(
      startService(serviceConfig(node('never-ready.mjs'), { kind: 'log', pattern: 'x' }), {
        logDir,
        signal: AbortSignal.abort()
      })
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect(existsSync(path.join(logDir, 'service-head.log'))).toBe(false);
  });
});

/** `pid → session id`, from ps. */
function sessionOf(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'sid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
}

describe('stop()', () => {
  it('a service that ignores SIGTERM is killed after the grace period', async () => {
    const port = await freePort();
    const env = { PORT: String(port) };
    const handle = await start(
      serviceConfig(
        node('ignore-sigterm.mjs'),
        { kind: 'log', pattern: '^ready$' },
        { env, stopTimeoutMs: 300 }
      )
    );
    const pids = pidsIn(handle.logTail());

    expect(await handle.stop()).toEqual({ forced: true });
    expect(readLog(handle.logFile)).toContain('ignoring SIGTERM');
    expect(await handle.exited).toMatchObject({ expected: true });
    expect(await isListening(port)).toBe(false);
    expectAllGone([handle.pid, ...pids]);
  });

  it('kills the whole tree, including a child that started its own session, and does not hang on the pipes it holds', async () => {
    const handle = await start(
      serviceConfig(
        node('spawn-tree.mjs'),
        { kind: 'log', pattern: 'session-child-child' },
        { stopTimeoutMs: 300 }
      )
    );
    const log = await waitFor(
      () => handle.logTail(),
      text => pidsIn(text).length === 4
    );
    const pids = pidsIn(log);
    expect(pids).toHaveLength(4);
    expect(pids.filter(isGone)).toEqual([]);
    const sessionChild = Number(/^pid (\d+) session-child$/m.exec(log)?.[1]);
    expect(sessionOf(sessionChild)).not.toBe(sessionOf(handle.pid)); // it really left the group and session

    await handle.stop();
    expectAllGone([handle.pid, ...pids]);
  });

  it('kills the orphans of a service whose root process died on its own', async () => {
    const handle = await start(
      serviceConfig(node('spawn-tree.mjs'), { kind: 'log', pattern: 'session-child-child' })
    );
    const log = await waitFor(
      () => handle.logTail(),
      text => pidsIn(text).length === 4
    );
    const pids = pidsIn(log);
    const root = Number(/^pid (\d+) root$/m.exec(log)?.[1]);
    process.kill(root, 'SIGUSR2'); // the root exits with code 5, its children are re-parented

    expect(await handle.exited).toEqual({ code: 5, signal: null, expected: false });
    expect(handle.logTail()).toContain('root: exiting');
    expect(pids.filter(pid => pid !== root).filter(isGone)).toEqual([]); // the children outlived the root

    await handle.stop();
    expectAllGone([handle.pid, ...pids]);
  });

  it('is idempotent: concurrent and repeated calls resolve, `exited` reports an expected exit', async () => {
    const handle = await start(serviceConfig(node('http-server.mjs'), { kind: 'log', pattern: 'listening' }));
    await Promise.all([handle.stop(), handle.stop()]);
    await handle.stop();
    expect(await handle.exited).toMatchObject({ expected: true });
    expectAllGone([handle.pid, ...pidsIn(readLog(handle.logFile))]);
  });
});

describe('service log', () => {
  it('captures stdout and stderr line by line with secrets masked, in the file and in the tail', async () => {
    const secret = 's3cr3t-t0ken';
    const env = { ECHO_TOKEN: secret };
    const handle = await start(
      serviceConfig(node('http-server.mjs'), { kind: 'log', pattern: 'listening' }, { env }),
      {
        secrets: [secret]
      }
    );
    const tail = await waitFor(
      () => handle.logTail(),
      text => text.includes('stderr:')
    );
    await handle.stop();
    const file = readFileSync(handle.logFile, 'utf8');
    for (const text of [file, tail]) {
      expect(text).toContain('token=***\n');
      expect(text).toContain('stderr: authenticating with ***');
      expect(text).not.toContain(secret);
    }
    expect(file).toMatch(/^pid \d+\n/);
    expect(file).toContain('SIGTERM: shutting down\n');
    expect(handle.logTail(1)).toBe('SIGTERM: shutting down');
    expectAllGone([handle.pid, ...pidsIn(file)]);
  });
});

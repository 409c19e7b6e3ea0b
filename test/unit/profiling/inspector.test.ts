/**
 * The DevTools Protocol session against a real `node --inspect=127.0.0.1:0` child: results, the
 * inspector's own errors, a command that never answers, a process that exits under a pending
 * command, and an address where nothing listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { InspectorError, InspectorSession } from '../../../src/profiling/inspector.js';
import { freePort } from '../../helpers/ports.js';

interface Inspected {
  child: ChildProcess;
  url: string;
}

const RAN = 'inspected script ran';

/**
 * A node process that runs `source` with an inspector on a free loopback port, and its ws://
 * address — once `source` has run: the inspector listens before the script starts, and on a busy
 * machine a test would otherwise evaluate code the script has not defined yet.
 */
function inspected(source: string): Promise<Inspected> {
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', '-e', `${source}\nconsole.error('${RAN}');`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' }
    }
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
      if (m && stderr.includes(RAN)) resolve({ child, url: m[1]! });
    });
    child.once('exit', code =>
      reject(new Error(`node exited with ${code} before its inspector opened: ${stderr}`))
    );
  });
}

const KEEP_ALIVE =
  'setInterval(() => {}, 1000); function busy(ms) { const end = Date.now() + ms; while (Date.now() < end); }';

describe('InspectorSession', () => {
  let node: Inspected;
  let session: InspectorSession;

  beforeEach(async () => {
    node = await inspected(KEEP_ALIVE);
    session = await InspectorSession.connect(node.url);
  });

  afterEach(async () => {
    await session.close();
    node.child.kill('SIGKILL');
  });

  it('answers a command with its result', async () => {
    const r = await session.send<{ result: { type: string; value: number } }>('Runtime.evaluate', {
      expression: '6 * 7'
    });
    expect(r.result).toMatchObject({ type: 'number', value: 42 });
    expect(session.closed).toBeUndefined();
  });

  it('records a CPU profile between Profiler.start and Profiler.stop', async () => {
    type Profile = {
      nodes: Array<{ callFrame: { functionName: string } }>;
      startTime: number;
      endTime: number;
      samples: number[];
      timeDeltas: number[];
    };
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 200 });
    // On a machine busy with other tests the sampler thread may get little CPU during busy(): a few
    // recordings, each longer than the last, give it its chance.
    const functions = new Set<string>();
    for (let attempt = 0; attempt < 5 && !functions.has('busy'); attempt++) {
      await session.send('Profiler.start');
      const ran = await session.send<{ exceptionDetails?: unknown }>('Runtime.evaluate', {
        expression: `busy(${300 * (attempt + 1)})`
      });
      expect(ran.exceptionDetails).toBeUndefined();
      const { profile } = await session.send<{ profile: Profile }>('Profiler.stop');
      expect(profile.endTime).toBeGreaterThan(profile.startTime);
      expect(profile.timeDeltas).toHaveLength(profile.samples.length);
      expect(profile.nodes[0]!.callFrame.functionName).toBe('(root)');
      profile.nodes.forEach(n => functions.add(n.callFrame.functionName));
    }
    expect(functions).toContain('busy');
  });

  it('hands events to their listeners', async () => {
    const contexts: unknown[] = [];
    session.on('Runtime.executionContextCreated', params => contexts.push(params));
    await session.send('Runtime.enable');
    expect(contexts).toEqual([{ context: expect.objectContaining({ id: expect.any(Number) }) }]);
  });

  it("fails with the inspector's own error, naming the method", async () => {
    await expect(session.send('Profiler.noSuchMethod')).rejects.toThrow(
      /^Profiler\.noSuchMethod: .*wasn't found \(-32601\)$/
    );
  });

  it('fails a command the inspector does not answer in time, and stays usable', async () => {
    const never = session.send(
      'Runtime.evaluate',
      { expression: 'new Promise(() => {})', awaitPromise: true },
      300
    );
    await expect(never).rejects.toThrow(
      new InspectorError('Runtime.evaluate: the inspector did not answer within 300 ms')
    );
    const r = await session.send<{ result: { value: number } }>('Runtime.evaluate', { expression: '1 + 1' });
    expect(r.result.value).toBe(2);
  });

  it('fails a pending command, and every later one, when the process exits', async () => {
    const pending = session.send('Runtime.evaluate', {
      expression: 'new Promise(() => {})',
      awaitPromise: true
    });
    node.child.kill('SIGKILL');
    await expect(pending).rejects.toThrow(/^Runtime\.evaluate: the inspector connection closed/);
    expect(session.closed).toMatch(/^the inspector connection closed/);
    await expect(session.send('Profiler.enable')).rejects.toThrow(
      /^Profiler\.enable: the inspector connection closed/
    );
  });

  it('close() fails what is pending and is idempotent', async () => {
    const pending = session.send('Runtime.evaluate', {
      expression: 'new Promise(() => {})',
      awaitPromise: true
    });
    const failed = expect(pending).rejects.toThrow('Runtime.evaluate: the inspector session was closed');
    await session.close();
    await session.close();
    await failed;
  });
});

describe('InspectorSession.connect', () => {
  it('fails clearly where nothing listens', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/00000000-0000-0000-0000-000000000000`;
    await expect(InspectorSession.connect(url, 5000)).rejects.toThrow(
      new RegExp(`^cannot connect to the inspector at ${url.replace(/[/.]/g, '\\$&')}`)
    );
  });
});

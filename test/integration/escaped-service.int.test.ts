/**
 * A service that escapes its process tree (SPEC §2): a real double-forking daemon keeps serving
 * after perfgate stopped the tree it started. perfgate finds the process still holding the port,
 * names it, and says the service figures were measured on the wrong process; a port held by
 * another process since before the start (a proxy in front of the service) is not mistaken for it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleService, REPO } from '../helpers/example-config.js';
import { freePort } from '../helpers/ports.js';
import { isGone } from '../helpers/processes.js';
import { runNode } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const DAEMON = path.join(REPO, 'test/fixtures/services/daemonize.mjs');

function writeConfig(dir: string, service: string[], target: string): string {
  const file = path.join(dir, 'perfgate.yml');
  writeFileSync(
    file,
    [
      'version: 1',
      'service:',
      ...service,
      `target: ${target}`,
      'defaults: { connections: 2, warmup: 0s, duration: 1s, trials: 2 }',
      'profiles:',
      '  - name: p',
      '    requests: [{ path: /hello }]',
      '    thresholds: { http_reqs: ["count>0"] }',
      'report: { dir: report }',
      ''
    ].join('\n')
  );
  return file;
}

describe('a service that escapes its process tree', () => {
  beforeAll(buildLib, 120_000);

  it('is found on its port after the stop, named by pid and command, with the resources tell', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-escape-'));
    const port = await freePort();
    const pidFile = path.join(dir, 'daemon.pid');
    const file = writeConfig(
      dir,
      [
        `  command: node ${DAEMON}`,
        `  env: { PORT: "${port}", PID_FILE: "${pidFile}" }`,
        `  ready: { url: "http://127.0.0.1:${port}/health", timeout: 10s }`
      ],
      `http://127.0.0.1:${port}`
    );
    let daemon = 0;
    try {
      const r = await runNode([BIN, 'run', '-c', file], { cwd: dir, env: { ...process.env, CI: 'true' } });
      daemon = Number(readFileSync(pidFile, 'utf8'));
      expect(r.code).toBe(0);
      // The daemon is still there: perfgate named it and left it alone.
      expect(isGone(daemon)).toBe(false);
      const results = JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8')) as Results;
      const note = results.notes.find(n => n.includes('escaped its process tree'));
      expect(note).toMatch(
        new RegExp(
          `^The service \\(head\\) escaped its process tree \\(it daemonized or double-forked\\): after the tree of ` +
            `pid \\d+ was stopped, 127\\.0\\.0\\.1:${port} is still listened on by pid ${daemon} \\(.*daemonize\\.mjs server\\)\\. ` +
            `perfgate did not start that process directly and has not stopped it \\(stop it with: kill ${daemon}\\); `
        )
      );
      // Root idles while the daemon works: the service figures are near 0 % of a core.
      const cpu = Number(/CPU mean ([\d.]+) % of a core while serving [\d,]+ req\/s\.$/.exec(note!)?.[1]);
      expect(cpu).toBeLessThan(5);
      expect(r.stderr).toContain(`warning: ${note}`);
      expect(readFileSync(path.join(dir, 'report/summary.md'), 'utf8')).toContain('escaped its process tree');
    } finally {
      if (daemon > 0 && !isGone(daemon)) process.kill(daemon, 'SIGKILL');
    }
  }, 60_000);

  it('a port held since before the start by another process (a proxy) is not an escape', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-escape-'));
    const port = await freePort();
    // The "proxy": a server in this test process, in front of the example service.
    const proxy = http.createServer((req, res) => {
      const upstream = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method }, up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as AddressInfo).port;
    try {
      const file = writeConfig(
        dir,
        exampleService({ port, indent: '  ', readyTimeout: '10s', env: 'DELAY_MS: "1"' }),
        `http://127.0.0.1:${proxyPort}`
      );
      const r = await runNode([BIN, 'run', '-c', file], { cwd: dir, env: { ...process.env, CI: 'true' } });
      expect(r.code).toBe(0);
      const results = JSON.parse(readFileSync(path.join(dir, 'report/results.json'), 'utf8')) as Results;
      expect(results.profiles[0]!.head.summary!.requests).toBeGreaterThan(0);
      expect(r.stderr).not.toContain('escaped');
      expect(results.notes.join('\n')).not.toContain('escaped');
    } finally {
      proxy.closeAllConnections();
      await new Promise(resolve => proxy.close(resolve));
    }
  }, 60_000);
});

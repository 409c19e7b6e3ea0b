// Starts a private nginx for a benchmark: its own prefix in a temp dir, one process
// (`master_process off; daemon off`, i.e. `worker_processes 1`), 127.0.0.1 on a free port, access log
// off, keep-alive connections never closed by the server (so every client keeps its 8 sockets), and
// the echo module loaded when installed (Debian `libnginx-mod-http-echo`: `echo_sleep 0.005;`).
//
//   const nginx = await startNginx({
//     locations: { '/slow': 'echo_sleep 0.005; echo ok;', '/fast': 'return 200 "ok\\n";' }
//   });
//   … http://127.0.0.1:${nginx.port}/slow …
//   await nginx.stop();
//
// The process is killed (and its prefix removed) when this process exits, whatever the reason short
// of SIGKILL, so it is never left running.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, installed, waitListening } from './util.mjs';

const ECHO_MODULE = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

/** Whether an `nginx` binary is on PATH (a bench skips nginx with a note when it is not). */
export function hasNginx() {
  return installed('nginx', '-v');
}

/** Whether the echo module (`echo_sleep`, `echo`) is installed. */
export function hasEchoModule() {
  return existsSync(ECHO_MODULE);
}

/**
 * Starts nginx and resolves once it accepts connections.
 * @param {object} options
 * @param {Record<string, string>} options.locations path → the directives inside its `location = path`
 *   block, e.g. `{ '/slow': 'echo_sleep 0.005; echo ok;' }` (exact-match locations).
 * @param {number} [options.port] a port to listen on; a free one by default.
 * @param {string} [options.http] extra directives for the `http` block.
 * @returns {Promise<{ port: number, url: string, pid: number, prefix: string, stop: () => Promise<void> }>}
 *   `stop()` ends nginx (SIGTERM, SIGKILL after 3 s) and removes its prefix; calling it twice is harmless.
 */
export async function startNginx({ locations, port, http = '' }) {
  if (!locations || Object.keys(locations).length === 0) throw new Error('startNginx: no locations');
  // A free port can be taken between freePort() and nginx's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(locations, port ?? (await freePort()), http);
    } catch (err) {
      if (port !== undefined || attempt >= 3 || !/Address already in use/.test(err.message)) throw err;
    }
  }
}

async function startOnce(locations, port, http) {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'perfgate-nginx-'));
  mkdirSync(path.join(prefix, 'logs'));
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(conf, config(prefix, port, locations, http));
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'logs/error.log')], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', d => (stderr += d));
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const errorLog = () => {
    try {
      return readFileSync(path.join(prefix, 'logs/error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  let stopped;
  const stop = () =>
    (stopped ??= new Promise(resolve => {
      const finish = () => {
        clearTimeout(kill);
        process.removeListener('exit', killOnExit);
        rmSync(prefix, { recursive: true, force: true });
        resolve();
      };
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      child.once('exit', finish);
      child.kill('SIGTERM');
    }));
  try {
    await waitListening(child, port, 'nginx', () => `${stderr}${errorLog()}`.trim());
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, prefix, stop };
}

/** The whole nginx.conf: every path inside `prefix`, so nothing of the system's nginx is touched. */
function config(prefix, port, locations, http) {
  const blocks = Object.entries(locations).map(
    ([where, directives]) => `    location = ${where} { ${directives} }`
  );
  return [
    hasEchoModule() ? `load_module ${ECHO_MODULE};` : '',
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    `error_log ${path.join(prefix, 'logs/error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    '  keepalive_requests 1000000;',
    '  keepalive_timeout 120s;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      t => `  ${t}_temp_path ${path.join(prefix, `${t}_temp`)};`
    ),
    '  default_type text/plain;',
    http ? `  ${http}` : '',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    ...blocks,
    '    location / { return 404; }',
    '  }',
    '}',
    ''
  ].join('\n');
}

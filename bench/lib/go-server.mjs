// A Go HTTP server for a benchmark, beside nginx: Go's standard library only (Debian `golang-go`; no
// module download), built into a temp dir, run with GOMAXPROCS=1 (one core, like the one nginx
// process). Its handlers sleep with `time.Sleep`, which the Go runtime times to the µs, where
// nginx's `echo_sleep` rides nginx's timers in whole ms of its cached clock — so a client whose
// requests arrive in a different rhythm meets the same server time.
//
//   const go = await startGoServer({ dir });   // serves /slow (5 ms, "ok\n") and /fast ("ok\n")
//   … http://127.0.0.1:${go.port}/slow …
//   await go.stop();
//
// The process is killed when this process exits, whatever the reason short of SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, installed, stopChild, waitListening } from './util.mjs';

const SOURCE = `package main

import (
	"net/http"
	"os"
	"time"
)

func main() {
	ok := []byte("ok\\n")
	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		w.Write(ok)
	})
	http.HandleFunc("/fast", func(w http.ResponseWriter, r *http.Request) {
		w.Write(ok)
	})
	if err := http.ListenAndServe("127.0.0.1:"+os.Args[1], nil); err != nil {
		os.Stderr.WriteString(err.Error() + "\\n")
		os.Exit(1)
	}
}
`;

/** Why the Go server cannot run here, or undefined when it can. */
export function goUnavailable() {
  return installed('go', 'version') ? undefined : 'go is not installed (apt-get install golang-go)';
}

/**
 * Builds the server in `dir/go-server` and starts it on a free loopback port; resolves once it
 * accepts connections.
 * @returns {Promise<{ port: number, url: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startGoServer({ dir }) {
  const src = path.join(dir, 'go-server');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'main.go'), SOURCE);
  writeFileSync(path.join(src, 'go.mod'), 'module benchserver\n\ngo 1.19\n');
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' };
  const build = spawnSync('go', ['build', '-o', 'server', '.'], { cwd: src, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`go build failed: ${(build.stderr || build.error?.message || '').trim()}`);
  const port = await freePort();
  const child = spawn(path.join(src, 'server'), [String(port)], {
    env: { ...env, GOMAXPROCS: '1' },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', d => (stderr += d));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopChild(child);
    process.removeListener('exit', killOnExit);
  };
  try {
    await waitListening(child, port, 'the Go server', () => stderr.trim());
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
}

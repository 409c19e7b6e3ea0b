// The server's own time, read off the wire: a packet capture on the loopback (tcpdump) of one
// server port while a client runs, each exchange timed from the first segment of a request that
// carries bytes (as the client's write puts it on the wire) to the last segment of its response
// (as the server's write does). Neither client's reads, parsing nor clock are in it, so a client's
// percentiles set beside the wire's under the same run show what the client itself adds, and the
// wire's under two clients show how the server answered each client's load.
//
//   const capture = await startCapture({ port, dir });   // rejects when tcpdump cannot capture
//   … run a client against 127.0.0.1:port …
//   const exchanges = await capture.stop();              // [{ at, ms }]: at in epoch ms
//   wirePercentiles(exchanges, { from, to })             // { p50, p90, p99, n } over those sent in it
//
// Exchanges are paired per connection (the client's port): a request that follows a response opens
// the next exchange, so a request or a response in several segments counts once (one request in
// flight per connection, as the closed model and wrk have). Needs tcpdump (Debian `tcpdump`) and the
// right to capture (root or CAP_NET_RAW); IPv4 only (the benches bind 127.0.0.1). Only headers are
// kept (snap length 96), so a capture of a few thousand exchanges a second stays small.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { installed, percentile } from './util.mjs';

/** Why this machine cannot capture, or undefined when it can (tcpdump on PATH; the right is tried at start). */
export function captureUnavailable() {
  return installed('tcpdump', '--version') ? undefined : 'tcpdump is not installed (apt-get install tcpdump)';
}

/**
 * Starts capturing the TCP segments with a payload to and from `port` on the loopback into
 * `dir/wire-<n>.pcap`; resolves once tcpdump listens. `stop()` ends it and resolves with the exchanges.
 */
export function startCapture({ port, dir, limitMs = 120_000 }) {
  const file = path.join(dir, `wire-${port}-${Date.now()}.pcap`);
  // IPv4 total length − IP header − TCP header: segments that carry bytes (tcpdump's man page idiom).
  const filter = `tcp port ${port} and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)`;
  const args = ['-i', 'lo', '-n', '-s', '96', '-B', '16384', '--time-stamp-precision=nano', '-w', file, filter];
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let err = '';
    let listening = false;
    const exited = new Promise(r => child.once('exit', (code, signal) => r({ code, signal })));
    child.once('error', e => {
      clearTimeout(limit);
      reject(new Error(`tcpdump: ${e.message}`));
    });
    child.stderr.on('data', d => {
      err += d;
      if (!listening && /listening on/.test(err)) {
        listening = true;
        resolve({
          async stop() {
            child.kill('SIGINT');
            await exited;
            clearTimeout(limit);
            return readExchanges(file, port);
          }
        });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(limit);
      if (!listening) reject(new Error(`tcpdump exited ${code ?? signal}: ${err.trim().split('\n').pop()}`));
    });
  });
}

/** The exchanges of a capture: `{ at, ms }` per response, `at` (epoch ms) when its request left. */
export function readExchanges(file, port) {
  const r = spawnSync('tcpdump', ['-r', file, '-n', '-q', '-tt', '--time-stamp-precision=nano'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30
  });
  if (r.status !== 0) throw new Error(`tcpdump -r ${file}: ${r.stderr.trim().split('\n').pop()}`);
  return pairExchanges(r.stdout, port);
}

/**
 * Pairs tcpdump's `-q -tt` lines (`<s>.<ns> IP 127.0.0.1.<port> > 127.0.0.1.<port>: tcp <bytes>`)
 * into exchanges per client port. Exported for its test on a known text.
 */
export function pairExchanges(text, port) {
  /** Per client port: the open exchange's first request segment and last response segment, ms. */
  const open = new Map();
  const out = [];
  // Times in ms from the first line's second: an epoch ms figure (~1.8e12) keeps only ~0.2 µs.
  let second0;
  const close = o => {
    if (o.last !== undefined) out.push({ at: second0 * 1000 + o.first, ms: o.last - o.first });
  };
  for (const line of text.split('\n')) {
    const m = /^(\d+)\.(\d{9}) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): tcp (\d+)/.exec(line);
    if (!m || m[5] === '0') continue;
    second0 ??= Number(m[1]);
    const at = (Number(m[1]) - second0) * 1000 + Number(m[2]) / 1e6;
    const [from, to] = [Number(m[3]), Number(m[4])];
    if (to === port) {
      const o = open.get(from);
      if (o && o.last === undefined) continue; // the same request, another segment
      if (o) close(o);
      open.set(from, { first: at, last: undefined });
    } else if (from === port) {
      const o = open.get(to);
      if (o) o.last = at;
    }
  }
  for (const o of open.values()) close(o);
  return out.sort((a, b) => a.at - b.at);
}

/** Percentiles (ms) of the exchanges whose request left within `[from, to)` (epoch ms; all without). */
export function wirePercentiles(exchanges, window) {
  const ms = exchanges
    .filter(e => !window || (e.at >= window.from && e.at < window.to))
    .map(e => e.ms)
    .sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), n: ms.length };
}

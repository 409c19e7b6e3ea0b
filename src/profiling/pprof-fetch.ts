/**
 * One GET of a pprof endpoint (profiling/pprof-capture.ts), on node:http rather than fetch: the
 * request's `finish` tells when the endpoint has it — when a CPU profile starts recording — so the
 * window's load starts then. Never rejects: every fault of the endpoint is a `why`.
 */
import http from 'node:http';
import https from 'node:https';
import { MAX_PROFILE_BYTES } from './pprof-read.js';

/** A profile fetched, or why not. */
export type Fetched = { data: Uint8Array } | { why: string };

/** One window's fetch: resolves when the request is on its way, and when it is answered. */
export interface Fetch {
  sent: Promise<void>;
  done: Promise<Fetched>;
  abort: () => void;
}

/**
 * GET `url`, its body whole, within `timeoutMs` from now. Never rejects: a refused connection, a
 * status other than 200, a body cut short or larger than {@link MAX_PROFILE_BYTES}, and the time
 * running out are all a `why`.
 */
export function fetchProfile(url: string, timeoutMs: number): Fetch {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let markSent!: () => void;
  const sent = new Promise<void>(resolve => (markSent = resolve));
  const done = new Promise<Fetched>(resolve => {
    const finish = (result: Fetched) => {
      clearTimeout(timer);
      markSent();
      resolve(result);
    };
    const failed = (err: NodeJS.ErrnoException) => {
      if (timedOut) finish({ why: `no answer within ${timeoutMs} ms (timed out)` });
      else if (controller.signal.aborted) finish({ why: 'cancelled' });
      else if (err.code === 'ECONNREFUSED')
        finish({ why: 'connection refused (is the pprof endpoint listening?)' });
      else if (err.code === 'ECONNRESET')
        finish({ why: 'the connection was reset before the profile was whole' });
      else finish({ why: err.code ? `${err.code} (${err.message})` : err.message });
    };
    let req: http.ClientRequest;
    try {
      const get = url.startsWith('https:') ? https.get : http.get;
      req = get(url, { signal: controller.signal, agent: false, headers: { accept: '*/*' } });
    } catch (err) {
      finish({ why: (err as Error).message });
      return;
    }
    req.on('finish', markSent);
    req.on('error', failed);
    req.on('response', res => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PROFILE_BYTES) {
          res.destroy();
          finish({ why: `the body is larger than ${MAX_PROFILE_BYTES} bytes: not a profile` });
        } else if (res.statusCode === 200 || size <= 4096) chunks.push(chunk);
      });
      res.on('error', failed);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) {
          const text = body.toString('utf8').trim().split('\n')[0]!.slice(0, 200);
          finish({
            why: `${res.statusCode} ${res.statusMessage ?? ''}`.trim() + (text ? ` ("${text}")` : '')
          });
        } else if (!res.complete) {
          finish({ why: `the body ended after ${size} bytes, before the profile was whole` });
        } else if (/^text\/html/i.test(res.headers['content-type'] ?? '')) {
          const text = body.toString('utf8').trim().split('\n')[0]!.slice(0, 80);
          finish({
            why: `an HTML page ("${text}"), not a pprof profile: is the URL a pprof endpoint such as …/debug/pprof?`
          });
        } else {
          finish({ data: new Uint8Array(body.buffer, body.byteOffset, body.length) });
        }
      });
      res.on('aborted', () => failed(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    });
  });
  return { sent, done, abort: () => controller.abort() };
}

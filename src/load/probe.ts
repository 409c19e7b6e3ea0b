/**
 * One TCP connect to the target before load is sent, so that a target nobody listens on fails in
 * milliseconds with a message naming it, instead of a trial full of connection errors.
 */
import net from 'node:net';
import { LoadError } from '../errors.js';

/** Resolves once a TCP connection to the target's host and port succeeds; else throws `LoadError`. */
export function probeTarget(target: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LoadError(`no response from ${url.origin}: connect timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new LoadError(
          `no response from ${url.origin}: ${describeConnectError(err)}; is the service running and listening there?`
        )
      );
    });
  });
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EADDRNOTAVAIL: 'address not available',
  EPIPE: 'connection closed'
};

/** `connection refused (ECONNREFUSED)`: what a socket error means, with its code. */
export function describeConnectError(err: NodeJS.ErrnoException): string {
  const code = err.code;
  if (!code) return err.message;
  return `${REASONS[code] ?? err.message} (${code})`;
}

/**
 * Who listens on a loopback port. A service that daemonizes (double-forks) leaves perfgate's process
 * tree: stopping the tree does not stop it, and the CPU and RSS perfgate sampled were those of a
 * process that did not serve. The only trace it leaves is the port it still holds, so each side's
 * ports are looked at before the service starts and after it is stopped. Linux names the listening
 * process (/proc/net/tcp → socket inode → /proc/<pid>/fd); elsewhere only "something listens" is known.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { urlHostPort } from '../url-host-port.js';

/** How long a connection attempt may take before the port counts as not listening. */
const CONNECT_TIMEOUT_MS = 1000;

export interface PortRef {
  host: string;
  port: number;
}

export interface Listener {
  pid: number;
  /** Its command line, as /proc/<pid>/cmdline has it (cut at 200 characters). */
  command: string;
}

export interface PortState extends PortRef {
  listening: boolean;
  /** The processes holding the listening socket (empty where the OS does not tell). */
  listeners: Listener[];
}

/** The loopback ports among `urls` (`http://127.0.0.1:3000/…`) and `tcp` refs, each once. */
export function loopbackPorts(urls: string[], tcp: PortRef[] = []): PortRef[] {
  const refs = [...tcp];
  for (const url of urls) {
    try {
      refs.push(urlHostPort(new URL(url)));
    } catch {
      // not a URL: the config stage has said so already
    }
  }
  const loopback = refs.filter(r => isLoopback(r.host));
  return loopback.filter((r, i) => loopback.findIndex(o => o.host === r.host && o.port === r.port) === i);
}

/** Whether something accepts connections on each port, and which processes hold it. */
export async function portStates(ports: PortRef[]): Promise<PortState[]> {
  return Promise.all(
    ports.map(async ref => {
      const listening = await accepts(ref);
      return { ...ref, listening, listeners: listening ? listenersOf(ref.port) : [] };
    })
  );
}

/**
 * The ports that a process not seen before now listens on: after the service's tree was stopped,
 * such a process escaped it. A port that was already held before the start by the same processes
 * (e.g. a proxy in front of the service) is not counted.
 */
export async function escapedListeners(before: PortState[]): Promise<PortState[]> {
  const after = await portStates(before);
  return after.filter((now, i) => {
    const was = before[i]!;
    if (!now.listening) return false;
    if (!was.listening) return true;
    const known = new Set(was.listeners.map(l => l.pid));
    return now.listeners.some(l => !known.has(l.pid));
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function accepts(ref: PortRef): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: ref.host, port: ref.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Linux: the processes whose open files include a socket listening on `port`; elsewhere none. */
export function listenersOf(port: number): Listener[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const found: Listener[] = [];
  for (const entry of safe(() => readdirSync('/proc'), [])) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = safe(() => readdirSync(`/proc/${entry}/fd`), []);
    const holds = fds.some(fd => {
      const m = /^socket:\[(\d+)\]$/.exec(safe(() => readlinkSync(`/proc/${entry}/fd/${fd}`), ''));
      return m !== null && inodes.has(m[1]!);
    });
    if (holds) found.push({ pid: Number(entry), command: commandOf(entry) });
  }
  return found;
}

/** Linux: the TCP ports process `pid` listens on, each once, ascending; elsewhere none. */
export function listeningPortsOf(pid: number): number[] {
  const held = new Set<string>();
  for (const fd of safe(() => readdirSync(`/proc/${pid}/fd`), [])) {
    const m = /^socket:\[(\d+)\]$/.exec(safe(() => readlinkSync(`/proc/${pid}/fd/${fd}`), ''));
    if (m) held.add(m[1]!);
  }
  const ports = new Set<number>();
  for (const s of listeningSockets()) if (held.has(s.inode)) ports.add(s.port);
  return [...ports].sort((a, b) => a - b);
}

/** Inodes of the sockets in state LISTEN (0A) on `port`, IPv4 and IPv6. */
function listeningInodes(port: number): Set<string> {
  return new Set(
    listeningSockets()
      .filter(s => s.port === port)
      .map(s => s.inode)
  );
}

/** Every socket in state LISTEN (0A), IPv4 and IPv6: its local port and inode. */
function listeningSockets(): Array<{ port: number; inode: string }> {
  const sockets: Array<{ port: number; inode: string }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of safe(() => readFileSync(table, 'utf8'), '')
      .split('\n')
      .slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f.length < 10 || f[3] !== '0A') continue;
      sockets.push({ port: parseInt(f[1]!.split(':')[1] ?? '', 16), inode: f[9]! });
    }
  }
  return sockets;
}

function commandOf(pid: string): string {
  const raw = safe(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8'), '');
  const command = raw.split('\0').filter(Boolean).join(' ');
  return command.length > 200 ? `${command.slice(0, 200)}…` : command;
}

/** A /proc read that may fail (the process ended, or is not ours to read). */
function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

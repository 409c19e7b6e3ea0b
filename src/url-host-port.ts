/** The host (IPv6 unbracketed: `[::1]` → `::1`) and port of a URL, its scheme's default if none. */
export function urlHostPort(url: URL): { host: string; port: number } {
  return {
    host: unbracket(url.hostname),
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  };
}

/** `[::1]` → `::1`: URLs bracket IPv6 hosts, `net.connect` wants them bare. */
export function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE_DIR = path.join(REPO, 'examples/hello');

/** Writes `lines` as `perfgate.yml` into a fresh temp dir named `prefix…`. */
export function tempConfig(prefix: string, lines: string[]): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'perfgate.yml');
  writeFileSync(file, [...lines, ''].join('\n'));
  return { dir, file };
}

/**
 * Writes a short config for the example service on a free loopback port into a fresh temp dir.
 * `thresholds` is YAML for the profile's `thresholds:` block.
 */
export async function exampleConfig(opts: {
  thresholds: string;
  extraService?: string;
  trials?: number;
}): Promise<{
  dir: string;
  file: string;
  port: number;
}> {
  const port = await freePort();
  const { dir, file } = tempConfig('perfgate-test-', [
    'version: 1',
    'service:',
    ...exampleService({ port, indent: '  ', readyTimeout: '10s' }),
    ...(opts.extraService ? [opts.extraService] : []),
    `target: http://127.0.0.1:${port}`,
    `defaults: { connections: 4, warmup: 500ms, duration: 1s, trials: ${opts.trials ?? 2} }`,
    'profiles:',
    '  - name: hello',
    '    requests:',
    '      - { name: hello, path: /hello, weight: 2 }',
    '      - { name: slow, path: /slow }',
    '    thresholds:',
    ...opts.thresholds.split('\n').map(l => `      ${l}`),
    'report: { dir: report }'
  ]);
  return { dir, file, port };
}

/** The YAML lines that start the example service on `port` (keys of `service:` or `service.base:`). */
export function exampleService(o: {
  port: number;
  indent: string;
  readyTimeout: string;
  env?: string;
  command?: string;
}): string[] {
  return [
    `${o.indent}command: ${o.command ?? 'node server.mjs'}`,
    `${o.indent}cwd: ${EXAMPLE_DIR}`,
    `${o.indent}env: { PORT: "${o.port}"${o.env ? `, ${o.env}` : ''} }`,
    `${o.indent}ready: { url: "http://127.0.0.1:${o.port}/health", timeout: ${o.readyTimeout} }`
  ];
}

/**
 * Both sides get a per-request delay: a side that answers instantly lets the load generator itself
 * saturate on this small machine, and its trials are (rightly) marked invalid.
 */
export async function pairedConfig(opts: {
  headDelayMs: number;
  baseCommand?: string;
  trials?: number | 'auto';
  /** Extra top-level lines, e.g. `statistics:`. */
  top?: string[];
}) {
  const [head, base] = [await freePort(), await freePort()];
  const { dir, file } = tempConfig('perfgate-paired-', [
    'version: 1',
    'service:',
    ...exampleService({
      port: head,
      indent: '  ',
      readyTimeout: '10s',
      env: `DELAY_MS: "${opts.headDelayMs}"`
    }),
    '  base:',
    ...exampleService({
      port: base,
      indent: '    ',
      readyTimeout: '2s',
      env: 'DELAY_MS: "1"',
      command: opts.baseCommand
    }),
    `    target: http://127.0.0.1:${base}`,
    `target: http://127.0.0.1:${head}`,
    `defaults: { connections: 4, warmup: 300ms, duration: 500ms, trials: ${opts.trials ?? 6} }`,
    'profiles:',
    '  - name: hello',
    '    requests: [{ path: /hello }]',
    'report: { dir: report }',
    ...(opts.top ?? [])
  ]);
  return { dir, file, ports: [head, base] };
}

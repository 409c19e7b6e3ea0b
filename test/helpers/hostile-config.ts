import { exampleService, tempConfig } from './example-config.js';
import { freePort } from './ports.js';

// eslint-disable-next-line no-control-regex -- what a terminal or a runner's log must never get raw
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * A config for the example service on a free port whose profile and request carry hostile names
 * (YAML double-quoted escapes: `\e` ESC, `\a` BEL, `\r` CR, `\n` LF, `\u202e` a bidi override), with
 * a threshold that breaks, so the names reach the threshold messages and annotations too.
 */
export async function hostileConfig(names: {
  profile: string;
  request: string;
  /** Also a threshold on the request alone (its name then appears in the selector). */
  requestThreshold?: boolean;
  /** The request's path (default /hello); a missing route fails every request (a measurement problem). */
  path?: string;
}): Promise<{ file: string; dir: string }> {
  const port = await freePort();
  const { dir, file } = tempConfig('perfgate-hostile-', [
    'version: 1',
    'service:',
    ...exampleService({ port, indent: '  ', readyTimeout: '10s' }),
    `target: http://127.0.0.1:${port}`,
    'defaults: { connections: 2, warmup: 200ms, duration: 1s, trials: 1 }',
    'profiles:',
    `  - name: "${names.profile}"`,
    '    requests:',
    `      - { name: "${names.request}", path: ${names.path ?? '/hello'} }`,
    '    thresholds:',
    '      http_req_duration: ["p(50)<1us"]',
    ...(names.requestThreshold ? [`      "http_req_duration{request:${names.request}}": ["p(50)<1us"]`] : []),
    'report: { dir: report }'
  ]);
  return { file, dir };
}

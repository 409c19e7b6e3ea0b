/**
 * Unique ids in requests (SPEC §3 request mixes): every `[<id>]` in a request's path, header values
 * or body becomes a fresh UUID for each request sent — the token autocannon's own `idReplacement`
 * uses, extended here to the path and headers, and shared by the closed and the open model.
 */
import { randomUUID } from 'node:crypto';
import type { RequestSpec } from '../config/types.js';

export const ID_TOKEN = '[<id>]';

export interface RequestParts {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The parts of `spec` with a fresh id in place of every `[<id>]` on each call; the same object every
 * time when there is no token. With a token in the body its length changes per request, so a
 * `content-length` written in the config is dropped (the client sets it).
 */
export function withFreshIds(spec: Pick<RequestSpec, 'path' | 'headers' | 'body'>): () => RequestParts {
  const headers = { ...spec.headers };
  const fixed: RequestParts = {
    path: spec.path,
    headers,
    ...(spec.body !== undefined && { body: spec.body })
  };
  if (![spec.path, spec.body ?? '', ...Object.values(headers)].some(f => f.includes(ID_TOKEN)))
    return () => fixed;
  if (spec.body?.includes(ID_TOKEN)) {
    for (const name of Object.keys(headers)) if (/^content-length$/i.test(name)) delete headers[name];
  }
  return () => {
    const id = randomUUID();
    const sub = (s: string) => s.replaceAll(ID_TOKEN, id);
    return {
      path: sub(spec.path),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, sub(v)])),
      ...(spec.body !== undefined && { body: sub(spec.body) })
    };
  };
}

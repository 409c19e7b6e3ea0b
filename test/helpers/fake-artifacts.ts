/**
 * A local stand-in for the service `@actions/artifact` (v2+ protocol) talks to: the results service's
 * Twirp API (`ACTIONS_RESULTS_URL` + `/twirp/github.actions.results.api.v1.ArtifactService/…`) and
 * the blob storage its signed upload URL points at (Azure's Put Block / Put Block List, as
 * `@azure/storage-blob`'s `uploadStream` uses them). Real HTTP on 127.0.0.1, port 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface StoredArtifact {
  id: number;
  name: string;
  /** What CreateArtifact asked for (ISO time), when a retention was given. */
  expiresAt?: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  finalized: boolean;
  /** The uploaded zip, once its block list was committed. */
  zip?: Buffer;
  size?: number;
}

export interface FakeArtifacts {
  /** For `ACTIONS_RESULTS_URL`. */
  url: string;
  /** A runtime token whose `scp` claim carries the backend ids, for `ACTIONS_RUNTIME_TOKEN`. */
  token: string;
  artifacts: StoredArtifact[];
  /** File names inside an artifact's zip (via `unzip -Z1`). */
  entries(artifact: StoredArtifact): string[];
  /** The text of one file inside an artifact's zip (via `unzip -p`). */
  read(artifact: StoredArtifact, name: string): string;
  close(): Promise<void>;
}

const RUN_ID = 'a0b1c2d3-0000-4000-8000-000000000001';
const JOB_ID = 'a0b1c2d3-0000-4000-8000-000000000002';
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

/** An unsigned JWT: the artifact client only decodes it to read the backend ids. */
function runtimeToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: `Actions.GenericRead Actions.Results:${RUN_ID}:${JOB_ID}` })}.`;
}

export async function startFakeArtifacts(): Promise<FakeArtifacts> {
  const artifacts: StoredArtifact[] = [];
  const blocks = new Map<string, Map<string, Buffer>>();
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c as Buffer));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', origin);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'POST' && url.pathname.startsWith(TWIRP)) {
        if (req.headers.authorization !== `Bearer ${token}`) return json(401, { code: 'unauthenticated' });
        const call = url.pathname.slice(TWIRP.length);
        // The client sends protobuf JSON with the proto field names (snake_case).
        const raw = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
        const input = Object.fromEntries(
          Object.entries(raw).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])
        );
        if (call === 'CreateArtifact') {
          const a: StoredArtifact = {
            id: artifacts.length + 1,
            name: input.name ?? '',
            ...(input.expiresAt && { expiresAt: input.expiresAt }),
            workflowRunBackendId: input.workflowRunBackendId ?? '',
            workflowJobRunBackendId: input.workflowJobRunBackendId ?? '',
            finalized: false
          };
          artifacts.push(a);
          return json(200, { ok: true, signedUploadUrl: `${origin}/blob/${a.id}?sig=fake` });
        }
        if (call === 'FinalizeArtifact') {
          const a = artifacts.find(x => x.name === input.name && !x.finalized);
          if (!a || !a.zip)
            return json(404, { code: 'not_found', msg: `no uploaded artifact ${input.name}` });
          a.finalized = true;
          a.size = Number(input.size ?? a.zip.length);
          return json(200, { ok: true, artifactId: String(a.id) });
        }
        return json(404, { code: 'bad_route', msg: `no method ${call}` });
      }
      const blob = /^\/blob\/(\d+)$/.exec(url.pathname);
      if (req.method === 'PUT' && blob) {
        const id = blob[1]!;
        const comp = url.searchParams.get('comp');
        const staged = blocks.get(id) ?? new Map<string, Buffer>();
        blocks.set(id, staged);
        if (comp === 'block') {
          staged.set(url.searchParams.get('blockid') ?? '', body);
        } else if (comp === 'blocklist') {
          // <BlockList><Latest>id</Latest>…</BlockList>: the blocks in this order make the blob.
          const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
            m => m[1]!
          );
          const a = artifacts.find(x => String(x.id) === id);
          if (a) a.zip = Buffer.concat(ids.map(b => staged.get(b) ?? Buffer.alloc(0)));
        } else {
          const a = artifacts.find(x => String(x.id) === id);
          if (a) a.zip = body; // a single Put Blob
        }
        res.writeHead(201, {
          etag: '"0x1"',
          'last-modified': new Date().toUTCString(),
          'x-ms-request-id': `req-${id}`,
          'x-ms-version': '2025-01-05',
          'x-ms-request-server-encrypted': 'true'
        });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
  });
  const token = runtimeToken();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const withZip = <T>(a: StoredArtifact, f: (file: string) => T): T => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'perfgate-artifact-')), 'artifact.zip');
    writeFileSync(file, a.zip ?? Buffer.alloc(0));
    return f(file);
  };
  return {
    url: origin,
    token,
    artifacts,
    entries: a =>
      withZip(a, f => execFileSync('unzip', ['-Z1', f], { encoding: 'utf8' }).split('\n').filter(Boolean)),
    read: (a, name) => withZip(a, f => execFileSync('unzip', ['-p', f, name], { encoding: 'utf8' })),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

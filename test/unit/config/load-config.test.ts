import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { loadConfig } from '../../../src/config/load-config.js';

async function loadError(file: string): Promise<ConfigError> {
  const err: unknown = await loadConfig(file, {}).catch((e: unknown) => e);
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  return err;
}

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-config-'));

  it('reports a missing file as a config error at the file', async () => {
    const file = path.join(dir, 'nope.yml');
    const err = await loadError(file);
    expect(err.issues).toEqual([
      { where: file, path: '', message: 'expected a readable config file, got no such file' }
    ]);
    expect(err.exitCode).toBe(2);
  });

  it('reports a directory as a config error', async () => {
    expect((await loadError(dir)).message).toBe(`${dir}: expected a readable config file, got a directory`);
  });

  it('names the file as given and resolves paths against its directory', async () => {
    const sub = path.join(dir, 'sub');
    const file = path.join(sub, 'perfgate.yml');
    await import('node:fs/promises').then(fs => fs.mkdir(sub, { recursive: true }));
    writeFileSync(
      file,
      [
        'version: 1',
        'target: http://127.0.0.1:3000',
        'service: { command: x, cwd: ../app }',
        'profiles: [{ name: p }]',
        'baseline: { path: base/line.json }',
        'report: { dir: /abs/report }'
      ].join('\n')
    );
    const relative = path.relative(process.cwd(), file);
    const config = await loadConfig(relative, {});
    expect(config.file).toBe(file);
    expect(config.service?.cwd).toBe(path.join(dir, 'app'));
    expect(config.baseline).toEqual({
      store: 'file',
      path: path.join(sub, 'base/line.json'),
      history: 20,
      required: false
    });
    expect(config.report.dir).toBe('/abs/report');

    writeFileSync(file, 'version: 1\ntarget: nope\nprofiles: [{ name: p }]\n');
    expect((await loadError(relative)).issues[0]?.where).toBe(`${relative}:2:9`);
  });
});

/**
 * The gate with fake load and service: a stored baseline of the wrong shape fails before any
 * service is started or any load sent, and an unexpected error (a bug) ends up in results.json and
 * summary.md as one line, never as a stack trace.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { ResultsFileError } from '../../src/results-file.js';
import { RuntimeError } from '../../src/errors.js';
import { runGate, type GateDeps, type StartService } from '../../src/gate.js';
import type { LoadGenerator } from '../../src/load/types.js';
import type { Results } from '../../src/model.js';
import type { Reporter } from '../../src/reporter.js';
import { REPO } from '../helpers/example-config.js';

const quiet: Reporter = { info: () => {}, warn: () => {}, progress: () => {} };

function setup(service: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-gate-stored-'));
  const file = path.join(dir, 'perfgate.yml');
  const text = [
    'version: 1',
    ...(service ? ['service:', '  command: node server.mjs'] : []),
    'target: http://127.0.0.1:9',
    'defaults: { connections: 1, warmup: 1s, duration: 1s, trials: 1 }',
    'profiles:',
    '  - name: hello',
    '    requests: [{ path: /hello }]',
    ''
  ].join('\n');
  writeFileSync(file, text);
  return { dir, config: parseConfig(text, file, {}) };
}

function fakes() {
  const load: LoadGenerator = {
    warmup: jest.fn(async () => {}),
    runTrial: jest.fn(async () => {
      throw new Error('no trial expected');
    })
  };
  const startService = jest.fn<StartService>(async () => {
    throw new Error('no service expected');
  });
  const deps: GateDeps = { load, startService, reporter: quiet };
  return { deps, load, startService };
}

describe('runGate and stored results', () => {
  it('a baseline of the wrong shape fails with its JSON path before a service starts or load is sent', async () => {
    const { dir, config } = setup(true);
    const real = readFileSync(path.join(REPO, 'test/fixtures/results/baseline-with-history.json'), 'utf8');
    const broken = JSON.parse(real) as Results;
    (broken.profiles[0]!.head as unknown as { trials: string }).trials = 'many';
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(broken));
    const { deps, load, startService } = fakes();
    const outcome = await runGate(config, deps, {
      outDir: path.join(dir, 'report'),
      baseline: { file: bad, required: true },
      signal: new AbortController().signal,
      configLabel: 'perfgate.yml'
    });
    expect(outcome.error).toBeInstanceOf(ResultsFileError);
    expect(outcome.error?.exitCode).toBe(2);
    expect(outcome.error?.message).toBe(`${bad}: profiles[0].head.trials: expected a list, got "many"`);
    expect(startService).not.toHaveBeenCalled();
    expect(load.warmup).not.toHaveBeenCalled();
    expect(load.runTrial).not.toHaveBeenCalled();
  });

  it('an unexpected error is one line in results.json and summary.md, without a stack trace', async () => {
    const { dir, config } = setup(false);
    const { deps } = fakes();
    // A bug anywhere in the run: here the reporter's first line throws a TypeError.
    deps.reporter = {
      ...quiet,
      info: () => void (null as unknown as { length: number }).length
    };
    const outcome = await runGate(config, deps, {
      outDir: path.join(dir, 'report'),
      signal: new AbortController().signal,
      configLabel: 'perfgate.yml'
    });
    expect(outcome.error).toBeInstanceOf(RuntimeError);
    const results = JSON.parse(readFileSync(outcome.files.results, 'utf8')) as Results;
    expect(results.status).toBe('failed');
    expect(results.error?.message).toMatch(
      /^TypeError: Cannot read properties of null \(reading 'length'\) \(at .*gate-stored-results\.test\.ts:\d+:\d+\)?\)$/
    );
    const summary = readFileSync(outcome.files.summary, 'utf8');
    expect(summary).toContain("TypeError: Cannot read properties of null (reading 'length')");
    for (const text of [JSON.stringify(results), summary, readFileSync(outcome.files.html, 'utf8')]) {
      expect(text).not.toMatch(/(\n|\\n)\s+at /);
    }
  });
});

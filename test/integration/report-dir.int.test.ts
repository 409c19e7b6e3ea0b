/**
 * Nothing the user owns is overwritten, and a full disk loses nothing already measured: the real
 * CLI against the example service, the report written onto a real, small tmpfs (mounted in a user
 * and mount namespace of its own with `unshare`, so the test needs no privileges).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import { buildLib } from '../helpers/build-lib.js';
import { exampleConfig, REPO } from '../helpers/example-config.js';
import { runNode, type RunResult } from '../helpers/run-node.js';

const BIN = path.join(REPO, 'bin/perfgate.js');
const perfgate = (args: string[], cwd: string) =>
  runNode([BIN, ...args], { cwd, env: { ...process.env, CI: 'true' } });

describe('the report directory', () => {
  beforeAll(buildLib, 120_000);

  it.each([['--out'], ['--baseline'], ['--save-baseline'], ['-c']])(
    '%s "" (an unset variable) is a usage error, and nothing is written',
    async option => {
      const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 1 });
      const args = option === '-c' ? ['run', '-c', ''] : ['run', '-c', cfg.file, option, ''];
      const r = await perfgate(args, cfg.dir);
      expect(r.code).toBe(2);
      const name = option === '-c' ? '--config' : option;
      expect(r.stderr).toBe(`perfgate: ${name}: expected a path, got an empty string (an unset variable?)\n`);
      expect(readdirSync(cfg.dir)).toEqual(['perfgate.yml']);
    }
  );

  it('a non-empty directory without perfgate results is refused before anything runs; --force writes into it', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 1 });
    const mine = path.join(cfg.dir, 'mine');
    mkdirSync(mine);
    for (const f of ['notes.txt', 'summary.md', 'report.html'])
      writeFileSync(path.join(mine, f), `my ${f}\n`);
    const refused = await perfgate(['run', '-c', cfg.file, '--out', mine], cfg.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `perfgate: --out: ${mine} is not empty and holds no perfgate results (notes.txt, report.html, summary.md);`
    );
    expect(refused.stderr).toContain('pass --force to write into it anyway');
    expect(refused.stderr).not.toContain('starting service');
    expect(readdirSync(mine).sort()).toEqual(['notes.txt', 'report.html', 'summary.md']);
    expect(readFileSync(path.join(mine, 'summary.md'), 'utf8')).toBe('my summary.md\n');

    // The same directory named by report.dir in the config is refused the same way.
    const viaConfig = path.join(cfg.dir, 'via-config.yml');
    writeFileSync(
      viaConfig,
      readFileSync(cfg.file, 'utf8').replace('report: { dir: report }', 'report: { dir: mine }')
    );
    const refused2 = await perfgate(['run', '-c', viaConfig], cfg.dir);
    expect(refused2.code).toBe(2);
    expect(refused2.stderr).toContain(`perfgate: report.dir in ${viaConfig}: ${mine} is not empty`);

    const forced = await perfgate(['run', '-c', cfg.file, '--out', mine, '--force'], cfg.dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(mine, 'notes.txt'), 'utf8')).toBe('my notes.txt\n');
    // Once it holds perfgate's results, a second run writes over its own report without --force.
    expect((await perfgate(['run', '-c', cfg.file, '--out', mine], cfg.dir)).code).toBe(0);
  }, 90_000);

  it('a disk that fills up mid-run: the table is printed, the last complete results.json kept, no temporary file left', async () => {
    const cfg = await exampleConfig({ thresholds: 'http_reqs: ["count>0"]', trials: 4 });
    const outside = mkdtempSync(path.join(os.tmpdir(), 'perfgate-full-'));
    const mnt = path.join(outside, 'mnt');
    mkdirSync(mnt);
    // Inside its own namespaces: a 2 MB tmpfs; once results.json holds the first trial, a filler
    // takes every byte left; after the run, what is on the tmpfs is copied out for the asserts.
    const script = [
      'set -u',
      `mount -t tmpfs -o size=2m tmpfs "$MNT"`,
      `( while ! grep -q '"index": 0' "$MNT/report/results.json" 2>/dev/null; do sleep 0.05; done;`,
      `  dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null; touch "$MNT/full" ) &`,
      `"$NODE" "$BIN" run -c "$CFG" --out "$MNT/report" --save-baseline "$MNT/baseline.json" >"$OUT/stdout" 2>"$OUT/stderr"; echo $? >"$OUT/code"`,
      'wait',
      `ls -a "$MNT/report" >"$OUT/listing"; ls -a "$MNT" >"$OUT/mnt-listing"`,
      `cp "$MNT/report/results.json" "$OUT/results.json"; test -e "$MNT/full" && touch "$OUT/filled"`
    ].join('\n');
    execFileSync('unshare', ['-rm', 'sh', '-c', script], {
      env: { ...process.env, CI: 'true', MNT: mnt, NODE: process.execPath, BIN, CFG: cfg.file, OUT: outside },
      timeout: 60_000
    });
    const r: RunResult = {
      code: Number(readFileSync(path.join(outside, 'code'), 'utf8')),
      stdout: readFileSync(path.join(outside, 'stdout'), 'utf8'),
      stderr: readFileSync(path.join(outside, 'stderr'), 'utf8')
    };
    expect(existsSync(path.join(outside, 'filled'))).toBe(true);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/warning: cannot write .*ENOSPC.*measuring on, trying again after each trial/);
    // The first failure ends the run (the baseline could not be saved); the report's is warned about.
    expect(r.stderr).toMatch(/perfgate: cannot write the baseline .*baseline\.json.*ENOSPC/);
    expect(r.stderr).toMatch(/warning: cannot write .*results\.json.*ENOSPC/);
    // Every trial was measured and is in the terminal table, from memory; the run did not pass.
    expect(r.stdout).toMatch(/^hello +4\/4 /m);
    expect(r.stdout).toContain('perfgate: run failed');
    // On disk: the last results.json that was written whole, with the trials it had by then.
    const kept = JSON.parse(readFileSync(path.join(outside, 'results.json'), 'utf8')) as Results;
    expect(kept.status).toBe('running');
    const trials = kept.profiles[0]!.head.trials.length;
    expect(trials).toBeGreaterThanOrEqual(1);
    expect(trials).toBeLessThan(4);
    // No temporary file left: only the report's own files, and beside them no half baseline.
    const names = (file: string) =>
      readFileSync(path.join(outside, file), 'utf8')
        .split('\n')
        .filter(f => f && f !== '.' && f !== '..');
    expect(names('listing').sort()).toEqual([
      'report.html',
      'results.json',
      'service-head.log',
      'summary.md'
    ]);
    expect(names('mnt-listing').sort()).toEqual(['filler', 'full', 'report']);
  }, 90_000);
});

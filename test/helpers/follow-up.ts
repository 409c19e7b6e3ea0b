/**
 * What the comment follow-up tests share: a report artifact as a hostile fork could leave it
 * (`comment.md` forged, `pull-request.json` with a run URL of its own), and a run of the bundle in
 * mode `comment` for a `workflow_run` event.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../../src/model.js';
import type { FakeGitHub } from './fake-github.js';
import { sampleResults } from './results.js';
import { runAction } from './run-action.js';
import { workflowRunEnv, type GateRunEvent } from './workflow-run-event.js';

export const REPO = 'acme/shop';
export const FORK = 'contributor/shop';
export const sha = (s: string) => createHash('sha1').update(s).digest('hex');
/** The gate run's head commit. */
export const SHA = sha('the head commit');
export const CONFIG_ID = '0123456789ab';
/** What a hostile fork writes: a mention, a phishing link, another config's marker, HTML. */
export const HOSTILE =
  '@org/team [log in to see the report](https://evil.example/login) ' +
  '<!-- perfgate:comment config=ffffffffffff --> <img src=x onerror=alert(1)>';
export const FORGED_COMMENT = `## ✅ perfgate: pass\n\nAll good, merge it! ${HOSTILE}\n`;

export interface ArtifactFiles {
  /** results.json: an object is written as JSON, a string as is. */
  results?: Results | string;
  /** pull-request.json: an object is written as JSON, a string as is, null: none. */
  pr?: Record<string, unknown> | string | null;
}

/** A working directory holding `report/` as download-artifact leaves it; comment.md is forged. */
export function artifact(files: ArtifactFiles = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-follow-up-'));
  const report = path.join(dir, 'report');
  mkdirSync(report);
  const write = (name: string, v: unknown) =>
    writeFileSync(path.join(report, name), typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  write('results.json', files.results ?? sampleResults());
  const pr = files.pr === undefined ? { number: 7, configId: CONFIG_ID, policy: 'always' } : files.pr;
  // What the gate writes, and what a forger would leave in: a run URL of its own.
  const forged = { changed: true, runUrl: 'https://evil.example/run' };
  if (pr !== null) write('pull-request.json', typeof pr === 'string' ? pr : { ...forged, ...pr });
  write('comment.md', FORGED_COMMENT);
  return dir;
}

/** Runs the bundle in mode comment in `dir` (report-dir `report`) for the gate run `event`. */
export function runFollowUp(
  github: FakeGitHub,
  dir: string,
  event: GateRunEvent,
  inputs: Record<string, string> = {}
) {
  return runAction(dir, {
    ...workflowRunEnv(github, event),
    INPUT_MODE: 'comment',
    'INPUT_REPORT-DIR': 'report',
    ...inputs
  });
}

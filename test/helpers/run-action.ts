/**
 * Runs the committed bundle `dist/index.js` the way a runner does: INPUT_* and GITHUB_* variables,
 * temporary step-summary and output files, node as a child process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './example-config.js';
import { runNode } from './run-node.js';

export async function runAction(workdir: string, inputs: Record<string, string>) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-runner-'));
  const summary = path.join(tmp, 'step-summary.md');
  const output = path.join(tmp, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_WORKSPACE: workdir,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_EVENT_NAME: 'pull_request',
    RUNNER_NAME: 'test-runner',
    // What a runner passes for every declared input with its default:
    INPUT_CONFIG: 'perfgate.yml',
    INPUT_MODE: 'auto',
    'INPUT_GITHUB-TOKEN': 'ghs_not_a_real_token',
    INPUT_COMMENT: '',
    'INPUT_FAIL-ON': 'any',
    'INPUT_ARTIFACT-NAME': 'perfgate-report',
    'INPUT_WORKING-DIRECTORY': workdir,
    ...inputs
  };
  const r = await runNode([path.join(REPO, 'dist/index.js')], { cwd: REPO, env, timeoutMs: 90_000 });
  return {
    ...r,
    summary: readFileSync(summary, 'utf8'),
    outputs: parseOutputs(readFileSync(output, 'utf8'))
  };
}

/** Parses the `name<<DELIMITER` blocks that @actions/core appends to GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

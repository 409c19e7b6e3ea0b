/**
 * The environment fingerprint and git identity stored with every result (SPEC §6), so that a
 * baseline from another machine or config is never compared blindly.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { EnvironmentFingerprint, GitInfo } from './model.js';

export function fingerprint(env: NodeJS.ProcessEnv = process.env): EnvironmentFingerprint {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    runner: env.RUNNER_NAME || os.hostname(),
    ci: Boolean(env.CI || env.GITHUB_ACTIONS)
  };
}

/** Git identity from the GitHub variables when present, else from `git` in `cwd` (best effort). */
export function gitInfo(cwd: string, env: NodeJS.ProcessEnv = process.env): GitInfo {
  if (env.GITHUB_SHA) {
    return {
      sha: env.GITHUB_SHA,
      ref: env.GITHUB_REF,
      repository: env.GITHUB_REPOSITORY,
      event: env.GITHUB_EVENT_NAME
    };
  }
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined; // not a git checkout, or git missing: the results simply carry no git info
    }
  };
  return { sha: git(['rev-parse', 'HEAD']), ref: git(['symbolic-ref', '-q', 'HEAD']) };
}

/**
 * The `workflow_run` event that starts the comment follow-up (mode `comment`). GitHub writes this
 * payload, not the gate run it describes, so unlike the run's report artifact it can be trusted to
 * say which run, which commit and which head repository and branch the comment is about.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { showValue } from '../results-schema-parts.js';

/** A repository as the event names it. */
export interface RunRepository {
  id: number;
  fullName: string;
  /** The owner's login (a user or an organization). */
  owner: string;
}

/** The gate run a follow-up comments on, as the `workflow_run` event describes it. */
export interface GateRun {
  id: number;
  /** The commit the gate measured. */
  headSha: string;
  headBranch: string;
  /** A fork's repository for a pull request from a fork, else the base repository. */
  headRepository: RunRepository;
  repository: RunRepository;
  /**
   * The pull requests GitHub associated with the run, unchecked: filled for pull requests from a
   * branch of this repository, empty for pull requests from forks.
   */
  pullRequests: unknown[];
}

/** The run to comment on, or why there is nothing to comment on (not an error). */
export type FollowedRun = { run: GateRun } | { skip: string };

/**
 * Reads the `workflow_run` event of the follow-up. Throws UsageError when the follow-up is not
 * started by `workflow_run`, or its payload is not what GitHub sends, or it is about a run of
 * another repository. A run that was not triggered by `pull_request` (a push, a schedule) is a skip:
 * a follow-up may well be triggered by every run of the gate's workflow.
 */
export function followedRun(env: NodeJS.ProcessEnv = process.env): FollowedRun {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event !== 'workflow_run') {
    throw new UsageError(
      `mode "comment" runs in a workflow triggered by workflow_run (this one: ${JSON.stringify(event)}): ` +
        'the pull request to comment on is taken from that event, never from the artifact'
    );
  }
  const wr = field(readEvent(env.GITHUB_EVENT_PATH), 'workflow_run', isObject);
  const triggeredBy = field(wr, 'event', isString, 'workflow_run.event');
  if (triggeredBy !== 'pull_request') {
    return { skip: `the gate run was triggered by ${JSON.stringify(triggeredBy)}, not by a pull request` };
  }
  const repository = repositoryOf(wr, 'repository');
  const expected = env.GITHUB_REPOSITORY ?? '';
  if (repository.fullName.toLowerCase() !== expected.toLowerCase()) {
    throw new UsageError(
      `the workflow_run event is about a run of ${repository.fullName}, not of ${JSON.stringify(expected)}`
    );
  }
  return {
    run: {
      id: field(wr, 'id', isId, 'workflow_run.id'),
      headSha: field(wr, 'head_sha', isSha, 'workflow_run.head_sha'),
      headBranch: field(wr, 'head_branch', isNonEmpty, 'workflow_run.head_branch'),
      headRepository: repositoryOf(wr, 'head_repository'),
      repository,
      pullRequests: field(wr, 'pull_requests', Array.isArray, 'workflow_run.pull_requests')
    }
  };
}

/** `https://github.com/owner/repo/actions/runs/<id>`: the gate run's page, built from trusted values. */
export function gateRunUrl(run: GateRun, env: NodeJS.ProcessEnv = process.env): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${run.repository.fullName}/actions/runs/${run.id}`;
}

function readEvent(file: string | undefined): Record<string, unknown> {
  if (!file) throw new UsageError('GITHUB_EVENT_PATH is not set: no workflow_run event to read');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read the event payload ${file}: ${(err as Error).message}`);
  }
  if (!isObject(data)) throw new UsageError(`the event payload ${file} is not a JSON object`);
  return data;
}

function repositoryOf(wr: Record<string, unknown>, key: string): RunRepository {
  const name = `workflow_run.${key}`;
  const repo = field(wr, key, isObject, name);
  const fullName = field(
    repo,
    'full_name',
    (v): v is string => isString(v) && /^[^/\s]+\/[^/\s]+$/.test(v),
    `${name}.full_name`
  );
  const owner = field(
    field(repo, 'owner', isObject, `${name}.owner`),
    'login',
    isNonEmpty,
    `${name}.owner.login`
  );
  return { id: field(repo, 'id', isId, `${name}.id`), fullName, owner };
}

/** `obj[key]` when it passes `check`, else a UsageError naming the payload's field. */
function field<T>(obj: Record<string, unknown>, key: string, check: (v: unknown) => v is T, name = key): T {
  const value = obj[key];
  if (!check(value)) {
    throw new UsageError(`the workflow_run event's ${name} is missing or malformed (${showValue(value)})`);
  }
  return value;
}

/** A bounded, printable account of a payload value for a message. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isString(v: unknown): v is string {
  return typeof v === 'string';
}
function isNonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}
/** A SHA-1 or SHA-256 commit id, lower-case hex as GitHub writes it. */
function isSha(v: unknown): v is string {
  return typeof v === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(v);
}

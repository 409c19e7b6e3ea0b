/**
 * The Action: reads the inputs once into a typed object, runs the gate, publishes the outcome and
 * sets the outputs. The only place that calls `core.setFailed`.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { loadConfig } from './config/load-config.js';
import { COMMENT_POLICIES, DEFAULT_ARTIFACT_NAME, Inputs, MODES, Outputs } from './constants.js';
import { ConfigError, describeError, UsageError } from './errors.js';
import { runGate, type GateOutcome } from './gate.js';
import { brokenThresholds, FAIL_ON, gatedWith, gateFails, type FailOn } from './verdict.js';
import { postCommentFromArtifact, postGateComment, writeCommentFiles } from './github/pr-comment.js';
import {
  annotateRegressions,
  annotateThresholds,
  setOutputs,
  uploadReport,
  writeJobSummary
} from './github/publish.js';
import { baselineOptions, effectiveMode, type BaselineOptions } from './github/baseline-options.js';
import { basicCredential } from './github/data-branch.js';
import { qualifiesAsBaseline } from './baseline/trust.js';
import type { Results } from './model.js';
import { ISSUE_EVENTS, syncRegressionIssue } from './github/regression-issue.js';
import { parseWhere } from './github/where.js';
import { HttpLoadGenerator } from './load/http-generator.js';
import { codeBlock } from './report/format.js';
import { renderSummary } from './report/render.js';
import { escapeTerminalLines } from './report/escape-terminal.js';
import { actionReporter } from './github/action-reporter.js';
import { logError, logInfo, logWarning } from './github/action-log.js';
import { startService } from './service/start-service.js';

export interface ActionInputs {
  config: string;
  mode: (typeof MODES)[number];
  token: string;
  /** Empty: the config's `report.comment` stays in force. */
  comment: (typeof COMMENT_POLICIES)[number] | '';
  failOn: FailOn;
  artifactName: string;
  /** Days to keep the report artifact; undefined: the repository's default. */
  retentionDays?: number;
  /** Mode `comment`: the downloaded report artifact. */
  reportDir: string;
  workingDirectory: string;
}

/** Reads and checks every input; `required` is not enforced by the runner, so it is checked here. */
export function readInputs(): ActionInputs {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = core.getInput(name).trim();
    if (value === '') return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UsageError(`input "${name}": expected one of ${allowed.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
  return {
    config: core.getInput(Inputs.Config).trim() || 'perfgate.yml',
    mode: pick(Inputs.Mode, MODES, 'auto'),
    token: core.getInput(Inputs.GithubToken),
    comment: pick<(typeof COMMENT_POLICIES)[number] | ''>(Inputs.Comment, COMMENT_POLICIES, ''),
    failOn: pick(Inputs.FailOn, FAIL_ON, 'any'),
    artifactName: core.getInput(Inputs.ArtifactName).trim() || DEFAULT_ARTIFACT_NAME,
    ...retention(core.getInput(Inputs.RetentionDays).trim()),
    reportDir: core.getInput(Inputs.ReportDir).trim(),
    workingDirectory: core.getInput(Inputs.WorkingDirectory).trim()
  };
}

export async function runAction(): Promise<void> {
  let outcome: GateOutcome | undefined;
  try {
    const inputs = readInputs();
    if (inputs.token) {
      core.setSecret(inputs.token);
      // What git sends for it to the data branch (github/data-branch.ts).
      core.setSecret(basicCredential(inputs.token));
    }
    if (inputs.workingDirectory) process.chdir(inputs.workingDirectory);
    if (inputs.mode === 'comment') return await commentMode(inputs);
    const config = await loadConfig(inputs.config);
    config.secrets.forEach(s => core.setSecret(s));
    config.warnings.forEach(w => logWarning(w));
    const mode = effectiveMode(inputs.mode, process.env);
    core.info(
      `perfgate: mode ${mode}${inputs.mode === 'auto' ? ` (auto, event ${process.env.GITHUB_EVENT_NAME})` : ''}`
    );
    const { save, ...stored } = await baselineOptions(config, mode, {
      token: inputs.token,
      artifactName: inputs.artifactName,
      configLabel: inputs.config,
      env: process.env
    });
    outcome = await runGate(
      config,
      { load: new HttpLoadGenerator(), startService, reporter: actionReporter() },
      { signal: cancellationSignal(), configLabel: inputs.config, ...stored }
    );
    await writeJobSummary(renderSummary(outcome.results));
    annotateThresholds(outcome);
    annotateRegressions(outcome);
    const pr = writeCommentFiles(outcome.results, outcome.reportDir, {
      configPath: inputs.config,
      policy: inputs.comment || config.report.comment,
      artifactName: inputs.artifactName
    });
    await uploadReport(inputs.artifactName, outcome.reportDir, inputs.retentionDays);
    // After the upload: whatever happens to the store, the measured results are kept.
    const unstored = save && !outcome.error ? await storeBaseline(save, outcome.results) : undefined;
    // After the upload: the artifact carries the comment even when this token may not post it.
    const comment = inputs.token ? await postGateComment(inputs.token, outcome.reportDir, pr) : undefined;
    const commentUrl = comment?.url ?? '';
    if (mode === 'baseline' && ISSUE_EVENTS.includes(process.env.GITHUB_EVENT_NAME ?? '') && !outcome.error) {
      await syncRegressionIssue({ token: inputs.token, results: outcome.results, configPath: inputs.config });
    }
    if (outcome.error) {
      setOutputs(outcome, 'fail', commentUrl);
      fail(`perfgate: ${describeError(outcome.error)}`);
    } else if (gateFails(outcome.results, inputs.failOn)) {
      setOutputs(outcome, 'fail', commentUrl);
      const broken = brokenThresholds(outcome.results);
      const regressed = gatedWith(outcome.results, 'regressed').length;
      const problems = (outcome.results.problems ?? []).map(p => `${p.message}; `).join('');
      fail(
        `perfgate: gate failed: ${problems}${broken} threshold(s) broken, ${regressed} regression(s) (fail-on: ${inputs.failOn})`
      );
    } else if (unstored) {
      setOutputs(outcome, outcome.results.verdict ?? 'pass', commentUrl);
      fail(`perfgate: measured, but this baseline run was not stored: ${unstored}`);
    } else {
      setOutputs(outcome, outcome.results.verdict ?? 'pass', commentUrl);
      core.info(`perfgate: ${outcome.results.verdict}`);
    }
  } catch (err) {
    const title = err instanceof ConfigError ? 'config error' : 'run failed';
    await writeJobSummary(`## 💥 perfgate: ${title}\n\n${codeBlock(describeError(err))}`);
    if (err instanceof ConfigError) {
      for (const issue of err.shownIssues)
        logError(`${issue.path}: ${issue.message}`, {
          title: 'perfgate config',
          ...parseWhere(issue.where)
        });
      if (err.hiddenIssues > 0) core.error(`… and ${err.hiddenIssues} more`, { title: 'perfgate config' });
    }
    setOutputs(outcome, 'fail');
    fail(`perfgate: ${describeError(err)}`);
  }
}

/**
 * Stores a qualifying baseline run with the store's `save`; a run that failed its gate is not a
 * baseline and is not stored. Returns why storing failed, or undefined.
 */
async function storeBaseline(
  save: NonNullable<BaselineOptions['save']>,
  results: Results
): Promise<string | undefined> {
  if (!qualifiesAsBaseline(results)) return undefined;
  try {
    const written = await save(results);
    const stored = written.stored;
    const earlier = stored?.history?.length ?? 0;
    const tries = written.attempts > 1 ? ` after ${written.attempts} attempts` : '';
    if (!written.commit) core.info('perfgate: the data branch already holds this run');
    else if (stored?.createdAt === results.createdAt)
      core.info(
        `perfgate: stored as the baseline (with ${earlier} earlier run${earlier === 1 ? '' : 's'}) in commit ${written.commit.slice(0, 7)}${tries}`
      );
    else
      core.info(
        `perfgate: a newer run is the baseline; stored this one in its history, commit ${written.commit.slice(0, 7)}${tries}`
      );
    return undefined;
  } catch (err) {
    return describeError(err);
  }
}

/** Aborts the run on SIGINT/SIGTERM (a cancelled workflow) so the service is stopped and results kept. */
function cancellationSignal(): AbortSignal {
  const controller = new AbortController();
  // Kept installed (not `once`): a repeated signal must not kill perfgate before the service is stopped.
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  return controller.signal;
}

/** `retention-days`: empty keeps the repository default; else a whole number of days from 1 to 90. */
function retention(value: string): { retentionDays?: number } {
  if (value === '') return {};
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 90) {
    throw new UsageError(
      `input "${Inputs.RetentionDays}": expected a whole number of days from 1 to 90, got "${value}"`
    );
  }
  return { retentionDays: days };
}

/**
 * Mode `comment`: no gate, only the PR comment of an earlier gate run, in a `workflow_run`
 * follow-up: the pull request from the event, the text rendered again from the artifact's
 * results.json (see postCommentFromArtifact). A refusal throws and fails the step.
 */
async function commentMode(inputs: ActionInputs): Promise<void> {
  if (!inputs.reportDir) throw new UsageError(`input "${Inputs.ReportDir}" is required with mode "comment"`);
  if (!inputs.token) throw new UsageError(`input "${Inputs.GithubToken}" is required with mode "comment"`);
  const outcome = await postCommentFromArtifact({
    token: inputs.token,
    reportDir: path.resolve(inputs.reportDir),
    artifactName: inputs.artifactName,
    policy: inputs.comment
  });
  core.setOutput(Outputs.CommentUrl, outcome.url ?? '');
  logInfo(`perfgate: comment ${outcome.action}${outcome.reason ? ` (${outcome.reason})` : ''}`);
}

/**
 * Fails the step with `message` (an annotation): core escapes its line breaks, not the controls a
 * service's log tail or a name from the config may hold, so those are escaped here.
 */
function fail(message: string): void {
  core.setFailed(escapeTerminalLines(message));
}

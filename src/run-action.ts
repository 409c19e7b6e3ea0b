/**
 * The Action: reads the inputs once into a typed object, runs the gate, publishes the outcome and
 * sets the outputs. The only place that calls `core.setFailed`.
 */
import * as core from '@actions/core';
import { loadConfig } from './config/load-config.js';
import { COMMENT_POLICIES, DEFAULT_ARTIFACT_NAME, Inputs, MODES } from './constants.js';
import { ConfigError, describeError, UsageError } from './errors.js';
import { runGate, type GateOutcome } from './gate.js';
import { brokenThresholds, FAIL_ON, gatedWith, gateFails, type FailOn } from './verdict.js';
import { annotateThresholds, setOutputs, uploadReport, writeJobSummary } from './github/publish.js';
import { parseWhere } from './github/where.js';
import { HttpLoadGenerator } from './load/http-generator.js';
import { codeBlock } from './report/format.js';
import { renderSummary } from './report/render-summary.js';
import type { Reporter } from './reporter.js';
import { startService } from './service/start-service.js';

export interface ActionInputs {
  config: string;
  mode: (typeof MODES)[number];
  token: string;
  /** Empty: the config's `report.comment` stays in force. */
  comment: (typeof COMMENT_POLICIES)[number] | '';
  failOn: FailOn;
  artifactName: string;
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
    workingDirectory: core.getInput(Inputs.WorkingDirectory).trim()
  };
}

export async function runAction(): Promise<void> {
  let outcome: GateOutcome | undefined;
  try {
    const inputs = readInputs();
    if (inputs.token) core.setSecret(inputs.token);
    if (inputs.workingDirectory) process.chdir(inputs.workingDirectory);
    const config = await loadConfig(inputs.config);
    config.secrets.forEach(s => core.setSecret(s));
    outcome = await runGate(
      config,
      { load: new HttpLoadGenerator(), startService, reporter: actionReporter() },
      {
        signal: cancellationSignal(),
        configLabel: inputs.config,
        baseline: config.baseline && { file: config.baseline.path, required: false }
      }
    );
    await writeJobSummary(renderSummary(outcome.results));
    annotateThresholds(outcome);
    await uploadReport(inputs.artifactName, outcome.reportDir);
    if (outcome.error) {
      setOutputs(outcome, 'fail');
      core.setFailed(`perfgate: ${describeError(outcome.error)}`);
    } else if (gateFails(outcome.results, inputs.failOn)) {
      setOutputs(outcome, 'fail');
      const broken = brokenThresholds(outcome.results);
      const regressed = gatedWith(outcome.results, 'regressed').length;
      core.setFailed(
        `perfgate: gate failed: ${broken} threshold(s) broken, ${regressed} regression(s) (fail-on: ${inputs.failOn})`
      );
    } else {
      setOutputs(outcome, outcome.results.verdict ?? 'pass');
      core.info(`perfgate: ${outcome.results.verdict}`);
    }
  } catch (err) {
    const title = err instanceof ConfigError ? 'config error' : 'run failed';
    await writeJobSummary(`## 💥 perfgate: ${title}\n\n${codeBlock(describeError(err))}`);
    if (err instanceof ConfigError) {
      for (const issue of err.issues)
        core.error(`${issue.path}: ${issue.message}`, {
          title: 'perfgate config',
          ...parseWhere(issue.where)
        });
    }
    setOutputs(outcome, 'fail');
    core.setFailed(`perfgate: ${describeError(err)}`);
  }
}

function actionReporter(): Reporter {
  let last = 0;
  return {
    info: m => core.info(m),
    warn: m => core.warning(m),
    progress: e => {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      core.info(
        `[${e.profile}] trial ${e.trial}/${e.trials}: ${Math.round(e.elapsedMs / 1000)}s of ${Math.round(e.totalMs / 1000)}s, ${e.responses} responses, ${e.errors} errors`
      );
    }
  };
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

/**
 * Publishes a finished run on GitHub: job summary, annotations, outputs and the report artifact.
 * A failure to publish is logged as a warning and never changes the gate's verdict.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { logError, logInfo, logWarning } from './action-log.js';
import { JOB_SUMMARY_LIMIT, Outputs } from '../constants.js';
import type { GateOutcome } from '../gate.js';
import { formatObserved } from '../report/format.js';
import { gatedWith } from '../verdict.js';
import { parseWhere } from './where.js';

/** Appends the summary to `GITHUB_STEP_SUMMARY`, truncated to stay under GitHub's 1 MiB limit. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    logInfo('GITHUB_STEP_SUMMARY is not set: no job summary written');
    return;
  }
  let text = markdown;
  if (Buffer.byteLength(text) > JOB_SUMMARY_LIMIT) {
    const note = '\n\n> Summary truncated to fit GitHub’s 1 MiB limit; the full report is in the artifact.\n';
    text =
      Buffer.from(text)
        .subarray(0, JOB_SUMMARY_LIMIT - note.length)
        .toString('utf8')
        .replace(/\uFFFD+$/, '') + note;
  }
  try {
    await core.summary.addRaw(text, true).write();
  } catch (err) {
    logWarning(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** One error annotation per broken threshold, at its line in the config. */
export function annotateThresholds(outcome: GateOutcome): void {
  for (const t of outcome.results.thresholds.filter(x => !x.ok)) {
    const text = `${t.profile}: ${t.metric} ${t.expression} broken (observed ${formatObserved(t.observed, t.unit)})`;
    const props = { title: 'perfgate threshold', ...parseWhere(t.where) };
    if (t.severity === 'warn') logWarning(text, props);
    else logError(text, props);
  }
}

/** One annotation per gated regression (an error) and per failed-request rule, naming the change. */
export function annotateRegressions(outcome: GateOutcome): void {
  for (const c of gatedWith(outcome.results, 'regressed')) {
    const change = Number.isFinite(c.estimate)
      ? `${c.estimate >= 0 ? '+' : ''}${(c.estimate * 100).toFixed(1)} % (interval ${(c.interval[0] * 100).toFixed(1)} … ${(c.interval[1] * 100).toFixed(1)} %)`
      : (c.reason ?? 'regressed');
    logError(`${c.profile}: ${c.metric} regressed by ${change}`, { title: 'perfgate regression' });
  }
}

export function setOutputs(outcome: GateOutcome | undefined, verdict: string, commentUrl = ''): void {
  const r = outcome?.results;
  core.setOutput(Outputs.Verdict, verdict);
  core.setOutput(Outputs.Regressions, String(r ? gatedWith(r, 'regressed').length : 0));
  core.setOutput(Outputs.Improvements, String(r ? gatedWith(r, 'improved').length : 0));
  core.setOutput(Outputs.ThresholdsFailed, String(r?.thresholds.filter(t => !t.ok).length ?? 0));
  core.setOutput(Outputs.ReportDir, outcome?.reportDir ?? '');
  core.setOutput(Outputs.Results, outcome?.files.results ?? '');
  core.setOutput(Outputs.CommentUrl, commentUrl);
}

/**
 * Uploads the report directory as an artifact. Needs the runner's results service
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_RESULTS_URL`); outside a runner it warns and goes on.
 */
export async function uploadReport(name: string, dir: string, retentionDays?: number): Promise<void> {
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    logWarning(
      'not on a GitHub runner (ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset): report artifact not uploaded'
    );
    return;
  }
  try {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile())
      .map(e => path.join(e.parentPath, e.name));
    // Loaded lazily: the artifact client costs over half a second to import.
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const options = retentionDays !== undefined ? { retentionDays } : {};
    const { id, size } = await new DefaultArtifactClient().uploadArtifact(name, files, dir, options);
    const kept = retentionDays !== undefined ? `, kept ${retentionDays} days` : '';
    logInfo(`report uploaded as artifact "${name}" (id ${id}, ${size} bytes${kept})`);
  } catch (err) {
    logWarning(`could not upload the report artifact: ${err instanceof Error ? err.message : String(err)}`);
  }
}

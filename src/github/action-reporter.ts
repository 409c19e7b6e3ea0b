/**
 * The Action's reporter: the gate's progress and messages in the job log. Messages carry profile
 * names, service commands and paths from the config, so they go through action-log.ts: one line
 * each, controls escaped, never a workflow command. Progress is throttled to one line every 5 s.
 */
import type { Reporter } from '../reporter.js';
import { logInfo, logWarning } from './action-log.js';

/** A reporter for the job log; warnings become annotations. */
export function actionReporter(): Reporter {
  let last = 0;
  return {
    info: m => logInfo(m),
    warn: m => logWarning(m),
    progress: e => {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      logInfo(
        `[${e.profile}] trial ${e.trial}/${e.trials}: ${Math.round(e.elapsedMs / 1000)}s of ${Math.round(e.totalMs / 1000)}s, ${e.responses} responses, ${e.errors} errors`
      );
    }
  };
}

/** The end of a service's log for the reports (SPEC §7): its last lines, each cut to a sane length. */
import { readFileSync } from 'node:fs';

/** Lines kept from the end of each service log. */
export const LOG_TAIL_LINES = 30;
const LINE_MAX = 500;

/** The last lines of a log file (empty when it cannot be read: the report must still be written). */
export function logTail(file: string, lines = LOG_TAIL_LINES): string[] {
  try {
    const all = readFileSync(file, 'utf8').split(/\r?\n/);
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).map(l => (l.length > LINE_MAX ? `${l.slice(0, LINE_MAX)}…` : l));
  } catch {
    return [];
  }
}

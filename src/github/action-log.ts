/**
 * The job log for text that holds user- or file-controlled strings (names from the config, messages
 * from the GitHub API, anything read from a results file). `core.info` prints its text as it is, so a
 * `\n::add-mask::…` or `\r::set-output …` inside would reach the runner as a workflow command; the
 * annotation functions encode `%`, `\r` and `\n` (`escapeData` in @actions/core's command.js) but let
 * ESC sequences and bidi overrides through. Everything here goes through escape-terminal.ts first.
 */
import * as core from '@actions/core';
import { escapeTerminal, escapeTerminalLines } from '../report/escape-terminal.js';

/** One log line: a line break inside is shown as `\n`, never started anew. */
export function logInfo(message: string): void {
  core.info(escapeTerminal(message));
}

/** Text of several lines that are ours (an error with a log tail): each line escaped on its own. */
export function logLines(text: string): void {
  core.info(escapeTerminalLines(text));
}

/** `core.warning` with the message's controls escaped; its line breaks stay (core encodes them). */
export function logWarning(message: string, properties?: core.AnnotationProperties): void {
  core.warning(escapeTerminalLines(message), properties);
}

/** `core.error`, escaped as {@link logWarning}. */
export function logError(message: string, properties?: core.AnnotationProperties): void {
  core.error(escapeTerminalLines(message), properties);
}

/** `core.notice`, escaped as {@link logWarning}. */
export function logNotice(message: string, properties?: core.AnnotationProperties): void {
  core.notice(escapeTerminalLines(message), properties);
}

/**
 * The CLI: parses argv, runs the gate or the validator, maps the outcome to an exit code
 * (0 pass, 1 gate failed, 2 usage or config error, 3 runtime failure — SPEC §12).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { cliReporter } from './cli-reporter.js';
import { loadConfig } from './config/load-config.js';
import { describeError, ExitCode, PerfgateError, UsageError } from './errors.js';
import { compareFiles } from './compare-files.js';
import { DEFAULT_ALPHA } from './config/resolve.js';
import { runGate } from './gate.js';
import type { Results } from './model.js';
import { checkReportDir } from './report/report-dir.js';
import { ReportWriter } from './report/report-writer.js';
import { readResults } from './results-file.js';
import path from 'node:path';
import { FAIL_ON, gateFails, type FailOn } from './verdict.js';
import { HttpLoadGenerator } from './load/http-generator.js';
import { escapeTerminal, escapeTerminalLines } from './report/escape-terminal.js';
import { renderTerminal } from './report/render-terminal.js';
import { maskSecrets } from './reporter.js';
import { startService } from './service/start-service.js';
import { VERSION } from './version.js';

export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI with `argv` (without the node and script entries) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode: number = ExitCode.Pass;
  // Set once a config is loaded: an error thrown after that is masked like everything else printed.
  const masking = { mask: (text: string) => text };
  const program = new Command('perfgate')
    .description('A performance gate for CI: real load, sound statistics, a verdict you can trust.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: s => io.stdout.write(s),
      // Commander quotes the offending argument back: it may come from a CI variable.
      writeErr: s => io.stderr.write(escapeTerminalLines(s))
    });

  program
    .command('run')
    .description('start the service (or target a running one), drive the load profiles, gate the results')
    .option('-c, --config <file>', 'config file', 'perfgate.yml')
    .option('-o, --out <dir>', 'report directory (overrides report.dir)')
    .option(
      '--trials <n>',
      'trials per profile, or "auto" (batches until conclusive; see statistics.auto); overrides the config',
      trialsOption
    )
    .option(
      '--baseline <file>',
      'compare with this stored results file (default: baseline.path of the config)'
    )
    .option('--save-baseline <file>', 'save this run as the baseline when it completes')
    .option('--force', 'write the report into a non-empty directory that holds no perfgate results')
    .addOption(new Option('--fail-on <policy>', 'what fails the gate').choices(FAIL_ON).default('any'))
    .action(async (opts: RunOptions) => {
      exitCode = await run(opts, io, masking);
    });

  program
    .command('compare')
    .description(
      'compare two results files, or two outputs of one benchmark tool, without measuring; writes the report'
    )
    .argument('<base>', 'the base: a results.json, or a tool output (go test -bench, JMH JSON, …)')
    .argument('<head>', 'the head, of the same kind')
    .option('--format <format>', 'the tool output format (default: detected from the content)')
    .option('-o, --out <dir>', 'report directory', 'perfgate-report')
    .option('--force', 'write the report into a non-empty directory that holds no perfgate results')
    .addOption(new Option('--fail-on <policy>', 'what fails the gate').choices(FAIL_ON).default('any'))
    .action(async (base: string, head: string, opts: OfflineOptions & { format?: string }) => {
      const results = compareFiles(base, head, {
        ...(opts.format !== undefined && { format: opts.format }),
        alpha: DEFAULT_ALPHA,
        env: io.env
      });
      exitCode = writeOffline(results, opts, io);
    });

  program
    .command('report')
    .description('re-render summary.md, comment.md and report.html from a results.json, without measuring')
    .argument('<results>', 'a results.json written by perfgate')
    .option('-o, --out <dir>', "report directory (default: the results file's directory)")
    .option('--force', 'write the report into a non-empty directory that holds no perfgate results')
    .addOption(new Option('--fail-on <policy>', 'what fails the gate').choices(FAIL_ON).default('any'))
    .action((file: string, opts: OfflineOptions) => {
      const results = readResults(file);
      exitCode = writeOffline(results, { ...opts, out: opts.out ?? path.dirname(file) }, io);
    });

  program
    .command('validate')
    .description('check a config file without running anything')
    .option('-c, --config <file>', 'config file', 'perfgate.yml')
    .action(async (opts: { config: string }) => {
      const config = await loadConfig(opts.config, io.env);
      const mask = (masking.mask = maskSecrets(config.secrets));
      for (const warning of config.warnings) io.stderr.write(`warning: ${escapeTerminal(mask(warning))}\n`);
      const requests = config.profiles.reduce((n, p) => n + p.requests.length, 0);
      const parts = [
        ...(config.profiles.length > 0
          ? [`${config.profiles.length} profile(s)`, `${requests} request(s)`]
          : []),
        ...(config.benchmarks.length > 0 ? [`${config.benchmarks.length} benchmark(s)`] : []),
        ...(config.imports.length > 0 ? [`${config.imports.length} import(s)`] : []),
        ...(config.service ? ['starts the service'] : config.target ? [`targets ${config.target}`] : [])
      ];
      io.stdout.write(escapeTerminal(mask(`${opts.config}: valid (${parts.join(', ')})`)) + '\n');
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; parse errors are usage errors.
      return err.exitCode === 0 ? ExitCode.Pass : ExitCode.Usage;
    }
    // Our lines (one per config issue, a service's log tail) stay lines; each is escaped.
    io.stderr.write(`${escapeTerminalLines(masking.mask(`perfgate: ${describeError(err)}`))}\n`);
    return err instanceof PerfgateError ? err.exitCode : ExitCode.Runtime;
  }
}

interface RunOptions {
  config: string;
  out?: string;
  trials?: number | 'auto';
  failOn: FailOn;
  baseline?: string;
  saveBaseline?: string;
  force?: boolean;
}

/**
 * `--out "$DIR"` with DIR unset reaches us as an empty string, which would mean the current
 * directory: a usage error, as for every path option.
 */
function refuseEmpty(opts: RunOptions): void {
  const paths = {
    '--config': opts.config,
    '--out': opts.out,
    '--baseline': opts.baseline,
    '--save-baseline': opts.saveBaseline
  };
  for (const [option, value] of Object.entries(paths)) {
    if (value !== undefined && value.trim() === '') {
      throw new UsageError(`${option}: expected a path, got an empty string (an unset variable?)`);
    }
  }
}

async function run(
  opts: RunOptions,
  io: CliIO,
  masking: { mask: (text: string) => string }
): Promise<number> {
  refuseEmpty(opts);
  const config = await loadConfig(opts.config, io.env);
  const mask = (masking.mask = maskSecrets(config.secrets));
  const reporter = cliReporter(io.stderr, mask);
  config.warnings.forEach(w => reporter.warn(w));
  const controller = new AbortController();
  // Handlers stay installed until the run is over: a second Ctrl-C must not kill perfgate before it
  // has stopped the service (which runs in its own process group and would be left behind).
  const stopping = config.service ? 'stopping the service' : 'stopping';
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      reporter.warn(`${signal} received again: still ${stopping}`);
      return;
    }
    reporter.warn(`${signal} received: ${stopping} and writing what was measured`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runGate(
      config,
      { load: new HttpLoadGenerator(), startService, reporter },
      {
        outDir: opts.out,
        force: opts.force,
        trials: opts.trials,
        signal: controller.signal,
        configLabel: opts.config,
        env: io.env,
        baseline: opts.baseline
          ? { file: opts.baseline, required: true }
          : config.baseline?.store === 'file'
            ? { file: config.baseline.path, required: config.baseline.required }
            : undefined,
        ...(!opts.baseline &&
          config.baseline &&
          config.baseline.store !== 'file' && {
            notes: [
              `baseline.store is ${config.baseline.store}: only the Action reads it; compare locally with --baseline FILE.`
            ]
          }),
        saveBaseline: opts.saveBaseline
      }
    );
    io.stdout.write(`${renderTerminal(outcome.results, outcome.files, { mask })}\n`);
    if (outcome.error) {
      io.stderr.write(`${escapeTerminalLines(`perfgate: ${mask(describeError(outcome.error))}`)}\n`);
      return outcome.error.exitCode;
    }
    return gateFails(outcome.results, opts.failOn) ? ExitCode.GateFailed : ExitCode.Pass;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface OfflineOptions {
  out?: string;
  force?: boolean;
  failOn: FailOn;
}

/**
 * The report of results made without measuring (`compare`, `report`): written to `opts.out`, shown
 * in the terminal, and the exit code of its verdict — 3 with its error for a run that had failed.
 */
function writeOffline(results: Results, opts: OfflineOptions, io: CliIO): number {
  const dir = path.resolve(opts.out ?? 'perfgate-report');
  checkReportDir(dir, { force: opts.force, option: '--out' });
  const files = new ReportWriter(dir).writeWithComment(results);
  io.stdout.write(`${renderTerminal(results, files)}\ncomment: ${files.comment}\n`);
  if (results.status !== 'complete' || results.error) {
    const why =
      results.status === 'running'
        ? 'the run did not finish (its results say running): the report shows what it measured'
        : `the run had failed: ${results.error?.message ?? 'no error recorded'}`;
    io.stderr.write(`${escapeTerminalLines(`perfgate: ${why}`)}\n`);
    return ExitCode.Runtime;
  }
  return gateFails(results, opts.failOn) ? ExitCode.GateFailed : ExitCode.Pass;
}

function trialsOption(value: string): number | 'auto' {
  if (value === 'auto') return value;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) {
    throw new InvalidArgumentError('expected a whole number from 1 to 1000, or "auto".');
  }
  return n;
}

function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

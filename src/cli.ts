/** CLI entry: a thin wrapper, the one place besides action.ts that sets the exit status. */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));

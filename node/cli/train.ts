// `npm run train`: wires runCli to this process (argv, stdout/stderr, environment, Ctrl-C) and nothing
// more; the logic is in run-cli.ts so tests can drive it in-process.

import { runCli } from './run-cli';

const controller = new AbortController();
// The first Ctrl-C stops after the current batch and exits 130; a second one kills at once (default).
process.once('SIGINT', () => controller.abort());

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });

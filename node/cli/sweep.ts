// `npm run sweep`: wires runSweepCli to this process (argv, stdout/stderr, environment, Ctrl-C) and
// nothing more; the logic is in run-sweep.ts so tests can drive it in-process.

import { runSweepCli } from './run-sweep';

const controller = new AbortController();
// The first Ctrl-C stops after the current batch and exits 130; a second one kills at once (default).
process.once('SIGINT', () => controller.abort());

process.exitCode = await runSweepCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });

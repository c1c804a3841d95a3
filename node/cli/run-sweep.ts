// The logic of `npm run sweep`: the same run for each learning rate (log-spaced, --lr 0.001:10:9) and/or
// batch size (--batch-size 16,64,256,1024), same seed, one after another with core's runSweep; one
// d2l-style row per run (or one JSON line per run with --json). Streams and signal come in as arguments,
// so tests drive it in-process; sweep.ts wires the process. Exit codes as `npm run train`: 0, 1 (dataset),
// 2 (bad flags), 130 (Ctrl-C); a diverged run is a result of the sweep, not a failure.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { cliProgram, parseFlags } from './program';
import { DEFAULT_LR_SWEEP, DEFAULT_SWEEP_EPOCHS, logSpace, runSweep, SWEEP_LIMITS, sweepConfigs, type SweepResult } from '../../core/sweep';
import { DEFAULT_CONFIG, LIMITS, type TrainConfig } from '../../core/train';
import { createKernelPool } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';
import type { Kernels } from '../../core/kernels/types';
import { createKernelsByName, DEFAULT_KERNEL_NAME, kernelNames } from './kernels';
import { EXIT, integerArg, learningRateArg, loadDataOrExit, type CliIO } from './run-cli';

/** Parsed flags of a sweep. */
export interface SweepCliOptions {
  /** The configurations to run, in order. */
  configs: TrainConfig[];
  kernels: string;
  data?: string;
  json: boolean;
}

/**
 * --lr: `FROM:TO:COUNT` (COUNT log-spaced values, both ends included), a comma list (`0.01,0.1,1`) or
 * one value.
 */
export function learningRatesArg(value: string): number[] {
  const range = value.split(':');
  if (range.length === 3) {
    const [from, to] = [learningRateArg(range[0]), learningRateArg(range[1])];
    const count = integerArg('the number of learning rates', 2, SWEEP_LIMITS.maxValues)(range[2]);
    if (!(from < to)) throw new InvalidArgumentError(`a learning-rate range goes from the smaller to the larger value (${range[0]}:${range[1]}).`);
    return logSpace(from, to, count);
  }
  if (range.length !== 1) throw new InvalidArgumentError('use FROM:TO:COUNT (e.g. 0.001:10:9) or a comma-separated list.');
  return listArg(value, learningRateArg);
}

/** --batch-size: a comma list (`16,64,256,1024`) or one size. */
export function batchSizesArg(value: string): number[] {
  return listArg(value, integerArg('batch size', 1, LIMITS.maxBatchSize));
}

function listArg(value: string, parse: (v: string) => number): number[] {
  const items = value.split(',');
  if (items.some((v) => v.trim() === '')) throw new InvalidArgumentError('a list is comma-separated values with nothing empty between the commas.');
  const values = items.map(parse);
  if (new Set(values).size !== values.length) throw new InvalidArgumentError('each value may appear once.');
  if (values.length > SWEEP_LIMITS.maxValues) throw new InvalidArgumentError(`at most ${SWEEP_LIMITS.maxValues} values.`);
  return values;
}

function buildProgram(io: CliIO): Command {
  const lr = DEFAULT_LR_SWEEP;
  return cliProgram('sweep', 'Train the same softmax regression for several learning rates and/or batch sizes (same seed) and compare the final numbers.', io)
    .option('--lr <rates>', `learning rates: FROM:TO:COUNT log-spaced, both ends included, or a comma list (default ${lr.from}:${lr.to}:${lr.count}, or ${DEFAULT_CONFIG.lr} with --batch-size)`, learningRatesArg)
    .option('--batch-size <sizes>', `batch sizes, a comma list such as 16,64,256,1024 (default ${DEFAULT_CONFIG.batchSize})`, batchSizesArg)
    .option('--epochs <n>', 'epochs of each run', integerArg('epochs', 1, LIMITS.maxEpochs), DEFAULT_SWEEP_EPOCHS)
    .option('--seed <n>', 'seed of every run (same initial weights and shuffles)', integerArg('seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), DEFAULT_CONFIG.seed)
    .addOption(new Option('--softmax <variant>', "'stable' (max-subtracting) or 'naive' (d2l's exp / rowsum)").choices(['stable', 'naive']).default(DEFAULT_CONFIG.softmax))
    .addOption(new Option('--kernels <name>', 'compute backend').choices(kernelNames()).default(DEFAULT_KERNEL_NAME))
    .option('--data <dir>', 'folder holding the four Fashion-MNIST files (as for npm run train)')
    .option('--json', 'print one JSON object per run instead of the table', false);
}

/** Parses argv (flags only): the options, or an exit code after printing help (0) or one error line (2). */
export function parseSweepArgs(argv: readonly string[], io: CliIO): SweepCliOptions | number {
  const program = buildProgram(io);
  const parsed = parseFlags(program, argv, io);
  if (parsed !== null) return parsed;
  const o = program.opts<{ lr?: number[]; batchSize?: number[]; epochs: number; seed: number; softmax: 'stable' | 'naive'; kernels: string; data?: string; json: boolean }>();
  if (o.data !== undefined && o.data.trim() === '') {
    io.stderr.write('error: --data needs a folder (an empty path would silently mean the current folder)\n');
    return EXIT.usage;
  }
  // With neither list given, sweep the issue's default learning rates.
  const learningRates = o.lr ?? (o.batchSize ? undefined : logSpace(DEFAULT_LR_SWEEP.from, DEFAULT_LR_SWEEP.to, DEFAULT_LR_SWEEP.count));
  const base: TrainConfig = { ...DEFAULT_CONFIG, epochs: o.epochs, seed: o.seed, softmax: o.softmax };
  try {
    return { configs: sweepConfigs({ base, learningRates, batchSizes: o.batchSize }), kernels: o.kernels, data: o.data, json: o.json };
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
}

const COLUMNS = [['lr', 10], ['batch size', 10], ['epochs', 6], ['train loss', 10], ['train acc', 9], ['test acc', 8], ['seconds', 7]] as const;

/** The sweep table's header. */
export const SWEEP_TABLE_HEADER = COLUMNS.map(([name, width]) => name.padStart(width)).join('  ');

/** One d2l-style row of the sweep table; a diverged run says so in place of its numbers. */
export function formatSweepRow(r: SweepResult): string {
  const num = (v: number | null, digits: number): string => (v === null ? '–' : v.toFixed(digits));
  // The learning rate in 4 significant digits (0.003162): the JSON lines carry it in full.
  const cells = [String(Number(r.lr.toPrecision(4))), String(r.batchSize), String(r.epochs)];
  if (r.diverged) cells.push('diverged', '–', '–');
  else cells.push(num(r.trainLoss, 4), num(r.trainAcc, 4), num(r.testAcc, 4));
  cells.push(r.seconds.toFixed(1));
  return cells.map((c, i) => c.padStart(COLUMNS[i][1])).join('  ');
}

/** The JSON line of one run (the fields the issue names, in its order). */
export function sweepJsonLine(r: SweepResult): string {
  return JSON.stringify({ lr: r.lr, batchSize: r.batchSize, epochs: r.epochs, trainLoss: r.trainLoss, trainAcc: r.trainAcc, testAcc: r.testAcc, diverged: r.diverged, seconds: r.seconds });
}

/** Runs `npm run sweep` with `argv` (flags only); returns the exit code. */
export async function runSweepCli(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseSweepArgs(argv, io);
  if (typeof parsed === 'number') return parsed;
  const now = io.now ?? (() => performance.now());

  // The fast kernels on one thread (as before), on a memory that holds the images: no copy per batch.
  const pool = parsed.kernels === 'fast' ? createKernelPool(null, { datasets: true }) : null;
  const kernelsFor = (maxBatch: number): Kernels => (pool ? createKernels('fast', maxBatch, pool) : createKernelsByName(parsed.kernels, maxBatch));
  const data = await loadDataOrExit(parsed, io, pool, '');
  if (typeof data === 'number') return data;

  const first = parsed.configs[0];
  io.stderr.write(`Fashion-MNIST from ${data.dir} (${data.source}): ${data.train.count} train, ${data.test.count} test images; ` +
    `${parsed.configs.length} runs of ${first.epochs} epoch${first.epochs === 1 ? '' : 's'}, seed ${first.seed}, ${first.softmax} softmax, ${kernelsFor(1).name} kernels\n`);
  if (!parsed.json) io.stdout.write(`${SWEEP_TABLE_HEADER}\n`);

  const bar = !parsed.json && io.stdout.isTTY === true
    ? new SingleBar({ stream: io.stdout as NodeJS.WritableStream, format: 'run {run} epoch {epoch} |{bar}| {value}/{total} batches', clearOnComplete: true, hideCursor: true }, Presets.shades_classic)
    : null;
  let barStarted = false;
  const results: SweepResult[] = [];
  let lastYield = now();
  const sweep = runSweep({ train: data.train, test: data.test, configs: parsed.configs, createKernels: kernelsFor, now });
  try {
    for (const e of sweep) {
      if (io.signal?.aborted) {
        bar?.stop();
        io.stderr.write(`interrupted during run ${results.length + 1} of ${parsed.configs.length}\n`);
        return EXIT.interrupted;
      }
      if (e.kind === 'trainer') {
        const t = e.event;
        if (t.kind === 'batch' && bar) {
          if (!barStarted) {
            bar.start(t.batchesPerEpoch, 0, { run: `${e.run + 1}/${parsed.configs.length}`, epoch: t.epoch });
            barStarted = true;
          }
          bar.update(t.batch + 1, { epoch: t.epoch });
        } else if (t.kind === 'diverged') {
          const c = parsed.configs[e.run];
          io.stderr.write(`run ${e.run + 1} (lr ${c.lr}, batch size ${c.batchSize}) diverged: ${t.message}\n`);
        }
      } else if (e.kind === 'runEnded') {
        if (bar && barStarted) {
          bar.stop();
          barStarted = false;
        }
        results.push(e.result);
        io.stdout.write(`${parsed.json ? sweepJsonLine(e.result) : formatSweepRow(e.result)}\n`);
      }
      // Let signals and I/O run about 20 times a second.
      if (now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
  } finally {
    bar?.stop();
  }

  if (!parsed.json) {
    const finished = results.filter((r) => r.testAcc !== null);
    const best = finished.reduce<SweepResult | null>((b, r) => (b === null || (r.testAcc as number) > (b.testAcc as number) ? r : b), null);
    const diverged = results.length - finished.length;
    io.stdout.write(best
      ? `best test acc ${(best.testAcc as number).toFixed(3)} at lr ${best.lr}, batch size ${best.batchSize}${diverged ? `; ${diverged} of ${results.length} runs diverged` : ''}\n`
      : `every run diverged\n`);
  }
  return EXIT.ok;
}

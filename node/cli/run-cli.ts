// The logic of `npm run train`: parse flags, load Fashion-MNIST, train with core's Trainer one batch at a
// time (yielding so Ctrl-C is heard), print a d2l-style row per epoch (or JSON lines), save the model.
// Takes its streams and signal as arguments so tests drive it in-process; train.ts wires the process.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { cliProgram, parseFlags } from './program';
import { createKernelPool, type KernelPool, type KernelThreads } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';
import { GROUPS } from '../../core/kernels/wasm-simd/layout';
import { encodeModelFile } from '../../core/model-file';
import { DEFAULT_CONFIG, LIMITS, Trainer, validateConfig, validateLearningRate, validateWeightDecay, type EpochEvent, type TrainConfig } from '../../core/train';
import { DatasetError } from '../data/errors';
import { loadFashionMnist, type LoadOptions, type LoadedFashionMnist } from '../data/load';
import { RunRecorder } from '../../core/run-recorder';
import { createKernelsByName, DEFAULT_KERNEL_NAME, kernelNames } from './kernels';
import { MODEL_FORMAT_LABEL, modelFormatOf, outputPathProblem, sameOutputFile, writeModelExport, writeRunFiles } from './run-files';
import { writeModelFile } from '../files/model-io';
import { defaultNodeThreads, nodeKernelThreads } from '../threads/kernel-threads';

/** Exit codes of the CLI. */
export const EXIT = {
  ok: 0,
  /** The dataset could not be found, read or verified; or the model could not be written. */
  dataError: 1,
  /** Bad flags. */
  usage: 2,
  /** The loss became NaN/Infinity; no model was saved. */
  diverged: 3,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

/** A writable text stream (process.stdout, or a test's collector). */
export interface TextOut {
  write(text: string): unknown;
  /** True when a person is watching: enables the progress bar. */
  isTTY?: boolean;
}

/** What runCli needs from its process. */
export interface CliIO {
  stdout: TextOut;
  stderr: TextOut;
  /** Environment (FASHION_MNIST_DIR, XDG_CACHE_HOME); process.env in the real CLI. */
  env?: Record<string, string | undefined>;
  /** Aborted on Ctrl-C: training stops after the current batch and nothing is saved. */
  signal?: AbortSignal;
  /** Extra dataset options (tests: cacheDir, systemDirs, mirrors, download). */
  dataOptions?: Partial<LoadOptions>;
  /** Clock in ms for the seconds column; performance.now by default. */
  now?: () => number;
  /** Helper threads for --threads (node/threads' worker_threads by default; tests pass tsx's loader to them). */
  kernelThreads?: (threads: number) => KernelThreads | null;
}

/** Parsed flags. */
export interface CliOptions {
  config: TrainConfig;
  kernels: string;
  /** Threads of the fast kernels (the others run on one). */
  threads: number;
  data?: string;
  out?: string;
  /** --report FILE.html: the self-contained run report. */
  report?: string;
  /** --csv FILE: the run's curves as CSV. */
  csv?: string;
  json: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function integerArg(what: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${what} must be an integer.`);
    if (n < min || n > max) throw new InvalidArgumentError(`${what} must be from ${min} to ${max}.`);
    return n;
  };
}

export function learningRateArg(value: string): number {
  if (!DECIMAL.test(value.trim())) throw new InvalidArgumentError('learning rate must be a number.');
  const lr = Number(value);
  const problem = validateLearningRate(lr);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return lr;
}

export function weightDecayArg(value: string): number {
  if (!DECIMAL.test(value.trim())) throw new InvalidArgumentError('weight decay must be a number.');
  const wd = Number(value);
  const problem = validateWeightDecay(wd);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return wd;
}

function buildProgram(io: CliIO): Command {
  return cliProgram('train', 'Train softmax regression from scratch on Fashion-MNIST (d2l.ai, "softmax regression from scratch").', io)
    .option('--epochs <n>', 'passes over the training set', integerArg('epochs', 1, LIMITS.maxEpochs), DEFAULT_CONFIG.epochs)
    .option('--lr <rate>', 'SGD learning rate', learningRateArg, DEFAULT_CONFIG.lr)
    .option('--weight-decay <lambda>', `L2 weight decay λ, 0 to ${LIMITS.maxWeightDecay}: each loss gains λ/2 ‖W‖² (not b), so SGD does W ← W − lr (gradient + λW); the printed loss is the cross-entropy alone`, weightDecayArg, DEFAULT_CONFIG.weightDecay)
    .option('--batch-size <n>', 'minibatch size', integerArg('batch size', 1, LIMITS.maxBatchSize), DEFAULT_CONFIG.batchSize)
    .option('--seed <n>', 'seed of the initial weights and the shuffles', integerArg('seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), DEFAULT_CONFIG.seed)
    .addOption(new Option('--softmax <variant>', "'stable' (max-subtracting) or 'naive' (d2l's exp / rowsum)").choices(['stable', 'naive']).default(DEFAULT_CONFIG.softmax))
    .addOption(new Option('--kernels <name>', 'compute backend (results match the reference kernels; see tests/core/kernels)').choices(kernelNames()).default(DEFAULT_KERNEL_NAME))
    .option('--threads <n>', `threads of the fast kernels, 1 to ${GROUPS} (the same numbers for any count; each helper thread costs ~15 MB)`, integerArg('threads', 1, GROUPS), defaultNodeThreads())
    .option('--data <dir>', 'folder holding the four Fashion-MNIST files (.gz or not); otherwise FASHION_MNIST_DIR, the cache, /usr/share/datasets/fashion-mnist, then download')
    .option('--out <file>', 'save the trained model: FILE.npz for NumPy (W, b), FILE.onnx for ONNX runtimes, otherwise JSON (softmax-lab-model)')
    .option('--report <file>', 'write a self-contained HTML report of the run (also for a diverged run)')
    .option('--csv <file>', "write the run's curves as CSV (per-batch and per-epoch rows)")
    .option('--json', 'print one JSON object per epoch instead of the table (no progress bar)', false);
}

/**
 * Parses argv (without the node and script paths). Returns the options, or an exit code when it printed
 * help (0) or a one-line usage error (2).
 */
export function parseCliArgs(argv: readonly string[], io: CliIO): CliOptions | number {
  const program = buildProgram(io);
  const parsed = parseFlags(program, argv, io);
  if (parsed !== null) return parsed;
  const o = program.opts<{ epochs: number; lr: number; weightDecay: number; batchSize: number; seed: number; softmax: 'stable' | 'naive'; kernels: string; threads: number; data?: string; out?: string; report?: string; csv?: string; json: boolean }>();
  const config: TrainConfig = { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, seed: o.seed, softmax: o.softmax, weightDecay: o.weightDecay };
  const problem = validateConfig(config);
  if (problem) {
    io.stderr.write(`error: ${problem}\n`);
    return EXIT.usage;
  }
  if (o.data !== undefined && o.data.trim() === '') {
    io.stderr.write("error: --data needs a folder (an empty path would silently mean the current folder)\n");
    return EXIT.usage;
  }
  if (o.out !== undefined) {
    const dir = dirname(resolve(o.out));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      io.stderr.write(`error: cannot save the model to ${o.out}: folder ${dir} does not exist\n`);
      return EXIT.usage;
    }
  }
  for (const [flag, path, what] of [['--report', o.report, 'the report'], ['--csv', o.csv, 'the curves']] as const) {
    const pathProblem = path === undefined ? null : outputPathProblem(flag, path, what);
    if (pathProblem) {
      io.stderr.write(`error: ${pathProblem}\n`);
      return EXIT.usage;
    }
  }
  const clash = sameOutputFile({ '--out': o.out, '--report': o.report, '--csv': o.csv });
  if (clash) {
    io.stderr.write(`error: ${clash}\n`);
    return EXIT.usage;
  }
  return { config, kernels: o.kernels, threads: o.threads, data: o.data, out: o.out, report: o.report, csv: o.csv, json: o.json };
}

/** One d2l-style table row. */
export function formatEpochRow(e: Pick<EpochEvent, 'epoch' | 'trainLoss' | 'trainAcc' | 'testAcc' | 'seconds'>): string {
  return `${String(e.epoch).padStart(5)}  ${e.trainLoss.toFixed(4).padStart(10)}  ${e.trainAcc.toFixed(4).padStart(9)}  ${e.testAcc.toFixed(4).padStart(8)}  ${e.seconds.toFixed(1).padStart(7)}`;
}

/** The table header matching {@link formatEpochRow}. */
export const TABLE_HEADER = `${'epoch'.padStart(5)}  ${'train loss'.padStart(10)}  ${'train acc'.padStart(9)}  ${'test acc'.padStart(8)}  ${'seconds'.padStart(7)}`;

/** Loads the dataset for a CLI run, printing download progress on stderr (shared with `npm run sweep`). */
export async function loadData(opts: Pick<CliOptions, 'data'>, io: CliIO, pool: KernelPool | null = null): Promise<LoadedFashionMnist> {
  let lastFile = '';
  let lastPercent = -1;
  return loadFashionMnist({
    ...io.dataOptions,
    // The fast kernels read batches where the images lie when they are in their memory.
    ...(pool ? { allocate: (bytes: number) => pool.allocate(bytes) } : {}),
    dir: opts.data ?? io.dataOptions?.dir,
    env: io.env ?? io.dataOptions?.env,
    signal: io.signal,
    onProgress: (p) => {
      if (p.phase !== 'downloading' || !p.file) return;
      if (p.file !== lastFile) {
        if (lastFile && io.stderr.isTTY) io.stderr.write('\n');
        lastFile = p.file;
        lastPercent = -1;
        io.stderr.write(`downloading ${p.file}.gz from ${p.from ?? 'mirror'}${io.stderr.isTTY ? '' : '\n'}`);
      }
      const percent = 'percent' in p && p.percent !== undefined ? Math.floor(p.percent) : -1;
      if (io.stderr.isTTY && percent !== lastPercent) {
        lastPercent = percent;
        io.stderr.write(`\rdownloading ${p.file}.gz ${percent >= 0 ? `${percent}%` : `${p.bytes ?? 0} bytes`}   `);
      }
    },
  }).finally(() => {
    if (lastFile && io.stderr.isTTY) io.stderr.write('\n');
  });
}

/**
 * {@link loadData}, or the exit code after one line on stderr: 130 when interrupted (`interrupted` says
 * what was left undone), 1 when the dataset could not be found, read or verified.
 */
export async function loadDataOrExit(opts: Pick<CliOptions, 'data'>, io: CliIO, pool: KernelPool | null, interrupted: string): Promise<LoadedFashionMnist | number> {
  try {
    return await loadData(opts, io, pool);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    if (e.code === 'aborted') {
      io.stderr.write(`interrupted while getting the dataset${interrupted}\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`error: ${e.message}\n`);
    return EXIT.dataError;
  }
}

/**
 * Runs `npm run train` with `argv` (flags only). Returns the exit code: 0 done, 1 dataset or file error,
 * 2 bad flags, 3 diverged (no model saved), 130 interrupted.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs(argv, io);
  if (typeof parsed === 'number') return parsed;
  const now = io.now ?? (() => performance.now());

  // The fast kernels' helper threads live as long as this run: stopped however it ends. The pool comes
  // first so the images are loaded into its memory.
  const pool = parsed.kernels === 'fast' ? createKernelPool((io.kernelThreads ?? nodeKernelThreads)(parsed.threads), { datasets: true }) : null;
  try {
    const data = await loadDataOrExit(parsed, io, pool, '; nothing was saved');
    if (typeof data === 'number') return data;
    if (io.signal?.aborted) {
      io.stderr.write('interrupted before training started\n');
      return EXIT.interrupted;
    }
    return await train(parsed, data, io, now, pool);
  } finally {
    pool?.close();
  }
}

/** Trains, prints and saves, once the dataset is loaded (the rest of {@link runCli}). */
async function train(parsed: CliOptions, data: LoadedFashionMnist, io: CliIO, now: () => number, pool: KernelPool | null): Promise<number> {
  const { config } = parsed;
  const maxBatch = Math.min(config.batchSize, Math.max(1, data.train.count));
  const kernels = pool ? createKernels('fast', maxBatch, pool) : createKernelsByName(parsed.kernels, maxBatch);
  const trainer = new Trainer({ train: data.train, test: data.test, config, kernels, now });
  const recorder = new RunRecorder(config, new Date().toISOString()); // for --report and --csv
  io.stderr.write(`Fashion-MNIST from ${data.dir} (${data.source}): ${data.train.count} train, ${data.test.count} test images; ` +
    `epochs ${config.epochs}, lr ${config.lr}${config.weightDecay > 0 ? `, weight decay ${config.weightDecay}` : ''}, batch size ${config.batchSize}, seed ${config.seed}, ${config.softmax} softmax, ${kernels.name} kernels\n`);

  const useBar = !parsed.json && io.stdout.isTTY === true;
  const bar = useBar
    ? new SingleBar({
      stream: io.stdout as NodeJS.WritableStream,
      format: 'epoch {epoch} |{bar}| {value}/{total} batches  loss {loss}  acc {acc}',
      clearOnComplete: true,
      hideCursor: true,
    }, Presets.shades_classic)
    : null;
  if (!parsed.json) io.stdout.write(`${TABLE_HEADER}\n`);

  let last: EpochEvent | null = null;
  let lastYield = now();
  let barStarted = false;
  try {
    while (!trainer.stopped) {
      if (io.signal?.aborted) {
        const pos = trainer.position;
        bar?.stop();
        io.stderr.write(`interrupted at epoch ${pos.epoch}, batch ${pos.batch + 1} of ${pos.batchesPerEpoch}; no model saved\n`);
        return EXIT.interrupted;
      }
      for (const e of trainer.step()) {
        recorder.add(e);
        if (e.kind === 'batch' && bar) {
          if (!barStarted) {
            bar.start(e.batchesPerEpoch, 0, { epoch: e.epoch, loss: '-', acc: '-' });
            barStarted = true;
          }
          bar.update(e.batch + 1, { epoch: e.epoch, loss: e.loss.toFixed(4), acc: e.acc.toFixed(3) });
        } else if (e.kind === 'epoch') {
          last = e;
          if (bar && barStarted) {
            bar.stop();
            barStarted = false;
          }
          if (parsed.json) {
            io.stdout.write(`${JSON.stringify({ epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, testAcc: e.testAcc, seconds: e.seconds })}\n`);
          } else {
            io.stdout.write(`${formatEpochRow(e)}\n`);
          }
        } else if (e.kind === 'diverged') {
          bar?.stop();
          io.stderr.write(`diverged: ${e.message} The last finite weights are kept; no model saved.\n`);
          if (!(await writeRunFiles(parsed, { trainer, recorder, data }, io))) return EXIT.dataError;
          return EXIT.diverged;
        }
      }
      // Let signals, timers (the bar's redraw) and I/O run about 20 times a second.
      if (now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
  } finally {
    bar?.stop();
  }

  if (last && !parsed.json) {
    io.stdout.write(`loss ${last.trainLoss.toFixed(3)}, train acc ${last.trainAcc.toFixed(3)}, test acc ${last.testAcc.toFixed(3)}\n`);
  }
  if (parsed.out !== undefined && last) {
    try {
      const format = modelFormatOf(parsed.out);
      if (format === 'json') {
        const file = encodeModelFile(trainer.weights(), config, { epochs: last.epoch, trainLoss: last.trainLoss, trainAcc: last.trainAcc, testAcc: last.testAcc }, new Date().toISOString());
        await writeModelFile(parsed.out, file);
        io.stderr.write(`saved the model to ${parsed.out}\n`);
      } else {
        const about = `Softmax regression on Fashion-MNIST: ${last.epoch} epochs, lr ${config.lr}${config.weightDecay > 0 ? `, weight decay ${config.weightDecay}` : ''}, batch size ${config.batchSize}, seed ${config.seed}; test accuracy ${last.testAcc.toFixed(4)}`;
        await writeModelExport(parsed.out, format, trainer.weights(), about);
        io.stderr.write(`saved the model to ${parsed.out} (${MODEL_FORMAT_LABEL[format]})\n`);
      }
    } catch (e) {
      io.stderr.write(`error: could not save the model to ${parsed.out}: ${(e as Error).message}\n`);
      return EXIT.dataError;
    }
  }
  if (!(await writeRunFiles(parsed, { trainer, recorder, data }, io))) return EXIT.dataError;
  return EXIT.ok;
}

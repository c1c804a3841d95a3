// `npm run bench` (`-- --quick` for a CI-sized smoke run): loads Fashion-MNIST once, trains the d2l recipe
// with each kernel backend through the real core Trainer (the fast kernels on 1, 2 and the default number
// of threads), and prints one JSON line per configuration; then the NumPy yardstick in every configuration
// a NumPy user here could get, the ratio to the fastest of them, the cost of streaming progress, and a
// training child process's peak memory. It reports and never asserts: the machine is noisy, people judge.
// Not part of `npm test`.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FashionMnist } from '../../core/dataset';
import { createKernelPool, type KernelPool } from '../../core/kernels/pool';
import { createKernels, type KernelName } from '../../core/kernels/registry';
import { GROUPS } from '../../core/kernels/wasm-simd/layout';
import { DEFAULT_CONFIG, Trainer, type TrainerEvent } from '../../core/train';
import { loadFashionMnist } from '../data/load';
import { defaultNodeThreads, nodeKernelThreads } from '../threads/kernel-threads';
import { median, peakRssMb, runEpochs, type EpochRun } from './measure';
import { fastestNumpy, NUMPY_CONFIGS, numpyEnv, type NumpyConfig } from './numpy-configs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Turns of the interleaved ratio (benchInterleaved). */
const INTERLEAVED_ROUNDS = 5;

interface Options {
  quick: boolean;
  /** Epochs of the fast backends and NumPy. */
  epochs: number;
  /** Epochs of the slow reference (it takes ~2 s each). */
  referenceEpochs: number;
  dataDir: string | undefined;
  numpy: boolean;
  memory: boolean;
  /** The thread count the app would use (default: one per core, at most 2); measured beside 1 and 2. */
  threads: number;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const epochs = Number(value('--epochs') ?? (quick ? 2 : DEFAULT_CONFIG.epochs));
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`--epochs must be a positive integer, got ${value('--epochs')}`);
  const threads = Number(value('--threads') ?? defaultNodeThreads());
  if (!Number.isInteger(threads) || threads < 1 || threads > GROUPS) throw new RangeError(`--threads must be an integer from 1 to ${GROUPS}, got ${value('--threads')}`);
  return {
    quick,
    epochs,
    referenceEpochs: quick ? 1 : epochs,
    dataDir: value('--data'),
    numpy: !argv.includes('--no-numpy'),
    memory: !argv.includes('--no-memory'),
    threads,
  };
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

const loadavg1 = (): number[] => loadavg().map((x) => round(x, 2));

/** A kernel pool on `threads` threads whose helpers have all started (they start asynchronously). */
async function startedPool(threads: number): Promise<KernelPool> {
  const pool = createKernelPool(nodeKernelThreads(threads), { datasets: true });
  if (!pool) throw new Error('this Node has no WebAssembly SIMD');
  for (let waited = 0; pool.helpersStarted < threads - 1; waited += 10) {
    if (waited > 30_000) throw new Error(`only ${pool.helpersStarted} of ${threads - 1} kernel helper threads started`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return pool;
}

/** The dataset loaded again as the CLI loads it for the fast kernels: its images in `pool`'s memory, where batches are read. */
function dataIn(pool: KernelPool, dir: string): Promise<FashionMnist> {
  return loadFashionMnist({ dir, download: false, allocate: (bytes) => pool.allocate(bytes) });
}

/**
 * One JSON line per backend (and thread count): timing over epochs, the run's final numbers, peak RSS so
 * far; for a pool with helpers, the share of units they ran, and of units they ran on rows gathered ahead.
 */
function benchKernels(data: FashionMnist, name: KernelName, epochs: number, referenceMedian: number | null, pool?: KernelPool): EpochRun {
  const kernels = createKernels(name, DEFAULT_CONFIG.batchSize, pool);
  const unitsBefore = pool?.helperUnits ?? 0;
  const preparedBefore = pool?.preparedUnits ?? 0;
  const run = runEpochs(new Trainer({ train: data.train, test: data.test, kernels, config: { epochs }, now: () => performance.now() }), epochs);
  const med = median(run.seconds);
  const last = run.last;
  // Units per epoch: 235 training rounds and 40 test rounds of 4 units.
  const units = run.seconds.length * (Math.ceil(data.train.count / 256) + Math.ceil(data.test.count / 256)) * GROUPS;
  print({
    kernel: kernels.name,
    threads: kernels.threads ?? 1,
    ...(pool && pool.threads > 1 ? { helperShareOfUnits: round((pool.helperUnits - unitsBefore) / units, 3), preparedAheadShareOfUnits: round((pool.preparedUnits - preparedBefore) / units, 3) } : {}),
    ...(pool ? { imagesInKernelMemory: pool.addressOf(data.train.images) >= 0 && pool.addressOf(data.test.images) >= 0 } : {}),
    epochs: run.seconds.length,
    medianSec: round(med),
    minSec: round(Math.min(...run.seconds)),
    maxSec: round(Math.max(...run.seconds)),
    cpuMedianSec: round(median(run.cpuSeconds)),
    speedupOverReference: referenceMedian === null ? 1 : round(referenceMedian / med, 1),
    trainLoss: last ? round(last.trainLoss, 6) : null,
    trainAcc: last ? round(last.trainAcc, 5) : null,
    testAcc: last ? round(last.testAcc, 5) : null,
    peakRssMB: peakRssMb(),
    loadavg: loadavg1(),
  });
  return run;
}

/**
 * Runs node/bench/numpy_softmax.py with the system python3 in one configuration; null (and a note) when
 * NumPy is missing. One thread is single-threaded like one of our threads, and far steadier on a loaded
 * machine, where OpenBLAS's spinning threads can make the default run 10x slower.
 */
async function benchNumpy(dataDir: string, epochs: number, config: NumpyConfig): Promise<{ seconds: number[]; cpuSeconds: number[]; testAcc: number } | null> {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    print({ kernel: 'numpy', skipped: 'python3 with numpy not found (Debian: apt install python3-numpy libopenblas0-pthread)' });
    return null;
  }
  const env = numpyEnv(config, process.env);
  const result = await runNumpy(dataDir, epochs, config);
  print({
    kernel: config.name,
    epochs: result.seconds.length,
    medianSec: round(median(result.seconds)),
    minSec: round(Math.min(...result.seconds)),
    maxSec: round(Math.max(...result.seconds)),
    cpuMedianSec: round(median(result.cpuSeconds)),
    trainLoss: round(result.trainLoss, 6),
    trainAcc: round(result.trainAcc, 5),
    testAcc: round(result.testAcc, 5),
    numpyVersion: result.numpy,
    openblasCoretype: env.OPENBLAS_CORETYPE ?? null,
    openblasL2Size: env.OPENBLAS_L2_SIZE ?? null,
    openblasThreads: env.OPENBLAS_NUM_THREADS ?? 'default',
    loadavg: loadavg1(),
  });
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, testAcc: result.testAcc };
}

/** numpy_softmax.py's result for `epochs` epochs in one configuration (python3 with NumPy must be there). */
async function runNumpy(dataDir: string, epochs: number, config: NumpyConfig): Promise<{ seconds: number[]; cpuSeconds: number[]; trainLoss: number; trainAcc: number; testAcc: number; numpy: string }> {
  const out = await runChild('python3', [join(HERE, 'numpy_softmax.py'), dataDir, String(epochs)], 300_000, numpyEnv(config, process.env));
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { seconds: number[]; cpuSeconds: number[]; trainLoss: number; trainAcc: number; testAcc: number; numpy: string };
}

/**
 * The ratio again with the two taking turns, INTERLEAVED_ROUNDS times `epochs` epochs of the fast kernels on
 * `threads` threads, then as many of the fastest NumPy configuration: the host's load drifts over minutes
 * (these machines are shared), and the lines above measure each side in its own minute; taking turns puts
 * both in the same ones.
 */
async function benchInterleaved(dataDir: string, threads: number, config: NumpyConfig, epochs: number): Promise<void> {
  const pool = await startedPool(threads);
  try {
    const data = await dataIn(pool, dataDir);
    const trainer = new Trainer({ train: data.train, test: data.test, kernels: createKernels('fast', DEFAULT_CONFIG.batchSize, pool), config: { epochs: 1000 }, now: () => performance.now() });
    runEpochs(trainer, 1); // compiled and warm, as the lines above are after their first epoch
    const ours: number[] = [];
    const theirs: number[] = [];
    const loads: number[] = [];
    for (let r = 0; r < INTERLEAVED_ROUNDS; r++) {
      ours.push(...runEpochs(trainer, epochs).seconds);
      theirs.push(...(await runNumpy(dataDir, epochs, config)).seconds);
      loads.push(loadavg1()[0]);
    }
    print({
      ratio: `fast (${threads} thread${threads === 1 ? '' : 's'}) / fastest NumPy, interleaved (${INTERLEAVED_ROUNDS} turns of ${epochs} epochs each; median epoch, wall)`,
      value: round(median(ours) / median(theirs), 3),
      fastest: config.name,
      fastMedianSec: round(median(ours)),
      numpyMedianSec: round(median(theirs)),
      target: 0.5,
      stretch: 0.3,
      loadavgPerTurn: loads,
    });
  } finally {
    pool.close();
  }
}

/**
 * The cost of streaming to a host, measured where it is spent: per batch, the scalar event is
 * structured-cloned (what postMessage does); at most every 100 ms, the 7850 parameters are copied and
 * cloned (a weight snapshot). Reported two ways: the time inside that work during real epochs over the
 * epochs' time (`fractionOfEpoch`, inflated when the machine preempts us mid-clone), and the steady cost
 * (the fastest of many repetitions of each operation, times how often it happens, over the median epoch).
 */
function benchStreaming(data: FashionMnist, epochs: number, pool: KernelPool): void {
  const kernels = createKernels('fast', DEFAULT_CONFIG.batchSize, pool);
  const trainer = new Trainer({ train: data.train, test: data.test, kernels, config: { epochs }, now: () => performance.now() });
  let streamMs = 0;
  let lastSnapshot = -Infinity;
  let snapshots = 0;
  let messages = 0;
  let bytes = 0;
  let sample: TrainerEvent | null = null;
  const epochMs: number[] = [];
  let epochStart = performance.now();
  let epochStream = 0;
  const t0 = performance.now();
  while (!trainer.stopped) {
    const events: TrainerEvent[] = trainer.step();
    const s0 = performance.now();
    for (const e of events) {
      structuredClone(e); // what postMessage does to each event; the copy itself is dropped
      messages++;
      if (e.kind === 'batch') sample = e;
    }
    if (s0 - lastSnapshot >= 100) {
      const w = structuredClone(trainer.weights());
      bytes += w.byteLength;
      snapshots++;
      lastSnapshot = s0;
    }
    const dt = performance.now() - s0;
    streamMs += dt;
    epochStream += dt;
    if (events.some((e) => e.kind === 'epoch')) {
      epochMs.push(performance.now() - epochStart - epochStream);
      epochStart = performance.now();
      epochStream = 0;
    }
  }
  const totalMs = performance.now() - t0;
  const fastest = (fn: () => void, reps: number): number => {
    let best = Infinity;
    for (let r = 0; r < 20; r++) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) fn();
      best = Math.min(best, (performance.now() - t) / reps);
    }
    return best;
  };
  const eventMs = sample ? fastest(() => structuredClone(sample), 200) : 0;
  const snapshotMs = fastest(() => structuredClone(trainer.weights()), 50);
  const epochMedianMs = median(epochMs);
  const steadyMs = (messages / epochs) * eventMs + (snapshots / epochs) * snapshotMs;
  print({
    measure: 'streaming',
    kernel: kernels.name,
    epochs,
    messages,
    weightSnapshots: snapshots,
    snapshotsPerSecond: round((snapshots - 1) / (totalMs / 1000), 1), // the first is at t = 0, then >= 100 ms apart
    streamSecPerEpoch: round(streamMs / 1000 / epochs, 5),
    epochSec: round(epochMedianMs / 1000),
    fractionOfEpoch: round(streamMs / (totalMs - streamMs), 4),
    eventCloneUs: round(eventMs * 1000, 2),
    snapshotCloneUs: round(snapshotMs * 1000, 1),
    steadyFractionOfEpoch: round(steadyMs / epochMedianMs, 4),
    targetFraction: 0.05,
    weightMBPerEpoch: round(bytes / 1e6 / epochs, 3),
  });
}

/** Spawns a command, returns its stdout; kills it on timeout or error. */
function runChild(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const kill = (): void => void child.kill('SIGKILL');
    process.once('exit', kill);
    child.on('error', (e) => {
      clearTimeout(timer);
      process.off('exit', kill);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', kill);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}: ${err.trim().slice(-500)}`));
    });
  });
}

/**
 * Peak RSS of a fresh process that loads the dataset and trains with the fast kernels on `threads` threads,
 * helper threads included (memory-child.ts). The child and the helper are bundled to plain JavaScript with
 * esbuild (tsx's own compiler) so the measurement is not inflated by a TypeScript loader (~35 MB); without
 * esbuild they run under tsx and say so.
 */
async function benchMemory(dataDir: string, epochs: number, threads: number): Promise<void> {
  const entry = join(HERE, 'memory-child.ts');
  const helperEntry = join(HERE, '../threads/kernel-helper.ts');
  let args = ['--import', 'tsx', entry];
  let helper = helperEntry;
  let loader = 'tsx';
  const tmp = mkdtempSync(join(tmpdir(), 'softmax-lab-bench-'));
  try {
    try {
      const esbuild = (await import('esbuild')) as { build(o: Record<string, unknown>): Promise<unknown> };
      await esbuild.build({ entryPoints: { 'memory-child': entry, 'kernel-helper': helperEntry }, bundle: true, platform: 'node', format: 'esm', target: 'node22', outdir: tmp, outExtension: { '.js': '.mjs' }, logLevel: 'silent' });
      args = [join(tmp, 'memory-child.mjs')];
      helper = join(tmp, 'kernel-helper.mjs');
      loader = 'esbuild bundle';
    } catch {
      // esbuild missing or failing: measure under tsx (an overestimate) rather than not at all.
    }
    const out = await runChild(process.execPath, [...args, dataDir, String(epochs), String(threads), helper], 300_000);
    print({ measure: 'memory', ...(JSON.parse(out.trim().split('\n').pop() ?? '{}') as object), loader, targetMB: 150 });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  print({ machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?', loadavg: loadavg1(), node: process.version }, quick: opts.quick, appThreads: opts.threads });
  const data = await loadFashionMnist({ dir: opts.dataDir, download: false });
  const reference = benchKernels(data, 'reference', opts.referenceEpochs, null);
  const refMedian = median(reference.seconds);
  benchKernels(data, 'fast-js', opts.quick ? 1 : Math.min(opts.epochs, 3), refMedian);
  // The fast kernels on 1 and 2 threads and on the app's default count; the last is the app's line.
  const fastByThreads = new Map<number, EpochRun>();
  for (const threads of [...new Set([1, 2, opts.threads])].sort((a, b) => a - b)) {
    const pool = await startedPool(threads);
    try {
      fastByThreads.set(threads, benchKernels(await dataIn(pool, data.dir), 'fast', opts.epochs, refMedian, pool));
    } finally {
      pool.close();
    }
  }
  // The app's thread count again on images in ordinary buffers (a host without the loader hook): each
  // batch's rows are then copied into the kernels' memory, as before issue 15.
  const copiedPool = await startedPool(opts.threads);
  let copied: EpochRun;
  try {
    copied = benchKernels(data, 'fast', opts.epochs, refMedian, copiedPool);
  } finally {
    copiedPool.close();
  }
  const fast = fastByThreads.get(opts.threads) as EpochRun;
  print({ ratio: 'fast, images in the kernels\' memory / images copied per batch (median epoch, wall)', threads: opts.threads, value: round(median(fast.seconds) / median(copied.seconds), 3) });
  const fastMedian = median(fast.seconds);
  // The accuracy bar: a full run's final accuracies within 0.002 of the reference's.
  if (reference.last && fast.last && reference.seconds.length === fast.seconds.length) {
    const dTrain = Math.abs(fast.last.trainAcc - reference.last.trainAcc);
    const dTest = Math.abs(fast.last.testAcc - reference.last.testAcc);
    print({ check: 'final accuracy fast vs reference', threads: opts.threads, epochs: fast.seconds.length, trainAccDiff: round(dTrain, 5), testAccDiff: round(dTest, 5), trainLossRelDiff: Number((Math.abs(fast.last.trainLoss - reference.last.trainLoss) / reference.last.trainLoss).toExponential(2)), within002: dTrain <= 0.002 && dTest <= 0.002 });
  }
  const runs = [...fastByThreads.values()];
  const same = runs.every((r) => r.last && fast.last && r.last.trainLoss === fast.last.trainLoss && r.last.trainAcc === fast.last.trainAcc && r.last.testAcc === fast.last.testAcc);
  print({ check: 'fast on every thread count gives the same numbers, bit for bit', threads: [...fastByThreads.keys()], same });
  if (opts.numpy) {
    const numpyMedians = new Map<string, number>();
    for (const config of NUMPY_CONFIGS) {
      const numpy = await benchNumpy(data.dir, opts.epochs, config);
      if (!numpy) break;
      numpyMedians.set(config.name, median(numpy.seconds));
    }
    const best = fastestNumpy(numpyMedians);
    if (best) {
      const { name: fastest, seconds: fastestSec } = best;
      const byThreads = Object.fromEntries([...fastByThreads].map(([t, r]) => [t, round(median(r.seconds) / fastestSec, 3)]));
      print({
        ratio: `fast (${opts.threads} thread${opts.threads === 1 ? '' : 's'}, the app's default) / fastest NumPy (median epoch, wall)`,
        value: round(fastMedian / fastestSec, 3),
        fastest,
        fastestMedianSec: round(fastestSec),
        byThreads,
        target: 0.5,
        stretch: 0.3,
        loadavg: loadavg1(),
      });
      const config = NUMPY_CONFIGS.find((c) => c.name === fastest);
      if (config && !opts.quick) await benchInterleaved(data.dir, opts.threads, config, 3);
    }
  }
  const pool = await startedPool(opts.threads);
  try {
    benchStreaming(await dataIn(pool, data.dir), opts.quick ? 1 : 3, pool);
  } finally {
    pool.close();
  }
  if (opts.memory) await benchMemory(data.dir, opts.quick ? 1 : 2, opts.threads);
}

await main();

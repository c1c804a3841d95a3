// Sweeps, as the d2l chapter's exercises ask ("what happens with other learning rates, batch sizes?"):
// the same run (same seed, so the same initial weights and shuffles) for each learning rate or batch
// size in turn, with each run's final numbers. Pure: a generator the host drives one batch at a time
// (the CLI between event-loop turns, the training process between messages), so it can show progress
// and stop between any two batches.

import type { Dataset } from './dataset';
import { RunRecorder } from './run-recorder';
import type { Kernels } from './kernels/types';
import type { RunRecord } from './protocol';
import { DEFAULT_CONFIG, Trainer, validateConfig, validateLearningRate, type TrainConfig, type TrainerEvent } from './train';

/** Bounds of a sweep. */
export const SWEEP_LIMITS = {
  /** Most values in a log-spaced range. */
  maxValues: 50,
  /** Most runs in one sweep (learning rates × batch sizes). */
  maxRuns: 200,
} as const;

/** The default learning-rate sweep: 0.001 to 10, nine values. */
export const DEFAULT_LR_SWEEP = { from: 0.001, to: 10, count: 9 } as const;
/** The default batch-size sweep. */
export const DEFAULT_BATCH_SIZES: readonly number[] = [16, 64, 256, 1024];
/** Epochs per run of a sweep, by default. */
export const DEFAULT_SWEEP_EPOCHS = 3;

/**
 * `count` values from `from` to `to`, both included, evenly spaced on a log scale (numpy.logspace
 * over log10(from) .. log10(to)), rounded to 12 significant digits so 10^-2 prints as 0.01.
 */
export function logSpace(from: number, to: number, count: number): number[] {
  if (!(from > 0 && to > 0 && Number.isFinite(from) && Number.isFinite(to))) throw new RangeError(`a log-spaced range needs two positive numbers, got ${from} and ${to}`);
  if (!Number.isInteger(count) || count < 1 || count > SWEEP_LIMITS.maxValues) throw new RangeError(`a log-spaced range has 1 to ${SWEEP_LIMITS.maxValues} values, got ${count}`);
  if (count === 1) {
    if (from !== to) throw new RangeError(`one value cannot span ${from} to ${to}; ask for at least 2`);
    return [from];
  }
  const a = Math.log10(from);
  const b = Math.log10(to);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Number((10 ** (a + ((b - a) * i) / (count - 1))).toPrecision(12)));
  out[0] = from; // the ends exactly as given
  out[count - 1] = to;
  return out;
}

/** What a sweep varies; a missing list keeps the base config's value. */
export interface SweepPlan {
  /** The run every point starts from (epochs, seed, softmax, and lr / batch size when not swept). */
  base: TrainConfig;
  learningRates?: readonly number[];
  batchSizes?: readonly number[];
}

/**
 * The configurations of a sweep: every learning rate × every batch size (learning rate outermost), the
 * rest from `base`. Throws a RangeError naming the first bad value or an oversized sweep.
 */
export function sweepConfigs(plan: SweepPlan): TrainConfig[] {
  const lrs = plan.learningRates ?? [plan.base.lr];
  const sizes = plan.batchSizes ?? [plan.base.batchSize];
  if (lrs.length === 0 || sizes.length === 0) throw new RangeError('a sweep needs at least one learning rate and one batch size');
  if (new Set(lrs).size !== lrs.length || new Set(sizes).size !== sizes.length) throw new RangeError('each learning rate and each batch size may appear once in a sweep');
  if (lrs.length * sizes.length > SWEEP_LIMITS.maxRuns) throw new RangeError(`a sweep runs at most ${SWEEP_LIMITS.maxRuns} configurations, asked for ${lrs.length * sizes.length}`);
  for (const lr of lrs) {
    const problem = validateLearningRate(lr);
    if (problem) throw new RangeError(problem);
  }
  const configs: TrainConfig[] = [];
  for (const lr of lrs) {
    for (const batchSize of sizes) {
      const config = { ...plan.base, lr, batchSize };
      const problem = validateConfig(config);
      if (problem) throw new RangeError(problem);
      configs.push(config);
    }
  }
  return configs;
}

/** The final numbers of one run of a sweep (the fields of `npm run sweep -- --json`). */
export interface SweepResult {
  lr: number;
  batchSize: number;
  /** Epochs asked for. */
  epochs: number;
  /** The last epoch's numbers; null when the run diverged (its last epoch never finished). */
  trainLoss: number | null;
  trainAcc: number | null;
  testAcc: number | null;
  diverged: boolean;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}

/** What a sweep reports as it goes. */
export type SweepEvent =
  /** Run `run` (0-based, of `runs`) starts with `config`. */
  | { kind: 'runStarted'; run: number; runs: number; config: TrainConfig }
  /** A Trainer event of run `run` (batch, epoch, diverged, done). */
  | { kind: 'trainer'; run: number; event: TrainerEvent }
  /** Run `run` ended: its numbers and its record (curves, outcome; to show that run's curves later). */
  | { kind: 'runEnded'; run: number; result: SweepResult; record: RunRecord };

/** What a sweep runs on. */
export interface SweepOptions {
  train: Dataset;
  test: Dataset;
  configs: readonly TrainConfig[];
  /** Kernels for batches of up to `maxBatch` rows (each batch size gets its own). */
  createKernels: (maxBatch: number) => Kernels;
  /** Monotonic milliseconds (performance.now). */
  now: () => number;
  /** Milliseconds since 1970 for the records' timestamps (Date.now when omitted). */
  wallClock?: () => number;
}

/**
 * Runs each configuration in turn, one batch per step of the generator: yields 'runStarted', then the
 * run's Trainer events one by one, then 'runEnded'. Stopping is the host's: it simply stops calling
 * next() (or calls return()). The same config and seed give the same numbers as `npm run train`.
 */
export function* runSweep(opts: SweepOptions): Generator<SweepEvent, void, void> {
  const wallClock = opts.wallClock ?? Date.now;
  const runs = opts.configs.length;
  for (let run = 0; run < runs; run++) {
    const config = opts.configs[run];
    yield { kind: 'runStarted', run, runs, config: { ...config } };
    const t0 = opts.now();
    const recorder = new RunRecorder(config, new Date(wallClock()).toISOString(), `sweep-${run + 1}`);
    const maxBatch = Math.min(config.batchSize, Math.max(1, opts.train.count));
    const trainer = new Trainer({ train: opts.train, test: opts.test, config, kernels: opts.createKernels(maxBatch), now: opts.now });
    let diverged = false;
    let last: { trainLoss: number; trainAcc: number; testAcc: number } | null = null;
    while (!trainer.stopped) {
      for (const event of trainer.step()) {
        recorder.add(event);
        if (event.kind === 'epoch') last = event;
        if (event.kind === 'diverged') diverged = true;
        yield { kind: 'trainer', run, event };
      }
    }
    const result: SweepResult = {
      lr: config.lr, batchSize: config.batchSize, epochs: config.epochs,
      trainLoss: diverged || !last ? null : last.trainLoss,
      trainAcc: diverged || !last ? null : last.trainAcc,
      testAcc: diverged || !last ? null : last.testAcc,
      diverged,
      seconds: (opts.now() - t0) / 1000,
    };
    yield { kind: 'runEnded', run, result, record: recorder.snapshot(new Date(wallClock()).toISOString()) };
  }
}

/** The base configuration of a sweep when the host gives none: d2l's, with the sweep's epochs. */
export function defaultSweepBase(over: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_CONFIG, epochs: DEFAULT_SWEEP_EPOCHS, ...over };
}

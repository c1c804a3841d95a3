// The chapter's training functions (evaluate_accuracy, train_epoch_ch3, train_ch3) over a Kernels
// backend, and the step-at-a-time Trainer that hosts (CLI, utility process, Web Worker) drive so a
// person can pause, step, reset and change the learning rate or the weight decay between batches.

import { batchCount, gatherBatch, identityOrder, shuffleOrder, type Dataset } from './dataset';
import { createReferenceKernels } from './kernels/reference';
import type { Kernels, SoftmaxVariant, StepStats } from './kernels/types';
import { allFinite, initParams, sgdStep, type Params } from './model';
import { createRng, type Rng } from './rng';
import { NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from './shapes';
import { softmaxStable } from './softmax';

/** How a run is set up. */
export interface TrainConfig {
  /** Number of passes over the training set (d2l: 10). */
  epochs: number;
  /** Minibatch size (d2l: 256). */
  batchSize: number;
  /** SGD learning rate (d2l: 0.1). Can change between batches. */
  lr: number;
  /** Seed of the run's RNG: initial weights and every epoch's shuffle. */
  seed: number;
  /** Softmax used in training: 'stable' or d2l's 'naive' exp / rowsum. */
  softmax: SoftmaxVariant;
  /**
   * L2 weight decay λ (d2l's weight-decay chapter): each row's loss gains (λ/2)‖W‖² (not the bias), so SGD
   * does W ← W − lr (mean gradient + λW). 0 is plain softmax regression. Can change between batches.
   */
  weightDecay: number;
}

/** d2l's recipe (no weight decay). */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = { epochs: 10, batchSize: 256, lr: 0.1, seed: 0, softmax: 'stable', weightDecay: 0 };

/** Largest values accepted for a run's settings (beyond these the app would just hang or overflow). */
export const LIMITS = {
  maxEpochs: 1000,
  maxBatchSize: 60000,
  minLr: 1e-6,
  maxLr: 1000,
  /** Largest weight decay λ (the window's slider goes to 0.01; lr λ above 2 makes W ← (1 − lr λ) W grow). */
  maxWeightDecay: 1,
  /** Most images one predict or testExamples request may carry. */
  maxPredictRows: 10000,
  /** Most per-batch points, learning-rate and weight-decay changes one run record keeps. */
  maxRecordItems: 5000,
} as const;

/** Returns a problem with the config in one sentence, or null when it is valid. */
export function validateConfig(c: TrainConfig): string | null {
  if (!Number.isInteger(c.epochs) || c.epochs < 1 || c.epochs > LIMITS.maxEpochs) return `epochs must be an integer from 1 to ${LIMITS.maxEpochs}, got ${c.epochs}`;
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > LIMITS.maxBatchSize) return `batch size must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${c.batchSize}`;
  const lrProblem = validateLearningRate(c.lr);
  if (lrProblem) return lrProblem;
  if (!Number.isSafeInteger(c.seed)) return `seed must be an integer, got ${c.seed}`;
  if (c.softmax !== 'stable' && c.softmax !== 'naive') return `softmax must be 'stable' or 'naive', got ${String(c.softmax)}`;
  return validateWeightDecay(c.weightDecay);
}

/** Returns a problem with a learning rate, or null when it is usable. */
export function validateLearningRate(lr: number): string | null {
  if (!Number.isFinite(lr) || lr < LIMITS.minLr || lr > LIMITS.maxLr) return `learning rate must be a number from ${LIMITS.minLr} to ${LIMITS.maxLr}, got ${lr}`;
  return null;
}

/** Returns a problem with a weight decay λ, or null when it is usable (0 = none). */
export function validateWeightDecay(weightDecay: number): string | null {
  if (!Number.isFinite(weightDecay) || weightDecay < 0 || weightDecay > LIMITS.maxWeightDecay) return `weight decay must be a number from 0 to ${LIMITS.maxWeightDecay}, got ${weightDecay}`;
  return null;
}

/** d2l's evaluate_accuracy: the fraction of `ds` predicted correctly with `params`. */
export function evaluateAccuracy(kernels: Kernels, params: Float32Array, ds: Dataset): number {
  return ds.count === 0 ? 0 : kernels.countCorrect(params, ds, 0, ds.count) / ds.count;
}

/** Per-batch progress. */
export interface BatchEvent {
  kind: 'batch';
  /** Epoch this batch belongs to, 1-based. */
  epoch: number;
  /** Batch index within the epoch, 0-based. */
  batch: number;
  /** Batches in an epoch (the last may be partial). */
  batchesPerEpoch: number;
  /** Position as a fractional epoch count after this batch, e.g. 2.5 = halfway through epoch 3. */
  epochProgress: number;
  /** Mean cross-entropy of this batch (before its update): the data loss, without the weight-decay penalty. */
  loss: number;
  /** Accuracy on this batch (before its update). */
  acc: number;
  /** The learning rate this batch's update used. */
  lr: number;
  /** The weight decay λ this batch's update used. */
  weightDecay: number;
  /** Rows in this batch. */
  size: number;
}

/** End of an epoch, with d2l's three numbers. */
export interface EpochEvent {
  kind: 'epoch';
  /** Epoch just finished, 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's forward passes (train_epoch_ch3), without the weight-decay penalty. */
  trainLoss: number;
  /** Training accuracy over the epoch's forward passes. */
  trainAcc: number;
  /** Accuracy on the test set after the epoch. */
  testAcc: number;
  /** Wall-clock seconds of the epoch's training and test evaluation. */
  seconds: number;
}

/** The loss went NaN or infinite; training stops, the last finite weights are kept. */
export interface DivergedEvent {
  kind: 'diverged';
  /** Epoch, 1-based. */
  epoch: number;
  /** Batch within the epoch, 0-based. */
  batch: number;
  /** The offending loss (NaN or Infinity), or the finite loss whose update overflowed the weights. */
  loss: number;
  /** Learning rate in use. */
  lr: number;
  /**
   * The largest logit of the offending batch, under the weights it was computed with (NaN logits left
   * out; Infinity when a logit itself overflowed float32). exp overflows float32 above ~88.7. The Trainer
   * always sets it; optional so that a view accepts a message without it.
   */
  maxLogit?: number;
  /** What happened, in the chapter's words, and what to try. */
  message: string;
}

/** All epochs have run. */
export interface DoneEvent {
  kind: 'done';
  /** Epochs completed. */
  epochs: number;
}

/** Everything a Trainer reports. */
export type TrainerEvent = BatchEvent | EpochEvent | DivergedEvent | DoneEvent;

/** Where a Trainer is. */
export interface TrainerPosition {
  /** Current epoch, 1-based (the one the next batch belongs to, or the last one when finished). */
  epoch: number;
  /** Next batch index within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Batches run since the start or reset. */
  batchesDone: number;
  finished: boolean;
  diverged: boolean;
}

/** Options of a Trainer. */
export interface TrainerOptions {
  train: Dataset;
  test: Dataset;
  config?: Partial<TrainConfig>;
  /** Compute backend; the reference kernels when omitted. */
  kernels?: Kernels;
  /** Clock in milliseconds (performance.now in hosts); Date.now by default. */
  now?: () => number;
}

/**
 * Trains one batch per `step()`, so the host decides when (pause, resume, single step) and can change
 * the learning rate and the weight decay between batches. Deterministic: the same seed and config give the same numbers.
 */
export class Trainer {
  readonly train: Dataset;
  readonly test: Dataset;
  private cfg: TrainConfig;
  private kernels: Kernels;
  private readonly now: () => number;
  private rng!: Rng;
  private params!: Params;
  private readonly grad = new Float32Array(NUM_PARAMS); // (D*K + K)
  private readonly backup = new Float32Array(NUM_PARAMS); // last finite parameters
  private order!: Uint32Array; // (train.count) this epoch's shuffle
  private epoch = 1;
  private batch = 0;
  private batchesDone = 0;
  private lossSum = 0; // this epoch, summed over examples
  private correctSum = 0;
  private seen = 0;
  private elapsed = 0; // ms of this epoch spent inside step()
  private finished = false;
  private diverged = false;

  constructor(opts: TrainerOptions) {
    this.train = opts.train;
    this.test = opts.test;
    this.cfg = { ...DEFAULT_CONFIG, ...opts.config };
    const problem = validateConfig(this.cfg);
    if (problem) throw new RangeError(problem);
    this.kernels = opts.kernels ?? createReferenceKernels(Math.min(this.cfg.batchSize, Math.max(1, this.train.count)));
    this.now = opts.now ?? Date.now;
    this.reset();
  }

  /** The run's current config (a copy). */
  get config(): TrainConfig {
    return { ...this.cfg };
  }

  /** Name of the compute backend. */
  get kernelName(): string {
    return this.kernels.name;
  }

  /** Re-initialises the weights and the shuffle from `seed` (the config's seed when omitted). */
  reset(seed?: number): void {
    if (seed !== undefined) {
      if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
      this.cfg.seed = seed;
    }
    this.rng = createRng(this.cfg.seed);
    this.params = initParams(this.rng);
    this.backup.set(this.params.data);
    this.order = identityOrder(this.train.count);
    this.epoch = 1;
    this.batch = 0;
    this.batchesDone = 0;
    this.finished = false;
    this.diverged = false;
    this.startEpoch();
  }

  /**
   * Changes settings that shape a run (batch size, epochs, softmax, seed) and resets. Use before a run;
   * the learning rate and the weight decay can change mid-run with setLearningRate and setWeightDecay.
   */
  configure(patch: Partial<TrainConfig>): void {
    const next = { ...this.cfg, ...patch };
    const problem = validateConfig(next);
    if (problem) throw new RangeError(problem);
    if (next.batchSize > this.kernels.maxBatch) throw new RangeError(`batch size ${next.batchSize} exceeds the kernels' maximum ${this.kernels.maxBatch}`);
    this.cfg = next;
    this.reset();
  }

  /** Sets the learning rate used from the next batch on. */
  setLearningRate(lr: number): void {
    const problem = validateLearningRate(lr);
    if (problem) throw new RangeError(problem);
    this.cfg.lr = lr;
  }

  /** Sets the weight decay λ used from the next batch on. */
  setWeightDecay(weightDecay: number): void {
    const problem = validateWeightDecay(weightDecay);
    if (problem) throw new RangeError(problem);
    this.cfg.weightDecay = weightDecay;
  }

  /** Where the run is. */
  get position(): TrainerPosition {
    return {
      epoch: this.epoch,
      batch: this.batch,
      batchesPerEpoch: batchCount(this.train.count, this.cfg.batchSize),
      batchesDone: this.batchesDone,
      finished: this.finished,
      diverged: this.diverged,
    };
  }

  /** True when no more batches will run (all epochs done, or diverged). */
  get stopped(): boolean {
    return this.finished || this.diverged;
  }

  private startEpoch(): void {
    shuffleOrder(this.rng, this.order);
    this.lossSum = 0;
    this.correctSum = 0;
    this.seen = 0;
    this.elapsed = 0;
  }

  /**
   * Runs one minibatch: forward, loss, backward, SGD. Returns the events it produced: a batch event,
   * plus an epoch event at the end of an epoch, plus done after the last, or a diverged event.
   */
  step(): TrainerEvent[] {
    if (this.stopped) return [];
    const t0 = this.now();
    const { batchSize, lr, softmax, weightDecay } = this.cfg;
    const nb = batchCount(this.train.count, batchSize);
    const start = this.batch * batchSize;
    const n = Math.min(batchSize, this.train.count - start);
    // Backends with their own copy of the weights fuse the update into the batch (no gradient round trip).
    const stats = this.kernels.trainBatch
      ? this.kernels.trainBatch(this.params.data, this.train, this.order, start, n, softmax, lr, weightDecay)
      : this.trainByGradient(start, n, softmax, lr, weightDecay);
    const loss = stats.lossSum / n;
    const epochAtBatch = this.epoch;
    const batchAtBatch = this.batch;
    if (stats.outcome !== 'updated') {
      return [this.diverge(epochAtBatch, batchAtBatch, loss, lr, start, n, stats.outcome === 'weights' ? 'weights' : 'loss')];
    }
    this.lossSum += stats.lossSum;
    this.correctSum += stats.correct;
    this.seen += n;
    this.batch++;
    this.batchesDone++;
    const events: TrainerEvent[] = [{
      kind: 'batch', epoch: epochAtBatch, batch: batchAtBatch, batchesPerEpoch: nb,
      epochProgress: epochAtBatch - 1 + this.batch / nb, loss, acc: stats.correct / n, lr, weightDecay, size: n,
    }];
    if (this.batch === nb) {
      const testAcc = evaluateAccuracy(this.kernels, this.params.data, this.test);
      this.elapsed += this.now() - t0;
      events.push({
        kind: 'epoch', epoch: epochAtBatch, trainLoss: this.lossSum / this.seen, trainAcc: this.correctSum / this.seen,
        testAcc, seconds: this.elapsed / 1000,
      });
      if (this.epoch === this.cfg.epochs) {
        this.finished = true;
        events.push({ kind: 'done', epochs: this.epoch });
      } else {
        this.epoch++;
        this.batch = 0;
        this.startEpoch();
      }
    } else {
      this.elapsed += this.now() - t0;
    }
    return events;
  }

  /**
   * One batch as d2l writes it: the gradient (with n λ W from the penalty when λ > 0), then sgd; the
   * parameters change only when all is finite.
   */
  private trainByGradient(start: number, n: number, softmax: SoftmaxVariant, lr: number, weightDecay: number): StepStats {
    const stats = this.kernels.batchGradient(this.params.data, this.grad, this.train, this.order, start, n, softmax, weightDecay);
    if (!Number.isFinite(stats.lossSum)) return { ...stats, outcome: 'loss' };
    if (!allFinite(this.grad)) return { ...stats, outcome: 'gradient' };
    this.backup.set(this.params.data);
    if (!sgdStep(this.params.data, this.grad, lr, n)) {
      this.params.data.set(this.backup);
      return { ...stats, outcome: 'weights' };
    }
    return { ...stats, outcome: 'updated' };
  }

  /** Stops the run; `what` went non-finite: the batch's loss (or gradient), or the weights after the update. */
  private diverge(epoch: number, batch: number, loss: number, lr: number, start: number, n: number, what: 'loss' | 'weights'): DivergedEvent {
    this.diverged = true;
    const maxLogit = batchMaxLogit(this.kernels, this.params.data, this.train, this.order, start, n);
    const message = divergenceMessage({ what, epoch, batch, loss, lr, maxLogit, softmax: this.cfg.softmax });
    return { kind: 'diverged', epoch, batch, loss, lr, maxLogit, message };
  }

  /** Runs batches until the current epoch ends (or the run stops); returns all events. */
  runEpoch(): TrainerEvent[] {
    const events: TrainerEvent[] = [];
    const epoch = this.epoch;
    while (!this.stopped && this.epoch === epoch) events.push(...this.step());
    return events;
  }

  /** A copy of the parameters: W (D, K) row-major, then b (K). */
  weights(): Float32Array {
    return this.params.data.slice();
  }

  /** Replaces the parameters (e.g. an opened model) and resets the run position to the start. */
  loadWeights(data: Float32Array): void {
    if (data.length !== NUM_PARAMS) throw new RangeError(`expected ${NUM_PARAMS} parameters, got ${data.length}`);
    if (!allFinite(data)) throw new RangeError('parameters contain NaN or Infinity');
    this.reset();
    this.params.data.set(data);
    this.backup.set(data);
  }

  /** Test accuracy with the current weights. */
  testAccuracy(): number {
    return evaluateAccuracy(this.kernels, this.params.data, this.test);
  }

  /** Class probabilities (n, K) for n inputs x (n, D) in [0, 1], with the current weights (stable softmax). */
  predict(x: Float32Array, n = x.length / D): Float32Array {
    return predictProbabilities(this.kernels, this.params.data, x, n);
  }
}

/** exp(x) overflows float32 for x above ln(3.4028235e38) = 88.72: d2l's "softmax revisited". */
export const EXP_OVERFLOW_FLOAT32 = 88.72;

/**
 * The largest logit of examples order[start .. start+n) of `ds` under `params` (NaN logits are left out;
 * -Infinity for an empty batch). For the diverged message only: it allocates a 256-row scratch each call.
 */
export function batchMaxLogit(kernels: Kernels, params: Float32Array, ds: Dataset, order: Uint32Array | null, start: number, n: number): number {
  const rows = Math.min(n, 256);
  const x = new Float32Array(rows * D); // (rows, D)
  const y = new Uint8Array(rows); // (rows)
  const logits = new Float32Array(rows * K); // (rows, K)
  let max = -Infinity;
  for (let s = 0; s < n; s += rows) {
    const m = Math.min(rows, n - s);
    gatherBatch(ds, order, start + s, m, x, y);
    kernels.logits(params, x, m, logits);
    for (let i = 0; i < m * K; i++) if (logits[i] > max) max = logits[i];
  }
  return max;
}

/** What {@link divergenceMessage} explains. */
export interface Divergence {
  /** What went non-finite: the batch's loss (or its gradient), or the weights after the SGD update. */
  what: 'loss' | 'weights';
  epoch: number;
  /** 0-based. */
  batch: number;
  loss: number;
  lr: number;
  maxLogit: number;
  softmax: SoftmaxVariant;
}

/**
 * Why a run diverged, in the chapter's words, and what to try. Starts with "… at epoch e, batch b" (the
 * window's status line cuts that part, having said it already).
 */
export function divergenceMessage(d: Divergence): string {
  const where = `at epoch ${d.epoch}, batch ${d.batch + 1}`;
  const logit = `The largest logit of the batch was ${formatLogit(d.maxLogit)}`;
  const smaller = `a smaller learning rate than ${d.lr}`;
  const stable = 'the stable softmax, which subtracts the row max before exp and takes the loss from the logits by log-sum-exp';
  if (d.what === 'weights') {
    return `weights overflowed ${where}: the update lr × gradient went past the largest float32 (3.4e38). ${logit}. Try ${smaller}.`;
  }
  const became = Number.isFinite(d.loss) ? `the gradient became NaN ${where}` : `loss became ${Number.isNaN(d.loss) ? 'NaN' : d.loss} ${where}`;
  if (!Number.isFinite(d.maxLogit)) {
    return `${became}: a logit itself overflowed float32 (above 3.4e38), so no softmax can use it. ${logit}. Try ${smaller}.`;
  }
  if (d.softmax === 'naive' && d.maxLogit > EXP_OVERFLOW_FLOAT32) {
    return `${became}: exp overflows float32 for a logit above about 88, so exp / rowsum became ∞/∞ = NaN. ${logit}. ` +
      `Try ${smaller}, or ${stable}.`;
  }
  if (d.softmax === 'naive') {
    return `${became}: the label's probability exp / rowsum underflowed to 0, and -log 0 = ∞. ${logit}. Try ${smaller}, or ${stable}.`;
  }
  return `${became}. ${logit}. Try ${smaller}.`;
}

function formatLogit(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e6 ? v.toExponential(2) : v.toFixed(1);
}

/** Class probabilities (n, K) of n inputs x (n, D) under `params`, via the stable softmax. */
export function predictProbabilities(kernels: Kernels, params: Float32Array, x: Float32Array, n = x.length / D): Float32Array {
  if (!Number.isInteger(n) || x.length < n * D) throw new RangeError(`x must hold n*${D} floats`);
  const logits = new Float32Array(n * K);
  kernels.logits(params, x, n, logits);
  const probs = new Float32Array(n * K);
  softmaxStable(logits, n, K, probs);
  return probs;
}

/** One row of train_ch3's output. */
export interface EpochSummary {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
  seconds: number;
}

/**
 * d2l's train_ch3 in one call: trains for config.epochs and returns the per-epoch numbers, stopping
 * early on divergence. `onEvent` sees every event (e.g. to draw a progress bar).
 */
export function trainCh3(opts: TrainerOptions, onEvent?: (e: TrainerEvent) => void): { epochs: EpochSummary[]; trainer: Trainer; diverged: DivergedEvent | null } {
  const trainer = new Trainer(opts);
  const epochs: EpochSummary[] = [];
  let diverged: DivergedEvent | null = null;
  while (!trainer.stopped) {
    for (const e of trainer.step()) {
      onEvent?.(e);
      if (e.kind === 'epoch') epochs.push({ epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, testAcc: e.testAcc, seconds: e.seconds });
      if (e.kind === 'diverged') diverged = e;
    }
  }
  return { epochs, trainer, diverged };
}

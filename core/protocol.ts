// The messages between a trainer client and the training process (an Electron utility process or a
// browser Web Worker), as discriminated unions on `kind`, and the run record a session keeps. Types only.
// They live in core/ because the session that answers them is pure core code; common/contract.ts holds
// the zod schemas, which a compile-time check ties to these types exactly.

import type { DatasetFileName } from './dataset-files';
import type { SweepResult } from './sweep';
import type { TrainConfig, BatchEvent, EpochEvent, EpochSummary, DivergedEvent, TrainerPosition } from './train';

export type { SweepResult } from './sweep';

export { DATASET_FILES, type DatasetFileName } from './dataset-files';

/** Where the training process should get the dataset. */
export type DatasetSource =
  /** The usual search: configured folder, cache, system package, then download. */
  | { kind: 'default' }
  /**
   * A folder the user picked in main's dialog (utility process only), named by the opaque grant main
   * issued for it: the training process never reads a folder the user did not choose.
   */
  | { kind: 'dir'; grant: string }
  /** The four files' bytes (gzipped or not), e.g. picked in a browser. */
  | { kind: 'bytes'; files: Partial<Record<DatasetFileName, Uint8Array>> };

/**
 * What a run is doing: 'loading' until a dataset is attached, then the run's state machine (see
 * RUN_TRANSITIONS in core/session.ts): idle → training ⇄ paused → done | diverged | stopped → idle.
 */
export type RunState = 'loading' | 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'stopped';

/** How a recorded run ended; 'running' while it goes on (a checkpoint), 'crashed' when its process died. */
export type RunOutcome = 'running' | 'done' | 'diverged' | 'stopped' | 'crashed';

/** One learning-rate change during a run. */
export interface LrChange {
  /** Batches run before the change took effect. */
  batchesDone: number;
  /** Position as a fractional epoch count. */
  epochProgress: number;
  /** The learning rate before, and from then on. */
  from: number;
  to: number;
}

/** One weight-decay change during a run: the same fields, `from` and `to` being the λ before and after. */
export type WeightDecayChange = LrChange;

/** A per-batch point kept in a run record (sampled: at most MAX_RECORD_BATCHES per run). */
export interface RecordedBatch {
  epochProgress: number;
  loss: number;
  acc: number;
  lr: number;
  /** The weight decay λ of the batch (0 in records written before weight decay existed). */
  weightDecay: number;
}

/**
 * Everything about one run, kept by the session that ran it and sent when it ends for any reason (and as
 * a checkpoint at each epoch end, so a crash loses at most one epoch). Stored by the side that stores
 * runs: main's run store in Electron, browser storage on the web.
 */
export interface RunRecord {
  /** Stable id (also its file name): letters, digits, - and _. */
  id: string;
  /** When it started and when it ended (null while running), ISO 8601. */
  startedAt: string;
  endedAt: string | null;
  /** The configuration it started with (lr = the starting learning rate). */
  config: TrainConfig;
  /** Learning-rate changes made while it ran, in order. */
  lrChanges: LrChange[];
  /** Weight-decay changes made while it ran, in order (none in records written before weight decay existed). */
  wdChanges: WeightDecayChange[];
  /** Per-epoch numbers. */
  epochs: EpochSummary[];
  /** Sampled per-batch points, in order (every batch for short runs, evenly thinned for long ones). */
  batches: RecordedBatch[];
  /** Batches run in all. */
  batchesDone: number;
  /** The last completed epoch's numbers, or null when none completed. */
  final: { trainLoss: number; trainAcc: number; testAcc: number } | null;
  /** How it ended. */
  outcome: RunOutcome;
  /** Why it ended, in words, for diverged, stopped and crashed runs; null otherwise. */
  note: string | null;
}

/** Where a sweep is. */
export interface SweepStatus {
  /** Which sweep of this session (1, 2, …), so a view can tell an old sweep's points from the new one's. */
  sweep: number;
  /** 'running' until it ends: 'done' after its last run, 'stopped' when stopped or cut short. */
  state: 'running' | 'done' | 'stopped';
  /** What it sweeps, as asked (the session's value where a list was not given), and the epochs of each run. */
  learningRates: number[];
  batchSizes: number[];
  epochs: number;
  /** Runs in the sweep (learning rates × batch sizes), and runs finished. */
  runs: number;
  finished: number;
  /** The run under way: its index (0-based), configuration and fractional epoch; null between runs and once ended. */
  current: { run: number; config: TrainConfig; epochProgress: number } | null;
  /** Why it stopped, in words; null otherwise. */
  note: string | null;
}

/** Host → training process. */
export type ToTrainer =
  /** Load (or reload) the dataset. */
  | { kind: 'loadDataset'; source: DatasetSource }
  /** Start a new run with this config (weights re-initialised from its seed), or resume when paused. */
  | { kind: 'start'; config?: Partial<TrainConfig> }
  /** Pause after the current batch. */
  | { kind: 'pause' }
  /** Continue a paused run. */
  | { kind: 'resume' }
  /** Run exactly one batch (from idle or paused), then stay paused. */
  | { kind: 'step' }
  /** Run the batches left in the current epoch (from idle or paused) at full speed, then pause. */
  | { kind: 'stepEpoch' }
  /** End the run; weights are kept. */
  | { kind: 'stop' }
  /** Re-initialise the weights from `seed` (the config's seed when omitted); the run goes back to idle. */
  | { kind: 'reset'; seed?: number }
  /**
   * Change the learning rate from the next batch on (allowed while training). `commit: false` marks a
   * value passed during a gesture (a slider being dragged): applied, but not recorded; the next committed
   * change records one lr change, from the rate before the gesture, at the batch where the gesture began.
   */
  | { kind: 'setLearningRate'; lr: number; commit?: boolean }
  /** Change the weight decay λ from the next batch on (allowed while training), with the same `commit` as setLearningRate. */
  | { kind: 'setWeightDecay'; weightDecay: number; commit?: boolean }
  /** Change run-shaping settings (batch size, epochs, softmax, seed); resets the run. */
  | { kind: 'configure'; patch: Partial<Omit<TrainConfig, 'lr'>> & { lr?: number } }
  /** Limit the pace so a person can watch (batches per second), or null for as fast as possible. */
  | { kind: 'setPace'; batchesPerSecond: number | null }
  /**
   * Run a sweep (core/sweep.ts): the session's run (its seed, softmax, and learning rate or batch size
   * where not swept) once for every learning rate × batch size, `epochs` each, one after another at full
   * speed, in the session's time slices. The session's own run and weights are left as they were; while
   * the sweep runs, commands that would move them are refused. Answered by sweepProgress and sweepPoint.
   */
  | { kind: 'sweep'; learningRates?: number[]; batchSizes?: number[]; epochs: number }
  /** Stop the sweep under way after the current batch (the run it was in gives no point). */
  | { kind: 'stopSweep' }
  /** A request that gets exactly one `reply` with the same id. */
  | { kind: 'request'; id: number; request: TrainerRequest };

/** Requests answered with a reply. */
export type TrainerRequest =
  /** Class probabilities (n, 10) for n images x (n, 784) in [0, 1]. */
  | { kind: 'predict'; x: Float32Array; n: number }
  /** A copy of the parameters: W (784, 10) row-major then b (10). */
  | { kind: 'getWeights' }
  /** Replace the parameters (an opened model); the run goes to idle. */
  | { kind: 'loadWeights'; weights: Float32Array }
  /** The current model's predicted class for every test image, with the true labels. */
  | { kind: 'testPredictions' }
  /** Test images (pixels 0..255) and labels at the given indices. */
  | { kind: 'testExamples'; indices: number[] }
  /** The epochs completed so far in this run, and the config. */
  | { kind: 'runSummary' }
  /**
   * What a run report needs from the training process: the test set's class probabilities under
   * `weights` (a stored run's kept weights), or under the session's own weights when omitted, with the
   * test images and labels; for the session's own weights also the record of the run they came from.
   */
  | { kind: 'reportData'; weights?: Float32Array };

/** Replies, by request kind. */
export interface TrainerReplies {
  predict: { probs: Float32Array /* (n, 10) */ };
  getWeights: { weights: Float32Array /* (7850) */ };
  loadWeights: { ok: true };
  testPredictions: { predicted: Uint8Array /* (10000) */; labels: Uint8Array /* (10000) */; accuracy: number };
  testExamples: { pixels: Uint8Array /* (n, 784) */; labels: Uint8Array /* (n) */ };
  runSummary: { config: TrainConfig; epochs: Omit<EpochEvent, 'kind'>[]; state: RunState };
  reportData: {
    /** The parameters the probabilities were computed with (7850). */
    weights: Float32Array;
    /** Class probabilities (N, 10) of the test images. */
    probabilities: Float32Array;
    /** True classes (N) and pixels 0..255 (N, 784) of the test images. */
    labels: Uint8Array;
    images: Uint8Array;
    /**
     * The session's weights only: the record of the run they belong to (the run under way, or the one
     * that ended with them); null when they were freshly initialised or opened from a file, and when
     * `weights` were given.
     */
    record: RunRecord | null;
    /** The compute backend of the session's runs, and where the dataset came from. */
    kernel: string;
    dataset: string;
  };
}

/** Any reply payload. */
export type TrainerReply = TrainerReplies[keyof TrainerReplies];

/** Dataset loading progress. */
export interface DatasetProgress {
  /** What is happening now. */
  phase: 'locating' | 'downloading' | 'verifying' | 'parsing';
  /** The file concerned, if any. */
  file?: DatasetFileName;
  /** Bytes done of the current file (downloads). */
  bytes?: number;
  /** Total bytes of the current file, when known. */
  total?: number;
  /** Overall fraction 0..1, when known. */
  fraction?: number;
  /** Where the files come from (a folder path or a URL). */
  from?: string;
}

/** Training process → host. */
export type FromTrainer =
  /** Dataset loading progress. */
  | { kind: 'datasetProgress'; progress: DatasetProgress }
  /** The dataset could not be loaded; `lookedIn` lists every place tried; `help` says how to get the files. */
  | { kind: 'datasetError'; message: string; code: string; lookedIn: string[]; help: string }
  /** The dataset is loaded and a run is ready. */
  | { kind: 'ready'; trainCount: number; testCount: number; source: string; config: TrainConfig; kernel: string }
  /** The run's state, configuration (the lr in use) or pace changed. */
  | { kind: 'state'; state: RunState; position: TrainerPosition; config: TrainConfig; pace: number | null }
  /** Per-batch scalars, coalesced: every batch since the last message, in order. */
  | { kind: 'progress'; batches: Omit<BatchEvent, 'kind'>[] }
  /** An epoch ended. */
  | ({ kind: 'epoch' } & Omit<EpochEvent, 'kind'>)
  /** A weight snapshot (at most ~10 per second while training, and after each state change). */
  | { kind: 'weights'; weights: Float32Array /* (7850) */; epochProgress: number }
  /** The loss became NaN/Infinity: the run stopped; the last finite weights are kept. */
  | ({ kind: 'diverged' } & Omit<DivergedEvent, 'kind'>)
  /** All epochs finished. */
  | { kind: 'done'; epochs: number; trainLoss: number; trainAcc: number; testAcc: number }
  /** A sweep's progress: when it starts, at each run's start and end, a few times a second between, and when it ends. */
  | { kind: 'sweepProgress'; status: SweepStatus }
  /** One finished run of a sweep: its numbers and its record (the curves, to show that run). */
  | { kind: 'sweepPoint'; sweep: number; run: number; result: SweepResult; record: RunRecord }
  /** The run's record: a checkpoint at each epoch end (final: false), and once when it ends (final: true). */
  | { kind: 'run'; record: RunRecord; final: boolean; weights: Float32Array /* (7850): the run's latest finite parameters */ }
  /** A command failed (bad value, wrong state); training carries on where it can. */
  | { kind: 'error'; message: string }
  /** The answer to a request. */
  | { kind: 'reply'; id: number; ok: true; result: TrainerReply }
  | { kind: 'reply'; id: number; ok: false; error: string };

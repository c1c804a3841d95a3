// TrainingSession runs the loop and owns the run: its configuration, its state machine (RUN_TRANSITIONS)
// and its record. It turns ToTrainer messages into Trainer calls (the Trainer runs batches), runs batches
// in short time slices so commands are handled between batches, streams coalesced progress and throttled
// weight snapshots, and emits the run record at every epoch end and once when the run ends for any reason.
// It also runs sweeps (core/sweep.ts) in the same time slices, beside its own run, which waits meanwhile.
// Pure: the trainer host (common/trainer-host.ts) supplies post/schedule/now and the dataset.

import { gatherBatch, type FashionMnist } from './dataset';
import { predictDataset } from './export/report';
import type { Kernels } from './kernels/types';
import { createReferenceKernels } from './kernels/reference';
import { allFinite } from './model';
import type { FromTrainer, LrChange, RunOutcome, RunRecord, RunState, SweepStatus, ToTrainer, TrainerReplies, TrainerRequest } from './protocol';
import { RunRecorder } from './run-recorder';
import { NUM_CLASSES, NUM_INPUTS, NUM_PARAMS } from './shapes';
import { argmaxRow } from './softmax';
import { runSweep, sweepConfigs, type SweepEvent } from './sweep';
import { DEFAULT_CONFIG, LIMITS, predictProbabilities, Trainer, validateConfig, validateLearningRate, validateWeightDecay, type BatchEvent, type EpochEvent, type TrainConfig } from './train';

/** What a session needs from the process it runs in. */
export interface SessionHost {
  /** Sends a message to the host; `transfer` lists buffers that may be moved rather than copied. */
  post(msg: FromTrainer, transfer?: ArrayBuffer[]): void;
  /** Runs `fn` after `delayMs` (0 = next macrotask, after pending messages). */
  schedule(fn: () => void, delayMs: number): void;
  /** Milliseconds, monotonic (performance.now). */
  now(): number;
  /** Milliseconds since 1970 for the run record's timestamps (Date.now when omitted). */
  wallClock?(): number;
}

/**
 * The run's state machine: the states each state may move to. Anything else is a bug in the session and
 * throws. 'loading' → 'idle' when a dataset is attached; any state → 'loading' when loading fails.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  loading: ['idle', 'loading'],
  idle: ['idle', 'training', 'paused', 'loading'],
  training: ['paused', 'done', 'diverged', 'stopped', 'idle', 'loading'],
  paused: ['paused', 'training', 'done', 'diverged', 'stopped', 'idle', 'loading'],
  done: ['idle', 'training', 'paused', 'loading'],
  diverged: ['idle', 'training', 'paused', 'loading'],
  stopped: ['idle', 'training', 'paused', 'loading'],
};

/**
 * The pace the lab's windows start their session with, batches per second: with d2l's recipe (235
 * batches an epoch) the first epoch takes about 12 s, slow enough to watch the loss fall from 2.3.
 * A session created without a pace (tests, tools) runs at full speed.
 */
export const WATCHABLE_PACE = 20;

export { MAX_RECORD_BATCHES } from './run-recorder';

/** Shortest time between two sweepProgress messages while a sweep runs, in ms (besides those at run starts and ends). */
export const SWEEP_PROGRESS_MS = 200;

/** Why the session refuses to move its own run while a sweep runs. */
export const SWEEP_BUSY = 'a sweep is running: stop it first';

/** Rows per predict call when a report's probabilities are computed. */
const REPORT_CHUNK = 1000;

/** A sweep under way: its generator (one batch per next()) and what its progress messages say. */
interface SweepRun {
  events: Generator<SweepEvent, void, void>;
  status: SweepStatus;
  lastPostAt: number;
}

/** Tuning of a session. */
export interface SessionOptions {
  /** Creates compute kernels for a maximum batch size; the reference kernels by default. */
  createKernels?: (maxBatch: number) => Kernels;
  /** Longest stretch of batches between two looks at the message queue, in ms. */
  sliceMs?: number;
  /** Most weight snapshots per second while training. */
  weightsPerSecond?: number;
  /** The configuration the session starts with (defaults: d2l's recipe). */
  config?: Partial<TrainConfig>;
  /** The pace the session starts with, batches per second (null: full speed). */
  pace?: number | null;
}

/** A gesture on a live slider under way: the value before it, and where it began. */
interface Gesture {
  from: number;
  batchesDone: number;
  epochProgress: number;
}

/** The settings a slider changes while a run goes on: how each is checked, recorded in the run record and applied. */
const LIVE_SETTINGS = {
  lr: { validate: validateLearningRate, record: (r: RunRecorder, c: LrChange) => r.addLrChange(c), apply: (t: Trainer, v: number) => t.setLearningRate(v) },
  weightDecay: { validate: validateWeightDecay, record: (r: RunRecorder, c: LrChange) => r.addWdChange(c), apply: (t: Trainer, v: number) => t.setWeightDecay(v) },
} as const;

/** A live setting's key in TrainConfig. */
type LiveSetting = keyof typeof LIVE_SETTINGS;

/** One session per training process. */
export class TrainingSession {
  private readonly host: SessionHost;
  private readonly createKernels: (maxBatch: number) => Kernels;
  private readonly sliceMs: number;
  private readonly weightsIntervalMs: number;
  private data: FashionMnist | null = null;
  private trainer: Trainer | null = null;
  private config: TrainConfig;
  private state: RunState = 'loading';
  private loopScheduled = false;
  private pace: number | null = null; // batches per second, null = unlimited
  private paceStart = 0;
  private paceBatches = 0;
  private lastWeightsAt = -Infinity;
  private epochs: Omit<EpochEvent, 'kind'>[] = [];
  /** The record of the run under way (null between runs), and the run counter. */
  private recorder: RunRecorder | null = null;
  private runCount = 0;
  /** While an epoch step runs: the epoch it ends with (the loop pauses when the next one begins). */
  private epochStep: number | null = null;
  /** While a gesture on a live setting is under way (uncommitted changes): the value before it and where it began. */
  private readonly gestures: Record<LiveSetting, Gesture | null> = { lr: null, weightDecay: null };
  /** The record of the run that ended with the weights the trainer holds now (null once they change). */
  private endedRecord: RunRecord | null = null;
  /** Where the dataset came from (setData's source), for reports. */
  private source = '';
  /** The sweep under way, the sweep counter, and whether its next slice is scheduled. */
  private sweep: SweepRun | null = null;
  private sweepCount = 0;
  private sweepScheduled = false;
  /** Kernels for reports on weights other than the trainer's (created when first needed). */
  private reportKernels: Kernels | null = null;

  constructor(host: SessionHost, opts: SessionOptions = {}) {
    this.host = host;
    this.createKernels = opts.createKernels ?? ((m) => createReferenceKernels(m));
    this.sliceMs = opts.sliceMs ?? 12;
    this.weightsIntervalMs = 1000 / (opts.weightsPerSecond ?? 10);
    const config = { ...DEFAULT_CONFIG, ...opts.config };
    const problem = validateConfig(config);
    this.config = problem ? { ...DEFAULT_CONFIG } : config;
    this.pace = opts.pace ?? null;
  }

  /** The run's state. */
  get runState(): RunState {
    return this.state;
  }

  /** The run's configuration (a copy). */
  get runConfig(): TrainConfig {
    return { ...this.config };
  }

  /** Attaches a loaded dataset (replacing any earlier one) and makes a fresh run ready. */
  setData(data: FashionMnist, source: string): void {
    this.endSweep('stopped', 'the dataset was reloaded');
    this.endRecord('stopped', 'the dataset was reloaded');
    this.endedRecord = null;
    this.data = data;
    this.source = source;
    this.buildTrainer();
    const t = this.trainer as Trainer;
    this.host.post({ kind: 'ready', trainCount: data.train.count, testCount: data.test.count, source, config: { ...this.config }, kernel: t.kernelName });
    this.setState('idle');
    this.postWeights();
  }

  /** Reports the dataset as unavailable: the session goes back to 'loading' until setData. */
  datasetFailed(): void {
    this.endSweep('stopped', 'the dataset could not be loaded');
    this.endRecord('stopped', 'the dataset could not be loaded');
    this.endedRecord = null;
    this.data = null;
    this.trainer = null;
    this.moveTo('loading');
  }

  private buildTrainer(): void {
    if (!this.data) return;
    const maxBatch = Math.min(this.config.batchSize, Math.max(1, this.data.train.count));
    this.trainer = new Trainer({ train: this.data.train, test: this.data.test, config: this.config, kernels: this.createKernels(maxBatch), now: () => this.host.now() });
    this.epochs = [];
  }

  /** Handles one message from the host. Never throws: problems are reported as 'error' or failed replies. */
  handle(msg: ToTrainer): void {
    try {
      this.dispatch(msg);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (msg.kind === 'request') this.host.post({ kind: 'reply', id: msg.id, ok: false, error: message });
      else this.host.post({ kind: 'error', message });
    }
  }

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new Error('the dataset is not loaded yet');
    return this.trainer;
  }

  /** Refuses a command that would move the session's own run while a sweep runs. */
  private requireNoSweep(): void {
    if (this.sweep) throw new Error(SWEEP_BUSY);
  }

  private dispatch(msg: ToTrainer): void {
    switch (msg.kind) {
      case 'loadDataset':
        throw new Error('loadDataset is handled by the host process, not the session');
      case 'sweep':
        return this.startSweep(msg);
      case 'stopSweep':
        this.endSweep('stopped', 'stopped by the user');
        return;
      case 'start': {
        this.requireNoSweep();
        const t = this.requireTrainer();
        if (this.state === 'paused' && !msg.config) return this.resume();
        if (this.state === 'training') return;
        if (msg.config) {
          this.endRecord('stopped', 'a new run was started');
          this.applyConfig(msg.config);
        } else if (this.state !== 'idle') {
          t.reset();
          this.postWeights(); // the new run's start, so views that follow the weights (the change since an epoch) see it
        }
        if (this.state !== 'idle') this.epochs = [];
        this.beginRecord();
        this.run();
        return;
      }
      case 'pause':
        if (this.state === 'training') {
          this.setState('paused');
          this.postWeights();
        }
        return;
      case 'resume':
        this.requireNoSweep();
        return this.resume();
      case 'step': {
        this.beginStep();
        this.setState('paused');
        this.runBatches(1);
        this.postWeights();
        return;
      }
      case 'stepEpoch': {
        const t = this.beginStep();
        // Through the loop, in slices and at full speed: Pause still interrupts it.
        this.run(t.position.epoch);
        return;
      }
      case 'stop': {
        const t = this.requireTrainer();
        if (this.state === 'training' || this.state === 'paused') {
          const ran = t.position.batchesDone > 0;
          this.setState(ran ? 'stopped' : 'idle');
          this.endRecord('stopped', ran ? 'stopped by the user' : null);
          this.postWeights();
        }
        return;
      }
      case 'reset': {
        this.requireNoSweep();
        const t = this.requireTrainer();
        if (msg.seed !== undefined) {
          const problem = validateConfig({ ...this.config, seed: msg.seed });
          if (problem) throw new Error(problem);
          this.config.seed = msg.seed;
        }
        this.endRecord('stopped', 'the run was reset');
        this.endedRecord = null;
        t.reset(this.config.seed);
        this.epochs = [];
        this.setState('idle');
        this.postWeights();
        return;
      }
      case 'setLearningRate':
        this.setLive('lr', msg.lr, msg.commit);
        return;
      case 'setWeightDecay':
        this.setLive('weightDecay', msg.weightDecay, msg.commit);
        return;
      case 'configure': {
        this.requireNoSweep();
        if (this.state === 'training') throw new Error('pause or stop the run before changing its settings');
        this.endRecord('stopped', 'its settings were changed');
        this.endedRecord = null;
        this.applyConfig(msg.patch);
        this.setState(this.trainer ? 'idle' : this.state);
        this.postWeights();
        return;
      }
      case 'setPace': {
        const p = msg.batchesPerSecond;
        if (p !== null && !(Number.isFinite(p) && p > 0)) throw new Error(`pace must be a positive number of batches per second, or null, got ${p}`);
        this.pace = p;
        this.paceStart = this.host.now();
        this.paceBatches = 0;
        this.postState();
        return;
      }
      case 'request':
        return this.answer(msg.id, msg.request);
    }
  }

  /** What Step and Step epoch first check (paused, a run to go on with) and do (open the record): the trainer. */
  private beginStep(): Trainer {
    this.requireNoSweep();
    const t = this.requireTrainer();
    if (this.state === 'training') throw new Error('pause before stepping');
    if (t.stopped) throw new Error(`the run has ${t.position.diverged ? 'diverged' : 'finished'}: reset to start again`);
    if (this.state === 'stopped') throw new Error('the run was stopped: reset or start to begin a new one');
    if (this.state === 'idle') this.beginRecord();
    return t;
  }

  /** A live setting changed (a slider's passing or committed value): checked, followed into the run record, applied from the next batch. */
  private setLive(setting: LiveSetting, value: number, commit: boolean | undefined): void {
    const live = LIVE_SETTINGS[setting];
    const problem = live.validate(value);
    if (problem) throw new Error(problem);
    this.gestures[setting] = this.followGesture(this.gestures[setting], this.config[setting], value, commit, (c) => {
      if (this.recorder) live.record(this.recorder, c);
    });
    this.config[setting] = value;
    if (this.trainer) live.apply(this.trainer, value);
    this.postState();
  }

  /**
   * Records a live setting's change (learning rate, weight decay) going from `before` to `to`. A gesture's
   * passing value (commit: false) is applied but not recorded; the committed value that ends it records one
   * change, from the value before the gesture, at the batch where it began. Returns the gesture still open.
   */
  private followGesture(gesture: Gesture | null, before: number, to: number, commit: boolean | undefined, record: (change: LrChange) => void): Gesture | null {
    const pos = this.trainer?.position;
    if (commit === false) return gesture ?? { from: before, batchesDone: pos?.batchesDone ?? 0, epochProgress: pos ? epochProgressOf(pos) : 0 };
    const from = gesture?.from ?? before;
    if (this.recorder && pos && to !== from) {
      record({ batchesDone: gesture?.batchesDone ?? pos.batchesDone, epochProgress: gesture?.epochProgress ?? epochProgressOf(pos), from, to });
    }
    return null;
  }

  private applyConfig(patch: Partial<TrainConfig>): void {
    const next = { ...this.config, ...patch };
    const problem = validateConfig(next);
    if (problem) throw new Error(problem);
    const rebuild = next.batchSize !== this.config.batchSize;
    this.config = next;
    if (rebuild || !this.trainer) this.buildTrainer();
    else {
      this.trainer.configure(next);
      this.epochs = [];
    }
  }

  private resume(): void {
    const t = this.requireTrainer();
    if (this.state !== 'paused') return;
    if (t.stopped) throw new Error('the run has ended: reset to start again');
    this.run();
  }

  /** Trains in slices; with `untilEpochEnds`, at full speed until that epoch ends, then pauses. */
  private run(untilEpochEnds: number | null = null): void {
    this.epochStep = untilEpochEnds;
    this.paceStart = this.host.now();
    this.paceBatches = 0;
    this.setState('training');
    this.scheduleLoop(0);
  }

  private scheduleLoop(delayMs: number): void {
    if (this.loopScheduled) return;
    this.loopScheduled = true;
    this.host.schedule(() => {
      this.loopScheduled = false;
      this.loop();
    }, delayMs);
  }

  /** One slice: batches until the slice's time is up (or the pace says wait), then yield to messages. */
  private loop(): void {
    if (this.state !== 'training') return;
    const t0 = this.host.now();
    let budget = Infinity;
    if (this.pace !== null && this.epochStep === null) {
      const due = Math.floor(((t0 - this.paceStart) / 1000) * this.pace) + 1 - this.paceBatches;
      if (due <= 0) {
        this.scheduleLoop(Math.max(1, Math.ceil(((this.paceBatches) / this.pace) * 1000 - (t0 - this.paceStart))));
        return;
      }
      budget = due;
    }
    const batches: Omit<BatchEvent, 'kind'>[] = [];
    let ran = 0;
    let epochStepped = false;
    while (this.state === 'training' && ran < budget && this.host.now() - t0 < this.sliceMs) {
      this.runBatches(1, batches);
      ran++;
      if (this.epochStep !== null && this.state === 'training' && this.requireTrainer().position.epoch !== this.epochStep) {
        epochStepped = true;
        break;
      }
    }
    this.paceBatches += ran;
    if (batches.length > 0) this.host.post({ kind: 'progress', batches });
    if (epochStepped) {
      this.epochStep = null;
      this.setState('paused');
      this.postWeights();
      return;
    }
    if (this.state === 'training') {
      if (this.host.now() - this.lastWeightsAt >= this.weightsIntervalMs) this.postWeights();
      this.scheduleLoop(0);
    }
  }

  /** Runs up to `count` batches, posting epoch/diverged/done as they happen. */
  private runBatches(count: number, collect?: Omit<BatchEvent, 'kind'>[]): void {
    const t = this.requireTrainer();
    const pending: Omit<BatchEvent, 'kind'>[] = collect ?? [];
    for (let i = 0; i < count && !t.stopped; i++) {
      for (const e of t.step()) {
        if (e.kind === 'batch') {
          const { kind: _k, ...rest } = e;
          pending.push(rest);
          this.recorder?.add(e);
        } else {
          if (pending.length > 0) {
            // keep order: the batches that led to this event go first
            this.host.post({ kind: 'progress', batches: pending.splice(0) });
          }
          if (e.kind === 'epoch') {
            const { kind: _k, ...rest } = e;
            this.epochs.push(rest);
            this.host.post({ kind: 'epoch', ...rest });
            if (this.recorder) {
              this.recorder.add(e);
              // A checkpoint: a crash of the process now loses at most the epoch under way.
              this.host.post({ kind: 'run', record: this.recorder.snapshot(), final: false, weights: this.requireTrainer().weights() });
            }
          } else if (e.kind === 'diverged') {
            const { kind: _k, ...rest } = e;
            this.host.post({ kind: 'diverged', ...rest });
            this.setState('diverged');
            this.endRecord('diverged', rest.message);
            this.postWeights();
          } else {
            const last = this.epochs[this.epochs.length - 1];
            this.host.post({ kind: 'done', epochs: e.epochs, trainLoss: last.trainLoss, trainAcc: last.trainAcc, testAcc: last.testAcc });
            this.setState('done');
            this.endRecord('done', null);
            this.postWeights();
          }
        }
      }
    }
    if (!collect && pending.length > 0) this.host.post({ kind: 'progress', batches: pending });
  }

  /** Moves the state machine; a move RUN_TRANSITIONS does not allow is a bug and throws. */
  private moveTo(state: RunState): void {
    if (!RUN_TRANSITIONS[this.state].includes(state)) throw new Error(`internal error: the run cannot go from ${this.state} to ${state}`);
    this.state = state;
  }

  private setState(state: RunState): void {
    if (state !== 'training') this.epochStep = null;
    this.moveTo(state);
    this.postState();
  }

  private postState(): void {
    if (!this.trainer) return;
    this.host.post({ kind: 'state', state: this.state, position: this.trainer.position, config: { ...this.config }, pace: this.pace });
  }

  /** Opens the record of a run that is about to run its first batch. */
  private beginRecord(): void {
    if (this.recorder) return;
    this.endedRecord = null;
    this.gestures.lr = null;
    this.gestures.weightDecay = null;
    this.runCount++;
    const startedAt = new Date(this.wallClock()).toISOString();
    this.recorder = new RunRecorder(this.config, startedAt, `run-${startedAt.replace(/[^0-9]/g, '').slice(0, 17)}-${this.runCount}`);
  }

  /** Ends the record of the run under way (if it ran any batch) and emits it; a no-op between runs. */
  private endRecord(outcome: Exclude<RunOutcome, 'running' | 'crashed'>, note: string | null): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (!recorder || recorder.batchesDone === 0) return;
    const record = recorder.snapshot(new Date(this.wallClock()).toISOString(), outcome, note);
    this.endedRecord = record;
    // The weights the run ended with (the last finite ones when it diverged): called before anything
    // replaces them (reset, a new configuration, an opened model).
    this.host.post({ kind: 'run', record, final: true, weights: this.requireTrainer().weights() });
  }

  private wallClock(): number {
    return this.host.wallClock ? this.host.wallClock() : Date.now();
  }

  private postWeights(): void {
    if (!this.trainer) return;
    this.lastWeightsAt = this.host.now();
    const weights = this.trainer.weights();
    this.host.post({ kind: 'weights', weights, epochProgress: epochProgressOf(this.trainer.position) }, [weights.buffer as ArrayBuffer]);
  }

  private answer(id: number, req: TrainerRequest): void {
    const t = this.requireTrainer();
    const reply = <K extends keyof TrainerReplies>(result: TrainerReplies[K], transfer?: ArrayBuffer[]): void =>
      this.host.post({ kind: 'reply', id, ok: true, result }, transfer);
    switch (req.kind) {
      case 'predict': {
        if (!Number.isInteger(req.n) || req.n < 0 || req.x.length !== req.n * NUM_INPUTS) throw new Error(`predict needs n*784 inputs, got ${req.x.length} for n=${req.n}`);
        for (let i = 0; i < req.x.length; i++) if (!Number.isFinite(req.x[i])) throw new Error('predict inputs must be finite numbers');
        const probs = t.predict(req.x, req.n);
        return reply<'predict'>({ probs }, [probs.buffer as ArrayBuffer]);
      }
      case 'getWeights': {
        const weights = t.weights();
        return reply<'getWeights'>({ weights }, [weights.buffer as ArrayBuffer]);
      }
      case 'loadWeights': {
        this.requireNoSweep();
        if (this.state === 'training') throw new Error('pause or stop the run before loading a model');
        this.endRecord('stopped', 'a model was opened');
        this.endedRecord = null;
        t.loadWeights(req.weights);
        this.epochs = [];
        this.setState('idle');
        this.postWeights();
        return reply<'loadWeights'>({ ok: true });
      }
      case 'testPredictions': {
        const { predicted, accuracy } = predictTestSet(t);
        return reply<'testPredictions'>({ predicted, labels: t.test.labels.slice(), accuracy }, [predicted.buffer as ArrayBuffer]);
      }
      case 'testExamples': {
        const n = req.indices.length;
        if (n > LIMITS.maxPredictRows) throw new Error(`ask for at most ${LIMITS.maxPredictRows} examples at once`);
        const pixels = new Uint8Array(n * NUM_INPUTS);
        const labels = new Uint8Array(n);
        req.indices.forEach((i, r) => {
          if (!Number.isInteger(i) || i < 0 || i >= t.test.count) throw new Error(`test index ${i} is out of range 0..${t.test.count - 1}`);
          pixels.set(t.test.images.subarray(i * NUM_INPUTS, (i + 1) * NUM_INPUTS), r * NUM_INPUTS);
          labels[r] = t.test.labels[i];
        });
        return reply<'testExamples'>({ pixels, labels }, [pixels.buffer as ArrayBuffer]);
      }
      case 'runSummary':
        return reply<'runSummary'>({ config: { ...this.config }, epochs: this.epochs.slice(), state: this.state });
      case 'reportData': {
        const own = req.weights === undefined;
        const weights = req.weights === undefined ? t.weights() : req.weights.slice();
        if (weights.length !== NUM_PARAMS) throw new Error(`a report needs ${NUM_PARAMS} parameters, got ${weights.length}`);
        if (!allFinite(weights)) throw new Error('the weights contain NaN or Infinity (a diverged model): no report of its predictions');
        const kernels = own ? null : (this.reportKernels ??= this.createKernels(REPORT_CHUNK));
        const probabilities = predictDataset((x, n) => (kernels ? predictProbabilities(kernels, weights, x, n) : t.predict(x, n)), t.test, REPORT_CHUNK);
        const running = this.recorder && this.recorder.batchesDone > 0 ? this.recorder.snapshot() : null;
        const record = own ? running ?? this.endedRecord : null;
        const labels = t.test.labels.slice();
        const images = t.test.images.slice();
        return reply<'reportData'>({ weights, probabilities, labels, images, record, kernel: t.kernelName, dataset: this.source },
          [probabilities.buffer as ArrayBuffer, images.buffer as ArrayBuffer, labels.buffer as ArrayBuffer]);
      }
    }
  }

  // ---- sweeps ----

  /** Starts a sweep over the session's configuration; bad plans are refused with the sweep's own words. */
  private startSweep(msg: Extract<ToTrainer, { kind: 'sweep' }>): void {
    const data = this.data;
    this.requireTrainer();
    if (!data) throw new Error('the dataset is not loaded yet');
    if (this.sweep) throw new Error('a sweep is already running: stop it before starting another');
    if (this.state === 'training') throw new Error('pause or stop the run before a sweep');
    const base = { ...this.config, epochs: msg.epochs };
    const problem = validateConfig(base);
    if (problem) throw new Error(problem);
    const learningRates = msg.learningRates ?? [base.lr];
    const batchSizes = msg.batchSizes ?? [base.batchSize];
    const configs = sweepConfigs({ base, learningRates, batchSizes });
    const events = runSweep({
      train: data.train, test: data.test, configs, createKernels: this.createKernels, now: () => this.host.now(), wallClock: () => this.wallClock(),
    });
    this.sweep = {
      events,
      status: { sweep: ++this.sweepCount, state: 'running', learningRates: learningRates.slice(), batchSizes: batchSizes.slice(), epochs: base.epochs, runs: configs.length, finished: 0, current: null, note: null },
      lastPostAt: -Infinity,
    };
    this.postSweepStatus();
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    this.host.schedule(() => {
      this.sweepScheduled = false;
      this.sweepSlice();
    }, 0);
  }

  /** One slice of the sweep: batches until the slice's time is up, then yield to messages. */
  private sweepSlice(): void {
    const sweep = this.sweep;
    if (!sweep) return;
    const t0 = this.host.now();
    const status = sweep.status;
    while (this.sweep === sweep && this.host.now() - t0 < this.sliceMs) {
      const next = sweep.events.next();
      if (next.done) {
        this.endSweep('done', null);
        return;
      }
      const e = next.value;
      if (e.kind === 'runStarted') {
        status.current = { run: e.run, config: e.config, epochProgress: 0 };
        this.postSweepStatus();
      } else if (e.kind === 'trainer') {
        if (e.event.kind === 'batch' && status.current) status.current.epochProgress = e.event.epochProgress;
      } else {
        status.finished = e.run + 1;
        status.current = null;
        this.host.post({ kind: 'sweepPoint', sweep: status.sweep, run: e.run, result: e.result, record: e.record });
        this.postSweepStatus();
      }
    }
    if (this.sweep !== sweep) return;
    if (this.host.now() - sweep.lastPostAt >= SWEEP_PROGRESS_MS) this.postSweepStatus();
    this.scheduleSweep();
  }

  /** Ends the sweep under way (a no-op when none runs) and says how. */
  private endSweep(state: 'done' | 'stopped', note: string | null): void {
    const sweep = this.sweep;
    if (!sweep) return;
    this.sweep = null;
    sweep.events.return();
    sweep.status.state = state;
    sweep.status.current = null;
    sweep.status.note = note;
    this.postSweepStatus(sweep);
  }

  private postSweepStatus(sweep = this.sweep): void {
    if (!sweep) return;
    sweep.lastPostAt = this.host.now();
    const s = sweep.status;
    this.host.post({ kind: 'sweepProgress', status: { ...s, learningRates: s.learningRates.slice(), batchSizes: s.batchSizes.slice(), current: s.current && { ...s.current, config: { ...s.current.config } } } });
  }
}

/** A position as a fractional epoch count (2.5 = halfway through epoch 3). */
function epochProgressOf(pos: { epoch: number; batch: number; batchesPerEpoch: number }): number {
  return pos.batchesPerEpoch > 0 ? pos.epoch - 1 + pos.batch / pos.batchesPerEpoch : 0;
}

/** Predicted class of every test image under the trainer's current weights. */
function predictTestSet(t: Trainer): { predicted: Uint8Array; accuracy: number } {
  const n = t.test.count;
  const predicted = new Uint8Array(n);
  const chunk = 500;
  const x = new Float32Array(chunk * NUM_INPUTS); // (chunk, D)
  const y = new Uint8Array(chunk); // (chunk)
  let correct = 0;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    gatherBatch(t.test, null, s, m, x, y);
    const probs = t.predict(x.subarray(0, m * NUM_INPUTS), m); // (m, K)
    for (let r = 0; r < m; r++) {
      predicted[s + r] = argmaxRow(probs, r, NUM_CLASSES);
      if (predicted[s + r] === y[r]) correct++;
    }
  }
  return { predicted, accuracy: n === 0 ? 0 : correct / n };
}

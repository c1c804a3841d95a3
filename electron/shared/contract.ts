// The one typed contract of Softmax Lab (after GitHub Desktop's ipc-shared.ts): what the renderer can
// ask (`LabApi`, exposed as window.api by the Electron preload and by the web bridge alike), the IPC
// channels between renderer and main with their signatures, the events the renderer hears, and the
// messages to and from the training process (re-exported from core/protocol). Types and validators only.

import { z } from 'zod';
import type { FromTrainer, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunState, ToTrainer } from '../../core/protocol';
import type { TrainConfig } from '../../core/train';
import type { ModelFile, ModelMetrics } from '../../core/model-file';

export type { FromTrainer, ToTrainer, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunState, TrainConfig, ModelFile, ModelMetrics };

/** Call this to stop listening. */
export type Unsubscribe = () => void;

/** The training process went away unexpectedly. */
export interface TrainerCrashed {
  kind: 'crashed';
  /** Why, in words (e.g. "the training process crashed (exit code 139)"). */
  reason: string;
  /** Exit code, when known. */
  exitCode: number | null;
}

/** Everything the renderer hears: the training process's messages (minus request replies) and crashes. */
export type LabEvent = Exclude<FromTrainer, { kind: 'reply' }> | TrainerCrashed;

/** A saved run in the history. */
export type RunRecord = {
  /** Stable id (also its file name). */
  id: string;
  /** When it ended, ISO 8601. */
  endedAt: string;
  /** The run's config at its end (lr = the last one used). */
  config: TrainConfig;
  /** Per-epoch numbers. */
  epochs: { epoch: number; trainLoss: number; trainAcc: number; testAcc: number; seconds: number }[];
  /** How it ended. */
  outcome: 'done' | 'stopped' | 'diverged';
  /** Diverged runs: the message; others: null. */
  note: string | null;
};

/** An entry of the run history: a readable run, or a file that could not be read. */
export type RunListEntry = { ok: true; run: RunRecord } | { ok: false; id: string; error: string };

/** Result of a save dialog. */
export type SaveResult = { saved: true; path: string } | { saved: false; reason: 'cancelled' | 'error'; message?: string };

/** Result of an open dialog: the validated model, or why not. */
export type OpenResult = { opened: true; path: string; model: ModelFile } | { opened: false; reason: 'cancelled' | 'error'; message?: string };

/**
 * What the renderer can do: window.api. Implemented by the Electron preload (IPC + a MessagePort to the
 * utility process) and by the web bridge (a Web Worker). Verbs, not channels; subscriptions return an
 * unsubscribe function; no Electron object ever reaches the renderer.
 */
export interface LabApi {
  /** Which host implements this. */
  readonly platform: 'electron' | 'web';
  /** Hears every training-process event and crashes. */
  onEvent(listener: (event: LabEvent) => void): Unsubscribe;
  /** Starts a run (or resumes a paused one when no config is given). */
  startTraining(config?: Partial<TrainConfig>): void;
  /** Pauses after the current batch. */
  pause(): void;
  /** Resumes a paused run. */
  resume(): void;
  /** Runs one batch. */
  step(): void;
  /** Ends the run, keeping the weights. */
  stop(): void;
  /** Re-initialises the weights from a seed. */
  reset(seed?: number): void;
  /** Sets the learning rate from the next batch on. */
  setLearningRate(lr: number): void;
  /** Changes batch size, epochs, softmax or seed (resets the run). */
  configure(patch: Partial<TrainConfig>): void;
  /** Caps the pace in batches per second (null: as fast as possible). */
  setPace(batchesPerSecond: number | null): void;
  /** Sends a request to the training process and resolves with its reply. */
  request<K extends TrainerRequest['kind']>(request: Extract<TrainerRequest, { kind: K }>): Promise<TrainerReplies[K]>;
  /** (Re)loads the dataset from the given source (default search when omitted). */
  loadDataset(source?: DatasetSource): void;
  /** Lets the user pick a folder holding the four files (Electron); null when cancelled or unsupported. */
  pickDatasetFolder(): Promise<string | null>;
  /** Saves a model: a native save dialog (Electron) or a download (web). */
  saveModel(model: ModelFile): Promise<SaveResult>;
  /** Opens and validates a model file: a native dialog (Electron) or a file picker (web). */
  openModel(): Promise<OpenResult>;
  /** Records a finished run in the history. */
  saveRun(run: RunRecord): Promise<void>;
  /** Lists the run history, newest first; unreadable files are listed as such. */
  listRuns(): Promise<RunListEntry[]>;
  /** Deletes a run from the history. */
  deleteRun(id: string): Promise<void>;
  /** Restarts the training process after a crash. */
  restartTrainer(): Promise<void>;
  /** Opens an allow-listed https link in the system browser. */
  openExternal(url: string): Promise<void>;
  /** Hears the application menu's commands (Electron only; the web bridge may omit it). */
  onMenuCommand?(listener: (command: MenuCommand) => void): Unsubscribe;
  /** Tells the host the UI language, so the native menu (Electron) follows it. */
  setLanguage?(language: UiLanguage): void;
}

/**
 * The invoke channels (renderer → main, with a reply), channel name → signature. The preload and the
 * main-side handlers take their argument and result types from here with Parameters<> / ReturnType<>.
 */
export interface InvokeChannels {
  'dataset:pickFolder': () => string | null;
  'model:save': (model: ModelFile) => SaveResult;
  'model:open': () => OpenResult;
  'runs:save': (run: RunRecord) => void;
  'runs:list': () => RunListEntry[];
  'runs:delete': (id: string) => void;
  'trainer:restart': () => void;
  'shell:openExternal': (url: string) => void;
}

/** One-way channels renderer → main. */
export interface SendChannels {
  /** The renderer is ready for its MessagePort to the training process. */
  'trainer:connect': () => void;
  /** The UI language changed; the native menu follows it. */
  'ui:language': (language: UiLanguage) => void;
}

/** The languages of the UI (and of the native menu). */
export type UiLanguage = 'en' | 'zh';

/** Channels main → renderer, channel name → payload. */
export interface EventChannels {
  /** The training process crashed or exited unexpectedly. */
  'trainer:crashed': TrainerCrashed;
  /** A MessagePort to the training process is attached to this message (sent after connect and after restarts). */
  'trainer:port': null;
  /** A menu item was chosen (e.g. 'start', 'pause', 'step', 'reset', 'open-model', 'save-model'). */
  'menu:command': MenuCommand;
}

/** Commands the application menu sends to the renderer. */
export type MenuCommand = 'start-pause' | 'step' | 'reset' | 'open-model' | 'save-model';

/** Argument type of an invoke channel. */
export type InvokeArgs<C extends keyof InvokeChannels> = Parameters<InvokeChannels[C]>;
/** Result type of an invoke channel. */
export type InvokeResult<C extends keyof InvokeChannels> = ReturnType<InvokeChannels[C]>;

// ---- validators for everything that crosses a process boundary ----

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A partial training config as the renderer may send it. */
export const trainConfigPatchSchema = z.object({
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(60000).optional(),
  lr: finite.min(1e-6).max(1000).optional(),
  seed: z.number().int().refine(Number.isSafeInteger).optional(),
  softmax: z.enum(['stable', 'naive']).optional(),
}).strict();

const datasetFileName = z.enum(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);

/** Any message a host may send to the training process. */
export const toTrainerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('loadDataset'), source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('default') }),
    z.object({ kind: z.literal('dir'), path: z.string().min(1).max(4096) }),
    z.object({ kind: z.literal('bytes'), files: z.record(datasetFileName, z.instanceof(Uint8Array)) }),
  ]) }),
  z.object({ kind: z.literal('start'), config: trainConfigPatchSchema.optional() }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('step') }),
  z.object({ kind: z.literal('stop') }),
  z.object({ kind: z.literal('reset'), seed: z.number().int().refine(Number.isSafeInteger).optional() }),
  z.object({ kind: z.literal('setLearningRate'), lr: finite.min(1e-6).max(1000) }),
  z.object({ kind: z.literal('configure'), patch: trainConfigPatchSchema }),
  z.object({ kind: z.literal('setPace'), batchesPerSecond: finite.positive().nullable() }),
  z.object({ kind: z.literal('request'), id: z.number().int().nonnegative(), request: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('predict'), x: z.instanceof(Float32Array), n: z.number().int().min(0).max(10000) }),
    z.object({ kind: z.literal('getWeights') }),
    z.object({ kind: z.literal('loadWeights'), weights: z.instanceof(Float32Array) }),
    z.object({ kind: z.literal('testPredictions') }),
    z.object({ kind: z.literal('testExamples'), indices: z.array(z.number().int().min(0)).max(10000) }),
    z.object({ kind: z.literal('runSummary') }),
  ]) }),
]);

/** A run record as the renderer sends it to be saved. */
export const runRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  endedAt: z.string().max(40),
  config: z.object({ epochs: z.number().int().positive(), batchSize: z.number().int().positive(), lr: finite.positive(), seed: z.number().int(), softmax: z.enum(['stable', 'naive']) }),
  epochs: z.array(z.object({ epoch: z.number().int().positive(), trainLoss: finite, trainAcc: finite, testAcc: finite, seconds: finite })).max(1000),
  outcome: z.enum(['done', 'stopped', 'diverged']),
  note: z.string().max(1000).nullable(),
}).strict();

/** Run ids are file names: letters, digits, - and _ only. */
export const runIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);

/** Links the app may open in the system browser. */
export const EXTERNAL_LINK_ALLOWLIST: readonly string[] = [
  'https://d2l.ai/',
  'https://github.com/zalandoresearch/fashion-mnist',
  'https://packages.debian.org/',
];

/** True when `url` is an https link under one of the allow-listed prefixes. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_LINK_ALLOWLIST.some((prefix) => parsed.href.startsWith(prefix));
}

// The one typed contract of Softmax Lab (after GitHub Desktop's ipc-shared.ts), shared by the Electron and
// the web form: what the renderer can ask (`LabApi`, window.api, implemented over the one trainer client by
// the Electron preload and by the web bridge alike), the IPC channels between renderer and main with their
// signatures, the events the renderer hears, and the zod schemas of everything that crosses a process
// boundary. The message types are core/protocol's; each schema is checked against its type at compile time.

import { z } from 'zod';
import { finiteNumber, trainConfigFields, trainConfigPatchSchema, trainConfigSchema } from '../core/config-schema';
import { DATASET_FILES } from '../core/dataset-files';
import type { FromTrainer, RecordedBatch, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunRecord, RunOutcome, RunState, ToTrainer } from '../core/protocol';
import { LIMITS, type TrainConfig } from '../core/train';
import type { ModelFile, ModelMetrics } from '../core/model-file';
import { NUM_PARAMS } from '../core/shapes';

export type { FromTrainer, ToTrainer, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunRecord, RunOutcome, RunState, TrainConfig, ModelFile, ModelMetrics };
export { LIMITS, trainConfigPatchSchema, trainConfigSchema };

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

/** The stored run history changed (a run was recorded or deleted): list it again. */
export interface HistoryChanged {
  kind: 'historyChanged';
}

/** Everything the renderer hears: the training process's messages (minus request replies), crashes, history changes. */
export type LabEvent = Exclude<FromTrainer, { kind: 'reply' }> | TrainerCrashed | HistoryChanged;

/** An entry of the run history: a readable run, or a file that could not be read. */
export type RunListEntry = { ok: true; run: RunRecord; /** Its latest weights were kept and can be opened. */ hasWeights: boolean } | { ok: false; id: string; error: string };

/** A folder the user chose in main's dialog, and the opaque grant that lets the training process read it. */
export interface PickedFolder {
  path: string;
  grant: string;
}

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
  /** Runs the rest of the current epoch at full speed, then pauses. */
  stepEpoch(): void;
  /** Ends the run, keeping the weights. */
  stop(): void;
  /** Re-initialises the weights from a seed. */
  reset(seed?: number): void;
  /**
   * Sets the learning rate from the next batch on. `{ commit: false }` while a gesture (a drag, a held
   * key) is under way: applied, not recorded; the gesture's last, committed call records one change.
   */
  setLearningRate(lr: number, options?: { commit?: boolean }): void;
  /** Sets the weight decay λ from the next batch on, with the same gestures as setLearningRate. */
  setWeightDecay(weightDecay: number, options?: { commit?: boolean }): void;
  /** Changes batch size, epochs, softmax or seed (resets the run). */
  configure(patch: Partial<TrainConfig>): void;
  /** Caps the pace in batches per second (null: as fast as possible). */
  setPace(batchesPerSecond: number | null): void;
  /** Sends a request to the training process and resolves with its reply. */
  request<K extends TrainerRequest['kind']>(request: Extract<TrainerRequest, { kind: K }>): Promise<TrainerReplies[K]>;
  /** (Re)loads the dataset from the given source (default search when omitted). */
  loadDataset(source?: DatasetSource): void;
  /**
   * Lets the user pick a folder holding the four files (Electron): its path (to show) and the grant to
   * load it with (`loadDataset({ kind: 'dir', grant })`); null when cancelled or unsupported.
   */
  pickDatasetFolder(): Promise<PickedFolder | null>;
  /** Saves a model: a native save dialog (Electron) or a download (web). */
  saveModel(model: ModelFile): Promise<SaveResult>;
  /** Opens and validates a model file: a native dialog (Electron) or a file picker (web). */
  openModel(): Promise<OpenResult>;
  /** Lists the run history, newest first; unreadable files are listed as such. */
  listRuns(): Promise<RunListEntry[]>;
  /** Deletes a run from the history. */
  deleteRun(id: string): Promise<void>;
  /** The latest weights kept for a run (a run cut by a crash or a stop included), as a model file. */
  openRunWeights(id: string): Promise<OpenResult>;
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
  'dataset:pickFolder': () => PickedFolder | null;
  'model:save': (model: ModelFile) => SaveResult;
  'model:open': () => OpenResult;
  'runs:list': () => RunListEntry[];
  'runs:delete': (id: string) => void;
  'runs:openWeights': (id: string) => OpenResult;
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
  /** The run store changed (main recorded a run the training process sent, or one it cut by a crash). */
  'runs:changed': null;
}

/** Commands the application menu sends to the renderer. */
export type MenuCommand = 'start-pause' | 'step' | 'reset' | 'open-model' | 'save-model';

/** Argument type of an invoke channel. */
export type InvokeArgs<C extends keyof InvokeChannels> = Parameters<InvokeChannels[C]>;
/** Result type of an invoke channel. */
export type InvokeResult<C extends keyof InvokeChannels> = ReturnType<InvokeChannels[C]>;

// ---- validators for everything that crosses a process boundary ----
// Each schema is tied to its TypeScript type by `exact<T>()(schema)`: a compile error when the schema's
// output and T differ in either direction (a required key the type makes optional fails too).

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Returns the schema unchanged; fails to compile unless its output type is exactly T. */
const exact = <T>() => <S extends z.ZodType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : { schemaDoesNotMatchItsType: T })): S => schema;

const finite = finiteNumber;
/** A typed array of exactly this class (z.instanceof would type it over ArrayBuffer only). */
const typedArray = <T>(ctor: abstract new (...args: never[]) => T, name: string) => z.custom<T>((v) => v instanceof ctor, `must be a ${name}`);
const f32 = () => typedArray<Float32Array>(Float32Array, 'Float32Array');
const u8 = () => typedArray<Uint8Array>(Uint8Array, 'Uint8Array');
/** Any number, NaN and ±Infinity included: a diverging run reports the loss it saw. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'must be a number');
const safeInt = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer');
const datasetFileName = z.enum(DATASET_FILES as [DatasetFileName, ...DatasetFileName[]]);

/** Where the training process should get the dataset. */
export const datasetSourceSchema = exact<DatasetSource>()(z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default') }),
  z.object({ kind: z.literal('dir'), grant: z.string().regex(/^[0-9a-f]{32}$/, 'must be a folder grant from the dialog') }),
  z.object({ kind: z.literal('bytes'), files: z.partialRecord(datasetFileName, u8()) }),
]));

/** Requests answered with a reply. */
export const trainerRequestSchema = exact<TrainerRequest>()(z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('predict'), x: f32(), n: z.number().int().min(0).max(LIMITS.maxPredictRows) }),
  z.object({ kind: z.literal('getWeights') }),
  z.object({ kind: z.literal('loadWeights'), weights: f32() }),
  z.object({ kind: z.literal('testPredictions') }),
  z.object({ kind: z.literal('testExamples'), indices: z.array(z.number().int().min(0)).max(LIMITS.maxPredictRows) }),
  z.object({ kind: z.literal('runSummary') }),
]));

/** Any message a client may send to the training process. */
export const toTrainerSchema = exact<ToTrainer>()(z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('loadDataset'), source: datasetSourceSchema }),
  z.object({ kind: z.literal('start'), config: trainConfigPatchSchema.optional() }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('step') }),
  z.object({ kind: z.literal('stepEpoch') }),
  z.object({ kind: z.literal('stop') }),
  z.object({ kind: z.literal('reset'), seed: safeInt.optional() }),
  z.object({ kind: z.literal('setLearningRate'), lr: trainConfigSchema.shape.lr, commit: z.boolean().optional() }),
  z.object({ kind: z.literal('setWeightDecay'), weightDecay: trainConfigFields.weightDecay, commit: z.boolean().optional() }),
  z.object({ kind: z.literal('configure'), patch: trainConfigPatchSchema }),
  z.object({ kind: z.literal('setPace'), batchesPerSecond: finite.positive().nullable() }),
  z.object({ kind: z.literal('request'), id: z.number().int().nonnegative(), request: trainerRequestSchema }),
]));

const position = z.object({ epoch: z.number().int(), batch: z.number().int(), batchesPerEpoch: z.number().int(), batchesDone: z.number().int(), finished: z.boolean(), diverged: z.boolean() });
const runState = z.enum(['loading', 'idle', 'training', 'paused', 'done', 'diverged', 'stopped']);
const epochSummary = z.object({ epoch: z.number().int().positive(), trainLoss: z.number(), trainAcc: z.number(), testAcc: z.number(), seconds: z.number() });
const datasetProgress = z.object({
  phase: z.enum(['locating', 'downloading', 'verifying', 'parsing']),
  file: datasetFileName.optional(),
  bytes: z.number().optional(),
  total: z.number().optional(),
  fraction: z.number().optional(),
  from: z.string().optional(),
});

/** A learning-rate or weight-decay change in a run record. */
const change = z.object({ batchesDone: z.number().int().nonnegative(), epochProgress: finite, from: finite, to: finite });

/** One sampled batch of a run record: finite numbers (weightDecay absent in records from before it existed). */
function isRecordedBatch(v: unknown): boolean {
  const b = v as Record<string, unknown> | null;
  return typeof b === 'object' && b !== null && Number.isFinite(b.epochProgress) && Number.isFinite(b.loss) && Number.isFinite(b.acc) && Number.isFinite(b.lr)
    && (b.weightDecay === undefined || Number.isFinite(b.weightDecay));
}

/**
 * A run's sampled batches (up to LIMITS.maxRecordItems), checked in one plain loop: a zod object per point
 * made validating a ten-epoch record a long task on the page's main thread. Old points get weightDecay 0.
 */
const recordedBatches = z
  .custom<{ epochProgress: number; loss: number; acc: number; lr: number; weightDecay?: number }[]>((v) => Array.isArray(v) && v.length <= LIMITS.maxRecordItems && v.every(isRecordedBatch), 'must be the run\'s sampled batches: finite numbers, at most LIMITS.maxRecordItems')
  .transform((points) => {
    for (const p of points) p.weightDecay ??= 0;
    return points as RecordedBatch[];
  });

/** A run record, as the training process sends it and the run stores keep it. */
export const runRecordSchema = exact<RunRecord>()(z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  startedAt: z.string().max(40),
  endedAt: z.string().max(40).nullable(),
  config: trainConfigSchema,
  lrChanges: z.array(change).max(LIMITS.maxRecordItems),
  // Records written before weight decay existed have none: they parse as runs without it.
  wdChanges: z.array(change).max(LIMITS.maxRecordItems).default([]),
  epochs: z.array(epochSummary).max(LIMITS.maxEpochs),
  batches: recordedBatches,
  batchesDone: z.number().int().nonnegative(),
  final: z.object({ trainLoss: z.number(), trainAcc: z.number(), testAcc: z.number() }).nullable(),
  outcome: z.enum(['running', 'done', 'diverged', 'stopped', 'crashed']),
  note: z.string().max(1000).nullable(),
}).strict());

const reply = z.union([
  z.object({ kind: z.literal('reply'), id: z.number().int().nonnegative(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number().int().nonnegative(), ok: z.literal(false), error: z.string() }),
]);

/**
 * Any message the training process may send. Replies are checked for shape here and their results by
 * the trainer client against the request they answer (see replySchemas).
 */
export const fromTrainerSchema = z.union([z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('datasetProgress'), progress: datasetProgress }),
  z.object({ kind: z.literal('datasetError'), message: z.string(), code: z.string(), lookedIn: z.array(z.string()), help: z.string() }),
  z.object({ kind: z.literal('ready'), trainCount: z.number().int().nonnegative(), testCount: z.number().int().nonnegative(), source: z.string(), config: trainConfigSchema, kernel: z.string() }),
  z.object({ kind: z.literal('state'), state: runState, position, config: trainConfigSchema, pace: finite.positive().nullable() }),
  z.object({ kind: z.literal('progress'), batches: z.array(z.object({ epoch: z.number().int(), batch: z.number().int(), batchesPerEpoch: z.number().int(), epochProgress: z.number(), loss: anyNumber, acc: anyNumber, lr: z.number(), weightDecay: z.number(), size: z.number().int() })) }),
  z.object({ kind: z.literal('epoch'), epoch: z.number().int().positive(), trainLoss: anyNumber, trainAcc: anyNumber, testAcc: anyNumber, seconds: z.number() }),
  z.object({ kind: z.literal('weights'), weights: f32().refine((w) => w.length === NUM_PARAMS, `must hold ${NUM_PARAMS} values`), epochProgress: z.number() }),
  z.object({ kind: z.literal('diverged'), epoch: z.number().int(), batch: z.number().int(), loss: anyNumber, lr: z.number(), maxLogit: anyNumber.optional(), message: z.string() }),
  z.object({ kind: z.literal('done'), epochs: z.number().int(), trainLoss: anyNumber, trainAcc: anyNumber, testAcc: anyNumber }),
  z.object({ kind: z.literal('run'), record: runRecordSchema, final: z.boolean(), weights: f32().refine((w) => w.length === NUM_PARAMS, `must hold ${NUM_PARAMS} values`) }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]), reply]);
type ParsedFromTrainer = z.output<typeof fromTrainerSchema>;
// Replies' results are `unknown` in the schema (checked per request below); everything else is exact.
const _fromTrainerAgrees: Same<Exclude<ParsedFromTrainer, { kind: 'reply' }>, Exclude<FromTrainer, { kind: 'reply' }>> = true;
void _fromTrainerAgrees;

/** The result schema of each request's reply. */
export const replySchemas = {
  predict: z.object({ probs: f32() }),
  getWeights: z.object({ weights: f32().refine((w) => w.length === NUM_PARAMS, `must hold ${NUM_PARAMS} values`) }),
  loadWeights: z.object({ ok: z.literal(true) }),
  testPredictions: z.object({ predicted: u8(), labels: u8(), accuracy: z.number() }),
  testExamples: z.object({ pixels: u8(), labels: u8() }),
  runSummary: z.object({ config: trainConfigSchema, epochs: z.array(epochSummary), state: runState }),
} satisfies { [K in keyof TrainerReplies]: z.ZodType<TrainerReplies[K]> };
const _repliesAgree: Same<{ [K in keyof TrainerReplies]: z.output<(typeof replySchemas)[K]> }, TrainerReplies> = true;
void _repliesAgree;

/** A crash report from main. */
export const trainerCrashedSchema = exact<TrainerCrashed>()(z.object({ kind: z.literal('crashed'), reason: z.string(), exitCode: z.number().int().nullable() }));

/** A menu command from main. */
export const menuCommandSchema = exact<MenuCommand>()(z.enum(['start-pause', 'step', 'reset', 'open-model', 'save-model']));

/** The UI languages. */
export const uiLanguageSchema = exact<UiLanguage>()(z.enum(['en', 'zh']));

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

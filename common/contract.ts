// The one typed contract of Softmax Lab (after GitHub Desktop's ipc-shared.ts), shared by the Electron and
// the web form: what the renderer can ask (`LabApi`, window.api, implemented over the one trainer client by
// the Electron preload and by the web bridge alike), the IPC channels between renderer and main with their
// signatures, the events the renderer hears, and the zod schemas of everything that crosses a process
// boundary. The message types are core/protocol's; each schema is checked against its type at compile time.

import { z } from 'zod';
import { finiteNumber, trainConfigFields, trainConfigPatchSchema, trainConfigSchema } from '../core/config-schema';
import { DATASET_FILES } from '../core/dataset-files';
import type { FromTrainer, RecordedBatch, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunRecord, RunOutcome, RunState, SweepResult, SweepStatus, ToTrainer } from '../core/protocol';
import { LIMITS, type TrainConfig } from '../core/train';
import type { ModelFile, ModelMetrics } from '../core/model-file';
import { NUM_INPUTS, NUM_PARAMS } from '../core/shapes';
import { SWEEP_LIMITS } from '../core/sweep';

export type { FromTrainer, ToTrainer, TrainerReplies, TrainerRequest, DatasetFileName, DatasetSource, RunRecord, RunOutcome, RunState, SweepResult, SweepStatus, TrainConfig, ModelFile, ModelMetrics };
export { LIMITS, SWEEP_LIMITS, trainConfigPatchSchema, trainConfigSchema };

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

/** What a sweep varies: learning rates and/or batch sizes (the session's own value where omitted), and the epochs of each run. */
export type SweepPlan = Omit<Extract<ToTrainer, { kind: 'sweep' }>, 'kind'>;

/** The formats the window exports, with the file extension, MIME type and dialog filter of each. */
export const EXPORT_FORMATS = {
  /** The run report: one self-contained HTML file (core/export/report.ts). */
  report: { extension: 'html', mime: 'text/html', filter: 'HTML run report', text: true },
  /** The model for NumPy: an .npz with W (784, 10) and b (10,) (core/export/npz.ts). */
  npz: { extension: 'npz', mime: 'application/zip', filter: 'NumPy arrays (.npz)', text: false },
  /** The model for ONNX runtimes (core/export/onnx.ts). */
  onnx: { extension: 'onnx', mime: 'application/octet-stream', filter: 'ONNX model', text: false },
  /** A table as CSV (a run's curves, a batch classification). */
  csv: { extension: 'csv', mime: 'text/csv', filter: 'CSV table', text: true },
} as const;

/** An export format. */
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** Largest export accepted, in bytes (a report is about 0.3 MB, a model 31 KB). */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

/** A file to export: its format, the name to suggest, and its contents (text for report and csv, bytes otherwise). */
export interface ExportFile {
  format: ExportFormat;
  /** A bare file name (no folder) ending in the format's extension. */
  name: string;
  data: string | Uint8Array;
}

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
  /** Runs a sweep in the training process (its progress and points arrive as events). */
  runSweep(plan: SweepPlan): void;
  /** Stops the sweep under way. */
  stopSweep(): void;
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
  /** Saves an export (report, NumPy, ONNX, CSV): a native save dialog and an atomic write (Electron) or a download (web). */
  saveExport(file: ExportFile): Promise<SaveResult>;
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
  'export:save': (file: ExportFile) => SaveResult;
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
  z.object({ kind: z.literal('reportData'), weights: f32().refine((w) => w.length === NUM_PARAMS, `must hold ${NUM_PARAMS} values`).optional() }),
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
  z.object({
    kind: z.literal('sweep'),
    learningRates: z.array(trainConfigSchema.shape.lr).min(1).max(SWEEP_LIMITS.maxValues).optional(),
    batchSizes: z.array(trainConfigSchema.shape.batchSize).min(1).max(SWEEP_LIMITS.maxValues).optional(),
    epochs: trainConfigSchema.shape.epochs,
  }),
  z.object({ kind: z.literal('stopSweep') }),
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

/** One run's final numbers in a sweep (null metrics: it diverged). */
const sweepResult = exact<SweepResult>()(z.object({
  lr: finite, batchSize: z.number().int().positive(), epochs: z.number().int().positive(),
  trainLoss: anyNumber.nullable(), trainAcc: anyNumber.nullable(), testAcc: anyNumber.nullable(),
  diverged: z.boolean(), seconds: finite,
}));

/** Where a sweep is. */
export const sweepStatusSchema = exact<SweepStatus>()(z.object({
  sweep: z.number().int().positive(),
  state: z.enum(['running', 'done', 'stopped']),
  learningRates: z.array(finite).max(SWEEP_LIMITS.maxValues),
  batchSizes: z.array(z.number().int().positive()).max(SWEEP_LIMITS.maxValues),
  epochs: z.number().int().positive(),
  runs: z.number().int().nonnegative().max(SWEEP_LIMITS.maxRuns),
  finished: z.number().int().nonnegative(),
  current: z.object({ run: z.number().int().nonnegative(), config: trainConfigSchema, epochProgress: finite }).nullable(),
  note: z.string().max(1000).nullable(),
}));

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
  z.object({ kind: z.literal('sweepProgress'), status: sweepStatusSchema }),
  z.object({ kind: z.literal('sweepPoint'), sweep: z.number().int().positive(), run: z.number().int().nonnegative(), result: sweepResult, record: runRecordSchema }),
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
  reportData: z.object({
    weights: f32().refine((w) => w.length === NUM_PARAMS, `must hold ${NUM_PARAMS} values`),
    probabilities: f32(),
    labels: u8(),
    images: u8(),
    record: runRecordSchema.nullable(),
    kernel: z.string(),
    dataset: z.string(),
  }).refine((r) => r.probabilities.length === r.labels.length * 10 && r.images.length === r.labels.length * NUM_INPUTS, 'must hold 10 probabilities and 784 pixels per test label'),
} satisfies { [K in keyof TrainerReplies]: z.ZodType<TrainerReplies[K]> };
const _repliesAgree: Same<{ [K in keyof TrainerReplies]: z.output<(typeof replySchemas)[K]> }, TrainerReplies> = true;
void _repliesAgree;

const exportName = z.string().min(1).max(200).refine((n) => !/[\\/\0]/.test(n) && n !== '.' && n !== '..', 'must be a file name, not a path');

/** Bytes' first values, for the format checks below. */
const startsWith = (data: Uint8Array, prefix: readonly number[]): boolean => prefix.every((b, i) => data[i] === b);

/**
 * A file to export, checked for what it claims to be before it is written anywhere: the name ends in the
 * format's extension, the contents are text (report, csv) or bytes (npz, onnx) within MAX_EXPORT_BYTES,
 * a report is an HTML document, an .npz a ZIP (local file header "PK\x03\x04") and an .onnx a ModelProto
 * that begins with its ir_version field (protobuf field 1, varint: byte 0x08).
 */
export const exportFileSchema = exact<ExportFile>()(z.object({
  format: z.enum(Object.keys(EXPORT_FORMATS) as [ExportFormat, ...ExportFormat[]]),
  name: exportName,
  data: z.union([z.string().max(MAX_EXPORT_BYTES), u8().refine((d) => d.length <= MAX_EXPORT_BYTES, `must be at most ${MAX_EXPORT_BYTES} bytes`)]),
}).strict().superRefine((f, ctx) => {
  const spec = EXPORT_FORMATS[f.format];
  if (!f.name.toLowerCase().endsWith(`.${spec.extension}`)) ctx.addIssue({ code: 'custom', path: ['name'], message: `a ${f.format} export is named *.${spec.extension}` });
  if (spec.text !== (typeof f.data === 'string')) {
    ctx.addIssue({ code: 'custom', path: ['data'], message: `a ${f.format} export is ${spec.text ? 'text' : 'bytes'}` });
    return;
  }
  const ok = typeof f.data === 'string'
    ? f.format !== 'report' || /^<!DOCTYPE html>/i.test(f.data)
    : f.format === 'npz' ? startsWith(f.data, [0x50, 0x4b, 0x03, 0x04]) : startsWith(f.data, [0x08]);
  if (!ok) ctx.addIssue({ code: 'custom', path: ['data'], message: `is not a ${EXPORT_FORMATS[f.format].filter}` });
}));

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

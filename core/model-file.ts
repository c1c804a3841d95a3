// The saved-model file format ("softmax-lab-model", schema version 1): JSON with the class names,
// shapes, the values of W and b, the config and final metrics, and a SHA-256 checksum of the values.
// Pure: used by the CLI (--out), the Electron main process (save/open) and the browser build alike.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { CLASS_NAMES, NUM_CLASSES, NUM_INPUTS, NUM_PARAMS } from './shapes';
import { finiteNumber, trainConfigSchema } from './config-schema';
import { allFinite } from './model';
import type { RunRecord } from './protocol';
import type { TrainConfig } from './train';

/** The format name written in every model file. */
export const MODEL_FORMAT = 'softmax-lab-model';
/** The schema version this code writes and reads. */
export const MODEL_SCHEMA_VERSION = 1;
/** Largest model file we read (a real one is about 150 KB). */
export const MAX_MODEL_FILE_BYTES = 5 * 1024 * 1024;

const finite = finiteNumber;

/** Schema of a model file. */
export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  schemaVersion: z.literal(MODEL_SCHEMA_VERSION),
  createdAt: z.string(),
  classNames: z.array(z.string()).length(NUM_CLASSES),
  shapes: z.object({ W: z.tuple([z.literal(NUM_INPUTS), z.literal(NUM_CLASSES)]), b: z.tuple([z.literal(NUM_CLASSES)]) }),
  W: z.array(finite).length(NUM_INPUTS * NUM_CLASSES),
  b: z.array(finite).length(NUM_CLASSES),
  config: trainConfigSchema,
  metrics: z.object({ epochs: z.number().int().nonnegative(), trainLoss: finite, trainAcc: finite, testAcc: finite }).nullable(),
  checksum: z.object({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/** A parsed model file. */
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Final numbers stored with a model. */
export type ModelMetrics = NonNullable<ModelFile['metrics']>;

/** Why a model file was refused. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

/** SHA-256 (hex) of the parameters as little-endian float32 bytes: W (784x10 row-major) then b (10). */
export function checksumParams(params: Float32Array): string {
  const bytes = new Uint8Array(params.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < params.length; i++) view.setFloat32(i * 4, params[i], true);
  return bytesToHex(sha256(bytes));
}

/** Builds a model file from parameters (W then b), the config and final metrics. */
export function encodeModelFile(params: Float32Array, config: TrainConfig, metrics: ModelMetrics | null, createdAt: string): ModelFile {
  if (params.length !== NUM_PARAMS) throw new ModelFileError(`expected ${NUM_PARAMS} parameters, got ${params.length}`);
  if (!allFinite(params)) throw new ModelFileError('the weights contain NaN or Infinity; a diverged model is not saved');
  return {
    format: MODEL_FORMAT,
    schemaVersion: MODEL_SCHEMA_VERSION,
    createdAt,
    classNames: [...CLASS_NAMES],
    shapes: { W: [NUM_INPUTS, NUM_CLASSES], b: [NUM_CLASSES] },
    W: Array.from(params.subarray(0, NUM_INPUTS * NUM_CLASSES)),
    b: Array.from(params.subarray(NUM_INPUTS * NUM_CLASSES)),
    config: { epochs: config.epochs, batchSize: config.batchSize, lr: config.lr, seed: config.seed, softmax: config.softmax, weightDecay: config.weightDecay },
    metrics,
    checksum: { algorithm: 'sha256', value: checksumParams(params) },
  };
}

/**
 * The model file of a run's weights (a run of the history, kept to be opened again): the configuration in
 * force when the weights were taken (the learning rate and the weight decay of the last change of each),
 * the final metrics where an epoch was completed, and the run's end (or `now` while it runs).
 */
export function runModelFile(run: Pick<RunRecord, 'config' | 'lrChanges' | 'wdChanges' | 'final' | 'epochs' | 'endedAt'>, params: Float32Array, now: string): ModelFile {
  const metrics = run.final && run.epochs.length > 0 ? { epochs: run.epochs.length, ...run.final } : null;
  const config = { ...run.config, lr: run.lrChanges.at(-1)?.to ?? run.config.lr, weightDecay: run.wdChanges.at(-1)?.to ?? run.config.weightDecay };
  return encodeModelFile(params, config, metrics, run.endedAt ?? now);
}

/** Serialises a model file as JSON text. */
export function stringifyModelFile(file: ModelFile): string {
  return JSON.stringify(file);
}

/**
 * Parses and validates model-file text: size, JSON, format, version, shapes, finite values, checksum.
 * Returns the file and its parameters (W then b), or throws a ModelFileError with a clear message.
 */
export function parseModelFile(text: string, name = 'model file'): { file: ModelFile; params: Float32Array } {
  if (text.length > MAX_MODEL_FILE_BYTES) throw new ModelFileError(`${name} is too large (${text.length} bytes; a model is about 150 KB, at most ${MAX_MODEL_FILE_BYTES})`);
  if (text.trim() === '') throw new ModelFileError(`${name} is empty`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ModelFileError(`${name} is not valid JSON (truncated or not a model file)`);
  }
  if (typeof raw !== 'object' || raw === null) throw new ModelFileError(`${name} is not a Softmax Lab model`);
  const obj = raw as Record<string, unknown>;
  if (obj.format !== MODEL_FORMAT) throw new ModelFileError(`${name} is not a Softmax Lab model (format is ${JSON.stringify(obj.format ?? null)})`);
  if (obj.schemaVersion !== MODEL_SCHEMA_VERSION) throw new ModelFileError(`${name} has schema version ${JSON.stringify(obj.schemaVersion ?? null)}; this version of Softmax Lab reads version ${MODEL_SCHEMA_VERSION}`);
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(`${name} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const file = parsed.data;
  const params = new Float32Array(NUM_PARAMS);
  params.set(file.W, 0);
  params.set(file.b, NUM_INPUTS * NUM_CLASSES);
  for (let i = 0; i < params.length; i++) if (!Number.isFinite(params[i])) throw new ModelFileError(`${name} has a value that overflows float32`);
  if (checksumParams(params) !== file.checksum.value) throw new ModelFileError(`${name} failed its checksum: the values were changed or damaged`);
  return { file, params };
}

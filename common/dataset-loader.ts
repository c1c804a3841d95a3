// What the trainer host needs to load Fashion-MNIST, and the parts every loader shares. The loader itself
// is injected: files on disk through node/data in the utility process (electron/worker/dataset.ts), the
// page's fetch in the browser (renderer/bridge/dataset-fetch.ts). Both throw core's DatasetError.

import { datasetFromIdx, type FashionMnist } from '../core/dataset';
import { DATASET_FILES, DatasetError, type DatasetFileName } from '../core/dataset-files';
import { IdxError } from '../core/idx';
import type { DatasetProgress, DatasetSource, FromTrainer } from '../core/protocol';

/** What loading needs besides the source. */
export interface DatasetLoadContext {
  /** Progress of every phase. */
  onProgress: (p: DatasetProgress) => void;
  /** Aborted when a newer load supersedes this one (a download stops). */
  signal: AbortSignal;
  /**
   * Where the two images files' uncompressed bytes may go: a buffer of the asked size in the fast kernels'
   * memory (KernelPool.allocate), so each thread reads a batch's rows where they lie; null (or no
   * allocate) for an ordinary buffer. The loader uses it for the images files alone.
   */
  allocate?: (bytes: number) => Uint8Array | null;
}


/** A loaded dataset and where it came from, in words (shown by the renderer). */
export interface LoadedDataset {
  data: FashionMnist;
  source: string;
}

/** Loads a dataset for a source; throws (a DatasetError, preferably). */
export type DatasetLoader = (source: DatasetSource, ctx: DatasetLoadContext) => Promise<LoadedDataset>;

/** Undoes gzip (when the bytes are gzip) and checks one file's bytes, within the file's size bound. */
export type FileDecoder = (bytes: Uint8Array, name: DatasetFileName) => Promise<Uint8Array>;

/**
 * The four files' bytes (as the user picked them, gzipped or not) → train and test splits. Missing files
 * are named; a bad IDX file becomes DatasetError 'invalid-idx'.
 */
export async function datasetFromFiles(files: Partial<Record<DatasetFileName, Uint8Array>>, decode: FileDecoder, onProgress: (p: DatasetProgress) => void, place: string): Promise<FashionMnist> {
  const missing = DATASET_FILES.filter((n) => !files[n]);
  if (missing.length > 0) throw new DatasetError('not-found', null, `missing ${missing.join(', ')}`, { lookedIn: [place] });
  const bytes = {} as Record<DatasetFileName, Uint8Array>;
  for (const name of DATASET_FILES) {
    onProgress({ phase: 'verifying', file: name, from: place });
    bytes[name] = await decode(files[name] as Uint8Array, name);
  }
  onProgress({ phase: 'parsing', from: place });
  return splitsFromFiles(bytes);
}

/** Builds train and test splits from the four files' uncompressed bytes. */
export function splitsFromFiles(bytes: Record<DatasetFileName, Uint8Array>): FashionMnist {
  try {
    return {
      train: datasetFromIdx(bytes['train-images-idx3-ubyte'], bytes['train-labels-idx1-ubyte'], 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
      test: datasetFromIdx(bytes['t10k-images-idx3-ubyte'], bytes['t10k-labels-idx1-ubyte'], 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
    };
  } catch (e) {
    if (e instanceof IdxError) throw new DatasetError('invalid-idx', e.file, e.message, { cause: e });
    throw e;
  }
}

/** The contract's datasetError message for any failure; `help` says how to get the files on this host. */
export function datasetErrorMessage(err: unknown, help: string): Extract<FromTrainer, { kind: 'datasetError' }> {
  if (err instanceof DatasetError) return { kind: 'datasetError', message: err.message, code: err.code, lookedIn: err.lookedIn, help: err.help || help };
  return { kind: 'datasetError', message: err instanceof Error ? err.message : String(err), code: 'unexpected', lookedIn: [], help };
}

// Turns a DatasetSource from the renderer into core's FashionMnist using node/data: the default search
// (cache under userData, Debian package, then download into that cache), a folder the user picked, or
// the four files' bytes. Errors become the contract's datasetError fields (code, lookedIn, help).

import { datasetFromIdx, type FashionMnist } from '../../core/dataset';
import { IdxError } from '../../core/idx';
import type { DatasetProgress, DatasetSource } from '../../core/protocol';
import { DATASET_FILES, DatasetError, HOW_TO_GET_FILES, decodeVerified, describePlace, loadFashionMnist, type DatasetFileName } from '../../node/data';

/** What loading needs besides the source. */
export interface DatasetLoadContext {
  /** Where downloads are cached (userData/datasets/fashion-mnist); node/data's default when null. */
  cacheDir: string | null;
  /** Progress of every phase. */
  onProgress: (p: DatasetProgress) => void;
  /** Cancels a download when a newer load supersedes this one. */
  signal: AbortSignal;
}

/** A loaded dataset and a description of where it came from (shown by the renderer). */
export interface LoadedDataset {
  data: FashionMnist;
  source: string;
}

/** Loads a dataset for a source; throws (preferably a DatasetError). Injectable for tests. */
export type DatasetLoader = (source: DatasetSource, ctx: DatasetLoadContext) => Promise<LoadedDataset>;

/** Keeps only the contract's DatasetProgress fields, adding the per-file fraction of a download. */
export function toDatasetProgress(p: DatasetProgress & { percent?: number }): DatasetProgress {
  const out: DatasetProgress = { phase: p.phase };
  if (p.file !== undefined) out.file = p.file;
  if (p.bytes !== undefined) out.bytes = p.bytes;
  if (p.total !== undefined) out.total = p.total;
  if (p.from !== undefined) out.from = p.from;
  if (p.fraction !== undefined) out.fraction = p.fraction;
  else if (p.bytes !== undefined && p.total) out.fraction = Math.min(1, p.bytes / p.total);
  return out;
}

/** The production loader, over node/data. */
export const loadDatasetFromSource: DatasetLoader = async (source, ctx) => {
  if (source.kind === 'bytes') return { data: await fromBytes(source.files, ctx), source: 'files you picked' };
  const loaded = await loadFashionMnist({
    ...(source.kind === 'dir' ? { dir: source.path } : {}),
    ...(ctx.cacheDir ? { cacheDir: ctx.cacheDir } : {}),
    signal: ctx.signal,
    onProgress: (p) => ctx.onProgress(toDatasetProgress(p)),
  });
  const where = loaded.source === 'download' ? `${loaded.dir} (downloaded)` : describePlace({ kind: loaded.source, dir: loaded.dir });
  return { data: { train: loaded.train, test: loaded.test }, source: where };
};

async function fromBytes(files: Partial<Record<DatasetFileName, Uint8Array>>, ctx: DatasetLoadContext): Promise<FashionMnist> {
  const missing = DATASET_FILES.filter((n) => !files[n]);
  if (missing.length > 0) {
    throw new DatasetError('not-found', null, `missing ${missing.join(', ')} among the files you picked`, { lookedIn: ['files you picked'], help: HOW_TO_GET_FILES });
  }
  const bytes = {} as Record<DatasetFileName, Uint8Array>;
  for (const name of DATASET_FILES) {
    ctx.onProgress({ phase: 'verifying', file: name });
    bytes[name] = await decodeVerified(files[name] as Uint8Array, name, name, { verify: 'auto' });
  }
  ctx.onProgress({ phase: 'parsing' });
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

/** The datasetError message for any failure. */
export function toDatasetError(err: unknown): { kind: 'datasetError'; message: string; code: string; lookedIn: string[]; help: string } {
  if (err instanceof DatasetError) {
    return { kind: 'datasetError', message: err.message, code: err.code, lookedIn: err.lookedIn, help: err.help || HOW_TO_GET_FILES };
  }
  return { kind: 'datasetError', message: err instanceof Error ? err.message : String(err), code: 'unexpected', lookedIn: [], help: HOW_TO_GET_FILES };
}

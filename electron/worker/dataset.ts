// How the utility process reads the dataset: node/data's search (cache under userData, the Debian package,
// then a download into that cache), a folder the user picked, or the four files' bytes decoded with
// node/data's bounded, verifying gunzip. The trainer host (common/trainer-host.ts) does the rest.

import { datasetFromFiles, type DatasetLoader } from '../../common/dataset-loader';
import { decodeVerified, describePlace, HOW_TO_GET_FILES, loadFashionMnist } from '../../node/data';
import { DatasetError, isImagesFile } from '../../core/dataset-files';
import type { DatasetProgress } from '../../core/protocol';

/** How to get the files, shown with a dataset error in the desktop app. */
export const NODE_DATASET_HELP = HOW_TO_GET_FILES;

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

/**
 * The utility process's loader; `cacheDir` is where downloads go (node/data's default when null), and
 * `folderOf` turns a grant main issued into the folder the user chose (null for any other string).
 */
export function createNodeDatasetLoader(cacheDir: string | null, folderOf: (grant: string) => string | null): DatasetLoader {
  return async (source, ctx) => {
    const dir = source.kind === 'dir' ? folderOf(source.grant) : null;
    // Not a folder from the dialog: refused the same way whatever the path, so nothing is learnt about it.
    if (source.kind === 'dir' && dir === null) throw new DatasetError('unsupported', null, 'that folder was not chosen in this window: choose it again with "Choose a folder"');
    if (source.kind === 'bytes') {
      const data = await datasetFromFiles(source.files, (bytes, name) => decodeVerified(bytes, name, name, { verify: 'auto', ...(ctx.allocate && isImagesFile(name) ? { allocate: ctx.allocate } : {}) }), ctx.onProgress, 'the files you picked');
      return { data, source: 'the files you picked' };
    }
    const loaded = await loadFashionMnist({
      ...(dir !== null ? { dir } : {}),
      ...(cacheDir ? { cacheDir } : {}),
      signal: ctx.signal as AbortSignal,
      ...(ctx.allocate ? { allocate: ctx.allocate } : {}),
      onProgress: (p) => ctx.onProgress(toDatasetProgress(p)),
    });
    const where = loaded.source === 'download' ? `${loaded.dir} (downloaded)` : describePlace({ kind: loaded.source, dir: loaded.dir });
    return { data: { train: loaded.train, test: loaded.test }, source: where };
  };
}

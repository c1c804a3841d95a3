// Saving a trained model from Node: core/model-file.ts builds and checks the JSON (format
// "softmax-lab-model", schema 1, SHA-256 over the float32 little-endian bytes of W then b); this file
// only writes it atomically (temp file in the same folder, fsync, rename) and reads it back.

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseModelFile, stringifyModelFile, type ModelFile } from '../../core/model-file';

/** Writes `file` as JSON to `path` atomically: readers see the old file or the whole new one, never a part. */
export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(`${stringifyModelFile(file)}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Reads and validates a model file (format, shapes, finite values, checksum). Throws core's ModelFileError. */
export async function readModelFile(path: string): Promise<{ file: ModelFile; params: Float32Array }> {
  return parseModelFile(await readFile(path, 'utf8'), path);
}

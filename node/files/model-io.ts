// Model files on disk, for the CLI (--out) and the Electron main process alike: validate before writing (a
// diverged model, with NaN or Infinity, is never written; the write is atomic), validate everything when
// opening (a regular file, its size first, then JSON, format, version, shapes, finite values, checksum).

import { readFile, stat } from 'node:fs/promises';
import { MAX_MODEL_FILE_BYTES, ModelFileError, modelFileSchema, parseModelFile, stringifyModelFile, type ModelFile } from '../../core/model-file';
import { writeFileAtomic } from './atomic-file';

/**
 * Validates a model the renderer built and returns its JSON text: the schema (shapes, finite values)
 * and a round trip through the reader (which also checks the checksum against the values).
 */
export function validatedModelText(model: unknown): string {
  const parsed = modelFileSchema.safeParse(model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    if (/^(W|b)\./.test(path)) throw new ModelFileError('the model has a value that is not a finite number (a diverged run); it was not saved');
    throw new ModelFileError(`the model is invalid at ${path || '(root)'}: ${issue.message}; it was not saved`);
  }
  const text = stringifyModelFile(parsed.data);
  parseModelFile(text, 'the model'); // checksum and float32 range
  return text;
}

/** Writes a model to `path` atomically after validating it. */
export async function writeModelFile(path: string, model: unknown): Promise<void> {
  await writeFileAtomic(path, validatedModelText(model));
}

/** Reads and validates a model file; throws ModelFileError with a message for people. */
export async function readModelFile(path: string): Promise<ModelFile> {
  const name = path.split(/[\\/]/).pop() ?? 'model file';
  let size: number;
  try {
    const st = await stat(path);
    // A folder, FIFO or device is refused before any read (a FIFO would block; its size reads 0).
    if (!st.isFile()) throw new ModelFileError(`${name} is not a regular file (a folder, FIFO or device); choose a model file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(`${name} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // Check the size before reading, so a huge file is never loaded into memory.
  if (size > MAX_MODEL_FILE_BYTES) throw new ModelFileError(`${name} is too large (${size} bytes; a model is about 150 KB, at most ${MAX_MODEL_FILE_BYTES})`);
  const text = await readFile(path, 'utf8');
  return parseModelFile(text, name).file;
}

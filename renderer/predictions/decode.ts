// Decodes a user's image with the browser's own decoders (createImageBitmap), never hand-written
// codecs, and hands back bounded RGBA pixels for preprocess.ts. prepareImage runs decoding and
// preprocessing in a Web Worker (decode.worker.ts), so a big photo never blocks the window.

import { workerCalls } from '../workers/worker-calls';
import { readDeclaredSize, type DeclaredSize } from './image-header';
import { boundedSize, checkDimensions, checkFile, type InputError } from './input-checks';
import { preprocessImage, shrinkStepsForDisplay, type PreprocessResult, type RgbaImage } from './preprocess';

/** Longest side of the pixels handed to preprocessing; the model sees 28 px, so this is plenty. */
export const DECODE_MAX_SIDE = 512;

/** A decoded image or why not. */
export type DecodeResult =
  | { ok: true; image: RgbaImage; width: number; height: number }
  | { ok: false; error: InputError };

/** A 2D context on an OffscreenCanvas when there is one, else on a detached canvas element. */
function context2d(width: number, height: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true });
}

/**
 * Checks and decodes one file. The size comes from the file's header (image-header.ts) and is checked
 * before anything is decoded; a file whose header cannot be read, or that the browser then fails to
 * decode (corrupt, truncated), is the 'corrupt' error. `width`/`height` are the picture's own size before
 * any downscaling.
 */
export async function decodeImageFile(file: Blob, name = file instanceof File ? file.name : 'image', maxSide = DECODE_MAX_SIDE): Promise<DecodeResult> {
  const refused = checkFile({ name, type: file.type, size: file.size });
  if (refused) return { ok: false, error: refused };
  let declared: DeclaredSize | null;
  try {
    declared = await readDeclaredSize(file);
  } catch {
    declared = null;
  }
  if (!declared) return { ok: false, error: { code: 'corrupt', name } };
  const { width, height } = declared;
  const tooBig = checkDimensions(width, height, name);
  if (tooBig) return { ok: false, error: tooBig };
  // One decode, downscaled by the browser while decoding.
  let size = boundedSize(width, height, maxSide);
  let bitmap: ImageBitmap;
  try {
    bitmap = size.width === width && size.height === height
      ? await createImageBitmap(file)
      : await createImageBitmap(file, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  } catch {
    return { ok: false, error: { code: 'corrupt', name } };
  }
  try {
    size = { width: bitmap.width, height: bitmap.height };
    const ctx = context2d(size.width, size.height);
    if (!ctx) return { ok: false, error: { code: 'corrupt', name } };
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, size.width, size.height);
    return { ok: true, image: { width: size.width, height: size.height, data: pixels.data }, width, height };
  } finally {
    bitmap.close();
  }
}


/** Longest side of the step images handed to the UI (shown about 84 px tall). */
export const STEP_DISPLAY_MAX_SIDE = 168;

/** A preprocessed image (step images reduced for display) or why not. */
export type PrepareResult =
  | { ok: true; result: PreprocessResult; width: number; height: number }
  | { ok: false; error: InputError };

/** Checks, decodes and preprocesses one file on this thread (the worker's job; the fallback without workers). */
export async function prepareImageHere(file: Blob, name: string, maxSide = DECODE_MAX_SIDE): Promise<PrepareResult> {
  const decoded = await decodeImageFile(file, name, maxSide);
  if (!decoded.ok) return decoded;
  const result = preprocessImage(decoded.image);
  result.steps = shrinkStepsForDisplay(result.steps, STEP_DISPLAY_MAX_SIDE);
  return { ok: true, result, width: decoded.width, height: decoded.height };
}

/** What the decoder worker is asked: check, decode and preprocess `file`. */
export interface DecodeRequest {
  file: Blob;
  name: string;
  maxSide: number;
}

/** The buffers a prepared image hands over from the worker: its input and its step images. */
export function preparedBuffers(r: PrepareResult): ArrayBufferLike[] {
  return r.ok ? [r.result.input.buffer, ...r.result.steps.map((s) => s.image.data.buffer)] : [];
}

const prepareInWorker = workerCalls<DecodeRequest, PrepareResult>(
  () => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'image-decoder' }),
  ({ file, name, maxSide }) => prepareImageHere(file, name, maxSide),
);

/**
 * Checks, decodes (browser codecs, ≤ 8000 px, downscaled to ≤ maxSide) and preprocesses one file in the
 * decoder worker; where workers are unavailable, on this thread. A job that throws is a file that could
 * not be decoded.
 */
export function prepareImage(file: Blob, name: string, maxSide = DECODE_MAX_SIDE): Promise<PrepareResult> {
  return prepareInWorker({ file, name, maxSide }).catch((): PrepareResult => ({ ok: false, error: { code: 'corrupt', name } }));
}

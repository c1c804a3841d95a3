// Decodes a user's image with the browser's own decoders (createImageBitmap), never hand-written
// codecs, and hands back bounded RGBA pixels for preprocess.ts. Big pictures are downscaled by the
// browser while decoding so the main thread never loops over millions of pixels.

import { boundedSize, checkDimensions, checkFile, type InputError } from './input-checks';
import type { RgbaImage } from './preprocess';

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
 * Checks and decodes one file. Corrupt, truncated or undecodable files make createImageBitmap reject:
 * that becomes the 'corrupt' error. `width`/`height` are the picture's own size before any downscaling.
 */
export async function decodeImageFile(file: Blob, name = file instanceof File ? file.name : 'image', maxSide = DECODE_MAX_SIDE): Promise<DecodeResult> {
  const refused = checkFile({ name, type: file.type, size: file.size });
  if (refused) return { ok: false, error: refused };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, error: { code: 'corrupt', name } };
  }
  try {
    const { width, height } = bitmap;
    const tooBig = checkDimensions(width, height, name);
    if (tooBig) return { ok: false, error: tooBig };
    const size = boundedSize(width, height, maxSide);
    let source = bitmap;
    if (size.width !== width || size.height !== height) {
      source = await createImageBitmap(bitmap, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
      bitmap.close();
    }
    const ctx = context2d(size.width, size.height);
    if (!ctx) return { ok: false, error: { code: 'corrupt', name } };
    ctx.drawImage(source, 0, 0);
    source.close();
    const pixels = ctx.getImageData(0, 0, size.width, size.height);
    return { ok: true, image: { width: size.width, height: size.height, data: pixels.data }, width, height };
  } finally {
    bitmap.close();
  }
}

// The size an image file declares in its header, read with image-size from the file's first bytes, so a
// picture too big to decode (a small file that declares 30000×30000 px, say) is refused before the
// browser decodes it in full. JPEG's EXIF orientation is applied as the browser's decoder applies it.

import { imageSize } from 'image-size';

/** Bytes read first: enough for every header, a JPEG's EXIF and colour profile included. */
export const HEADER_BYTES = 256 * 1024;

/** A picture's declared size, as the decoder will hand it over (orientation applied). */
export interface DeclaredSize {
  width: number;
  height: number;
  /** The format image-size found (png, jpg, gif, webp, bmp, heif, ico, …). */
  type: string;
}

/** The size declared in `bytes` (a file's start or all of it), or null where no header could be read. */
export function declaredSize(bytes: Uint8Array): DeclaredSize | null {
  try {
    const s = imageSize(bytes);
    if (!(s.width > 0) || !(s.height > 0)) return null;
    // EXIF orientations 5 to 8 turn the picture a quarter: the decoder swaps width and height.
    const turned = s.orientation !== undefined && s.orientation >= 5 && s.orientation <= 8;
    return { width: turned ? s.height : s.width, height: turned ? s.width : s.height, type: s.type ?? 'unknown' };
  } catch {
    return null;
  }
}

/**
 * Reads a file's declared size from its first HEADER_BYTES, then, where that was not enough (a JPEG whose
 * frame header comes after a big EXIF block), from the whole file (files are at most 20 MB here).
 */
export async function readDeclaredSize(file: Blob): Promise<DeclaredSize | null> {
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const size = declaredSize(head);
  if (size || file.size <= HEADER_BYTES) return size;
  return declaredSize(new Uint8Array(await file.arrayBuffer()));
}

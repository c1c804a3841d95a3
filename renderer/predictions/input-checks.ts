// Checks on what a user dropped, picked or pasted before anything is decoded, and the error codes the
// panel turns into translated messages. Pure: works on plain { name, type, size } descriptions, so the
// rules are unit-tested without a browser. Decoding failures get their codes in decode.ts.

/** Largest file accepted, in bytes (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Largest image side accepted, in pixels. */
export const MAX_IMAGE_SIDE = 8000;

/** Why an input was refused. */
export type InputErrorCode =
  | 'no-file'
  | 'several-files'
  | 'empty-file'
  | 'file-too-large'
  | 'svg'
  | 'not-image'
  | 'image-too-large'
  | 'corrupt';

/** A refused input: a code for the message, and the numbers the message mentions. */
export interface InputError {
  code: InputErrorCode;
  /** The file's name, when there is one. */
  name?: string;
  /** How many files (several-files). */
  count?: number;
  /** Width and height in pixels (image-too-large). */
  width?: number;
  height?: number;
  /** Size in bytes (file-too-large). */
  bytes?: number;
}

/** What the checks need to know about a file (a File or a Blob with a name fits). */
export interface FileDescription {
  name: string;
  type: string;
  size: number;
}

/** MIME types the app hands to the browser's decoders. */
export const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'image/x-icon', 'image/vnd.microsoft.icon'];
/** File extensions trusted when the type is missing (some drags and pastes carry no type). */
export const IMAGE_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'jfif', 'gif', 'webp', 'bmp', 'avif', 'ico'];

/** The lower-case extension of a file name, without the dot ('' when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * Checks one file's description: SVG (a vector format the model cannot see as pixels without
 * rasterising untrusted markup), non-images, empty and oversized files. Returns null when it may be decoded.
 */
export function checkFile(file: FileDescription): InputError | null {
  const type = file.type.toLowerCase().split(';')[0].trim();
  const ext = extensionOf(file.name);
  const name = file.name;
  if (type === 'image/svg+xml' || ext === 'svg' || ext === 'svgz') return { code: 'svg', name };
  const knownImage = type ? IMAGE_TYPES.includes(type) : IMAGE_EXTENSIONS.includes(ext);
  if (!knownImage) return { code: 'not-image', name };
  if (file.size === 0) return { code: 'empty-file', name };
  if (file.size > MAX_FILE_BYTES) return { code: 'file-too-large', name, bytes: file.size };
  return null;
}

/** Checks a drop, a pick or a paste: exactly one file, and that file (see checkFile). */
export function checkFiles(files: readonly FileDescription[]): InputError | null {
  if (files.length === 0) return { code: 'no-file' };
  if (files.length > 1) return { code: 'several-files', count: files.length };
  return checkFile(files[0]);
}

/** Checks a decoded image's size against the limit on either side. */
export function checkDimensions(width: number, height: number, name?: string): InputError | null {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { code: 'image-too-large', name, width, height };
  if (width < 1 || height < 1) return { code: 'corrupt', name };
  return null;
}

/** The size to draw a picture at before preprocessing: longest side at most `maxSide`, aspect ratio kept. */
export function boundedSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height };
  const scale = maxSide / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

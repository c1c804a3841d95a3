// renderer/predictions/image-header.ts and decode.ts's first step: the declared size comes from the
// header (PNG, a JPEG with its EXIF orientation, GIF, BMP), a header past the first 256 KB is found in the
// whole file, and a picture that declares more than 8000 px on a side is refused before any decoding.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../../../core/export/png';
import { decodeImageFile } from '../../../renderer/predictions/decode';
import { declaredSize, HEADER_BYTES, readDeclaredSize } from '../../../renderer/predictions/image-header';

/** A real w x h grey PNG whose IHDR then declares `declared` instead (the CRC is left as it was). */
function png(w: number, h: number, declared?: { width: number; height: number }): Uint8Array<ArrayBuffer> {
  const bytes = Uint8Array.from(encodePng(new Uint8Array(w * h), w, h, 1));
  if (declared) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(16, declared.width); // signature (8) + length (4) + "IHDR" (4)
    view.setUint32(20, declared.height);
  }
  return bytes;
}

/** A JPEG's start: SOI, an APP1 EXIF block with orientation `orientation`, `padBytes` more in APP15 blocks, then SOF0 of w x h. */
function jpegHeader(w: number, h: number, orientation: number, padBytes = 0): Uint8Array<ArrayBuffer> {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0, 0, 0];
  const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const parts: number[][] = [[0xff, 0xd8], [0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 255, ...exif]];
  for (let left = padBytes; left > 0; left -= 60_000) {
    const n = Math.min(60_000, left);
    parts.push([0xff, 0xef, (n + 2) >> 8, (n + 2) & 255, ...new Array<number>(n).fill(0)]);
  }
  parts.push([0xff, 0xc0, 0, 17, 8, h >> 8, h & 255, w >> 8, w & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Uint8Array.from(parts.flat());
}

afterEach(() => vi.unstubAllGlobals());

describe('declaredSize', () => {
  it('reads PNG, GIF and BMP headers', () => {
    expect(declaredSize(png(3, 2))).toEqual({ width: 3, height: 2, type: 'png' });
    const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 40, 1, 30, 0, 0, 0, 0]);
    expect(declaredSize(gif)).toEqual({ width: 296, height: 30, type: 'gif' });
    const bmp = new Uint8Array(54);
    bmp.set([0x42, 0x4d], 0);
    new DataView(bmp.buffer).setUint32(14, 40, true);
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, 480, true);
    expect(declaredSize(bmp)).toEqual({ width: 640, height: 480, type: 'bmp' });
  });

  it('turns a JPEG whose EXIF orientation is a quarter turn, as the decoder does', () => {
    expect(declaredSize(jpegHeader(400, 300, 1))).toMatchObject({ width: 400, height: 300, type: 'jpg' });
    expect(declaredSize(jpegHeader(400, 300, 6))).toMatchObject({ width: 300, height: 400 });
    expect(declaredSize(jpegHeader(400, 300, 3))).toMatchObject({ width: 400, height: 300 });
  });

  it('is null for what is no image header, and for a zero size', () => {
    expect(declaredSize(new TextEncoder().encode('not a picture'))).toBeNull();
    expect(declaredSize(new Uint8Array(0))).toBeNull();
    expect(declaredSize(png(1, 1, { width: 0, height: 5 }))).toBeNull();
  });
});

describe('readDeclaredSize', () => {
  it('finds a JPEG frame header past the first 256 KB by reading the whole file', async () => {
    const bytes = jpegHeader(1200, 900, 1, HEADER_BYTES + 1000);
    expect(declaredSize(bytes.slice(0, HEADER_BYTES))).toBeNull();
    expect(await readDeclaredSize(new Blob([bytes], { type: 'image/jpeg' }))).toMatchObject({ width: 1200, height: 900 });
  });
});

describe('decodeImageFile, before decoding', () => {
  it('refuses a picture that declares more than 8000 px on a side without decoding it', async () => {
    const decode = vi.fn(() => Promise.reject(new Error('must not decode')));
    vi.stubGlobal('createImageBitmap', decode);
    const bomb = new Blob([png(4, 4, { width: 30000, height: 30000 })], { type: 'image/png' });
    expect(await decodeImageFile(bomb, 'bomb.png')).toEqual({ ok: false, error: { code: 'image-too-large', name: 'bomb.png', width: 30000, height: 30000 } });
    const wide = new Blob([png(4, 4, { width: 8001, height: 16 })], { type: 'image/png' });
    expect((await decodeImageFile(wide, 'wide.png')).ok).toBe(false);
    expect(decode).not.toHaveBeenCalled();
  });

  it('says "corrupt" for a file with an image type but no readable header, without decoding it', async () => {
    const decode = vi.fn(() => Promise.reject(new Error('must not decode')));
    vi.stubGlobal('createImageBitmap', decode);
    expect(await decodeImageFile(new Blob([new Uint8Array(100).fill(7)], { type: 'image/png' }), 'noise.png')).toEqual({ ok: false, error: { code: 'corrupt', name: 'noise.png' } });
    expect(decode).not.toHaveBeenCalled();
  });

  it('decodes a picture within the limit once, downscaled to the declared size bounded to 512 px', async () => {
    const decode = vi.fn((_file: Blob, opts?: { resizeWidth: number; resizeHeight: number }) => Promise.resolve({ width: opts?.resizeWidth ?? 0, height: opts?.resizeHeight ?? 0, close() {} }));
    vi.stubGlobal('createImageBitmap', decode);
    const ctx = { drawImage: vi.fn(), getImageData: (x: number, y: number, w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }) };
    vi.stubGlobal('OffscreenCanvas', class { getContext() { return ctx; } });
    const photo = new Blob([png(4, 4, { width: 6000, height: 4000 })], { type: 'image/png' });
    const res = await decodeImageFile(photo, 'photo.png');
    expect(decode).toHaveBeenCalledTimes(1);
    expect(decode.mock.calls[0][1]).toMatchObject({ resizeWidth: 512, resizeHeight: 341 });
    expect(res).toMatchObject({ ok: true, width: 6000, height: 4000 });
  });
});

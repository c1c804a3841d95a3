// Draws the app icon, a 10-class weight-image motif (ten 28x28 "weight images", one per Fashion-MNIST
// class: positive where the garment is, negative around it, blue-white-red), and writes the PNG sizes
// and a PNG-in-ICO for Windows (PNG bytes from core/export/png.ts). Run: npx tsx node/tools/make-icons.ts

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../../core/export/png';

const S = 28; // weight images are 28x28, like the model's W columns

/** Encodes RGBA pixels (width*height*4, row-major) as a PNG: core's encoder, as bytes node:fs writes. */
export function encodePngRgba(width: number, height: number, rgba: Uint8Array): Buffer {
  return Buffer.from(encodePng(rgba, width, height, 4));
}

/** Packs PNG images into an .ico (PNG-compressed entries, supported since Windows Vista). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header[e + 2] = 0; // palette
    header[e + 3] = 0;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

// ---- the motif ----

type Mask = (x: number, y: number) => boolean;
const rect = (x0: number, y0: number, x1: number, y1: number): Mask => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const any = (...ms: Mask[]): Mask => (x, y) => ms.some((m) => m(x, y));

/** Rough silhouettes of the ten classes on the 28x28 grid, in Fashion-MNIST's label order. */
const SILHOUETTES: Mask[] = [
  any(rect(8, 6, 19, 24), rect(4, 6, 23, 11)), // T-shirt/top
  any(rect(8, 3, 19, 7), rect(8, 3, 12, 25), rect(15, 3, 19, 25)), // Trouser
  any(rect(8, 5, 19, 24), rect(4, 6, 7, 22), rect(20, 6, 23, 22)), // Pullover
  (x, y) => y >= 3 && y <= 25 && Math.abs(x - 13.5) <= 2.5 + (y - 3) * 0.3, // Dress
  (x, y) => (rect(7, 3, 20, 26)(x, y) || rect(3, 4, 6, 24)(x, y) || rect(21, 4, 24, 24)(x, y)) && !(x >= 13 && x <= 14 && y >= 8), // Coat
  (x, y) => y >= 16 && y <= 21 && x >= 3 && x <= 24 && (y >= 20 || x % 4 < 2), // Sandal
  (x, y) => (rect(8, 5, 19, 24)(x, y) || rect(4, 5, 23, 12)(x, y)) && !(y < 10 && Math.abs(x - 13.5) < 10 - y), // Shirt
  (x, y) => x >= 3 && x <= 24 && y <= 21 && y >= 19 - Math.max(0, (x - 8) * 0.45), // Sneaker
  (x, y) => rect(5, 11, 22, 24)(x, y) || (y >= 5 && y <= 10 && Math.abs(Math.hypot(x - 13.5, (y - 11) * 1.4) - 6) < 1.2), // Bag
  any(rect(12, 4, 20, 17), rect(5, 16, 22, 23)), // Ankle boot
];

function blur(img: Float32Array, sigma: number): Float32Array {
  const r = Math.ceil(sigma * 3);
  const k: number[] = [];
  for (let i = -r; i <= r; i++) k.push(Math.exp(-(i * i) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const pass = (src: Float32Array, dx: number, dy: number): Float32Array => {
    const out = new Float32Array(S * S);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = Math.min(S - 1, Math.max(0, x + i * dx));
          const yy = Math.min(S - 1, Math.max(0, y + i * dy));
          acc += src[yy * S + xx] * k[i + r];
        }
        out[y * S + x] = acc / sum;
      }
    return out;
  };
  return pass(pass(img, 1, 0), 0, 1);
}

/** A weight image per class in [-1, 1]: the garment's blur minus a wider halo (a centre-surround look). */
export function classWeights(): Float32Array[] {
  return SILHOUETTES.map((mask) => {
    const m = new Float32Array(S * S);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) m[y * S + x] = mask(x, y) ? 1 : 0;
    const near = blur(m, 0.9);
    const far = blur(m, 3.2);
    const w = new Float32Array(S * S);
    let max = 0;
    for (let i = 0; i < w.length; i++) {
      w[i] = near[i] - 0.85 * far[i];
      max = Math.max(max, Math.abs(w[i]));
    }
    for (let i = 0; i < w.length; i++) w[i] /= max || 1;
    return w;
  });
}

/** Blue (negative) – near-white (zero) – red (positive), like the lab's weight views. */
function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  const mid: [number, number, number] = [236, 236, 232];
  const end: [number, number, number] = t >= 0 ? [200, 40, 48] : [33, 102, 172];
  const a = Math.abs(t) ** 0.8;
  return [0, 1, 2].map((i) => mid[i] + (end[i] - mid[i]) * a) as [number, number, number];
}

/** Renders the icon at `size` px by supersampling the scene (so small sizes stay crisp, not resized). */
export function renderIcon(size: number): Uint8Array {
  const weights = classWeights();
  const rows = [3, 4, 3];
  const tile = 0.195; // of the icon's side
  const gap = 0.022;
  const top = 0.5 - (rows.length * tile + (rows.length - 1) * gap) / 2;
  const bgInset = 0.03;
  const radius = 0.2;
  const sample = (u: number, v: number): [number, number, number, number] => {
    // rounded-square background
    const cx = Math.max(bgInset + radius - u, 0, u - (1 - bgInset - radius));
    const cy = Math.max(bgInset + radius - v, 0, v - (1 - bgInset - radius));
    if (u < bgInset || u > 1 - bgInset || v < bgInset || v > 1 - bgInset || Math.hypot(cx, cy) > radius) return [0, 0, 0, 0];
    let k = 0;
    for (let r = 0; r < rows.length; r++) {
      const y0 = top + r * (tile + gap);
      const n = rows[r];
      const x0 = 0.5 - (n * tile + (n - 1) * gap) / 2;
      for (let c = 0; c < n; c++, k++) {
        const tx = x0 + c * (tile + gap);
        if (u >= tx && u < tx + tile && v >= y0 && v < y0 + tile) {
          const px = Math.min(S - 1, Math.floor(((u - tx) / tile) * S));
          const py = Math.min(S - 1, Math.floor(((v - y0) / tile) * S));
          return [...diverging(weights[k][py * S + px]), 255];
        }
      }
    }
    const shade = 22 + 14 * v; // a slight vertical gradient
    return [shade, shade + 6, shade + 12, 255];
  };
  const ss = size >= 256 ? 2 : 4;
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let j = 0; j < ss; j++)
        for (let i = 0; i < ss; i++) {
          const [r, g, b, a] = sample((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      const o = (y * size + x) * 4;
      const alpha = acc[3] / (ss * ss);
      for (let ch = 0; ch < 3; ch++) out[o + ch] = acc[3] > 0 ? Math.round(acc[ch] / acc[3]) : 0;
      out[o + 3] = Math.round(alpha);
    }
  return out;
}

/** The PNG sizes written to assets/icons/png (electron-builder's Linux icon set), and those in the .ico. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** Writes assets/icons/{icon.png (512), icon.ico, png/NxN.png}. */
export function writeIcons(dir: string): string[] {
  mkdirSync(join(dir, 'png'), { recursive: true });
  const pngs = new Map<number, Buffer>();
  const written: string[] = [];
  for (const size of PNG_SIZES) {
    const png = encodePngRgba(size, size, renderIcon(size));
    pngs.set(size, png);
    const path = join(dir, 'png', `${size}x${size}.png`);
    writeFileSync(path, png);
    written.push(path);
  }
  writeFileSync(join(dir, 'icon.png'), pngs.get(512) as Buffer);
  writeFileSync(join(dir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) as Buffer }))));
  written.push(join(dir, 'icon.png'), join(dir, 'icon.ico'));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../../assets/icons', import.meta.url));
  for (const p of writeIcons(dir)) console.log(p);
}

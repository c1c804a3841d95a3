// Canvas painting for the predictions panel: grey images (test images, preprocessing steps), the
// evidence map on a diverging colour map symmetric around 0, and the confusion matrix's cell colours.
// Colour maps come from d3-scale-chromatic; no React here.

import { interpolateBlues, interpolateRdBu } from 'd3-scale-chromatic';
import type { GreyImage } from '../../predictions/preprocess';

/** "rgb(r, g, b)" or "#rrggbb" → [r, g, b]. */
export function parseColour(css: string): [number, number, number] {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const v = parseInt(hex[1], 16);
    return [v >> 16, (v >> 8) & 255, v & 255];
  }
  return [128, 128, 128];
}

function context(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return canvas.getContext('2d');
}

/** Paints a grey image (0 = black, 1 = white) at its own size; CSS scales it, pixelated. */
export function drawGreyImage(canvas: HTMLCanvasElement, img: GreyImage): void {
  const ctx = context(canvas, img.width, img.height);
  if (!ctx) return;
  const out = ctx.createImageData(img.width, img.height);
  for (let i = 0; i < img.data.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, img.data[i])) * 255);
    out.data[i * 4] = out.data[i * 4 + 1] = out.data[i * 4 + 2] = v;
    out.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
}

/** Paints a 28x28 test image from its pixels (784, 0..255), light garment on black as in the dataset. */
export function drawTestPixels(canvas: HTMLCanvasElement, pixels: Uint8Array, side = 28): void {
  const ctx = context(canvas, side, side);
  if (!ctx) return;
  const out = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    out.data[i * 4] = out.data[i * 4 + 1] = out.data[i * 4 + 2] = pixels[i];
    out.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
}

/** Entries of the diverging lookup table. */
const LUT_SIZE = 256;
let diverging: Uint8Array | null = null;

/** RGB (LUT_SIZE, 3) of reversed RdBu: entry 0 = most negative (blue), last = most positive (red). */
function divergingLut(): Uint8Array {
  if (diverging) return diverging;
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(parseColour(interpolateRdBu(1 - i / (LUT_SIZE - 1))), i * 3);
  diverging = lut;
  return lut;
}

/** The colour of `v` on the diverging scale from -maxAbs (blue) through 0 (white) to +maxAbs (red). */
export function divergingColour(v: number, maxAbs: number): [number, number, number] {
  const t = maxAbs > 0 && Number.isFinite(v) ? Math.min(1, Math.max(0, 0.5 + v / (2 * maxAbs))) : 0.5;
  const i = Math.round(t * (LUT_SIZE - 1)) * 3;
  const lut = divergingLut();
  return [lut[i], lut[i + 1], lut[i + 2]];
}

/** Paints an evidence map (784) on the diverging scale ±maxAbs, the same red-positive convention as the weights. */
export function drawEvidence(canvas: HTMLCanvasElement, evidence: Float32Array, maxAbs: number, side = 28): void {
  const ctx = context(canvas, side, side);
  if (!ctx) return;
  const out = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const [r, g, b] = divergingColour(evidence[i], maxAbs);
    out.data[i * 4] = r;
    out.data[i * 4 + 1] = g;
    out.data[i * 4 + 2] = b;
    out.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
}

/** Paints the diverging colour bar (LUT_SIZE x 1, stretched by CSS), negative on the left. */
export function drawDivergingBar(canvas: HTMLCanvasElement): void {
  const ctx = context(canvas, LUT_SIZE, 1);
  if (!ctx) return;
  const out = ctx.createImageData(LUT_SIZE, 1);
  const lut = divergingLut();
  for (let i = 0; i < LUT_SIZE; i++) {
    out.data[i * 4] = lut[i * 3];
    out.data[i * 4 + 1] = lut[i * 3 + 1];
    out.data[i * 4 + 2] = lut[i * 3 + 2];
    out.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
}

/**
 * A confusion-matrix cell's background (Blues by the share of its row, so rare and common classes read
 * alike) and a text colour that stays readable on it.
 */
export function cellColours(share: number): { background: string; color: string } {
  const s = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  // sqrt: the few-percent confusions are the interesting ones; a linear scale would leave them white.
  const t = Math.sqrt(s);
  return { background: interpolateBlues(0.03 + 0.97 * t), color: t > 0.55 ? '#fff' : '#1d1f23' };
}

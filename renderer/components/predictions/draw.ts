// Canvas painting for the predictions panel: grey images (test images, preprocessing steps), the
// evidence map on a diverging colour map symmetric around 0, and the confusion matrix's cell colours.
// Colour maps come from d3-scale-chromatic; no React here.

import { interpolateBlues } from 'd3-scale-chromatic';
import { colourLut, drawColourBar, lutIndex, LUT_SIZE, rememberHeatmap } from '../heatmap';
import type { GreyImage } from '../../predictions/preprocess';

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

/** The colour of `v` on the diverging scale from -maxAbs (blue) through 0 (white) to +maxAbs (red): the weights' colour map. */
export function divergingColour(v: number, maxAbs: number): [number, number, number] {
  const i = lutIndex(v, maxAbs) * 3;
  const lut = colourLut();
  return [lut[i], lut[i + 1], lut[i + 2]];
}

/** Paints an evidence map (784) on the diverging scale ±maxAbs, the same red-positive convention as the weights. */
export function drawEvidence(canvas: HTMLCanvasElement, evidence: Float32Array, maxAbs: number, side = 28): void {
  rememberHeatmap(canvas, () => drawEvidence(canvas, evidence, maxAbs, side)); // painted again when the palette changes
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
  if (context(canvas, LUT_SIZE, 1)) drawColourBar(canvas);
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

// Drawing a class's weights as a 28x28 image on one diverging colour map symmetric around 0: the
// palette's (components/palettes.ts: RdBu with positive red, or the colour-blind safe PuOr with positive
// orange). Canvas code, no React. Every canvas painted here is remembered with how to paint it again,
// so choosing another palette repaints them all at once (repaintHeatmaps), paused or not.
// Legend: D = 784 pixels, K = 10 classes; W (D, K) row-major, so pixel d of class k is W[d*K + k].

import { IMAGE_SIDE, NUM_CLASSES as K, NUM_INPUTS as D } from '../../core/shapes';
import { useLab } from '../store';
import { PALETTES, type PaletteId } from './palettes';

/** Entries in the colour lookup table. */
export const LUT_SIZE = 256;

function parseRgb(css: string): [number, number, number] {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const v = parseInt(hex[1], 16);
    return [v >> 16, (v >> 8) & 255, v & 255];
  }
  return [128, 128, 128];
}

const luts = new Map<PaletteId, Uint8ClampedArray>();

/**
 * RGB triples (LUT_SIZE, 3) of a palette's diverging map (by default the one in use): entry 0 = most
 * negative (blue, or purple), LUT_SIZE-1 = most positive (red, or orange).
 */
export function colourLut(palette: PaletteId = useLab.getState().settings.palette): Uint8ClampedArray {
  const known = luts.get(palette);
  if (known) return known;
  const out = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = parseRgb(PALETTES[palette].diverging(i / (LUT_SIZE - 1)));
    out[i * 3] = r;
    out[i * 3 + 1] = g;
    out[i * 3 + 2] = b;
  }
  luts.set(palette, out);
  return out;
}

/** The canvases painted on the diverging map, each with how to paint it again. */
const painted = new Map<HTMLCanvasElement, () => void>();
/** Remembered canvases past which the ones no longer in the document are forgotten. */
const SWEEP_AT = 64;

/**
 * Remembers how `canvas` was painted on the diverging map, so a palette change can paint it again. For
 * painters outside this file (the evidence maps); the drawing functions here call it themselves.
 */
export function rememberHeatmap(canvas: HTMLCanvasElement, repaint: () => void): void {
  painted.set(canvas, repaint);
  if (painted.size > SWEEP_AT) {
    for (const c of painted.keys()) if (!c.isConnected) painted.delete(c);
  }
}

/** Paints every remembered heatmap and colour bar again in the palette now in use; forgets those gone from the page. */
export function repaintHeatmaps(): void {
  for (const [c, repaint] of [...painted]) {
    if (c.isConnected) repaint();
    else painted.delete(c);
  }
}

/** The LUT index of weight `v` on a scale from -maxAbs to +maxAbs (the middle for 0 or no scale). */
export function lutIndex(v: number, maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(v)) return Math.round((LUT_SIZE - 1) / 2);
  const t = Math.min(1, Math.max(0, 0.5 + v / (2 * maxAbs)));
  return Math.round(t * (LUT_SIZE - 1));
}

/** Writes class k's weights (from params: W then b) into `img` (28x28 RGBA). Non-finite weights are grey. */
export function paintClassWeights(params: Float32Array, k: number, maxAbs: number, img: ImageData): void {
  const table = colourLut();
  const px = img.data;
  for (let d = 0; d < D; d++) {
    const v = params[d * K + k];
    const o = d * 4;
    if (!Number.isFinite(v)) {
      px[o] = px[o + 1] = px[o + 2] = 128;
    } else {
      const i = lutIndex(v, maxAbs) * 3;
      px[o] = table[i];
      px[o + 1] = table[i + 1];
      px[o + 2] = table[i + 2];
    }
    px[o + 3] = 255;
  }
}

/** Draws class k's weights on a 28x28 canvas. */
export function drawClassWeights(canvas: HTMLCanvasElement, params: Float32Array, k: number, maxAbs: number): void {
  rememberHeatmap(canvas, () => drawClassWeights(canvas, params, k, maxAbs));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  paintClassWeights(params, k, maxAbs, img);
  ctx.putImageData(img, 0, 0);
}

/** Clears a heatmap's canvas (nothing to show), and keeps it clear across palette changes. */
export function clearHeatmap(canvas: HTMLCanvasElement): void {
  rememberHeatmap(canvas, () => clearHeatmap(canvas));
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
}

/** Draws the colour bar (LUT_SIZE x 1, stretched by CSS), negative on the left. */
export function drawColourBar(canvas: HTMLCanvasElement): void {
  rememberHeatmap(canvas, () => drawColourBar(canvas));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const table = colourLut();
  const img = ctx.createImageData(LUT_SIZE, 1);
  for (let i = 0; i < LUT_SIZE; i++) {
    img.data[i * 4] = table[i * 3];
    img.data[i * 4 + 1] = table[i * 3 + 1];
    img.data[i * 4 + 2] = table[i * 3 + 2];
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** The weight under a mouse position on a heatmap of `cssSize` pixels: row, column and value. */
export function weightAt(params: Float32Array, k: number, offsetX: number, offsetY: number, cssWidth: number, cssHeight: number): { row: number; col: number; value: number } {
  const col = Math.min(IMAGE_SIDE - 1, Math.max(0, Math.floor((offsetX / cssWidth) * IMAGE_SIDE)));
  const row = Math.min(IMAGE_SIDE - 1, Math.max(0, Math.floor((offsetY / cssHeight) * IMAGE_SIDE)));
  return { row, col, value: params[(row * IMAGE_SIDE + col) * K + k] };
}

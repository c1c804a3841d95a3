// The drawing pad's pure parts: its size and brush limits, the keyboard pen (arrows move it, Space puts it
// down or lifts it, Delete clears), and classifying a drawing: the SAME preprocessing as a dropped image
// (renderer/predictions/preprocess.ts), then the trainer's own predict (core). No DOM here; the canvas and
// its events are in components/inside/DrawingPad.tsx.

import { preprocessImage, type PreprocessResult, type RgbaImage } from '../predictions/preprocess';
import { classProbabilities } from './step-by-step';

/** Side of the pad's canvas in its own pixels (ten per model pixel). */
export const PAD_SIDE = 280;
/** One keyboard step of the pen: one model pixel. Shift moves three. */
export const PEN_STEP = PAD_SIDE / 28;
/** Brush diameters (pad pixels) offered, and the one a pad starts with. */
export const BRUSH = { min: 6, max: 48, initial: 24 } as const;

/** The keyboard pen: where it is and whether it draws as it moves. */
export interface Pen {
  x: number;
  y: number;
  down: boolean;
}

/** The pen a pad starts with: lifted, in the middle. */
export const INITIAL_PEN: Pen = { x: PAD_SIDE / 2, y: PAD_SIDE / 2, down: false };

/** What a key does on the pad. */
export type PenAction = { kind: 'move'; pen: Pen } | { kind: 'toggle'; pen: Pen } | { kind: 'clear' } | null;

const clampToPad = (v: number): number => Math.min(PAD_SIDE - 1, Math.max(0, v));

/** The pad's answer to a key (KeyboardEvent.key), or null when the key is not the pad's. */
export function penAction(pen: Pen, key: string, shift: boolean): PenAction {
  const step = shift ? 3 * PEN_STEP : PEN_STEP;
  const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  const m = moves[key];
  if (m) return { kind: 'move', pen: { ...pen, x: clampToPad(pen.x + m[0] * step), y: clampToPad(pen.y + m[1] * step) } };
  if (key === ' ' || key === 'Enter') return { kind: 'toggle', pen: { ...pen, down: !pen.down } };
  if (key === 'Delete' || key === 'Backspace') return { kind: 'clear' };
  return null;
}

/** A drawing, prepared for the model. */
export interface PreparedDrawing {
  /** The preprocessing steps and the model input, exactly as for a dropped image. */
  preprocessed: PreprocessResult;
  /** Nothing stood out from the background (an empty pad). */
  blank: boolean;
}

/** Preprocesses the pad's pixels exactly like a dropped image. */
export function prepareDrawing(rgba: RgbaImage): PreparedDrawing {
  const preprocessed = preprocessImage(rgba);
  return { preprocessed, blank: preprocessed.box === null };
}

/** The class probabilities (K) of a prepared drawing under `params`: null without weights or for a blank pad. */
export function drawingProbabilities(drawing: PreparedDrawing, params: Float32Array | null): Float32Array | null {
  return params && !drawing.blank ? classProbabilities(params, drawing.preprocessed.input) : null;
}

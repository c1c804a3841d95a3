// The drawing pad's pure parts: the keyboard pen (arrows move it a model pixel, three with Shift, inside
// the pad; Space and Enter put it down or lift it; Delete and Backspace clear), and classifying a drawing
// through exactly the dropped-image preprocessing and the trainer's predict.

import { describe, expect, it } from 'vitest';
import { initParams } from '../../../core/model';
import { createRng } from '../../../core/rng';
import { drawingProbabilities, INITIAL_PEN, PAD_SIDE, PEN_STEP, penAction, prepareDrawing } from '../../../renderer/inside/drawing';
import { classProbabilities } from '../../../renderer/inside/step-by-step';
import { preprocessImage, type RgbaImage } from '../../../renderer/predictions/preprocess';

/** A white pad with black rectangles [x0, y0, x1, y1) drawn on it. */
function pad(rects: [number, number, number, number][]): RgbaImage {
  const data = new Uint8ClampedArray(PAD_SIDE * PAD_SIDE * 4).fill(255);
  for (const [x0, y0, x1, y1] of rects) {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const o = (y * PAD_SIDE + x) * 4;
        data[o] = data[o + 1] = data[o + 2] = 0;
      }
    }
  }
  return { width: PAD_SIDE, height: PAD_SIDE, data };
}

describe('the keyboard pen', () => {
  it('moves one model pixel per arrow, three with Shift, and stays on the pad', () => {
    expect(PEN_STEP).toBe(10);
    expect(penAction(INITIAL_PEN, 'ArrowRight', false)).toEqual({ kind: 'move', pen: { x: 150, y: 140, down: false } });
    expect(penAction(INITIAL_PEN, 'ArrowUp', true)).toEqual({ kind: 'move', pen: { x: 140, y: 110, down: false } });
    const corner = { x: 5, y: PAD_SIDE - 3, down: true };
    expect(penAction(corner, 'ArrowLeft', false)).toEqual({ kind: 'move', pen: { x: 0, y: PAD_SIDE - 3, down: true } });
    expect(penAction(corner, 'ArrowDown', true)).toEqual({ kind: 'move', pen: { x: 5, y: PAD_SIDE - 1, down: true } });
  });

  it('Space and Enter put the pen down or lift it; Delete and Backspace clear; other keys are not the pad’s', () => {
    expect(penAction(INITIAL_PEN, ' ', false)).toEqual({ kind: 'toggle', pen: { ...INITIAL_PEN, down: true } });
    expect(penAction({ ...INITIAL_PEN, down: true }, 'Enter', false)).toEqual({ kind: 'toggle', pen: INITIAL_PEN });
    expect(penAction(INITIAL_PEN, 'Delete', false)).toEqual({ kind: 'clear' });
    expect(penAction(INITIAL_PEN, 'Backspace', false)).toEqual({ kind: 'clear' });
    expect(penAction(INITIAL_PEN, 'Tab', false)).toBeNull();
    expect(penAction(INITIAL_PEN, 'a', false)).toBeNull();
  });
});

describe('prepareDrawing and drawingProbabilities', () => {
  const params = initParams(createRng(4)).data;

  it('preprocess exactly like a dropped image and predict like the trainer', () => {
    // Two legs: a pair of trousers, dark on white like a page.
    const rgba = pad([[90, 40, 130, 250], [150, 40, 190, 250], [90, 40, 190, 70]]);
    const r = prepareDrawing(rgba);
    const expected = preprocessImage(rgba);
    expect(r.blank).toBe(false);
    expect(r.preprocessed.inverted).toBe(true);
    expect(Array.from(r.preprocessed.input)).toEqual(Array.from(expected.input));
    expect(r.preprocessed.box).toEqual(expected.box);
    expect(r.preprocessed.steps.map((s) => s.id)).toEqual(['grey', 'inverted', 'cropped', 'scaled', 'centred']);
    expect(Array.from(drawingProbabilities(r, params) ?? [])).toEqual(Array.from(classProbabilities(params, expected.input)));
    // The garment fills the 28x28 frame's height, as Fashion-MNIST's do.
    expect(r.preprocessed.box).toEqual({ x0: 90, y0: 40, x1: 190, y1: 250 });
  });

  it('an empty pad is blank and gets no probabilities; nor does a drawing before any weights', () => {
    const empty = prepareDrawing(pad([]));
    expect(empty.blank).toBe(true);
    expect(drawingProbabilities(empty, params)).toBeNull();
    const early = prepareDrawing(pad([[100, 100, 180, 180]]));
    expect(early.blank).toBe(false);
    expect(drawingProbabilities(early, null)).toBeNull();
  });
});

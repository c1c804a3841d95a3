// How much the prepared 28x28 input looks like Fashion-MNIST, by one measure a reader can check: its
// ink, the share of pixels brighter than INK_LEVEL. Garments in the training set cover between about 12%
// and 78% of the frame (the 0.5th and 99.5th percentiles over its 60,000 images; a test in
// tests/renderer/predictions/typicality.test.ts measures them again when the dataset is installed); a
// flat grey square covers 100%, a busy photo nearly as much. Outside that range the model, which only
// ever saw garments, is answering a question it was not trained for, and the window says so.

import { NUM_INPUTS } from '../../core/shapes';

/** A pixel (0..1) counts as ink above this level (the preprocessing's object threshold). */
export const INK_LEVEL = 0.1;

/** The training set's ink shares: 0.5th and 99.5th percentiles (typical), and the extremes seen. */
export const TRAINING_INK = { low: 0.125, high: 0.781, min: 0.038, max: 0.909 } as const;

/** The share of pixels of a model input (784, 0..1) above INK_LEVEL. */
export function inkFraction(input: ArrayLike<number>): number {
  let n = 0;
  const count = Math.min(input.length, NUM_INPUTS);
  for (let i = 0; i < count; i++) if (input[i] > INK_LEVEL) n++;
  return count === 0 ? 0 : n / count;
}

/** How an input compares with the training images: typical, too little ink, or too much. */
export type Typicality = 'typical' | 'little-ink' | 'much-ink';

/** The verdict for an input's ink share (an empty input is not judged here: the window calls it blank). */
export function typicality(ink: number): Typicality {
  if (ink < TRAINING_INK.low) return 'little-ink';
  if (ink > TRAINING_INK.high) return 'much-ink';
  return 'typical';
}

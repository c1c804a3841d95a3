// The user-timing entries the inside views record for each live update (performance.measure), so
// DevTools' Performance panel shows what they cost and the end-to-end test can check it.

/** One live update of "One image, step by step": numbers, render and canvases. */
export const STEP_BY_STEP_MEASURE = 'softmax-lab: one image, step by step';

/** One live update of "Draw a garment" when the weights changed: probabilities, render, evidence map. */
export const DRAWING_PAD_MEASURE = 'softmax-lab: draw a garment';
